import { randomUUID } from 'node:crypto';
import { identitySubject, validateEvent, type IdentityEvent, type IdentityEventType } from '@ffgate/contracts';
import type { OutboxMessage } from '@ffgate/outbox';

export interface EventFacts<D> {
  resourceId: string;
  /** the resource's version after the change (the deleted event: one past the last stored version) */
  version: number;
  actor: string | null;
  /** commit time of the change */
  time: Date;
  data: D;
}

/**
 * Build an identity event and its outbox message. The event is validated against its contract
 * here, before it can reach the outbox: a mapping bug throws ContractError inside the write's
 * transaction (which rolls back) instead of publishing something consumers will reject.
 */
export function identityEventMessage<D>(type: IdentityEventType, facts: EventFacts<D>, newId: () => string = randomUUID): OutboxMessage {
  const subject = identitySubject(type, facts.resourceId);
  const event = {
    id: newId(),
    type,
    time: facts.time.toISOString(),
    resourceId: facts.resourceId,
    version: facts.version,
    actor: facts.actor,
    data: facts.data,
  };
  validateEvent<IdentityEvent>(subject, event);
  return { subject, event };
}
