import { createPrivateKey, randomBytes, type KeyObject } from 'node:crypto';
import { desc, gt, isNull, or, sql } from 'drizzle-orm';
import { exportJWK, exportPKCS8, generateKeyPair, importJWK, type CryptoKey, type JSONWebKeySet, type JWK } from 'jose';
import { CREDENTIAL_ALG } from '@ffgate/verifier';
import type { Drizzle } from '@ffgate/db';
import type { DerivedKeys } from '../crypto/kek.ts';
import { TokenServiceError } from '../errors.ts';
import { signingKeys } from '../store/schema.ts';

export interface SigningKeyRingOptions {
  db: Drizzle;
  keys: DerivedKeys;
  /** longest credential lifetime: a retired key stays published at least this long */
  maxTokenTtlSeconds: number;
  /** how often replicas re-read the key table (rotation by another replica), default 30 s */
  refreshIntervalMs?: number;
  /** rotate the active key once it is this old (default 30 days); 0 = never automatically */
  rotateAfterMs?: number;
  now?: () => number;
}

interface LoadedKey {
  kid: string;
  publicJwk: JWK;
  publicKey: CryptoKey;
  privateKey?: KeyObject;
  createdAt: number;
  retiredAt: number | null;
  notAfter: number | null;
}

const LOCK = sql`select pg_advisory_xact_lock(hashtext('ffgate:token:signing-keys'))`;
/** clock skew between replicas and verifiers, added to the overlap */
const SKEW_MS = 60_000;

/**
 * The Ed25519 signing keys: one active key signs, retired keys stay in the JWKS until `not_after`
 * (retirement + longest credential lifetime + refresh interval + skew), so every credential a
 * retired key signed verifies until it expires. Private keys are sealed at rest (see kek.ts).
 */
export class SigningKeyRing {
  readonly #o: Required<Omit<SigningKeyRingOptions, 'now'>> & { now: () => number };
  #keys: LoadedKey[] = [];
  #active: LoadedKey | undefined;
  #loadedAt = 0;
  #refreshing: Promise<void> | undefined;

  constructor(options: SigningKeyRingOptions) {
    this.#o = { refreshIntervalMs: 30_000, rotateAfterMs: 30 * 24 * 3600_000, now: Date.now, ...options };
  }

  /** how long a retired key stays published */
  get overlapMs(): number {
    return this.#o.maxTokenTtlSeconds * 1000 + this.#o.refreshIntervalMs + SKEW_MS;
  }

  /** Load the keys, creating the first one if the table is empty (safe with replicas starting together). */
  async init(): Promise<void> {
    await this.#o.db.transaction(async (tx) => {
      await tx.execute(LOCK);
      const [active] = await tx.select({ kid: signingKeys.kid }).from(signingKeys).where(isNull(signingKeys.retiredAt)).limit(1);
      if (!active) await this.#insertNewKey(tx);
    });
    await this.reload();
  }

  /** Retire the active key and start signing with a new one; returns the new kid. */
  async rotate(): Promise<string> {
    const now = new Date(this.#o.now());
    const kid = await this.#o.db.transaction(async (tx) => {
      await tx.execute(LOCK);
      await tx
        .update(signingKeys)
        .set({ retiredAt: now, notAfter: new Date(now.getTime() + this.overlapMs) })
        .where(isNull(signingKeys.retiredAt));
      return this.#insertNewKey(tx);
    });
    await this.reload();
    return kid;
  }

  /** Re-read the table (other replicas may have rotated); rotates when the active key is too old. */
  async reload(): Promise<void> {
    const now = this.#o.now();
    const rows = await this.#o.db
      .select()
      .from(signingKeys)
      .where(or(isNull(signingKeys.notAfter), gt(signingKeys.notAfter, new Date(now))))
      .orderBy(desc(signingKeys.createdAt));
    const previous = new Map(this.#keys.map((k) => [k.kid, k]));
    const loaded: LoadedKey[] = [];
    for (const row of rows) {
      const known = previous.get(row.kid);
      const base = known ?? { kid: row.kid, publicJwk: row.publicJwk as JWK, publicKey: (await importJWK(row.publicJwk as JWK, CREDENTIAL_ALG)) as CryptoKey };
      const entry: LoadedKey = { ...base, createdAt: row.createdAt.getTime(), retiredAt: row.retiredAt?.getTime() ?? null, notAfter: row.notAfter?.getTime() ?? null };
      if (entry.retiredAt === null) {
        entry.privateKey = known?.privateKey ?? (await this.#openPrivate(row.kid, row.privateKeySealed));
      }
      loaded.push(entry);
    }
    this.#keys = loaded;
    this.#active = loaded.find((k) => k.retiredAt === null);
    this.#loadedAt = now;
    const rotateAfter = this.#o.rotateAfterMs;
    if (this.#active && rotateAfter > 0 && now - this.#active.createdAt > rotateAfter) await this.rotate();
  }

  /** The key to sign with. Re-reads the table in the background when the cache is older than the refresh interval. */
  signingKey(): { kid: string; privateKey: KeyObject } {
    this.#maybeRefresh();
    const k = this.#active;
    if (!k?.privateKey) throw new TokenServiceError('FFGATE_TOKEN_NO_SIGNING_KEY', 'no active signing key (not initialised?)');
    return { kid: k.kid, privateKey: k.privateKey };
  }

  /** Public key by kid, for the service's own verification (introspection, SCIM access tokens). */
  publicKey(kid: string): CryptoKey | undefined {
    this.#maybeRefresh();
    const now = this.#o.now();
    return this.#keys.find((k) => k.kid === kid && (k.notAfter === null || k.notAfter > now))?.publicKey;
  }

  /** The published key set: the active key and every retired key still within its overlap. */
  jwks(): JSONWebKeySet {
    this.#maybeRefresh();
    const now = this.#o.now();
    return { keys: this.#keys.filter((k) => k.notAfter === null || k.notAfter > now).map((k) => ({ ...k.publicJwk })) };
  }

  #maybeRefresh(): void {
    if (this.#refreshing || this.#o.now() - this.#loadedAt < this.#o.refreshIntervalMs) return;
    // keep serving the cached keys; a failed refresh is retried after the next interval
    this.#refreshing = this.reload()
      .catch(() => {
        this.#loadedAt = this.#o.now();
      })
      .finally(() => (this.#refreshing = undefined));
  }

  async #insertNewKey(tx: Pick<Drizzle, 'insert'>): Promise<string> {
    const kid = randomBytes(12).toString('base64url');
    const { publicKey, privateKey } = await generateKeyPair(CREDENTIAL_ALG, { crv: 'Ed25519', extractable: true });
    const publicJwk = { ...(await exportJWK(publicKey)), kid, alg: CREDENTIAL_ALG, use: 'sig' };
    const pkcs8 = await exportPKCS8(privateKey);
    const sealed = this.#o.keys.seal(Buffer.from(pkcs8, 'utf8'), kid);
    await tx.insert(signingKeys).values({ kid, publicJwk, privateKeySealed: sealed, createdAt: new Date(this.#o.now()) });
    return kid;
  }

  async #openPrivate(kid: string, sealed: string): Promise<KeyObject> {
    const pem = this.#o.keys.open(sealed, kid).toString('utf8');
    const key = createPrivateKey(pem);
    if (key.asymmetricKeyType !== 'ed25519') throw new TokenServiceError('FFGATE_TOKEN_KEY_UNSEAL', `signing key ${kid} is not Ed25519`);
    return key;
  }
}

