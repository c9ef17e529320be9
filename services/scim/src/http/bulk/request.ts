import { MAX_BULK_OPERATIONS, scimError } from '../../scimmy/index.ts';
import type { ResourceType } from '../../store/port.ts';

export const BULK_REQUEST = 'urn:ietf:params:scim:api:messages:2.0:BulkRequest';
export const BULK_RESPONSE = 'urn:ietf:params:scim:api:messages:2.0:BulkResponse';

export type BulkMethod = 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface BulkOperation {
  /** position in the request (responses and dependency order refer to it) */
  index: number;
  method: BulkMethod;
  /** as sent, e.g. `/Users`, `/Groups/bulkId:g1` */
  path: string;
  bulkId?: string;
  version?: string;
  data?: unknown;
}

export interface BulkRequest {
  failOnErrors?: number;
  operations: BulkOperation[];
}

const METHODS: readonly BulkMethod[] = ['POST', 'PUT', 'PATCH', 'DELETE'];

/**
 * A BulkRequest message (RFC 7644 §3.7) checked as a whole before anything runs: a malformed
 * message or one over `maxOperations` writes nothing. Per-operation problems that only show when
 * the operation runs (bad path, bad data) become that operation's error response instead.
 */
export function parseBulkRequest(body: unknown): BulkRequest {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) throw scimError(400, 'invalidSyntax', 'request body must be a BulkRequest message');
  const message = body as Record<string, unknown>;
  if (!Array.isArray(message.schemas) || !message.schemas.includes(BULK_REQUEST)) {
    throw scimError(400, 'invalidSyntax', `BulkRequest must list the schema ${BULK_REQUEST}`);
  }
  if (!Array.isArray(message.Operations)) throw scimError(400, 'invalidSyntax', 'BulkRequest must have an Operations array');
  if (message.Operations.length > MAX_BULK_OPERATIONS) {
    throw scimError(413, null, `BulkRequest has ${message.Operations.length} operations; maxOperations is ${MAX_BULK_OPERATIONS}.`);
  }
  const failOnErrors = message.failOnErrors;
  if (failOnErrors !== undefined && failOnErrors !== null && !(Number.isInteger(failOnErrors) && (failOnErrors as number) >= 1)) {
    throw scimError(400, 'invalidValue', 'failOnErrors must be a positive integer');
  }
  const bulkIds = new Set<string>();
  const operations = message.Operations.map((raw, index) => {
    const operation = parseOperation(raw, index);
    if (operation.bulkId !== undefined) {
      if (bulkIds.has(operation.bulkId)) throw scimError(400, 'invalidValue', `bulkId '${operation.bulkId}' is used by more than one operation`);
      bulkIds.add(operation.bulkId);
    }
    return operation;
  });
  return { ...(typeof failOnErrors === 'number' ? { failOnErrors } : {}), operations };
}

function parseOperation(raw: unknown, index: number): BulkOperation {
  const where = `Operations[${index}]`;
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) throw scimError(400, 'invalidSyntax', `${where} must be an object`);
  const op = raw as Record<string, unknown>;
  const method = typeof op.method === 'string' ? (op.method.toUpperCase() as BulkMethod) : undefined;
  if (!method || !METHODS.includes(method)) throw scimError(400, 'invalidValue', `${where}.method must be one of ${METHODS.join(', ')}`);
  if (typeof op.path !== 'string' || op.path.trim() === '') throw scimError(400, 'invalidValue', `${where}.path is required`);
  const bulkId = optionalString(op.bulkId, `${where}.bulkId`);
  // §3.7: bulkId is REQUIRED for POST (the client needs it to find the created resource)
  if (method === 'POST' && bulkId === undefined) throw scimError(400, 'invalidValue', `${where}.bulkId is required for POST`);
  const version = optionalString(op.version, `${where}.version`);
  if ((method === 'POST' || method === 'PUT' || method === 'PATCH') && (op.data === undefined || op.data === null)) {
    throw scimError(400, 'invalidValue', `${where}.data is required for ${method}`);
  }
  return { index, method, path: op.path.trim(), ...(bulkId !== undefined ? { bulkId } : {}), ...(version !== undefined ? { version } : {}), ...(op.data !== undefined ? { data: op.data } : {}) };
}

function optionalString(value: unknown, name: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string' || value.trim() === '') throw scimError(400, 'invalidValue', `${name} must be a non-empty string`);
  return value;
}

const ENDPOINTS: Record<string, ResourceType> = { users: 'User', groups: 'Group' };

/** `/Users`, `/Groups/<id>` (ids already resolved) → the target; anything else is a 400 */
export function targetOf(operation: BulkOperation, path: string): { type: ResourceType; id?: string } {
  const match = /^\/?([A-Za-z]+)(?:\/([^/?#]+))?\/?$/.exec(path);
  const type = match ? ENDPOINTS[match[1]!.toLowerCase()] : undefined;
  if (!match || !type) throw scimError(400, 'invalidPath', `path '${operation.path}' must be /Users or /Groups, optionally with an id`);
  const id = match[2] !== undefined ? decodeURIComponent(match[2]) : undefined;
  if (operation.method === 'POST' && id !== undefined) throw scimError(400, 'invalidPath', 'POST goes to /Users or /Groups without an id');
  if (operation.method !== 'POST' && id === undefined) throw scimError(400, 'invalidPath', `${operation.method} needs a resource id in its path`);
  return { type, ...(id !== undefined ? { id } : {}) };
}
