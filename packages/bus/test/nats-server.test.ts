import { afterEach, describe, expect, test } from '@jest/globals';
import { existsSync } from 'node:fs';
import { connect } from '@nats-io/transport-node';
import { describeWithNats, startNatsServer, type NatsServerHandle } from '@ffgate/testing';

/** The private nats-server helper from @ffgate/testing that the bus suites rely on. */
describeWithNats('startNatsServer', () => {
  const started: NatsServerHandle[] = [];
  afterEach(async () => {
    await Promise.all(started.splice(0).map((s) => s.cleanup()));
  });

  test('starts a JetStream server on a private port that clients can reach', async () => {
    const server = await startNatsServer();
    started.push(server);
    expect(server.port).not.toBe(4222);
    expect(server.url).toBe(`nats://127.0.0.1:${server.port}`);
    const nc = await connect({ servers: server.url });
    expect(nc.info?.jetstream).toBe(true);
    await nc.close();
  });

  test('restart keeps the port and the store directory; cleanup removes the directory', async () => {
    const server = await startNatsServer();
    started.push(server);
    const { port, storeDir } = server;
    await server.kill();
    await expect(connect({ servers: server.url, reconnect: false, timeout: 500 })).rejects.toBeDefined();
    await server.restart();
    expect(server.port).toBe(port);
    const nc = await connect({ servers: server.url });
    await nc.close();
    expect(existsSync(storeDir)).toBe(true);
    await server.cleanup();
    expect(existsSync(storeDir)).toBe(false);
  });
});

describe('startNatsServer failures', () => {
  const saved = process.env.FFGATE_NATS_SERVER_BIN;
  afterEach(() => {
    if (saved === undefined) delete process.env.FFGATE_NATS_SERVER_BIN;
    else process.env.FFGATE_NATS_SERVER_BIN = saved;
  });

  test('a missing binary gives an actionable error', async () => {
    process.env.FFGATE_NATS_SERVER_BIN = '/nonexistent/nats-server';
    await expect(startNatsServer()).rejects.toMatchObject({
      code: 'FFGATE_NATS_SERVER_MISSING',
      message: expect.stringContaining('FFGATE_NATS_SERVER_BIN'),
    });
  });

  test('a binary that exits at once is reported, not waited on', async () => {
    process.env.FFGATE_NATS_SERVER_BIN = '/bin/false';
    await expect(startNatsServer()).rejects.toMatchObject({ code: 'FFGATE_NATS_SERVER_START', message: expect.stringContaining('exited early') });
  });
});
