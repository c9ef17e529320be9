import { randomUUID } from 'node:crypto';
import { blankUserState, identitySubject, type IdentityEventType, type UserState } from '@ffgate/contracts';
import type { BusLogger, Delivery, Handler, Outcome, StreamSpec } from '../src/index.ts';

/** Test data and helpers shared by the bus contract suite. */
export const stream: StreamSpec = { name: 'IDENTITY', subjects: ['identity.>'], storage: 'file', retention: 'limits' };

export function userState(id: string): UserState {
  return blankUserState({ id, userName: `${id}@example.com`, displayName: `User ${id}` });
}

export interface TestEvent {
  subject: string;
  event: { id: string; type: string; resourceId: string; version: number } & Record<string, unknown>;
}

/** A valid identity user event and its subject. */
export function userEvent(resourceId: string, version = 1, type: IdentityEventType = 'identity.user.updated'): TestEvent {
  const event = { id: randomUUID(), type, time: new Date().toISOString(), resourceId, version, actor: 'contract-test', data: userState(resourceId) };
  return { subject: identitySubject(type, resourceId), event };
}

/** A valid identity group event and its subject. */
export function groupEvent(groupId: string, version = 1): TestEvent {
  const type = 'identity.group.updated';
  const data = { id: groupId, displayName: `Group ${groupId}`, externalId: null, members: [] };
  const event = { id: randomUUID(), type, time: new Date().toISOString(), resourceId: groupId, version, actor: null, data };
  return { subject: identitySubject(type, groupId), event };
}

export interface LogEntry {
  level: 'debug' | 'info' | 'warn' | 'error';
  obj: object;
  msg: string;
}

export function capturingLogger(): BusLogger & { entries: LogEntry[] } {
  const entries: LogEntry[] = [];
  const at = (level: LogEntry['level']) => (obj: object, msg: string) => void entries.push({ level, obj, msg });
  return { entries, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

type Event = TestEvent['event'];

/** Records deliveries; `decide` picks each outcome (default ack). */
export function recorder(decide: (d: Delivery<Event>) => Outcome | Promise<Outcome> = () => ({ kind: 'ack' })) {
  const deliveries: Delivery<Event>[] = [];
  const handler: Handler<Event> = async (d) => {
    deliveries.push(d);
    return decide(d);
  };
  return {
    deliveries,
    handler,
    ids: () => deliveries.map((d) => d.event.id),
    has: (id: string) => deliveries.some((d) => d.event.id === id),
  };
}
