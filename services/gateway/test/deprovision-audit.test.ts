import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import pg from 'pg';
import { createMemoryBus, silentLogger, type MemoryBus } from '@ffgate/bus';
import { auditRecord, publishAudit } from '@ffgate/audit';
import { tokenRevokedSubject } from '@ffgate/contracts';
import { openDatabase, type Database } from '@ffgate/db';
import { createTestDatabase, describeWithPostgres, FakeIdp, waitFor, type TestDatabase } from '@ffgate/testing';
import { ADMIN_TOKEN, POLICY, api, waitForUser, FakeWorkers, Keys, runGateway, spec, type RunningGateway } from './harness.ts';

describeWithPostgres('gateway deprovisioning and audit trail (PostgreSQL, in-process bus)', () => {
  let testDb: TestDatabase;
  let database: Database;
  let bus: MemoryBus;
  let keys: Keys;
  let gw: RunningGateway;
  let idp: FakeIdp;
  let workers: FakeWorkers;
  const cancels: { jobId: string; reason: string }[] = [];

  beforeAll(async () => {
    testDb = await createTestDatabase('gw_deprov');
    database = await openDatabase({ url: testDb.url });
    bus = createMemoryBus({ logger: silentLogger });
    keys = await Keys.create();
    gw = await runGateway({ database, bus, keys, config: { policy: POLICY } });
    idp = new FakeIdp(bus);
    workers = new FakeWorkers(bus);
    await workers.start();
    await bus.consume<{ jobId: string; reason: string }>({ stream: 'JOB_EVENTS', filterSubject: 'job.cancel.>', deliver: 'all' }, async (d) => {
      cancels.push(d.event);
      return { kind: 'ack' };
    });
  });

  afterAll(async () => {
    await workers?.stop();
    await gw?.close();
    await bus?.close();
    await database?.close();
    await testDb?.drop();
  });

  const job = async (token: string, id: string) => (await api(gw.url, 'GET', `/v1/jobs/${id}`, { token: ADMIN_TOKEN })).body;

  async function userWithJobs(n: number, overrides: Parameters<FakeIdp['create']>[1] = {}, profile = 'h264-720p') {
    const id = randomUUID();
    await idp.create(id, overrides);
    await waitForUser(database, id);
    const token = await keys.mint(id, { profiles: ['h264-720p', 'h264-1080p'], queues: ['default', 'broadcast'] });
    const ids: string[] = [];
    for (let i = 0; i < n; i++) ids.push((await api(gw.url, 'POST', '/v1/jobs', { token, body: spec({ profile }) })).body.id);
    return { id, token, ids };
  }

  test('deactivation: waiting jobs end canceled at once (they never start), dispatched ones get job.cancel', async () => {
    const { id, token, ids } = await userWithJobs(3); // maxRunning 1: one dispatched, two waiting
    await workers.report(ids[0], 'running');
    await waitFor(async () => (await job(token, ids[0])).status === 'running');
    await idp.deactivate(id);
    await waitFor(async () => (await job(token, ids[2])).status === 'canceled');
    for (const waiting of ids.slice(1)) expect(await job(token, waiting)).toMatchObject({ status: 'canceled', cancelReason: 'owner_deprovisioned', dispatchedAt: null, startedAt: null });
    await waitFor(() => cancels.find((c) => c.jobId === ids[0]));
    expect(cancels.find((c) => c.jobId === ids[0])!.reason).toBe('owner_deprovisioned');
    // the transcoder reports; a late running of the same job afterwards changes nothing
    await workers.report(ids[0], 'canceled', { cancelReason: 'owner_deprovisioned' });
    await workers.report(ids[0], 'running');
    await waitFor(async () => (await job(token, ids[0])).status === 'canceled');
    expect(workers.dispatched.filter((d) => ids.includes(d.jobId)).map((d) => d.jobId)).toEqual([ids[0]]);
    // a new submit with a still-valid credential is refused: the owner is not active
    expect((await api(gw.url, 'POST', '/v1/jobs', { token, body: spec() })).status).toBe(403);
  });

  test('deletion cancels the same way', async () => {
    const { id, token, ids } = await userWithJobs(2);
    await idp.delete(id);
    await waitFor(async () => (await job(token, ids[1])).status === 'canceled');
    expect((await job(token, ids[1])).cancelReason).toBe('owner_deprovisioned');
    await waitFor(() => cancels.find((c) => c.jobId === ids[0]));
  });

  test('a department change that takes the profile away cancels those jobs with role_revoked', async () => {
    const broadcast = { enterprise: { employeeNumber: null, costCenter: null, organization: null, division: null, department: 'Broadcast', manager: null } };
    const { id, token, ids } = await userWithJobs(3, broadcast, 'h264-1080p'); // maxRunning 2 under the broadcast rule
    const keep = (await api(gw.url, 'POST', '/v1/jobs', { token, body: spec() })).body.id; // h264-720p stays allowed
    await waitFor(() => workers.dispatched.filter((d) => ids.includes(d.jobId)).length === 2);
    await idp.update(id, { enterprise: { ...broadcast.enterprise, department: 'Sales' } });
    await waitFor(async () => (await job(token, ids[2])).status === 'canceled');
    expect((await job(token, ids[2])).cancelReason).toBe('role_revoked');
    await waitFor(() => ids.slice(0, 2).every((j) => cancels.some((c) => c.jobId === j && c.reason === 'role_revoked')));
    expect((await job(token, keep)).status).toBe('queued');
  });

  test('token.revoked: jobs of the revoked credential (jti) and of credentials issued before revokedBefore are canceled', async () => {
    const { id, token, ids } = await userWithJobs(3);
    const jti = `jti-${randomUUID()}`;
    const other = await keys.mint(id, { jti });
    const viaOther = (await api(gw.url, 'POST', '/v1/jobs', { token: other, body: spec() })).body.id;
    const expiresAt = new Date(Date.now() + 600_000).toISOString();
    await bus.publish(tokenRevokedSubject(id), { id: randomUUID(), type: 'token.revoked', time: new Date().toISOString(), userId: id, jti, expiresAt, reason: 'grant.removed' });
    await waitFor(async () => (await job(token, viaOther)).status === 'canceled');
    expect((await job(token, viaOther)).cancelReason).toBe('credential_revoked');
    expect((await job(token, ids[2])).status).toBe('queued');
    // the verifier learned it too: the revoked credential is refused
    await waitFor(async () => (await api(gw.url, 'GET', '/v1/jobs', { token: other })).status === 401);
    const before = new Date(Date.now() + 1000).toISOString();
    await bus.publish(tokenRevokedSubject(id), { id: randomUUID(), type: 'token.revoked', time: new Date().toISOString(), userId: id, revokedBefore: before, reason: 'client.revoked' });
    await waitFor(async () => (await job(token, ids[2])).status === 'canceled');
    expect((await job(token, ids[1])).cancelReason).toBe('credential_revoked');
  });

  test('audit: own and foreign records are chained per writer; ?user= is the trail in time order', async () => {
    const { id, ids } = await userWithJobs(1);
    const t0 = Date.now();
    // a transcoder's records (published straight to the bus), times after the submit
    await publishAudit(bus, auditRecord({ writer: 'transcoder:r1', action: 'job.started', userId: id, jobId: ids[0], details: { pid: 4242, args: ['-nostdin'] }, time: new Date(t0 + 1000) }));
    await publishAudit(bus, auditRecord({ writer: 'transcoder:r1', action: 'job.finished', userId: id, jobId: ids[0], details: { exitCode: 0 }, time: new Date(t0 + 2000) }));
    // the IdP's create (from the identity event), the gateway's submit, the transcoder's start and finish
    await waitFor(async () => (await api(gw.url, 'GET', `/admin/v1/audit?user=${id}`, { token: ADMIN_TOKEN })).body.items.length === 4);
    const trail = (await api(gw.url, 'GET', `/admin/v1/audit?user=${id}`, { token: ADMIN_TOKEN })).body.items;
    expect(trail.map((r: { action: string }) => r.action)).toEqual(['scim.user.created', 'job.submitted', 'job.started', 'job.finished']);
    expect(trail[0]).toMatchObject({ writer: 'scim', userId: id, details: { connection: 'okta', resourceType: 'User', version: 1 } });
    expect(trail[1]).toMatchObject({ writer: 'gateway', jobId: ids[0], clientId: `client-${id}` });
    expect(trail[3].prevHash).toBe(trail[2].hash);
    const verify = await api(gw.url, 'GET', '/admin/v1/audit/verify', { token: ADMIN_TOKEN });
    expect(verify.body.ok).toBe(true);
    expect(verify.body.writers.map((w: { writer: string }) => w.writer)).toEqual(expect.arrayContaining(['gateway', 'scim', 'transcoder:r1']));
    expect((await api(gw.url, 'GET', '/admin/v1/audit?user=x', { token: await keys.mint(id) })).status).toBe(401);
    expect((await api(gw.url, 'GET', '/admin/v1/audit', { token: ADMIN_TOKEN })).status).toBe(400);
  });

  test('a redelivered audit record is stored once', async () => {
    const rec = auditRecord({ writer: 'transcoder:r2', action: 'job.started', userId: 'dup-user', details: {} });
    await publishAudit(bus, rec);
    await bus.publish(`audit.transcoder.dup-user`, rec); // same id, no msgId de-dup: the store must catch it
    await waitFor(() => gw.service.stats.audit.duplicate);
    const trail = (await api(gw.url, 'GET', '/admin/v1/audit?user=dup-user', { token: ADMIN_TOKEN })).body.items;
    expect(trail).toHaveLength(1);
  });

  test('tampering: editing one stored record in SQL makes verify name that record', async () => {
    const { id } = await userWithJobs(2);
    await waitFor(async () => (await api(gw.url, 'GET', `/admin/v1/audit?user=${id}`, { token: ADMIN_TOKEN })).body.items.length === 3);
    const trail = (await api(gw.url, 'GET', `/admin/v1/audit?user=${id}`, { token: ADMIN_TOKEN })).body.items;
    const victim = trail.find((r: { writer: string }) => r.writer === 'gateway');
    const client = new pg.Client({ connectionString: testDb.url });
    await client.connect();
    await client.query(`update gateway.audit_records set details = jsonb_set(details, '{profile}', '"hevc-1080p"') where id = $1`, [victim.id]);
    await client.end();
    const verify = (await api(gw.url, 'GET', '/admin/v1/audit/verify', { token: ADMIN_TOKEN })).body;
    expect(verify.ok).toBe(false);
    expect(verify.firstBroken).toMatchObject({ writer: 'gateway', id: victim.id, reason: 'hash_mismatch' });
  });
});
