import { describe, expect, test } from '@jest/globals';
import { ContractError, IdentityEvent } from '@ffgate/contracts';
import { identityEventMessage, toGroupState, toUserState } from '../../src/events/index.ts';

const time = new Date('2026-12-04T10:00:00.000Z');

describe('identityEventMessage', () => {
  test('builds the subject and envelope per the contract', () => {
    const data = toGroupState({ id: 'g1', displayName: 'Eng', externalId: null, members: [{ id: 'u1', displayName: 'Ann' }] });
    const message = identityEventMessage('identity.group.created', { resourceId: 'g1', version: 1, actor: 'okta', time, data }, () => 'e1');
    expect(message).toEqual({
      subject: 'identity.group.created.g1',
      event: {
        id: 'e1',
        type: 'identity.group.created',
        time: '2026-12-04T10:00:00.000Z',
        resourceId: 'g1',
        version: 1,
        actor: 'okta',
        data: { id: 'g1', displayName: 'Eng', externalId: null, members: [{ id: 'u1', displayName: 'Ann', type: 'User' }] },
      },
    });
    expect(IdentityEvent.parse(message.event)).toEqual(message.event);
  });

  test('event ids are fresh UUIDs by default', () => {
    const data = toUserState({ id: 'u1', userName: 'a', externalId: null, active: true, groups: [], resource: {} });
    const a = identityEventMessage('identity.user.created', { resourceId: 'u1', version: 1, actor: null, time, data });
    const b = identityEventMessage('identity.user.created', { resourceId: 'u1', version: 1, actor: null, time, data });
    expect(a.event.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(a.event.id).not.toBe(b.event.id);
  });

  test('data that breaks the contract fails loudly with ContractError', () => {
    const bad = { id: 'g1', displayName: 'Eng', externalId: null, members: [{ id: 'u1', displayName: 'Ann', type: 'Robot' }] };
    expect(() => identityEventMessage('identity.group.updated', { resourceId: 'g1', version: 2, actor: null, time, data: bad })).toThrow(ContractError);
    const userData = toUserState({ id: 'u1', userName: 'a', externalId: null, active: true, groups: [], resource: {} });
    expect(() => identityEventMessage('identity.group.updated', { resourceId: 'u1', version: 0, actor: null, time, data: userData })).toThrow(
      ContractError,
    );
  });
});
