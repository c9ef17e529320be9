/** Raised for any admin API failure; `status` is 0 when the server could not be reached. */
export class AdminApiError extends Error {
  readonly code: string;
  readonly status: number;

  constructor(status: number, code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'AdminApiError';
    this.status = status;
    this.code = code;
  }
}

export interface ScimConnection {
  id: string;
  name: string;
  createdAt: string;
  lastUsedAt?: string | null;
  revokedAt?: string | null;
}

export interface CreatedScimConnection extends ScimConnection {
  /** The bearer token for the IdP; the API shows it only once. */
  token: string;
}

/** A pipeline client of the token service (`/admin/v1/clients`), snake_case as on the wire. */
export interface TokenClient {
  client_id: string;
  name: string;
  user_id: string | null;
  scope: string;
  created_at: string;
  disabled_at: string | null;
  disabled_reason: string | null;
}

export interface CreatedTokenClient extends TokenClient {
  /** Shown once: the token service keeps only a keyed hash. */
  client_secret: string;
}

/** Who a new client acts for: a SCIM userName or a SCIM user id. */
export type ClientOwner = { userName: string } | { userId: string };

export interface AuditRecord {
  id: string;
  time: string;
  writer: string;
  writerSeq: number;
  action: string;
  userId: string | null;
  userName: string | null;
  clientId: string | null;
  jti: string | null;
  jobId: string | null;
  details: Record<string, unknown>;
  prevHash: string | null;
  hash: string;
}

export interface BrokenLink {
  writer: string;
  id: string;
  writerSeq: number;
  reason: string;
}

/** `GET /admin/v1/audit/verify` on the gateway. */
export interface AuditVerification {
  ok: boolean;
  writers: { writer: string; records: number; lastHash: string | null; ok: boolean }[];
  firstBroken?: BrokenLink;
  broken: BrokenLink[];
}

/** A thin client for `/admin/v1`; one method per endpoint, errors as `AdminApiError`. */
export class AdminClient {
  readonly #baseUrl: string;
  readonly #token: string;

  constructor(options: { baseUrl: string; token: string }) {
    this.#baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.#token = options.token;
  }

  createScimConnection(name: string): Promise<CreatedScimConnection> {
    return this.#request('POST', '/admin/v1/scim-connections', { name }) as Promise<CreatedScimConnection>;
  }

  async listScimConnections(): Promise<ScimConnection[]> {
    const body = await this.#request('GET', '/admin/v1/scim-connections');
    // The contract is `{ connections: [...] }`; accept a bare array too.
    if (Array.isArray(body)) return body as ScimConnection[];
    const connections = (body as { connections?: unknown } | null)?.connections;
    if (!Array.isArray(connections)) throw new AdminApiError(0, 'FFGATE_CLI_BAD_RESPONSE', 'unexpected response from the admin API');
    return connections as ScimConnection[];
  }

  async revokeScimConnection(id: string): Promise<void> {
    await this.#request('DELETE', `/admin/v1/scim-connections/${encodeURIComponent(id)}`);
  }

  createClient(owner: ClientOwner, name: string): Promise<CreatedTokenClient> {
    return this.#request('POST', '/admin/v1/clients', { name, ...owner }) as Promise<CreatedTokenClient>;
  }

  async listClients(): Promise<TokenClient[]> {
    return this.#list(await this.#request('GET', '/admin/v1/clients'), 'clients') as TokenClient[];
  }

  disableClient(clientId: string): Promise<TokenClient> {
    return this.#request('POST', `/admin/v1/clients/${encodeURIComponent(clientId)}/disable`) as Promise<TokenClient>;
  }

  async deleteClient(clientId: string): Promise<void> {
    await this.#request('DELETE', `/admin/v1/clients/${encodeURIComponent(clientId)}`);
  }

  async verifyAudit(): Promise<AuditVerification> {
    const body = (await this.#request('GET', '/admin/v1/audit/verify')) as Partial<AuditVerification> | undefined;
    if (typeof body?.ok !== 'boolean' || !Array.isArray(body.writers)) throw badResponse();
    return { broken: [], ...body } as AuditVerification;
  }

  async auditTrail(userId: string): Promise<AuditRecord[]> {
    return this.#list(await this.#request('GET', `/admin/v1/audit?user=${encodeURIComponent(userId)}`), 'items') as AuditRecord[];
  }

  /** `{ <key>: [...] }` is the contract; a bare array is accepted too. */
  #list(body: unknown, key: string): unknown[] {
    if (Array.isArray(body)) return body;
    const items = (body as Record<string, unknown> | null | undefined)?.[key];
    if (!Array.isArray(items)) throw badResponse();
    return items;
  }

  async #request(method: string, path: string, body?: unknown): Promise<unknown> {
    const url = `${this.#baseUrl}${path}`;
    let response: Response;
    try {
      response = await fetch(url, {
        method,
        headers: {
          authorization: `Bearer ${this.#token}`,
          accept: 'application/json',
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch (error) {
      const reason = (error as { cause?: { code?: string; message?: string } }).cause;
      throw new AdminApiError(0, 'FFGATE_CLI_UNREACHABLE', `cannot reach the admin API at ${this.#baseUrl}: ${reason?.code ?? reason?.message ?? String(error)}`, { cause: error });
    }
    const text = await response.text();
    const parsed = parseJson(text);
    if (!response.ok) {
      // The services speak three error dialects: `{ error, message }` (SCIM admin), RFC 6749
      // `{ error, error_description }` (token) and RFC 9457 problems `{ code, detail }` (gateway).
      const payload = (parsed ?? {}) as Record<string, unknown>;
      const code = firstString(payload.error, payload.code) ?? `HTTP_${response.status}`;
      const message = firstString(payload.message, payload.error_description, payload.detail) ?? `${method} ${path} failed with HTTP ${response.status}`;
      throw new AdminApiError(response.status, code, message);
    }
    return parsed;
  }
}

function firstString(...values: unknown[]): string | undefined {
  return values.find((v): v is string => typeof v === 'string' && v !== '');
}

function badResponse(): AdminApiError {
  return new AdminApiError(0, 'FFGATE_CLI_BAD_RESPONSE', 'unexpected response from the admin API');
}

function parseJson(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
