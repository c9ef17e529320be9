// A process hosted by runService with a trivial service, for run-service.test.ts.
import { Router } from 'express';
import { loadConfig } from '@ffgate/config';
import { runService } from '../src/index.ts';

await runService({
  name: 'fixture',
  loadConfig: (env) => loadConfig(env),
  build: () => {
    const router = Router();
    router.get('/hello', (_req, res) => {
      res.json({ hello: 'world' });
    });
    let started = false;
    return {
      router,
      async start() {
        started = true;
        process.stdout.write('started\n');
      },
      async stop() {
        process.stdout.write('stopped\n');
      },
      async ready() {
        return { ok: started, checks: { started } };
      },
    };
  },
});
