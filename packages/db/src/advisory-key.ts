import { createHash } from 'node:crypto';

/**
 * A stable signed 64-bit advisory lock key for a name. PostgreSQL advisory locks take a bigint;
 * hashing the name keeps keys of unrelated subsystems ("ffgate:migrate:scim",
 * "ffgate:outbox:scim") apart without a registry of numbers.
 */
export function advisoryKey(name: string): bigint {
  const digest = createHash('sha256').update(name).digest();
  return digest.readBigInt64BE(0);
}
