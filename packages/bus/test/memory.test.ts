import { describe, expect, test } from '@jest/globals';
import { createMemoryBus, subjectMatches, subjectsOverlap, type MemoryBus } from '../src/index.ts';
import { busContract } from './contract.ts';
import { stream, userEvent } from './fixtures.ts';

busContract('memory', async ({ logger }) => {
  const bus = createMemoryBus({ logger });
  return { bus, publishRaw: async (subject, data) => void (await bus.injectRaw(subject, data)) };
});

describe('memory bus specifics', () => {
  test('instances are isolated', async () => {
    const a: MemoryBus = createMemoryBus();
    const b: MemoryBus = createMemoryBus();
    await a.ensureStream(stream);
    const e = userEvent('iso');
    await a.publish(e.subject, e.event);
    await expect(b.publish(e.subject, e.event)).rejects.toMatchObject({ code: 'FFGATE_BUS_NO_STREAM' });
    await Promise.all([a.close(), b.close()]);
  });

  test('the validator is pluggable', async () => {
    const seen: string[] = [];
    const bus = createMemoryBus({
      validate: (subject, event) => {
        seen.push(subject);
        return event;
      },
    });
    await bus.ensureStream({ name: 'JOBS', subjects: ['jobs.>'] });
    const ack = await bus.publish('jobs.created', { anything: true });
    expect(ack).toMatchObject({ stream: 'JOBS', seq: 1, duplicate: false });
    expect(seen).toEqual(['jobs.created']);
    await bus.close();
  });
});

test('subject matching follows NATS wildcards', () => {
  expect(subjectMatches('identity.>', 'identity.user.updated.u1')).toBe(true);
  expect(subjectMatches('identity.>', 'identity')).toBe(false);
  expect(subjectMatches('identity.*.updated.*', 'identity.user.updated.u1')).toBe(true);
  expect(subjectMatches('identity.*.updated', 'identity.user.updated.u1')).toBe(false);
  expect(subjectMatches('identity.user.updated.u1', 'identity.user.updated.u1')).toBe(true);
  expect(subjectMatches('identity.user.*', 'identity.group.x')).toBe(false);
});

test('overlapping stream subjects are detected', () => {
  expect(subjectsOverlap('identity.>', 'identity.user.*')).toBe(true);
  expect(subjectsOverlap('identity.*.x', 'identity.user.*')).toBe(true);
  expect(subjectsOverlap('identity.user.*', 'identity.group.*')).toBe(false);
  expect(subjectsOverlap('jobs.>', 'identity.>')).toBe(false);
  expect(subjectsOverlap('a.b', 'a.b.c')).toBe(false);
});
