import { createTestDatabase, startNatsServer, freePort } from '@ffgate/testing';
import { spawn } from 'node:child_process';
import { runLoad } from '/work/main/services/scim/bench/load.ts';
const nats = await startNatsServer();
const pg = await createTestDatabase('ffgate_prof');
const port = await freePort();
const child = spawn(process.execPath, ['--cpu-prof', '--cpu-prof-dir=/tmp/prof', 'src/main.ts'], { cwd: '/work/main/services/scim', env: { ...process.env, PORT: String(port), DATABASE_URL: pg.url, NATS_URL: nats.url, FFGATE_SCIM_TOKEN: 'tok-0123456789abcdef', LOG_LEVEL: 'warn' }, stdio: 'inherit' });
for (let i = 0; i < 200; i++) { if (await fetch(`http://127.0.0.1:${port}/readyz`).then(r => r.ok, () => false)) break; await new Promise(r => setTimeout(r, 100)); }
const headers = { authorization: 'Bearer tok-0123456789abcdef', 'content-type': 'application/scim+json' };
const r = await runLoad({ concurrency: 32, total: 4000, request: async (i) => { const res = await fetch(`http://127.0.0.1:${port}/scim/v2/Users`, { method: 'POST', headers, body: JSON.stringify({ schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: `u${i}@x.com`, name: { givenName: 'A', familyName: 'B' }, emails: [{ value: `u${i}@x.com`, type: 'work', primary: true }], active: true }) }); await res.arrayBuffer(); return res.status === 201; } });
console.log(r);
child.kill('SIGTERM'); await new Promise(r => child.once('exit', r));
await nats.cleanup(); await pg.drop();
