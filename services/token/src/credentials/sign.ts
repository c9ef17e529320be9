import { sign as edSign, type KeyObject } from 'node:crypto';
import { CREDENTIAL_ALG } from '@ffgate/verifier';

/**
 * Compact JWS with Ed25519 through node:crypto's one-shot `sign`. jose signs through WebCrypto,
 * which queues every signature as a thread-pool job; minting is the hot path, and the synchronous
 * one-shot call costs a fraction of that. Verification stays with jose (the verifier package).
 */
export function signJwt(payload: Record<string, unknown>, kid: string, privateKey: KeyObject): string {
  const header = Buffer.from(JSON.stringify({ alg: CREDENTIAL_ALG, kid, typ: 'JWT' })).toString('base64url');
  const body = Buffer.from(JSON.stringify(payload)).toString('base64url');
  const input = `${header}.${body}`;
  const signature = edSign(null, Buffer.from(input), privateKey).toString('base64url');
  return `${input}.${signature}`;
}
