import { blankUserState, type UserState } from '@ffgate/contracts';

/** A complete UserState with everything empty; tests override what they care about. */
export function user(overrides: Partial<UserState> & { department?: string | null } = {}): UserState {
  const { department = null, ...rest } = overrides;
  const blank = blankUserState({ id: 'u-1', userName: 'ada@example.com' });
  return { ...blank, enterprise: { ...blank.enterprise, department }, ...rest };
}
