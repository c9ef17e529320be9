import type { IdentityEventType } from '@ffgate/contracts';

/**
 * Which event a user update emits. A flip of `active` is the deprovisioning signal consumers act
 * on (revoke tokens, stop jobs), so it wins even when other attributes changed in the same write:
 * the event carries the full new state anyway.
 */
export function userUpdateEventType(wasActive: boolean, isActive: boolean): IdentityEventType {
  if (wasActive && !isActive) return 'identity.user.deactivated';
  if (!wasActive && isActive) return 'identity.user.reactivated';
  return 'identity.user.updated';
}
