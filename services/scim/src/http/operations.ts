import type { IdentityStore, ResourceType, ScimJson, StoredResource, WriteContext } from '../store/port.ts';
import { applyPatch, parseResource } from '../scimmy/index.ts';
import type { Leniency } from './leniency-hook.ts';

/**
 * The write path of one resource type — leniency → scimmy validation → store — shared by the
 * single-resource routes and /Bulk, so a bulk operation behaves exactly like the same request
 * sent on its own.
 */
export interface ResourceOperations {
  create(body: unknown, ctx: WriteContext): Promise<StoredResource>;
  replace(id: string, body: unknown, ctx: WriteContext): Promise<StoredResource>;
  patch(id: string, message: unknown, base: string, ctx: WriteContext): Promise<StoredResource>;
  remove(id: string, ctx: WriteContext): Promise<void>;
}

export interface OperationDeps {
  store: IdentityStore;
  leniency: Leniency;
}

export function resourceOperations(type: ResourceType, deps: OperationDeps): ResourceOperations {
  const { store, leniency } = deps;

  /** LENIENCY HOOK: the body normalised before scimmy sees it */
  const normalized = (method: 'POST' | 'PUT' | 'PATCH', body: unknown, id?: string): unknown =>
    leniency.normalizeScimRequest({ method, resourceType: type, ...(id !== undefined ? { id } : {}), body, query: {} }).body;

  return {
    async create(body, ctx) {
      return store.create(type, parseResource(type, normalized('POST', body)), ctx);
    },

    // PUT replaces every writable attribute. Read-only ones in the body (id, meta, groups) are
    // ignored as RFC 7644 §3.5.1 requires — Okta PUTs back the whole user it just read.
    async replace(id, body, ctx) {
      const resource = parseResource(type, normalized('PUT', body, id));
      return store.update(type, id, () => resource, ctx);
    },

    // PATCH is applied to the current state inside the store's transaction (row lock): concurrent
    // PATCHes serialise, and any failing operation rolls back the whole request. A PATCH that
    // changes nothing leaves version and events alone (the store skips identical writes).
    async patch(id, body, base, ctx) {
      const message = normalized('PATCH', body, id);
      return store.update(
        type,
        id,
        async (current): Promise<ScimJson> => {
          let patch = message;
          if (leniency.applyPatchLeniencyWithCurrent && isPatchMessage(patch)) {
            patch = leniency.applyPatchLeniencyWithCurrent(type, patch as never, current.resource).patch;
            if (leniency.isEmptyPatch?.(patch as never)) return current.resource;
          }
          return (await applyPatch(type, current, patch, base)) ?? current.resource;
        },
        ctx,
      );
    },

    async remove(id, ctx) {
      await store.delete(type, id, ctx);
    },
  };
}

function isPatchMessage(value: unknown): boolean {
  return value !== null && typeof value === 'object' && Array.isArray((value as { Operations?: unknown }).Operations);
}
