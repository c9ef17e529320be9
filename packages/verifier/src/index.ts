export { CredentialError, CredentialErrorCodes, type CredentialErrorCode } from './errors.ts';
export { CREDENTIAL_ALG, DEFAULT_AUDIENCE, JobCredentialClaims, type JobCredential } from './claims.ts';
export { createVerifier, type Verifier, type VerifierOptions } from './verifier.ts';
export { RemoteJwks, type RemoteJwksOptions } from './remote-jwks.ts';
export type { JwksSource } from './key-source.ts';
export { RevocationView, type RevocationViewOptions } from './revocations.ts';
export { feedRevocations, applyRevocation, type RevocationFeed, type RevocationFeedOptions } from './feed.ts';
