/**
 * Benchmark baseline: a bare scimmy + scimmy-routers SCIM server keeping users in a Map.
 * It does what the scimmy README shows and nothing more (no database, no events, no auth checks
 * beyond the bearer header), so `pnpm bench scim` can compare ffgate against it in the same run.
 * Runs in its own process: SCIMMY's declarations are process-global.
 */
import { randomUUID } from 'node:crypto';
import express from 'express';
import SCIMMY from 'scimmy';
import SCIMMYRouters from 'scimmy-routers';

const users = new Map<string, Record<string, unknown>>();

SCIMMY.Resources.declare(SCIMMY.Resources.User)
  .ingress((resource: { id?: string }, instance: Record<string, unknown>) => {
    const id = resource.id ?? randomUUID();
    const now = new Date();
    const record = { ...instance, id, meta: { created: now, lastModified: now } };
    users.set(id, record);
    return record;
  })
  .egress((resource: { id?: string }) => {
    if (resource.id) return users.get(resource.id) ?? [];
    return [...users.values()];
  })
  .degress((resource: { id?: string }) => {
    if (resource.id) users.delete(resource.id);
  });

const app = express();
app.use(
  '/scim/v2',
  new SCIMMYRouters({
    type: 'bearer',
    handler: (req: express.Request) => {
      if (!req.header('Authorization')?.startsWith('Bearer ')) throw new Error('Authorization not detected!');
      return 'bench';
    },
  }),
);

const server = app.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : 0;
  process.stdout.write(`ready ${port}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
