export * from './connections.ts';
export { createConnectionsRepository } from './connections-repository.ts';
export { createMemoryConnectionsRepository } from './memory-connections.ts';
export { createTokenVerifier, type TokenVerifier, type TokenVerifierOptions, type VerifiedConnection } from './verifier.ts';
export { requireConnection } from './middleware.ts';
export { hashToken, TOKEN_PREFIX } from './tokens.ts';
export { type AccessTokenVerifier } from './verifier.ts';
export { createJwksScimTokenVerifier, SCIM_AUDIENCE, SCIM_SCOPE, type JwksScimTokenVerifierOptions } from './jwks-verifier.ts';
