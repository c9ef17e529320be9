import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createMemoryBus } from '../src/index.ts';
import { busContract } from './contract.ts';

// The whole port contract again, with every stream and durable consumer written to disk.
busContract('memory, persisted', async ({ logger }) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ffgate-bus-contract-'));
  const bus = createMemoryBus({ logger, persistDir: dir });
  return {
    bus,
    publishRaw: async (subject, data) => void (await bus.injectRaw(subject, data)),
    teardown: async () => fs.rmSync(dir, { recursive: true, force: true }),
  };
});
