import { randomUUID } from 'node:crypto';
import { assertMatchesOpenApi, type OpenApiDoc } from './openapi.ts';

export interface HttpResponse<T = any> {
  status: number;
  headers: Headers;
  body: T;
}

async function request<T>(url: string, init: RequestInit): Promise<HttpResponse<T>> {
  const res = await fetch(url, init);
  const text = await res.text();
  const type = res.headers.get('content-type') ?? '';
  return { status: res.status, headers: res.headers, body: (type.includes('json') && text ? JSON.parse(text) : text) as T };
}

const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

/** The IdP's side: SCIM 2.0 calls with the static bearer token. */
export class ScimClient {
  readonly #base: string;
  readonly #token: string;
  constructor(baseUrl: string, token: string) {
    this.#base = `${baseUrl}/scim/v2`;
    this.#token = token;
  }
  #send<T = any>(method: string, path: string, body?: unknown) {
    return request<T>(`${this.#base}${path}`, {
      method,
      headers: { authorization: `Bearer ${this.#token}`, 'content-type': 'application/scim+json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  }
  /** creates an active user in `department`; returns its SCIM id and userName */
  async createUser(department: string, userName = `user-${randomUUID()}@example.com`): Promise<{ id: string; userName: string }> {
    const res = await this.#send('POST', '/Users', {
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:User', ENTERPRISE],
      userName,
      active: true,
      name: { givenName: 'Test', familyName: 'User' },
      [ENTERPRISE]: { department },
    });
    if (res.status !== 201) throw new Error(`SCIM create user: ${res.status} ${JSON.stringify(res.body)}`);
    return { id: res.body.id, userName };
  }
  patch(id: string, operations: unknown[]) {
    return this.#send('PATCH', `/Users/${id}`, { schemas: [PATCH_OP], Operations: operations });
  }
  deactivate(id: string) {
    return this.patch(id, [{ op: 'replace', path: 'active', value: false }]);
  }
  setDepartment(id: string, department: string) {
    return this.patch(id, [{ op: 'replace', path: `${ENTERPRISE}:department`, value: department }]);
  }
  delete(id: string) {
    return this.#send('DELETE', `/Users/${id}`);
  }
}

/** The token service: admin client creation and client_credentials mints. */
export class TokenClient {
  readonly #base: string;
  readonly #adminToken: string;
  constructor(baseUrl: string, adminToken: string) {
    this.#base = baseUrl;
    this.#adminToken = adminToken;
  }
  async createClient(userName: string): Promise<{ clientId: string; clientSecret: string }> {
    const res = await request<any>(`${this.#base}/admin/v1/clients`, {
      method: 'POST',
      headers: { authorization: `Bearer ${this.#adminToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: `e2e-${randomUUID().slice(0, 8)}`, userName }),
    });
    if (res.status !== 201) throw new Error(`create client: ${res.status} ${JSON.stringify(res.body)}`);
    return { clientId: res.body.client_id, clientSecret: res.body.client_secret };
  }
  mint(client: { clientId: string; clientSecret: string }) {
    return request<any>(`${this.#base}/oauth2/token`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`${encodeURIComponent(client.clientId)}:${encodeURIComponent(client.clientSecret)}`).toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams({ grant_type: 'client_credentials' }).toString(),
    });
  }
}

export type JobStatus = 'queued' | 'running' | 'succeeded' | 'failed' | 'canceled';

/** The job gateway; every response is validated against its OpenAPI document. */
export class GatewayClient {
  readonly url: string;
  readonly #adminToken: string;
  #doc: Promise<OpenApiDoc> | undefined;
  /** responses checked against the document so far */
  validated = 0;
  constructor(baseUrl: string, adminToken: string) {
    this.url = baseUrl;
    this.#adminToken = adminToken;
  }
  doc(): Promise<OpenApiDoc> {
    return (this.#doc ??= fetch(`${this.url}/v1/openapi.json`).then((r) => r.json() as Promise<OpenApiDoc>));
  }
  async call<T = any>(method: string, path: string, options: { token?: string; body?: unknown; rawBody?: string; headers?: Record<string, string> } = {}): Promise<HttpResponse<T>> {
    const headers: Record<string, string> = { ...options.headers };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    let body = options.rawBody;
    if (options.body !== undefined) {
      body = JSON.stringify(options.body);
      headers['content-type'] = 'application/json';
    }
    const res = await request<T>(`${this.url}${path}`, { method, headers, body });
    assertMatchesOpenApi(await this.doc(), method, path, res.status, res.headers.get('content-type') ?? '', res.body);
    this.validated++;
    return res;
  }
  submit(token: string, spec: { profile: string; input: string; output: string; metadata?: Record<string, unknown> }) {
    return this.call('POST', '/v1/jobs', { token, body: spec });
  }
  /** a job as its owner sees it (`token`) or, by default, as the admin does */
  get(id: string, token = this.#adminToken) {
    return this.call('GET', `/v1/jobs/${id}`, { token });
  }
  /** the audit trail of a user, in time order */
  async audit(userId: string): Promise<any[]> {
    const res = await this.call('GET', `/admin/v1/audit?user=${encodeURIComponent(userId)}`, { token: this.#adminToken });
    if (res.status !== 200) throw new Error(`audit: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body.items;
  }
  async verifyAudit(): Promise<any> {
    return (await this.call('GET', '/admin/v1/audit/verify', { token: this.#adminToken })).body;
  }
  cancel(token: string, id: string) {
    return this.call('POST', `/v1/jobs/${id}/cancel`, { token });
  }
  /** polls the job until `accept(job)`; returns it */
  async waitFor(id: string, accept: (job: any) => boolean, timeoutMs = 60_000): Promise<any> {
    const deadline = Date.now() + timeoutMs;
    let job: any;
    for (;;) {
      const res = await this.get(id);
      job = res.body;
      if (res.status === 200 && accept(job)) return job;
      if (Date.now() > deadline) throw new Error(`job ${id} did not reach the expected state within ${timeoutMs} ms: ${JSON.stringify(job)}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  waitForStatus(id: string, statuses: JobStatus[], timeoutMs = 60_000) {
    return this.waitFor(id, (j) => statuses.includes(j.status), timeoutMs);
  }
}

/** Prometheus text: the value of one sample line (`name{labels} value`), summed over label sets. */
export async function metricValue(url: string, name: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  let sum = 0;
  for (const line of text.split('\n')) {
    if (line.startsWith('#')) continue;
    const m = /^([^\s{]+)(\{[^}]*\})?\s+([^\s]+)/.exec(line);
    if (m && m[1] === name) sum += Number(m[3]);
  }
  return sum;
}
