import { afterAll, beforeAll, beforeEach, describe, expect, test } from '@jest/globals';
import { TOKEN, fakeApi, ffgate } from './support.ts';
import type { Send } from './support.ts';

const USER_ID = '5b0f6a52-3c1e-4f7e-9a4b-2d8f0c9e1a77';
const record = (n: number, action: string, writer: string, details: Record<string, unknown>) => ({
  id: `rec-${n}`,
  time: `2026-12-04T10:00:0${n}.000Z`,
  writer,
  writerSeq: n,
  action,
  userId: USER_ID,
  userName: 'ada@example.com',
  clientId: 'cl_1',
  jti: 'jti-1',
  jobId: action.startsWith('job.') ? 'job-9' : null,
  details,
  prevHash: n === 1 ? null : `h${n - 1}`,
  hash: `h${n}`,
});
const trail = [
  record(1, 'credential.issued', 'token', {}),
  record(2, 'job.submitted', 'gateway', { profile: 'h264-720p' }),
  record(3, 'job.started', 'transcoder:t1', { worker: 't1', pid: 4242, profile: 'h264-720p', args: ['-i', 'x'] }),
  record(4, 'job.canceled', 'transcoder:t1', { reason: 'owner_deprovisioned' }),
];
const writers = [
  { writer: 'gateway', records: 12, lastHash: 'aa', ok: true },
  { writer: 'scim', records: 7, lastHash: 'bb', ok: true },
  { writer: 'transcoder:t1', records: 5, lastHash: 'cc', ok: true },
];
const brokenLink = { writer: 'scim', id: 'rec-tampered', writerSeq: 4, reason: 'hash_mismatch' };

/** The gateway's `/admin/v1/audit*` contract (services/gateway/src/http/router.ts), RFC 9457 errors. */
function gatewayRoutes(state: { mode: 'ok' | 'broken' | 'empty' }) {
  return (req: { method: string; url: string }, send: Send) => {
    const problem = (status: number, code: string, detail: string) => send(status, { type: 'about:blank', title: 'Error', status, code, detail }, 'application/problem+json');
    if (req.method === 'GET' && req.url === '/admin/v1/audit/verify') {
      if (state.mode === 'empty') return send(200, { ok: true, writers: [], broken: [] });
      if (state.mode === 'ok') return send(200, { ok: true, writers, broken: [] });
      const brokenWriters = writers.map((w) => (w.writer === 'scim' ? { ...w, ok: false } : w));
      return send(200, { ok: false, writers: brokenWriters, broken: [brokenLink], firstBroken: brokenLink });
    }
    const url = new URL(req.url, 'http://x');
    if (req.method === 'GET' && url.pathname === '/admin/v1/audit') {
      const user = url.searchParams.get('user');
      if (!user) return problem(400, 'FFGATE_GW_BAD_REQUEST', 'query parameter user (a SCIM user id) is required');
      return send(200, { items: user === USER_ID ? trail : [] });
    }
    problem(404, 'FFGATE_GW_NOT_FOUND', 'no such route');
  };
}

