import { describe, expect, test } from '@jest/globals';
import { IdentityEvent, type UserState } from '@ffgate/contracts';
import { FakeIdp, testUserState } from '@ffgate/testing';

/** records what FakeIdp publishes (a strict fake of the one Bus method it uses) */
function recordingBus() {
  const sent: { subject: string; event: unknown; msgId?: string }[] = [];
  return {
    sent,
    async publish(subject: string, event: unknown, options?: { msgId?: string }) {
      sent.push({ subject, event, msgId: options?.msgId });
      return { stream: 'IDENTITY', seq: sent.length, duplicate: false };
    },
  };
}

describe('FakeIdp', () => {
  test('publishes schema-valid user events on identity.user.<change>.<id> with per-user versions', async () => {
    const bus = recordingBus();
    const idp = new FakeIdp(bus);
    await idp.create('ann');
    await idp.create('bob');
    await idp.update('ann', { title: 'Editor' });
    await idp.deactivate('ann');
    await idp.reactivate('ann');
    await idp.delete('ann');

    expect(bus.sent.map((s) => s.subject)).toEqual([
      'identity.user.created.ann',
      'identity.user.created.bob',
      'identity.user.updated.ann',
      'identity.user.deactivated.ann',
      'identity.user.reactivated.ann',
      'identity.user.deleted.ann',
    ]);
    const events = bus.sent.map((s) => IdentityEvent.parse(s.event));
    expect(events.map((e) => [e.resourceId, e.version])).toEqual([['ann', 1], ['bob', 1], ['ann', 2], ['ann', 3], ['ann', 4], ['ann', 5]]);
    expect(bus.sent.every((s) => s.msgId === (s.event as { id: string }).id)).toBe(true);
    expect(events.every((e) => e.actor === 'okta')).toBe(true);
    expect(idp.version('ann')).toBe(5);
    expect(idp.version('nobody')).toBe(0);
  });

  test('each change starts from the last published state', async () => {
    const bus = recordingBus();
    const idp = new FakeIdp(bus);
    await idp.create('cy', { displayName: 'Cy' });
    await idp.update('cy', { title: 'Producer' });
    const deactivated = await idp.deactivate('cy');
    expect(deactivated.data).toMatchObject({ id: 'cy', userName: 'cy@example.com', displayName: 'Cy', title: 'Producer', active: false });
    expect((await idp.reactivate('cy')).data.active).toBe(true);
    expect(idp.states.get('cy')).toMatchObject({ title: 'Producer', active: true });
  });

  test('actor and the created user’s shape are configurable; publish takes a whole state', async () => {
    const bus = recordingBus();
    const user = (id: string, overrides: Partial<UserState>) => testUserState(id, { externalId: `ext-${id}`, ...overrides });
    const idp = new FakeIdp(bus, { actor: 'test-idp', user });
    expect((await idp.create('di')).data.externalId).toBe('ext-di');
    expect((await idp.create('ed', { externalId: null })).data.externalId).toBeNull();
    const event = await idp.publish('identity.user.updated', testUserState('di', { title: 'x' }), { actor: null });
    expect(event).toMatchObject({ version: 2, actor: null, data: { title: 'x' } });
    expect(IdentityEvent.parse(bus.sent[0].event).actor).toBe('test-idp');
  });

  test('changing a user that was never created is a test bug, reported as such', async () => {
    const idp = new FakeIdp(recordingBus());
    expect(() => idp.deactivate('ghost')).toThrow(/ghost was never published/);
  });
});
