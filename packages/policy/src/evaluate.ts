import type { UserState } from '@ffgate/contracts';
import { normalize, type CompiledRule, type Policy } from './compile.ts';
import type { MatchKey } from './schema.ts';

/** What a user may do. Lists are sorted so equal roles compare equal (and tokens are stable). */
export interface Roles {
  profiles: string[];
  queues: string[];
  /** jobs at once across all transcoders */
  maxRunning: number;
  /** jobs waiting */
  maxQueued: number;
  /** names of the rules that matched, in policy order */
  matchedRules: string[];
}

/** An inactive user gets nothing; the token service refuses to mint for them anyway. */
export const NO_ROLES: Readonly<Roles> = Object.freeze({ profiles: [], queues: [], maxRunning: 0, maxQueued: 0, matchedRules: [] });

/** Roles of `user` under `policy`: defaults, plus the union (profiles, queues) and max (limits) of every matching rule. */
export function evaluate(policy: Policy, user: UserState): Roles {
  if (!user.active) return { ...NO_ROLES, profiles: [], queues: [], matchedRules: [] };
  const d = policy.document.defaults;
  const profiles = new Set(d.profiles);
  const queues = new Set(d.queues);
  let { maxRunning, maxQueued } = d;
  const matchedRules: string[] = [];
  for (const rule of policy.rules) {
    if (!matches(rule, user)) continue;
    matchedRules.push(rule.name);
    rule.grant.profiles?.forEach((p) => profiles.add(p));
    rule.grant.queues?.forEach((q) => queues.add(q));
    maxRunning = Math.max(maxRunning, rule.grant.maxRunning ?? 0);
    maxQueued = Math.max(maxQueued, rule.grant.maxQueued ?? 0);
  }
  return { profiles: [...profiles].sort(), queues: [...queues].sort(), maxRunning, maxQueued, matchedRules };
}

/** Every condition must hold; a condition holds when any of the user's values equals any listed value. */
function matches(rule: CompiledRule, user: UserState): boolean {
  return rule.conditions.every(({ key, anyOf }) => attributeValues(user, key).some((v) => anyOf.has(normalize(v))));
}

function attributeValues(user: UserState, key: MatchKey): string[] {
  const present = (...values: (string | null | undefined)[]) => values.filter((v): v is string => typeof v === 'string');
  const e = user.enterprise;
  switch (key) {
    case 'group':
      return user.groups.map((g) => g.displayName);
    case 'email':
      return present(...user.emails.map((m) => m.value));
    case 'manager':
      return e.manager ? present(e.manager.value, e.manager.displayName) : [];
    case 'department':
    case 'employeeNumber':
    case 'costCenter':
    case 'organization':
    case 'division':
      return present(e[key]);
    default:
      return present(user[key]);
  }
}

/** Profiles and queues present `before` but not `after`: credentials carrying them must be revoked. */
export function lostGrants(before: Pick<Roles, 'profiles' | 'queues'>, after: Pick<Roles, 'profiles' | 'queues'>): { profiles: string[]; queues: string[]; any: boolean } {
  const profiles = before.profiles.filter((p) => !after.profiles.includes(p)).sort();
  const queues = before.queues.filter((q) => !after.queues.includes(q)).sort();
  return { profiles, queues, any: profiles.length + queues.length > 0 };
}
