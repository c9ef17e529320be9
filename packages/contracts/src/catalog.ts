import type { z } from 'zod';
import { IdentityEventSchemas, type IdentityEventType } from './events.ts';
import { identityTypeOfSubject } from './subjects.ts';
import { isTokenRevokedSubject, TokenRevokedEvent } from './tokens.ts';
import { jobSchemaForSubject } from './jobs.ts';
import { AuditRecordEvent } from './audit.ts';

/**
 * Validation entry point used by every Bus adapter, on publish and on consume.
 * Maps a concrete subject to the schema of its event type.
 */
export class ContractError extends Error {
  readonly code = 'FFGATE_CONTRACT_INVALID';
  readonly subject: string;
  readonly issues: unknown;
  constructor(subject: string, message: string, issues?: unknown) {
    super(`event on ${subject} violates its contract: ${message}`);
    this.name = 'ContractError';
    this.subject = subject;
    this.issues = issues;
  }
}

export type EventSchema = z.ZodType<{ id: string; type: string }>;

/** Schema for a concrete subject, or undefined when the subject has no declared contract. */
export function schemaForSubject(subject: string): EventSchema | undefined {
  const t = identityTypeOfSubject(subject);
  if (t && t in IdentityEventSchemas) return IdentityEventSchemas[t as IdentityEventType] as unknown as EventSchema;
  if (isTokenRevokedSubject(subject)) return TokenRevokedEvent as unknown as EventSchema;
  const job = jobSchemaForSubject(subject);
  if (job) return job;
  if (subject.startsWith('audit.')) return AuditRecordEvent;
  return undefined;
}

/** Validate an event for its subject; returns the parsed event or throws ContractError. */
export function validateEvent<T = unknown>(subject: string, event: unknown): T {
  const schema = schemaForSubject(subject);
  if (!schema) throw new ContractError(subject, 'no contract is declared for this subject');
  const r = schema.safeParse(event);
  if (!r.success) throw new ContractError(subject, r.error.message, r.error.issues);
  const typed = r.data;
  const expected = identityTypeOfSubject(subject);
  if (expected && typed.type !== expected) throw new ContractError(subject, `type ${typed.type} does not match subject`);
  return typed as T;
}
