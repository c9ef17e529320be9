import { afterAll, beforeAll, beforeEach, describe, expect, test } from '@jest/globals';
import { TOKEN, fakeApi, ffgate } from './support.ts';
import type { Send } from './support.ts';

const USER_ID = '5b0f6a52-3c1e-4f7e-9a4b-2d8f0c9e1a77';
const active = { client_id: 'cl_1', name: 'render-farm', user_id: USER_ID, scope: 'job', created_at: '2026-12-04T10:00:00.000Z', disabled_at: null, disabled_reason: null };
const disabled = { ...active, client_id: 'cl_2', name: 'old-ci', disabled_at: '2026-12-04T11:00:00.000Z', disabled_reason: 'owner_deprovisioned' };

/** The token service's `/admin/v1/clients` contract (services/token/src/http/admin-router.ts). */
function tokenRoutes(req: { method: string; url: string; body: unknown }, send: Send): void {
  const oauthError = (status: number, error: string, description: string) => send(status, { error, error_description: description });
  if (req.method === 'POST' && req.url === '/admin/v1/clients') {
    const body = req.body as { name: string; userName?: string; userId?: string };
    if (body.userName === 'ghost') return oauthError(422, 'unknown_user', 'no such provisioned user');
    return send(201, { ...active, client_id: 'cl_new', name: body.name, user_id: body.userId ?? USER_ID, client_secret: 'secret-shown-once' });
  }
  if (req.method === 'GET' && req.url === '/admin/v1/clients') return send(200, { clients: [active, disabled] });
  const disable = /^\/admin\/v1\/clients\/([^/]+)\/disable$/.exec(req.url);
  if (req.method === 'POST' && disable) {
    return disable[1] === 'cl_1' ? send(200, { ...active, disabled_at: '2026-12-04T12:00:00.000Z', disabled_reason: 'admin' }) : oauthError(404, 'not_found', 'no such client');
  }
  const remove = /^\/admin\/v1\/clients\/([^/]+)$/.exec(req.url);
  if (req.method === 'DELETE' && remove) return remove[1] === 'cl_1' ? send(204) : oauthError(404, 'not_found', 'no such client');
  oauthError(404, 'not_found', 'no such endpoint');
}

