import express, { Router, type RequestHandler } from 'express';
import type { IdentityStore, ResourceType, StoredResource } from '../../store/port.ts';
import { ENDPOINT, etagOf, MAX_BULK_PAYLOAD, scimError } from '../../scimmy/index.ts';
import { connectionOf, scimBaseOf } from '../context.ts';
import { mapError } from '../errors.ts';
import type { Leniency } from '../leniency-hook.ts';
import type { ScimLogger } from '../logger.ts';
import { resourceOperations, type ResourceOperations } from '../operations.ts';
import { writeContextFor } from '../resource-routes.ts';
import { sendScim } from '../send.ts';
import { planExecution, referencesOf, substitute, substitutePath } from './references.ts';
import { BULK_RESPONSE, parseBulkRequest, targetOf, type BulkOperation } from './request.ts';

export interface BulkDeps {
  store: IdentityStore;
  leniency: Leniency;
  logger: ScimLogger;
}

interface OperationResult {
  method: string;
  bulkId?: string;
  version?: string;
  location?: string;
  status: string;
  response?: unknown;
}

/**
 * Body parser for /Bulk with the advertised maxPayloadSize (the other routes keep their own limit).
 * Oversized → 413 naming the limit (RFC 7644 §3.7.4).
 */
export function parseBulkBody(): RequestHandler {
  const parse = express.json({ type: ['application/scim+json', 'application/json'], limit: MAX_BULK_PAYLOAD, strict: true });
  return (req, res, next) => {
    parse(req, res, (error?: unknown) => {
      if ((error as { type?: string } | undefined)?.type === 'entity.too.large') {
        next(scimError(413, null, `Bulk request is larger than maxPayloadSize (${MAX_BULK_PAYLOAD} bytes).`));
        return;
      }
      next(error as Error | undefined);
    });
  };
}

/** POST /Bulk: runs each operation through the same write path as the single-resource routes. */
export function bulkRoutes(deps: BulkDeps): Router {
  const operations: Record<ResourceType, ResourceOperations> = {
    User: resourceOperations('User', deps),
    Group: resourceOperations('Group', deps),
  };
  const router = Router();

  router.post('/', async (req, res) => {
    const request = parseBulkRequest(req.body);
    const base = scimBaseOf(res);
    const actor = connectionOf(res).name;
    const plan = planExecution(request.operations);
    const created = new Map<string, string>();
    const failedBulkIds = new Set<string>();
    const results = new Map<BulkOperation, OperationResult>();
    let errors = 0;

    const fail = (op: BulkOperation, error: unknown): void => {
      const { status, body } = mapError(error, deps.logger);
      if (op.bulkId !== undefined) failedBulkIds.add(op.bulkId);
      results.set(op, { method: op.method, ...(op.bulkId !== undefined ? { bulkId: op.bulkId } : {}), status: String(status), response: body });
      errors++;
    };

    for (const op of plan.order) {
      // failOnErrors (§3.7.3): stop once that many operations failed; the rest is not attempted
      if (request.failOnErrors !== undefined && errors >= request.failOnErrors) break;
      try {
        results.set(op, await run(op));
      } catch (error) {
        fail(op, error);
      }
    }
    for (const op of plan.circular) {
      if (request.failOnErrors !== undefined && errors >= request.failOnErrors) break;
      fail(op, scimError(409, null, `Operation with ${op.bulkId ? `bulkId '${op.bulkId}'` : `path '${op.path}'`} is on, or depends on, a circular bulkId reference.`));
    }

    // responses in request order; operations not attempted after failOnErrors are left out
    const Operations = request.operations.filter((op) => results.has(op)).map((op) => results.get(op)!);
    sendScim(res, 200, { schemas: [BULK_RESPONSE], Operations });

    async function run(op: BulkOperation): Promise<OperationResult> {
      for (const ref of referencesOf(op)) {
        if (failedBulkIds.has(ref)) throw scimError(409, null, `bulkId '${ref}' refers to an operation that failed.`);
        if (!created.has(ref)) throw scimError(400, 'invalidValue', `bulkId '${ref}' is not defined by a POST in this request.`);
      }
      const { type, id } = targetOf(op, substitutePath(op.path, created));
      const data = substitute(op.data, created);
      const ops = operations[type];
      const context = async (target: string) => writeContextFor(deps.store, type, target, op.version, actor);
      const head = { method: op.method, ...(op.bulkId !== undefined ? { bulkId: op.bulkId } : {}) };
      const done = (status: number, stored: StoredResource): OperationResult => ({
        ...head,
        location: `${base}/${ENDPOINT[type]}/${stored.id}`,
        version: etagOf(stored.version),
        status: String(status),
      });
      switch (op.method) {
        case 'POST': {
          const stored = await ops.create(data, { actor });
          created.set(op.bulkId!, stored.id);
          return done(201, stored);
        }
        case 'PUT':
          return done(200, await ops.replace(id!, data, await context(id!)));
        case 'PATCH':
          return done(200, await ops.patch(id!, data, base, await context(id!)));
        case 'DELETE':
          await ops.remove(id!, await context(id!));
          return { ...head, location: `${base}/${ENDPOINT[type]}/${id!}`, status: '204' };
      }
    }
  });

  router.all('/', () => {
    throw scimError(405, null, '/Bulk accepts POST only.');
  });
  return router;
}
