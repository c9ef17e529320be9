export { PolicyError, type PolicyIssue } from './errors.ts';
export { NAME_PATTERN, MATCH_KEYS, PolicyDocument, type MatchKey, type PolicyRule, type PolicyGrant } from './schema.ts';
export { compilePolicy, type Policy, type CompiledRule } from './compile.ts';
export { parsePolicy, loadPolicy, loadPolicyFile, DEFAULT_POLICY_PATH, type PolicyFormat } from './load.ts';
export { evaluate, lostGrants, NO_ROLES, type Roles } from './evaluate.ts';
export { openPolicy, watchPolicy, type PolicyWatcher, type PolicyWatchOptions } from './watch.ts';
