import { describe, expect, test } from '@jest/globals';
import { ConfigError } from '@ffgate/config';
import { loadTranscoderConfig, transcoderConfigLoader } from '../src/config.ts';

describe('transcoder config', () => {
  test('defaults: both queues, 2 processes, fail closed after 5 minutes, 3 attempts', () => {
    const c = loadTranscoderConfig({});
    expect(c).toMatchObject({
      queues: ['default', 'broadcast'],
      concurrency: 2,
      revocationStaleSeconds: 300,
      drainTimeoutSeconds: 30,
      jobMaxAttempts: 3,
      jobAckWaitSeconds: 30,
      mediaRoot: './.ffgate/media',
    });
    expect(c.replicaId).toBeUndefined();
  });

  test('parses a queue list and reports every bad key at once', () => {
    expect(loadTranscoderConfig({ FFGATE_QUEUES: ' broadcast , default ' }).queues).toEqual(['broadcast', 'default']);
    let error: unknown;
    try {
      loadTranscoderConfig({ FFGATE_QUEUES: 'a.b', FFGATE_CONCURRENCY: '0', FFGATE_REPLICA_ID: 'no spaces' });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    for (const key of ['FFGATE_QUEUES', 'FFGATE_CONCURRENCY', 'FFGATE_REPLICA_ID']) expect(message).toContain(key);
  });

  test('documents its keys for the README', () => {
    const names = transcoderConfigLoader.keys.map((k) => k.env);
    expect(names).toEqual(expect.arrayContaining(['FFGATE_QUEUES', 'FFGATE_CONCURRENCY', 'FFGATE_MEDIA_ROOT', 'FFMPEG_PATH', 'FFGATE_REVOCATION_STALE_SECONDS', 'FFGATE_DRAIN_TIMEOUT_SECONDS', 'FFGATE_JOB_MAX_ATTEMPTS', 'FFGATE_POLICY', 'FFGATE_REPLICA_ID']));
  });
});
