// The event lives in @ffgate/contracts (the token service publishes it); re-exported to keep this package's API.
export { TokenRevokedEvent, TOKENS_STREAM, TOKEN_REVOKED_TYPE, tokenRevokedSubject } from '@ffgate/contracts';
