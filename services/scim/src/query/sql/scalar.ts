import { sql, type SQL } from 'drizzle-orm';
import { InvalidFilterError } from '../errors.ts';
import type { CompareOp, Literal } from '../filter/ast.ts';
import type { AttributeType } from '../schema-definitions.ts';

/**
 * One comparable value of a resource, as SQL:
 * - `column`: a typed column (text, boolean, timestamptz) or a text expression over columns;
 * - `json`: a jsonb value that may be missing, JSON null or of an unexpected JSON type;
 * - `constant`: a value the server knows without looking (meta.resourceType, groups.type).
 * Values from the filter are always bound parameters; only schema-derived names are inlined.
 */
export interface Scalar {
  /** attribute path for error messages, e.g. `emails.value` */
  name: string;
  type: Exclude<AttributeType, 'complex'>;
  caseExact: boolean;
  source: 'column' | 'json' | 'constant';
  expr: SQL;
}

const STRING_LIKE = new Set(['string', 'reference', 'binary']);
const ORDERING: Partial<Record<CompareOp, string>> = { gt: '>', ge: '>=', lt: '<', le: '<=' };

/** The value as text (JSON strings unquoted). */
export function textOf(s: Scalar): SQL {
  return s.source === 'json' ? sql`(${s.expr} #>> '{}')` : s.expr;
}

/** RFC 7644 `pr`: not missing, not JSON null, not an empty string, array or object. Never NULL. */
export function presentScalar(s: Scalar): SQL {
  if (s.source === 'constant') return sql`true`;
  if (s.source === 'json') {
    return sql`coalesce(jsonb_typeof(${s.expr}) <> 'null' and ${s.expr} not in ('""'::jsonb, '[]'::jsonb, '{}'::jsonb), false)`;
  }
  if (STRING_LIKE.has(s.type)) return sql`coalesce(${s.expr} <> '', false)`;
  return sql`(${s.expr} is not null)`;
}

/**
 * `attr op value` for eq, co, sw, ew, gt, ge, lt, le (ne and null are handled by the caller).
 * May evaluate to NULL when the attribute is missing: callers wrap it in coalesce(…, false).
 */
export function compareScalar(s: Scalar, op: CompareOp, value: Literal): SQL {
  if (STRING_LIKE.has(s.type)) return compareString(s, op, value);
  if (s.type === 'boolean') return compareBoolean(s, op, value);
  if (s.type === 'dateTime') return compareDateTime(s, op, value);
  return compareNumber(s, op, value);
}

function compareString(s: Scalar, op: CompareOp, value: Literal): SQL {
  if (typeof value === 'number') value = String(value);
  if (typeof value !== 'string') throw new InvalidFilterError(`"${s.name}" is a string: compare it with a quoted string`);
  // caseExact: false → lower() on both sides (RFC 7643 §2.2); ordering by code point (COLLATE "C"),
  // which is also what makes PostgreSQL and PGlite agree.
  const fold = (x: SQL) => (s.caseExact ? x : sql`lower(${x})`);
  const left = fold(textOf(s));
  if (op === 'eq') return sql`${left} = ${fold(sql`${value}::text`)}`;
  if (op === 'co' || op === 'sw' || op === 'ew') {
    const escaped = value.replace(/[\\%_]/g, '\\$&');
    const pattern = op === 'co' ? `%${escaped}%` : op === 'sw' ? `${escaped}%` : `%${escaped}`;
    return sql`${left} like ${fold(sql`${pattern}::text`)} escape '\\'`;
  }
  return sql`${left} collate "C" ${sql.raw(ORDERING[op]!)} ${fold(sql`${value}::text`)}`;
}

function compareBoolean(s: Scalar, op: CompareOp, value: Literal): SQL {
  if (op !== 'eq') throw new InvalidFilterError(`"${s.name}" is boolean: only eq, ne and pr apply, not ${op}`);
  // Entra ID sends `active eq "False"`: accept the strings true/false in any case
  const bool = typeof value === 'string' && /^(true|false)$/i.test(value) ? value.toLowerCase() === 'true' : value;
  if (typeof bool !== 'boolean') throw new InvalidFilterError(`"${s.name}" is boolean: compare it with true or false`);
  if (s.source === 'column') return sql`${s.expr} = ${bool}::boolean`;
  // a JSON boolean (or a "True"/"False" string an IdP stored) as text
  return sql`lower(${textOf(s)}) = ${String(bool)}::text`;
}

function compareDateTime(s: Scalar, op: CompareOp, value: Literal): SQL {
  if (op !== 'eq' && ORDERING[op] === undefined) throw new InvalidFilterError(`"${s.name}" is a dateTime: ${op} does not apply`);
  const iso = typeof value === 'string' ? toIsoInstant(value) : undefined;
  if (iso === undefined) throw new InvalidFilterError(`"${s.name}" is a dateTime: compare it with an ISO 8601 date-time string`);
  const sqlOp = sql.raw(op === 'eq' ? '=' : ORDERING[op]!);
  if (s.source === 'column') return sql`${s.expr} ${sqlOp} ${iso}::timestamptz`;
  // jsonb dateTimes are ISO strings: compare as instants only when the stored text is one
  return sql`(case when ${textOf(s)} ~ '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}' then ${textOf(s)}::timestamptz end) ${sqlOp} ${iso}::timestamptz`;
}

function compareNumber(s: Scalar, op: CompareOp, value: Literal): SQL {
  if (op !== 'eq' && ORDERING[op] === undefined) throw new InvalidFilterError(`"${s.name}" is a number: ${op} does not apply`);
  if (typeof value !== 'number') throw new InvalidFilterError(`"${s.name}" is a number: compare it with a number`);
  const sqlOp = sql.raw(op === 'eq' ? '=' : ORDERING[op]!);
  return sql`${numberOf(s)} ${sqlOp} ${value}::numeric`;
}

function numberOf(s: Scalar): SQL {
  if (s.source !== 'json') return s.expr;
  return sql`(case when jsonb_typeof(${s.expr}) = 'number' then (${s.expr} #>> '{}')::numeric end)`;
}

/** The key to ORDER BY for this value (NULL when missing), or undefined when every row has the same value. */
export function sortKey(s: Scalar): SQL | undefined {
  if (s.source === 'constant') return undefined;
  if (STRING_LIKE.has(s.type)) return s.caseExact ? sql`${textOf(s)} collate "C"` : sql`lower(${textOf(s)}) collate "C"`;
  if (s.type === 'boolean') return s.source === 'column' ? s.expr : sql`lower(${textOf(s)})`;
  if (s.type === 'integer' || s.type === 'decimal') return numberOf(s);
  return s.source === 'column' ? s.expr : textOf(s);
}

const DATE_TIME = /^\d{4}-\d{2}-\d{2}(?:[Tt ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?(?:[Zz]|[+-]\d{2}:?\d{2})?$/;

/** xsd:dateTime (and a bare date) → ISO instant; no offset means UTC so results don't depend on the server's zone. */
function toIsoInstant(value: string): string | undefined {
  if (!DATE_TIME.test(value)) return undefined;
  const hasTime = value.length > 10;
  const hasOffset = /(?:[Zz]|[+-]\d{2}:?\d{2})$/.test(value.slice(10));
  const date = new Date(hasTime && !hasOffset ? `${value.replace(' ', 'T')}Z` : value.replace(' ', 'T'));
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}
