import { existsSync, mkdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import pg from 'pg';
import { probe } from '@ffgate/media';
import { describeWithFfmpeg, describeWithNats, describeWithPostgres, processAlive, waitFor } from '@ffgate/testing';
import { DistributedSystem, ffmpegOfUser, type ProvisionedUser } from '../src/index.ts';
import { killHistogramCount, LONG_1080P, POLICY, replicaOf, waitForFfmpeg } from './support.ts';

describeWithPostgres('ffgate distributed (separate processes)', () => {
  describeWithNats('over a private NATS', () => {
    describeWithFfmpeg('with real ffmpeg', () => {
      let system: DistributedSystem;
      let broadcaster: ProvisionedUser;

      beforeAll(async () => {
        system = await DistributedSystem.start({ policy: POLICY, replicas: 2, longSeconds: 180 });
      }, 120_000);

      afterAll(async () => {
        if (!system) return;
        const leftover = await system.stop();
        expect(leftover).toEqual([]);
      }, 60_000);

      const dump = async <T>(fn: () => Promise<T>): Promise<T> => {
        try {
          return await fn();
        } catch (err) {
          throw new Error(`${(err as Error).message}\n${system.logs()}`, { cause: err });
        }
      };

      test('a Broadcast user runs h264-1080p to succeeded; a Sales user is refused it', () =>
        dump(async () => {
          broadcaster = await system.provisionUser('Broadcast');
          const submitted = await system.gateway.submit(broadcaster.token, { profile: 'h264-1080p', input: 'shared/clip.mp4', output: 'home/clip-1080p.mp4' });
          expect({ status: submitted.status, body: submitted.body }).toMatchObject({ status: 202 });
          expect(submitted.body).toMatchObject({ status: 'queued', owner: { id: broadcaster.id, userName: broadcaster.userName } });
          const done = await system.gateway.waitForStatus(submitted.body.id, ['succeeded', 'failed', 'canceled']);
          expect(done.status).toBe('succeeded');
          const info = await probe(join(system.mediaRoot, 'home', broadcaster.id, 'clip-1080p.mp4'));
          const video = info.streams.find((s) => s.codecType === 'video');
          expect(video).toMatchObject({ codecName: 'h264', width: 1920, height: 1080 });
          expect(info.streams.some((s) => s.codecType === 'audio' && s.codecName === 'aac')).toBe(true);
          // the owner reads it too, and lists it
          expect((await system.gateway.get(submitted.body.id, broadcaster.token)).body.status).toBe('succeeded');

          const sales = await system.provisionUser('Sales');
          const refused = await system.gateway.submit(sales.token, { profile: 'h264-1080p', input: 'shared/clip.mp4', output: 'home/x.mp4' });
          expect(refused.status).toBe(403);
          const profiles = await system.gateway.call('GET', '/v1/profiles', { token: sales.token });
          expect(profiles.body.items.map((p: { name: string }) => p.name)).toEqual(['h264-720p']);
        }),
      120_000);

      const deprovisionCases: { name: string; department?: string; act: (u: ProvisionedUser) => Promise<{ status: number }>; reason: string }[] = [
        { name: 'PATCH active: false', act: (u) => system.scim.deactivate(u.id), reason: 'owner_deprovisioned' },
        { name: 'DELETE', act: (u) => system.scim.delete(u.id), reason: 'owner_deprovisioned' },
        { name: 'a department change that takes the profile away', act: (u) => system.scim.setDepartment(u.id, 'Sales'), reason: 'role_revoked' },
      ];
      for (const c of deprovisionCases) {
        test(`${c.name}: the running ffmpeg is killed, the job queued behind never starts (${c.reason})`, () =>
          dump(async () => {
            const user = await system.provisionUser('Broadcast');
            const first = await system.gateway.submit(user.token, LONG_1080P('home/long-1.mp4'));
            const second = await system.gateway.submit(user.token, LONG_1080P('home/long-2.mp4'));
            expect([first.status, second.status]).toEqual([202, 202]);
            await system.gateway.waitForStatus(first.body.id, ['running']);
            const proc = await waitForFfmpeg(system, user.id);
            expect(replicaOf(system, proc.ppid)).toBeGreaterThanOrEqual(0);
            // maxRunning 1: the second job waits at the gateway
            expect((await system.gateway.get(second.body.id)).body.status).toBe('queued');
            const killsBefore = await killHistogramCount(system);

            const res = await c.act(user);
            expect([200, 204]).toContain(res.status);

            const firstDone = await system.gateway.waitForStatus(first.body.id, ['succeeded', 'failed', 'canceled'], 30_000);
            expect(firstDone).toMatchObject({ status: 'canceled', cancelReason: c.reason });
            const secondDone = await system.gateway.waitForStatus(second.body.id, ['succeeded', 'failed', 'canceled'], 30_000);
            expect(secondDone).toMatchObject({ status: 'canceled', cancelReason: c.reason, startedAt: null });
            await waitFor(() => ffmpegOfUser(system.mediaRoot, user.id).length === 0, { timeoutMs: 15_000, message: 'an ffmpeg of the user survived' });
            expect(processAlive(proc.pid)).toBe(false);
            await waitFor(async () => (await killHistogramCount(system)) > killsBefore, { timeoutMs: 10_000, message: 'histogram count did not grow' });
            // no output, partial or final, is left
            expect(existsSync(join(system.mediaRoot, 'home', user.id, 'long-1.mp4'))).toBe(false);
            // the queued job never got a start record
            const trail = await system.gateway.audit(user.id);
            expect(trail.filter((r) => r.action === 'job.started' && r.jobId === second.body.id)).toEqual([]);
          }),
        120_000);
      }

      test('an explicit cancel reaches the replica running the job (user_request)', () =>
        dump(async () => {
          const user = await system.provisionUser('Broadcast');
          const job = await system.gateway.submit(user.token, LONG_1080P('home/cancel-me.mp4'));
          await system.gateway.waitForStatus(job.body.id, ['running']);
          const proc = await waitForFfmpeg(system, user.id);
          const replica = system.replicas[replicaOf(system, proc.ppid)];
          expect(replica).toBeDefined();
          const cancel = await system.gateway.cancel(user.token, job.body.id);
          expect([200, 202]).toContain(cancel.status);
          const done = await system.gateway.waitForStatus(job.body.id, ['succeeded', 'failed', 'canceled'], 30_000);
          expect(done).toMatchObject({ status: 'canceled', cancelReason: 'user_request' });
          await waitFor(() => !processAlive(proc.pid), { timeoutMs: 15_000, message: 'ffmpeg still runs after the cancel' });
          // the replica that ran it says so in the trail
          const trail = await waitFor(async () => {
            const t = await system.gateway.audit(user.id);
            return t.some((r) => r.action !== 'job.started' && r.jobId === job.body.id && r.writer.startsWith('transcoder')) ? t : undefined;
          }, { timeoutMs: 10_000 });
          const started = trail.find((r) => r.action === 'job.started' && r.jobId === job.body.id);
          expect(started.details.pid).toBe(proc.pid);
          expect(replica.log()).toContain(job.body.id);
        }),
      120_000);

      test("one user's outputs cannot be read or overwritten by another", () =>
        dump(async () => {
          const alice = await system.provisionUser('Sales');
          const bob = await system.provisionUser('Sales');
          const made = await system.gateway.submit(alice.token, { profile: 'h264-720p', input: 'shared/clip.mp4', output: 'home/private.mp4' });
          expect((await system.gateway.waitForStatus(made.body.id, ['succeeded', 'failed', 'canceled'])).status).toBe('succeeded');
          const aliceFile = join(system.mediaRoot, 'home', alice.id, 'private.mp4');
          const before = statSync(aliceFile);

          // bob's `home/private.mp4` is bob's own home: alice's file is out of reach
          const read = await system.gateway.submit(bob.token, { profile: 'h264-720p', input: 'home/private.mp4', output: 'home/stolen.mp4' });
          expect(read.status).toBe(400);
          // nor by climbing out of his home
          const climb = await system.gateway.submit(bob.token, { profile: 'h264-720p', input: `home/../${alice.id}/private.mp4`, output: 'home/stolen.mp4' });
          expect(climb.status).toBe(400);
          // bob neither sees alice's job
          expect((await system.gateway.get(made.body.id, bob.token)).status).toBe(404);

          // bob writing `home/private.mp4` writes into his own home, alice's file is untouched
          const write = await system.gateway.submit(bob.token, { profile: 'h264-720p', input: 'shared/clip.mp4', output: 'home/private.mp4' });
          expect(write.status).toBe(202);
          expect((await system.gateway.waitForStatus(write.body.id, ['succeeded', 'failed', 'canceled'])).status).toBe('succeeded');
          expect(existsSync(join(system.mediaRoot, 'home', bob.id, 'private.mp4'))).toBe(true);
          const after = statSync(aliceFile);
          expect([after.ino, after.size, after.mtimeMs]).toEqual([before.ino, before.size, before.mtimeMs]);
          // and an existing output is never overwritten, even by its owner
          const again = await system.gateway.submit(alice.token, { profile: 'h264-720p', input: 'shared/clip.mp4', output: 'home/private.mp4' });
          expect(again.status).toBe(400);
        }),
      120_000);

      test('path traversal, symlink escape, protocol injection and oversized specs are refused at the gateway', () =>
        dump(async () => {
          const user = await system.provisionUser('Sales');
          const home = join(system.mediaRoot, 'home', user.id);
          mkdirSync(home, { recursive: true });
          symlinkSync('/etc/passwd', join(home, 'passwd.mp4'));
          symlinkSync(join(system.mediaRoot, 'home'), join(home, 'all-homes'));
          symlinkSync('/etc', join(system.mediaRoot, 'shared', 'etc-link'));
          const inputs = [
            '../etc/passwd',
            'shared/../../etc/passwd',
            '/etc/passwd',
            'home/passwd.mp4',
            `home/all-homes/${broadcaster.id}/clip-1080p.mp4`,
            'shared/etc-link/passwd',
            'concat:shared/clip.mp4|shared/clip.mp4',
            'subfile:shared/clip.mp4',
            'http://127.0.0.1:1/clip.mp4',
            'file:/etc/passwd',
            'pipe:0',
          ];
          for (const input of inputs) {
            const res = await system.gateway.submit(user.token, { profile: 'h264-720p', input, output: 'home/out.mp4' });
            expect({ input, status: res.status }).toEqual({ input, status: 400 });
          }
          for (const output of ['shared/out.mp4', 'home/../out.mp4', 'home/all-homes/x.mp4', '/tmp/out.mp4', 'concat:home/out.mp4']) {
            const res = await system.gateway.submit(user.token, { profile: 'h264-720p', input: 'shared/clip.mp4', output });
            expect({ output, status: res.status }).toEqual({ output, status: 400 });
          }
          const huge = await system.gateway.submit(user.token, { profile: 'h264-720p', input: 'shared/clip.mp4', output: 'home/out.mp4', metadata: { blob: 'x'.repeat(2_000_000) } });
          expect(huge.status).toBe(413);
          const longPath = await system.gateway.submit(user.token, { profile: 'h264-720p', input: `shared/${'a/'.repeat(3000)}clip.mp4`, output: 'home/out.mp4' });
          expect([400, 413]).toContain(longPath.status);
        }),
      60_000);

      test('a playlist disguised as .mp4 does not make ffmpeg read outside the media root', () =>
        dump(async () => {
          const user = await system.provisionUser('Sales');
          // a real clip outside the allowed areas, and an HLS playlist in shared/ pointing at it
          const outside = join(system.mediaRoot, '..', 'outside.mp4');
          writeFileSync(outside, readFileSync(join(system.mediaRoot, 'shared', 'clip.mp4')));
          writeFileSync(join(system.mediaRoot, 'shared', 'playlist.mp4'), `#EXTM3U\n#EXT-X-TARGETDURATION:2\n#EXTINF:2,\n${outside}\n#EXT-X-ENDLIST\n`);
          const res = await system.gateway.submit(user.token, { profile: 'h264-720p', input: 'shared/playlist.mp4', output: 'home/leak.mp4' });
          // refused at the gateway, or failed by the transcoder's demuxer allow-list: never an output
          if (res.status === 202) {
            const done = await system.gateway.waitForStatus(res.body.id, ['succeeded', 'failed', 'canceled']);
            expect(done.status).toBe('failed');
          } else {
            expect(res.status).toBe(400);
          }
          expect(existsSync(join(system.mediaRoot, 'home', user.id, 'leak.mp4'))).toBe(false);
        }),
      60_000);

      test('the audit trail links every operation to the account; tampering with one record is detected', () =>
        dump(async () => {
          const trail = await waitFor(async () => {
            const t = await system.gateway.audit(broadcaster.id);
            return t.some((r) => r.action === 'job.finished') ? t : undefined;
          }, { timeoutMs: 15_000, message: 'no finish record' });
          const actions = trail.map((r) => r.action);
          expect(actions).toEqual(expect.arrayContaining(['job.submitted', 'job.started']));
          const started = trail.find((r) => r.action === 'job.started');
          expect(started).toMatchObject({ userId: broadcaster.id, userName: broadcaster.userName, clientId: broadcaster.client.clientId });
          expect(typeof started.jti).toBe('string');
          expect(started.writer).toMatch(/^transcoder/);
          expect(started.details).toMatchObject({ profile: 'h264-1080p' });
          expect(typeof started.details.pid).toBe('number');
          expect(started.details.worker ?? started.writer).toMatch(/replica-/);
          expect(Array.isArray(started.details.args)).toBe(true);
          for (const r of trail.filter((x) => x.jobId)) {
            expect(r).toMatchObject({ userId: broadcaster.id, userName: broadcaster.userName, clientId: broadcaster.client.clientId, jti: started.jti });
          }
          // time order
          const times = trail.map((r) => r.time);
          expect([...times].sort()).toEqual(times);

          const ok = await system.gateway.verifyAudit();
          expect(ok.ok).toBe(true);
          const victim = trail.find((r) => r.action === 'job.submitted');
          const client = new pg.Client({ connectionString: system.database.url });
          await client.connect();
          try {
            await client.query(`update gateway.audit_records set details = details || '{"profile":"hevc-1080p"}'::jsonb where id = $1`, [victim.id]);
          } finally {
            await client.end();
          }
          const broken = await system.gateway.verifyAudit();
          expect(broken.ok).toBe(false);
          expect(JSON.stringify(broken)).toContain(victim.id);
        }),
      60_000);

      test('a replica killed with SIGKILL leaves no ffmpeg behind and no job stuck in running', () =>
        dump(async () => {
          const user = await system.provisionUser('Broadcast');
          const job = await system.gateway.submit(user.token, LONG_1080P('home/crash.mp4'));
          await system.gateway.waitForStatus(job.body.id, ['running']);
          const proc = await waitForFfmpeg(system, user.id);
          const victim = replicaOf(system, proc.ppid);
          expect(victim).toBeGreaterThanOrEqual(0);
          const survivor = system.replicas[1 - victim];
          await system.replicas[victim].kill();
          // pdeathsig: the kernel kills ffmpeg with its worker
          await waitFor(() => !processAlive(proc.pid), { timeoutMs: 15_000, message: 'ffmpeg outlived its SIGKILLed replica' });
          // the job comes back on the other replica (attempt 2), or ends worker_lost
          const after = await system.gateway.waitFor(job.body.id, (j) => (j.status === 'running' && j.attempt >= 2) || j.status === 'canceled' || j.status === 'failed', 60_000);
          if (after.status === 'running') {
            const again = await waitForFfmpeg(system, user.id);
            expect(again.ppid).toBe(survivor.pid);
            await system.gateway.cancel(user.token, job.body.id);
          } else {
            expect(after).toMatchObject({ status: 'canceled', cancelReason: 'worker_lost' });
          }
          const done = await system.gateway.waitForStatus(job.body.id, ['succeeded', 'failed', 'canceled'], 30_000);
          expect(done.status).not.toBe('running');
          await waitFor(() => ffmpegOfUser(system.mediaRoot, user.id).length === 0, { timeoutMs: 15_000 });
          await system.restartReplica(victim);
        }),
      120_000);

      test('every gateway response received was validated against /v1/openapi.json', () => {
        expect(system.gateway.validated).toBeGreaterThan(50);
      });
    });
  });
});
