import { afterAll, beforeAll, beforeEach, describe, expect, test } from '@jest/globals';
import { TOKEN, fakeApi, ffgate } from './support.ts';

/** A fake of the admin API contract; `mode` switches it into the error shapes the CLI must handle. */
async function fakeAdminApi() {
  const state = {
    mode: 'ok' as 'ok' | 'bare-array' | 'disabled' | 'crash',
    connections: [
      { id: 'c1', name: 'okta', createdAt: '2026-12-01T10:00:00.000Z', lastUsedAt: '2026-12-04T09:00:00.000Z', revokedAt: null },
      { id: 'c2', name: 'entra', createdAt: '2026-12-02T10:00:00.000Z', lastUsedAt: null, revokedAt: '2026-12-03T10:00:00.000Z' },
    ],
  };
  const api = await fakeApi(
    (req, send, res) => {
      if (state.mode === 'disabled') return send(503, { error: 'admin_disabled', message: 'admin API disabled: FFGATE_ADMIN_TOKEN is not set' });
      if (state.mode === 'crash') return void res.writeHead(500).end('<html>oops</html>');
      if (req.method === 'POST' && req.url === '/admin/v1/scim-connections') {
        return send(201, { id: 'c3', name: (req.body as { name: string }).name, token: 'scim-secret-token', createdAt: '2026-12-04T12:00:00.000Z' });
      }
      if (req.method === 'GET' && req.url === '/admin/v1/scim-connections') {
        return send(200, state.mode === 'bare-array' ? state.connections : { connections: state.connections });
      }
      const revoke = /^\/admin\/v1\/scim-connections\/([^/]+)$/.exec(req.url);
      if (req.method === 'DELETE' && revoke) {
        return revoke[1] === 'c1' ? send(204) : send(404, { error: 'not_found', message: `no SCIM connection ${revoke[1]}` });
      }
      return send(404, { error: 'not_found', message: 'no such route' });
    },
    { error: 'unauthorized', message: 'invalid admin token' },
  );
  return { ...api, state };
}

describe('ffgate scim-connections (against a fake admin API)', () => {
  let fake: Awaited<ReturnType<typeof fakeAdminApi>>;
  let url: string;
  let env: Record<string, string>;

  beforeAll(async () => {
    fake = await fakeAdminApi();
    url = fake.url;
    env = { FFGATE_URL: url, FFGATE_ADMIN_TOKEN: TOKEN };
  });
  afterAll(async () => {
    await fake.close();
  });
  beforeEach(() => {
    fake.state.mode = 'ok';
    fake.requests.length = 0;
  });

  test('create posts the name with the admin token and prints the connection as JSON', async () => {
    const result = await ffgate(['scim-connections', 'create', 'okta-prod'], env);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({ id: 'c3', name: 'okta-prod', token: 'scim-secret-token', createdAt: '2026-12-04T12:00:00.000Z' });
    expect(result.stderr).toMatch(/cannot be shown again/);
    expect(fake.requests).toEqual([
      { method: 'POST', url: '/admin/v1/scim-connections', authorization: `Bearer ${TOKEN}`, body: { name: 'okta-prod' } },
    ]);
  });

  test('list prints a table with status', async () => {
    const result = await ffgate(['scim-connections', 'list'], env);
    expect(result.code).toBe(0);
    const lines = result.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^ID\s+NAME\s+STATUS\s+CREATEDAT\s+LASTUSEDAT$/);
    expect(lines[1]).toMatch(/^c1\s+okta\s+active\s+2026-12-01T10:00:00.000Z\s+2026-12-04T09:00:00.000Z$/);
    expect(lines[2]).toMatch(/^c2\s+entra\s+revoked\s+2026-12-02T10:00:00.000Z\s+-$/);
  });

  test('list --json prints the connections, and a bare-array response is accepted', async () => {
    fake.state.mode = 'bare-array';
    const result = await ffgate(['scim-connections', 'list', '--json'], env);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual(fake.state.connections);
  });

  test('--url overrides FFGATE_URL', async () => {
    const result = await ffgate(['scim-connections', 'list', '--url', url], { FFGATE_URL: 'http://127.0.0.1:1', FFGATE_ADMIN_TOKEN: TOKEN });
    expect(result.code).toBe(0);
    expect(fake.requests).toHaveLength(1);
  });

  test('revoke sends DELETE and reports success', async () => {
    const result = await ffgate(['scim-connections', 'revoke', 'c1'], env);
    expect(result.code).toBe(0);
    expect(result.stdout.trim()).toBe('Revoked c1.');
    expect(fake.requests[0]).toMatchObject({ method: 'DELETE', url: '/admin/v1/scim-connections/c1' });
  });

  test('an API error prints its message and exits 1', async () => {
    const result = await ffgate(['scim-connections', 'revoke', 'nope'], env);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('no SCIM connection nope (not_found, HTTP 404)');
  });

  test('a wrong token exits 1 with the 401 message', async () => {
    const result = await ffgate(['scim-connections', 'list'], { ...env, FFGATE_ADMIN_TOKEN: 'wrong-token-0000000' });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('invalid admin token (unauthorized, HTTP 401)');
  });

  test('a disabled admin API (503) exits 1 with its message', async () => {
    fake.state.mode = 'disabled';
    const result = await ffgate(['scim-connections', 'list'], env);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('admin API disabled');
  });

  test('a non-JSON error body still gives a readable message', async () => {
    fake.state.mode = 'crash';
    const result = await ffgate(['scim-connections', 'list'], env);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('GET /admin/v1/scim-connections failed with HTTP 500');
  });

  test('an unreachable server exits 1', async () => {
    const result = await ffgate(['scim-connections', 'list'], { ...env, FFGATE_URL: 'http://127.0.0.1:1' });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('cannot reach the admin API at http://127.0.0.1:1');
  });

  test.each([
    [['scim-connections', 'create'], /expected 1 argument, got 0/],
    [['scim-connections', 'revoke', 'a', 'b'], /expected 1 argument, got 2/],
    [['scim-connections', 'list', '--bogus'], /Unknown option '--bogus'/],
    [['users', 'list'], /unknown command: users list/],
    [[], /no command given/],
  ])('usage error %j exits 2 without calling the API', async (args, message) => {
    const result = await ffgate(args, env);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(fake.requests).toHaveLength(0);
  });

  test('a missing admin token is a usage error', async () => {
    const result = await ffgate(['scim-connections', 'list'], { FFGATE_URL: url });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('FFGATE_ADMIN_TOKEN is not set');
  });

  test('--help lists the commands and exits 0', async () => {
    const result = await ffgate(['--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('ffgate scim-connections create <name>');
    expect(result.stdout).toContain('ffgate scim-connections revoke <id>');
  });
});