describe('ffgate audit (against a fake job gateway)', () => {
  const state = { mode: 'ok' as 'ok' | 'broken' | 'empty' };
  let api: Awaited<ReturnType<typeof fakeApi>>;
  let env: Record<string, string>;

  beforeAll(async () => {
    api = await fakeApi(gatewayRoutes(state), { type: 'about:blank', title: 'Unauthorized', status: 401, code: 'FFGATE_GW_UNAUTHENTICATED', detail: 'the admin token is required' });
    env = { FFGATE_URL: api.url, FFGATE_ADMIN_TOKEN: TOKEN };
  });
  afterAll(() => api.close());
  beforeEach(() => {
    state.mode = 'ok';
    api.requests.length = 0;
  });

  test('verify prints every chain as ok and exits 0', async () => {
    const result = await ffgate(['audit', 'verify'], env);
    expect(result.code).toBe(0);
    expect(api.requests).toEqual([{ method: 'GET', url: '/admin/v1/audit/verify', authorization: `Bearer ${TOKEN}`, body: undefined }]);
    const lines = result.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^WRITER\s+RECORDS\s+STATUS\s+BROKENAT$/);
    expect(lines.slice(1, 4).map((l) => l.split(/\s+/).slice(0, 3))).toEqual([
      ['gateway', '12', 'ok'],
      ['scim', '7', 'ok'],
      ['transcoder:t1', '5', 'ok'],
    ]);
    expect(lines[4]).toBe('All 3 chains verified.');
    expect(result.stderr).toBe('');
  });

  test('verify with a broken chain marks the writer, names the first broken record and exits 1', async () => {
    state.mode = 'broken';
    const result = await ffgate(['audit', 'verify'], env);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^scim\s+7\s+BROKEN\s+#4 rec-tampered \(hash_mismatch\)$/m);
    expect(result.stdout).toMatch(/^gateway\s+12\s+ok\s+-$/m);
    expect(result.stderr).toContain('audit chain broken: writer scim, record rec-tampered (#4): hash_mismatch');
  });

  test('verify --json prints the verification and keeps the exit code', async () => {
    state.mode = 'broken';
    const result = await ffgate(['audit', 'verify', '--json'], env);
    expect(result.code).toBe(1);
    expect(JSON.parse(result.stdout)).toMatchObject({ ok: false, firstBroken: brokenLink });
  });

  test('verify of an empty store says so and exits 0', async () => {
    state.mode = 'empty';
    const result = await ffgate(['audit', 'verify'], env);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('No audit records.');
  });

  test('verify exits 1 when the gateway refuses (problem details dialect) or cannot be reached', async () => {
    const refused = await ffgate(['audit', 'verify'], { ...env, FFGATE_ADMIN_TOKEN: 'wrong-token-0000000' });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('the admin token is required (FFGATE_GW_UNAUTHENTICATED, HTTP 401)');
    const unreachable = await ffgate(['audit', 'verify'], { ...env, FFGATE_URL: 'http://127.0.0.1:1' });
    expect(unreachable.code).toBe(1);
    expect(unreachable.stderr).toContain('cannot reach the admin API at http://127.0.0.1:1');
  });

  test('show --user asks for the user trail and prints it in time order', async () => {
    const result = await ffgate(['audit', 'show', '--user', USER_ID], env);
    expect(result.code).toBe(0);
    expect(api.requests.map((r) => r.url)).toEqual([`/admin/v1/audit?user=${USER_ID}`]);
    const lines = result.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^TIME\s+ACTION\s+WRITER\s+USERNAME\s+CLIENTID\s+JOBID\s+SUMMARY$/);
    expect(lines.slice(1).map((l) => l.split(/\s+/)[1])).toEqual(['credential.issued', 'job.submitted', 'job.started', 'job.canceled']);
    expect(lines[3]).toMatch(/job-9\s+profile=h264-720p worker=t1 pid=4242$/);
    expect(lines[4]).toMatch(/reason=owner_deprovisioned$/);
  });

  test('show escapes the user id and reports an empty trail', async () => {
    const result = await ffgate(['audit', 'show', '--user', 'a&b=c'], env);
    expect(result.code).toBe(0);
    expect(api.requests.map((r) => r.url)).toEqual(['/admin/v1/audit?user=a%26b%3Dc']);
    expect(result.stdout.trim()).toBe('No audit records for user a&b=c.');
  });

  test('show --json prints the records', async () => {
    const result = await ffgate(['audit', 'show', '--user', USER_ID, '--json'], env);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual(trail);
  });

  test('show without --user is a usage error (exit 2, no request)', async () => {
    const result = await ffgate(['audit', 'show'], env);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--user <scim-user-id> is required');
    expect(api.requests).toHaveLength(0);
  });

  test('FFGATE_GATEWAY_URL wins over FFGATE_URL (distributed shape)', async () => {
    const result = await ffgate(['audit', 'verify'], { FFGATE_URL: 'http://127.0.0.1:1', FFGATE_GATEWAY_URL: api.url, FFGATE_ADMIN_TOKEN: TOKEN });
    expect(result.code).toBe(0);
    expect(api.requests).toHaveLength(1);
  });

  test('--help lists the admin client and audit commands', async () => {
    const result = await ffgate(['--help']);
    expect(result.code).toBe(0);
    for (const usage of ['ffgate admin client create --user <userName|userId> --name <name>', 'ffgate admin client list', 'ffgate admin client disable <client_id>', 'ffgate admin client delete <client_id>', 'ffgate audit verify', 'ffgate audit show --user <scim-user-id>']) {
      expect(result.stdout).toContain(usage);
    }
    expect(result.stdout).toContain('FFGATE_TOKEN_ADMIN_URL');
    expect(result.stdout).toContain('FFGATE_GATEWAY_URL');
  });
});
