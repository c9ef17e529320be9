import { inArray } from 'drizzle-orm';
import type { Tx } from './executor.ts';
import { InvalidValueError } from './errors.ts';
import { groups } from './schema.ts';

/**
 * Every member must be an existing User. `locked` holds the users found (and locked) among the
 * requested ids; anything else is refused before a single row is written. Ids that turn out to
 * be groups get their own message: nested groups are unsupported, not unknown.
 */
export async function assertKnownUsers(tx: Tx, requested: string[], locked: Map<string, unknown>): Promise<void> {
  const unknown = requested.filter((id) => !locked.has(id));
  if (unknown.length === 0) return;
  const rows = await tx.select({ id: groups.id }).from(groups).where(inArray(groups.id, unknown));
  const nested = new Set(rows.map((g) => g.id));
  const problems: string[] = [];
  const missing = unknown.filter((id) => !nested.has(id));
  if (missing.length > 0) problems.push(`members ${list(missing)} are not existing Users`);
  if (nested.size > 0) problems.push(`members ${list([...nested])} are Groups: nested groups are not supported`);
  throw new InvalidValueError(problems.join('; '));
}

function list(ids: string[]): string {
  return ids.map((id) => `"${id}"`).join(', ');
}
