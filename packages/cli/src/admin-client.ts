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
      const payload = (parsed ?? {}) as { error?: unknown; message?: unknown };
      const code = typeof payload.error === 'string' ? payload.error : `HTTP_${response.status}`;
      const message = typeof payload.message === 'string' ? payload.message : `${method} ${path} failed with HTTP ${response.status}`;
      throw new AdminApiError(response.status, code, message);
    }
    return parsed;
  }
}

function parseJson(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
