import { describe, expect, test } from '@jest/globals';
import { createMemoryBus } from '@ffgate/bus';
import { AuditStream } from '@ffgate/contracts';
import { auditRecord, canonicalJson, chainRecord, publishAudit, verifyChains, type ChainedAuditRecord } from '../src/index.ts';

function chain(writer: string, n: number): ChainedAuditRecord[] {
  const out: ChainedAuditRecord[] = [];
  for (let i = 0; i < n; i++) {
    const rec = auditRecord({ writer, action: 'job.submitted', userId: 'u1', userName: 'ann', jobId: `j${i}`, details: { profile: 'h264-720p', i } });
    out.push(chainRecord(out.at(-1) ?? null, rec));
  }
  return out;
}

describe('canonicalJson', () => {
  test('sorts keys at every depth and drops undefined members', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { y: 2, x: 1 }], c: undefined } })).toBe('{"a":{"d":[1,{"x":1,"y":2}]},"b":1}');
  });
  test('equal objects with different key order give the same text', () => {
    expect(canonicalJson({ a: 1, b: 'x' })).toBe(canonicalJson({ b: 'x', a: 1 }));
  });
});

describe('verifyChains', () => {
  test('intact chains of several writers verify, in any input order', () => {
    const records = [...chain('gateway', 3), ...chain('transcoder:a', 2)].reverse();
    const result = verifyChains(records);
    expect(result.ok).toBe(true);
    expect(result.writers.map((w) => [w.writer, w.records, w.ok])).toEqual([
      ['gateway', 3, true],
      ['transcoder:a', 2, true],
    ]);
    expect(result.firstBroken).toBeUndefined();
  });

  test('an edited detail is named as the first broken record', () => {
    const records = chain('gateway', 4);
    records[2] = { ...records[2], details: { ...records[2].details, profile: 'hevc-1080p' } };
    const result = verifyChains(records);
    expect(result.ok).toBe(false);
    expect(result.firstBroken).toEqual({ writer: 'gateway', id: records[2].id, writerSeq: 3, reason: 'hash_mismatch' });
  });

  test('a deleted record breaks the sequence at the next one', () => {
    const records = chain('gateway', 4);
    const removed = records.splice(1, 1);
    expect(removed).toHaveLength(1);
    expect(verifyChains(records).firstBroken).toMatchObject({ id: records[1].id, reason: 'sequence_gap' });
  });

  test('a record re-hashed after editing still breaks the link of its successor', () => {
    const records = chain('gateway', 3);
    const forged = chainRecord({ writerSeq: 1, hash: records[0].hash }, { ...records[1], details: { forged: true } });
    records[1] = { ...forged, id: records[1].id };
    const result = verifyChains(records);
    // the forger recomputed record 2 (with its own id) but record 3 still points at the old hash
    expect(result.firstBroken?.writerSeq).toBeLessThanOrEqual(3);
    expect(result.ok).toBe(false);
  });

  test('time written in another ISO form (database round trip) still verifies', () => {
    const records = chain('scim', 2).map((r) => ({ ...r, time: r.time.replace('Z', '+00:00') }));
    expect(verifyChains(records).ok).toBe(true);
  });
});

describe('publishAudit', () => {
  test('publishes a valid audit.record on audit.<writer kind>.<user>', async () => {
    const bus = createMemoryBus();
    await bus.ensureStream(AuditStream);
    const seen: { subject: string; event: unknown }[] = [];
    await bus.consume({ stream: 'AUDIT', deliver: 'all' }, async (d) => {
      seen.push({ subject: d.subject, event: d.event });
      return { kind: 'ack' };
    });
    const rec = auditRecord({ writer: 'transcoder:r1', action: 'job.started', userId: 'u9', details: { pid: 42 } });
    await publishAudit(bus, rec);
    await new Promise<void>((resolve) => {
      const t = setInterval(() => seen.length > 0 && (clearInterval(t), resolve()), 5);
    });
    expect(seen[0]).toEqual({ subject: 'audit.transcoder.u9', event: rec });
    await bus.close();
  });

  test('auditRecord refuses an unknown action', () => {
    expect(() => auditRecord({ writer: 'x', action: 'nope' as never })).toThrow();
  });
});
