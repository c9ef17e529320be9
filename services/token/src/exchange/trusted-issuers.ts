import { readFileSync } from 'node:fs';
import { createLocalJWKSet, createRemoteJWKSet, decodeJwt, errors, jwtVerify, type JSONWebKeySet, type JWTPayload } from 'jose';
import { z } from 'zod';
import { OAuthError, TokenServiceError } from '../errors.ts';
import type { UserMapping } from '../store/users.ts';

/**
 * IdPs whose JWTs (ID or access tokens) can be exchanged for job credentials (RFC 8693).
 * FFGATE_TRUSTED_ISSUERS is a JSON array, or a path to a file holding one:
 *   [{ "issuer": "https://login.example/", "jwksUrl": "https://login.example/keys",
 *      "audience": "api://ffgate", "claim": "email", "mapTo": "email" }]
 * `jwksFile` (a JWKS on disk) may replace `jwksUrl`. `mapTo` says which SCIM attribute the claim
 * holds: userName, externalId or email. Symmetric algorithms are never accepted.
 */
const ASYMMETRIC = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA', 'Ed25519'] as const;

export const TrustedIssuerConfig = z
  .strictObject({
    name: z.string().min(1).max(100).optional(),
    issuer: z.string().min(1),
    jwksUrl: z.url({ protocol: /^https?$/ }).optional(),
    jwksFile: z.string().min(1).optional(),
    /** inline key set (tests, air-gapped setups) */
    jwks: z.object({ keys: z.array(z.record(z.string(), z.unknown())) }).optional(),
    audience: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]),
    claim: z.string().min(1).default('sub'),
    mapTo: z.enum(['userName', 'externalId', 'email']),
    algorithms: z.array(z.enum(ASYMMETRIC)).min(1).default(['RS256', 'ES256', 'EdDSA']),
  })
  .refine((c) => [c.jwksUrl, c.jwksFile, c.jwks].filter((v) => v !== undefined).length === 1, {
    message: 'exactly one of jwksUrl, jwksFile, jwks is required',
  });
export type TrustedIssuerConfig = z.infer<typeof TrustedIssuerConfig>;

/** Parse FFGATE_TRUSTED_ISSUERS: JSON text or a file path; every problem reported at once. */
export function parseTrustedIssuers(value: string | undefined): TrustedIssuerConfig[] {
  if (!value || value.trim() === '') return [];
  let text = value.trim();
  if (!text.startsWith('[') && !text.startsWith('{')) {
    try {
      text = readFileSync(text, 'utf8');
    } catch (cause) {
      throw new TokenServiceError('FFGATE_TOKEN_TRUSTED_ISSUERS_INVALID', `FFGATE_TRUSTED_ISSUERS: cannot read ${value}`, { cause });
    }
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (cause) {
    throw new TokenServiceError('FFGATE_TOKEN_TRUSTED_ISSUERS_INVALID', 'FFGATE_TRUSTED_ISSUERS is not valid JSON', { cause });
  }
  const r = z.array(TrustedIssuerConfig).safeParse(Array.isArray(data) ? data : [data]);
  if (!r.success) {
    const detail = r.error.issues.map((i) => `[${i.path.join('.')}] ${i.message}`).join('; ');
    throw new TokenServiceError('FFGATE_TOKEN_TRUSTED_ISSUERS_INVALID', `FFGATE_TRUSTED_ISSUERS: ${detail}`, { cause: r.error });
  }
  const seen = new Set<string>();
  for (const c of r.data) {
    if (seen.has(c.issuer)) throw new TokenServiceError('FFGATE_TOKEN_TRUSTED_ISSUERS_INVALID', `FFGATE_TRUSTED_ISSUERS: issuer ${c.issuer} listed twice`);
    seen.add(c.issuer);
  }
  return r.data;
}

export interface ExchangeSubject {
  issuer: TrustedIssuerConfig;
  mapping: UserMapping;
  value: string;
  payload: JWTPayload;
}

type KeySet = ReturnType<typeof createLocalJWKSet> | ReturnType<typeof createRemoteJWKSet>;

/** Verifies subject tokens against the issuer they claim, with that issuer's keys and audience. */
export function createSubjectTokenVerifier(configs: TrustedIssuerConfig[]) {
  const byIssuer = new Map<string, { config: TrustedIssuerConfig; keys: KeySet }>();
  for (const config of configs) {
    let keys: KeySet;
    if (config.jwksUrl) keys = createRemoteJWKSet(new URL(config.jwksUrl));
    else {
      const set = (config.jwks ?? JSON.parse(readFileSync(config.jwksFile!, 'utf8'))) as JSONWebKeySet;
      keys = createLocalJWKSet(set);
    }
    byIssuer.set(config.issuer, { config, keys });
  }

  return {
    get size() {
      return byIssuer.size;
    },
    async verify(token: string): Promise<ExchangeSubject> {
      let claimedIssuer: string | undefined;
      try {
        claimedIssuer = decodeJwt(token).iss;
      } catch {
        throw new OAuthError('invalid_grant', 'subject_token is not a JWT');
      }
      const trusted = claimedIssuer ? byIssuer.get(claimedIssuer) : undefined;
      if (!trusted) throw new OAuthError('invalid_grant', 'subject_token is from an issuer that is not trusted');
      const { config } = trusted;
      let payload: JWTPayload;
      try {
        ({ payload } = await jwtVerify(token, trusted.keys, {
          issuer: config.issuer,
          audience: config.audience,
          algorithms: [...config.algorithms],
          clockTolerance: 30,
          requiredClaims: ['exp'],
        }));
      } catch (err) {
        if (err instanceof errors.JWKSTimeout || (err instanceof Error && err.name === 'TypeError')) {
          throw new OAuthError('server_error', 'the issuer keys could not be fetched', { status: 503, cause: err });
        }
        throw new OAuthError('invalid_grant', 'subject_token is invalid, expired or for another audience', { cause: err });
      }
      const value = payload[config.claim];
      if (typeof value !== 'string' || value === '') throw new OAuthError('invalid_grant', `subject_token has no ${config.claim} claim`);
      return { issuer: config, mapping: config.mapTo, value, payload };
    },
  };
}
export type SubjectTokenVerifier = ReturnType<typeof createSubjectTokenVerifier>;
