import type { BulkOperation } from './request.ts';

/**
 * `bulkId:<id>` references (RFC 7644 §3.7.2): any string in an operation's `data` or `path` that
 * is exactly `bulkId:<id>` (or a path segment of it) names the resource another operation of the
 * same request creates.
 */
const PREFIX = 'bulkId:';

/** bulkIds an operation refers to */
export function referencesOf(operation: BulkOperation): Set<string> {
  const found = new Set<string>();
  const visit = (value: unknown): void => {
    if (typeof value === 'string') {
      if (value.startsWith(PREFIX)) found.add(value.slice(PREFIX.length));
    } else if (Array.isArray(value)) value.forEach(visit);
    else if (value !== null && typeof value === 'object') Object.values(value).forEach(visit);
  };
  visit(operation.data);
  for (const segment of operation.path.split('/')) visit(segment);
  return found;
}

/** `data`/`path` with every reference replaced by the created resource's id */
export function substitute<T>(value: T, created: ReadonlyMap<string, string>): T {
  if (typeof value === 'string') {
    if (value.startsWith(PREFIX)) return (created.get(value.slice(PREFIX.length)) ?? value) as T;
    return value;
  }
  if (Array.isArray(value)) return value.map((v) => substitute(v, created)) as T;
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, substitute(v, created)])) as T;
  }
  return value;
}

export function substitutePath(path: string, created: ReadonlyMap<string, string>): string {
  return path.split('/').map((segment) => substitute(segment, created)).join('/');
}

export interface ExecutionPlan {
  /** operations in an order where every referenced bulkId is created first (request order otherwise) */
  order: BulkOperation[];
  /** operations on a reference cycle: never run (409, §3.7.1 allows giving up on cycles) */
  circular: BulkOperation[];
}

/**
 * Stable topological order: repeatedly run the earliest operation whose references are all to
 * operations already placed. References to bulkIds no operation defines are left for the runner
 * to refuse. What cannot be placed is on (or behind) a cycle.
 */
export function planExecution(operations: BulkOperation[]): ExecutionPlan {
  const definedBy = new Map<string, BulkOperation>();
  for (const op of operations) if (op.bulkId !== undefined && op.method === 'POST') definedBy.set(op.bulkId, op);
  const needs = new Map<BulkOperation, BulkOperation[]>(
    operations.map((op) => [op, [...referencesOf(op)].map((id) => definedBy.get(id)).filter((d): d is BulkOperation => d !== undefined && d !== op)]),
  );
  const selfReferencing = new Set(operations.filter((op) => op.bulkId !== undefined && referencesOf(op).has(op.bulkId)));
  const placed = new Set<BulkOperation>();
  const order: BulkOperation[] = [];
  let progress = true;
  while (progress) {
    progress = false;
    for (const op of operations) {
      if (placed.has(op)) continue;
      if (!selfReferencing.has(op) && needs.get(op)!.every((d) => placed.has(d))) {
        placed.add(op);
        order.push(op);
        progress = true;
        break;
      }
    }
  }
  return { order, circular: operations.filter((op) => !placed.has(op)) };
}
