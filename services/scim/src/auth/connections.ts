/**
 * ConnectionsRepository: IdP connections are named bearer tokens. The token is returned once, at
 * creation; only its sha256 is kept. Revocation takes effect on the next request (no cache).
 */
export interface ConnectionRecord {
  id: string;
  name: string;
  tokenHash: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

export type ConnectionSummary = Omit<ConnectionRecord, 'tokenHash'>;

export interface CreatedConnection {
  id: string;
  name: string;
  /** shown once */
  token: string;
  createdAt: Date;
}

export interface ConnectionsRepository {
  /** ConnectionNameTakenError when the name exists (revoked connections keep their name) */
  create(name: string): Promise<CreatedConnection>;
  list(): Promise<ConnectionSummary[]>;
  findById(id: string): Promise<ConnectionRecord | null>;
  /** false when unknown; revoking twice is a no-op that returns true */
  revoke(id: string): Promise<boolean>;
  markUsed(id: string, at: Date): Promise<void>;
}

export const CONNECTION_NAME_PATTERN = /^[a-z0-9][a-z0-9\-_.]{0,62}$/;
/** reserved for the FFGATE_SCIM_TOKEN connection */
export const ENV_CONNECTION_NAME = 'env';

export class ConnectionNameTakenError extends Error {
  readonly code = 'FFGATE_SCIM_CONNECTION_NAME_TAKEN';
  constructor(name: string, options?: { cause?: unknown }) {
    super(`a connection named '${name}' already exists`, options);
    this.name = 'ConnectionNameTakenError';
  }
}

export class InvalidConnectionNameError extends Error {
  readonly code = 'FFGATE_SCIM_CONNECTION_NAME_INVALID';
  constructor(name: string) {
    super(
      name === ENV_CONNECTION_NAME
        ? `'${ENV_CONNECTION_NAME}' is reserved for the FFGATE_SCIM_TOKEN connection`
        : 'name must match [a-z0-9][a-z0-9-_.]{0,62}',
    );
    this.name = 'InvalidConnectionNameError';
  }
}

export function assertConnectionName(name: unknown): asserts name is string {
  if (typeof name !== 'string' || !CONNECTION_NAME_PATTERN.test(name) || name === ENV_CONNECTION_NAME) {
    throw new InvalidConnectionNameError(typeof name === 'string' ? name : '');
  }
}
