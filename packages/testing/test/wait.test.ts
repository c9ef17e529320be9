import { describe, expect, test } from '@jest/globals';
import { waitFor, WaitTimeoutError } from '@ffgate/testing';

describe('waitFor', () => {
  test('resolves with the first truthy value', async () => {
    let calls = 0;
    const value = await waitFor(() => (++calls >= 3 ? { calls } : undefined), { intervalMs: 1 });
    expect(value).toEqual({ calls: 3 });
  });

  test('accepts async conditions and keeps polling through errors', async () => {
    let calls = 0;
    const value = await waitFor(
      async () => {
        calls++;
        if (calls < 3) throw new Error('not yet');
        return 'ready';
      },
      { intervalMs: 1 },
    );
    expect(value).toBe('ready');
  });

  test('times out with the message and the last error', async () => {
    const err = await waitFor(
      () => {
        throw new Error('still broken');
      },
      { timeoutMs: 30, intervalMs: 5, message: 'service never came up' },
    ).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WaitTimeoutError);
    expect((err as WaitTimeoutError).code).toBe('FFGATE_TEST_WAIT_TIMEOUT');
    expect((err as Error).message).toContain('service never came up');
    expect((err as Error).message).toContain('still broken');
    expect((err as Error).cause).toBeInstanceOf(Error);
  });
});