describe('ffgate admin client (against a fake token service)', () => {
  let api: Awaited<ReturnType<typeof fakeApi>>;
  let env: Record<string, string>;

  beforeAll(async () => {
    api = await fakeApi(tokenRoutes, { error: 'unauthorized', error_description: 'admin bearer token required' });
    env = { FFGATE_URL: api.url, FFGATE_ADMIN_TOKEN: TOKEN };
  });
  afterAll(() => api.close());
  beforeEach(() => {
    api.requests.length = 0;
  });

  test('create --user <userName> posts { userName, name } and prints client_id and the secret once', async () => {
    const result = await ffgate(['admin', 'client', 'create', '--user', 'ada@example.com', '--name', 'render-farm'], env);
    expect(result.code).toBe(0);
    expect(api.requests).toEqual([
      { method: 'POST', url: '/admin/v1/clients', authorization: `Bearer ${TOKEN}`, body: { name: 'render-farm', userName: 'ada@example.com' } },
    ]);
    expect(result.stdout).toMatch(/^client_id:\s+cl_new$/m);
    expect(result.stdout).toMatch(/^client_secret:\s+secret-shown-once$/m);
    expect(result.stderr).toMatch(/shown only once/);
  });

  test('create --user <uuid> sends it as userId; --user-id forces an id; --json prints the response', async () => {
    const byUuid = await ffgate(['admin', 'client', 'create', '--user', USER_ID, '--name', 'ci'], env);
    expect(byUuid.code).toBe(0);
    const forced = await ffgate(['admin', 'client', 'create', '--user-id', 'legacy-id-7', '--name', 'ci', '--json'], env);
    expect(forced.code).toBe(0);
    expect(api.requests.map((r) => r.body)).toEqual([
      { name: 'ci', userId: USER_ID },
      { name: 'ci', userId: 'legacy-id-7' },
    ]);
    expect(JSON.parse(forced.stdout)).toMatchObject({ client_id: 'cl_new', client_secret: 'secret-shown-once', user_id: 'legacy-id-7' });
  });

  test('an unknown user is the API error (RFC 6749 dialect), exit 1', async () => {
    const result = await ffgate(['admin', 'client', 'create', '--user', 'ghost', '--name', 'x'], env);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('no such provisioned user (unknown_user, HTTP 422)');
    expect(result.stdout).toBe('');
  });

  test.each([
    [['admin', 'client', 'create', '--name', 'x'], /--user <userName\|userId>/],
    [['admin', 'client', 'create', '--user', 'ada', '--user-id', 'u1', '--name', 'x'], /--user <userName\|userId>/],
    [['admin', 'client', 'create', '--user', 'ada'], /--name <name> is required/],
    [['admin', 'client', 'create', '--user', 'ada', '--name', '  '], /--name <name> is required/],
    [['admin', 'client', 'disable'], /expected 1 argument, got 0/],
    [['admin', 'client', 'delete', 'a', 'b'], /expected 1 argument, got 2/],
  ])('usage error %j exits 2 without calling the API', async (args, message) => {
    const result = await ffgate(args, env);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(api.requests).toHaveLength(0);
  });

  test('list prints a table with each client status', async () => {
    const result = await ffgate(['admin', 'client', 'list'], env);
    expect(result.code).toBe(0);
    const lines = result.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^CLIENT_ID\s+NAME\s+USER_ID\s+SCOPE\s+STATUS\s+CREATED_AT$/);
    expect(lines[1]).toMatch(new RegExp(`^cl_1\\s+render-farm\\s+${USER_ID}\\s+job\\s+active\\s+2026-12-04T10:00:00.000Z$`));
    expect(lines[2]).toMatch(/^cl_2\s+old-ci\s+\S+\s+job\s+disabled \(owner_deprovisioned\)\s+2026-12-04T10:00:00.000Z$/);
  });

  test('list --json prints the clients', async () => {
    const result = await ffgate(['admin', 'client', 'list', '--json'], env);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual([active, disabled]);
  });

  test('disable POSTs /:id/disable; an unknown id exits 1', async () => {
    const ok = await ffgate(['admin', 'client', 'disable', 'cl_1'], env);
    expect(ok.code).toBe(0);
    expect(ok.stdout.trim()).toBe('Disabled cl_1; its credentials are revoked.');
    const missing = await ffgate(['admin', 'client', 'disable', 'nope'], env);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('no such client (not_found, HTTP 404)');
    expect(api.requests.map((r) => `${r.method} ${r.url}`)).toEqual(['POST /admin/v1/clients/cl_1/disable', 'POST /admin/v1/clients/nope/disable']);
  });

  test('delete sends DELETE; an unknown id exits 1', async () => {
    const ok = await ffgate(['admin', 'client', 'delete', 'cl_1'], env);
    expect(ok.code).toBe(0);
    expect(ok.stdout.trim()).toBe('Deleted cl_1.');
    const missing = await ffgate(['admin', 'client', 'delete', 'nope'], env);
    expect(missing.code).toBe(1);
    expect(api.requests.map((r) => `${r.method} ${r.url}`)).toEqual(['DELETE /admin/v1/clients/cl_1', 'DELETE /admin/v1/clients/nope']);
  });

  test('a wrong admin token exits 1 with the service message', async () => {
    const result = await ffgate(['admin', 'client', 'list'], { ...env, FFGATE_ADMIN_TOKEN: 'wrong-token-0000000' });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('admin bearer token required (unauthorized, HTTP 401)');
  });

  test('FFGATE_TOKEN_ADMIN_URL wins over FFGATE_URL; --url wins over both', async () => {
    const dead = 'http://127.0.0.1:1';
    const byEnv = await ffgate(['admin', 'client', 'list'], { FFGATE_URL: dead, FFGATE_TOKEN_ADMIN_URL: api.url, FFGATE_ADMIN_TOKEN: TOKEN });
    expect(byEnv.code).toBe(0);
    const byFlag = await ffgate(['admin', 'client', 'list', '--url', api.url], { FFGATE_URL: dead, FFGATE_TOKEN_ADMIN_URL: dead, FFGATE_ADMIN_TOKEN: TOKEN });
    expect(byFlag.code).toBe(0);
    expect(api.requests).toHaveLength(2);
    const unreachable = await ffgate(['admin', 'client', 'list'], { FFGATE_URL: api.url, FFGATE_TOKEN_ADMIN_URL: dead, FFGATE_ADMIN_TOKEN: TOKEN });
    expect(unreachable.code).toBe(1);
    expect(unreachable.stderr).toContain(`cannot reach the admin API at ${dead}`);
  });

  test('a malformed FFGATE_TOKEN_ADMIN_URL is a usage error naming the variable', async () => {
    const result = await ffgate(['admin', 'client', 'list'], { FFGATE_TOKEN_ADMIN_URL: 'ftp://x', FFGATE_ADMIN_TOKEN: TOKEN });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('FFGATE_TOKEN_ADMIN_URL must be an http(s) URL');
  });
});
