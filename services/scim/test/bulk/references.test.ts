import { describe, expect, it } from '@jest/globals';
import { planExecution, referencesOf, substitute, substitutePath } from '../../src/http/bulk/references.ts';
import type { BulkOperation } from '../../src/http/bulk/request.ts';

const post = (index: number, bulkId: string, data: unknown = {}): BulkOperation => ({ index, method: 'POST', path: '/Users', bulkId, data });
const labels = (ops: BulkOperation[]) => ops.map((op) => op.bulkId ?? op.path);

describe('bulkId references', () => {
  it('finds references in nested data and in path segments', () => {
    const op: BulkOperation = { index: 0, method: 'PATCH', path: '/Groups/bulkId:g', data: { Operations: [{ value: [{ value: 'bulkId:u1' }, { value: 'plain' }] }] } };
    expect([...referencesOf(op)].sort()).toEqual(['g', 'u1']);
  });

  it('substitutes created ids and leaves unknown references alone', () => {
    const created = new Map([['u1', 'id-1']]);
    expect(substitute({ members: [{ value: 'bulkId:u1' }, { value: 'bulkId:zz' }], note: 'bulkId:u1 in text' }, created)).toEqual({
      members: [{ value: 'id-1' }, { value: 'bulkId:zz' }],
      note: 'bulkId:u1 in text',
    });
    expect(substitutePath('/Users/bulkId:u1', created)).toBe('/Users/id-1');
  });

  it('orders dependencies first and otherwise keeps request order', () => {
    const plan = planExecution([
      post(0, 'g', { members: [{ value: 'bulkId:b' }, { value: 'bulkId:a' }] }),
      post(1, 'a'),
      post(2, 'b', { manager: { value: 'bulkId:a' } }),
      post(3, 'c'),
    ]);
    expect(labels(plan.order)).toEqual(['a', 'b', 'g', 'c']);
    expect(plan.circular).toEqual([]);
  });

  it('puts a three-way cycle, a self-reference and what depends on them aside; the rest still runs', () => {
    const plan = planExecution([
      post(0, 'x', { m: 'bulkId:y' }),
      post(1, 'y', { m: 'bulkId:z' }),
      post(2, 'z', { m: 'bulkId:x' }),
      post(3, 'self', { m: 'bulkId:self' }),
      post(4, 'behind', { m: 'bulkId:z' }),
      post(5, 'free', { m: 'bulkId:undefined-elsewhere' }),
    ]);
    expect(labels(plan.order)).toEqual(['free']);
    expect(labels(plan.circular)).toEqual(['x', 'y', 'z', 'self', 'behind']);
  });
});
