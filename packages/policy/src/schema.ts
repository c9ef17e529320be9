import { z } from 'zod';

/**
 * The policy file's schema. Every object is strict: an unknown key (a typo such as `departmnet`)
 * is an error rather than a rule that silently never matches.
 */

/** Encoder profile and queue names: lower-case, digits, `.`, `_`, `-`; they travel inside JWTs. */
export const NAME_PATTERN = /^[a-z0-9][a-z0-9._-]{0,63}$/;
const Name = z.string().regex(NAME_PATTERN, `must match ${NAME_PATTERN} (lower case, digits, ".", "_", "-")`);
const Names = z.array(Name);
const Limit = z.int().min(0).max(1_000_000);

/**
 * Attributes a rule can match on. `group` compares against the displayName of each group the user
 * belongs to, `email` against each email value, `manager` against the manager's id and displayName;
 * the enterprise extension's attributes are addressed by their own names.
 */
export const MATCH_KEYS = [
  'department',
  'group',
  'title',
  'employeeNumber',
  'costCenter',
  'organization',
  'division',
  'manager',
  'userName',
  'externalId',
  'displayName',
  'nickName',
  'userType',
  'preferredLanguage',
  'locale',
  'timezone',
  'email',
] as const;
export type MatchKey = (typeof MATCH_KEYS)[number];

const MatchValue = z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]);
const Match = z.strictObject(
  Object.fromEntries(MATCH_KEYS.map((k) => [k, MatchValue.optional()])) as Record<MatchKey, z.ZodOptional<typeof MatchValue>>,
);

const Grant = z.strictObject({
  profiles: Names.optional(),
  queues: Names.optional(),
  maxRunning: Limit.optional(),
  maxQueued: Limit.optional(),
});

const Rule = z.strictObject({
  name: z.string().min(1).max(100),
  match: Match,
  grant: Grant,
});

export const PolicyDocument = z.strictObject({
  version: z.literal(1),
  defaults: z.strictObject({
    profiles: Names,
    queues: Names,
    maxRunning: Limit,
    maxQueued: Limit,
  }),
  rules: z.array(Rule).default([]),
});
export type PolicyDocument = z.infer<typeof PolicyDocument>;
export type PolicyRule = z.infer<typeof Rule>;
export type PolicyGrant = z.infer<typeof Grant>;
