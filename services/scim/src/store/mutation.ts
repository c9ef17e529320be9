import { PreconditionFailedError } from './errors.ts';
import type { Mutation, ScimJson, StoredResource } from './port.ts';

/**
 * An error thrown by the caller's mutation (e.g. a SCIM PATCH with an invalid path). It is not a
 * store failure: the store rolls back and rethrows the original error untouched.
 */
export class MutationFailure {
  readonly error: unknown;
  constructor(error: unknown) {
    this.error = error;
  }
}

export async function applyMutation(mutate: Mutation, current: StoredResource): Promise<ScimJson> {
  try {
    // hand out a copy: the mutation may edit its argument in place
    return await mutate(structuredClone(current));
  } catch (err) {
    throw new MutationFailure(err);
  }
}

/** If-Match: the write proceeds only when the client saw the current version. */
export function checkVersion(ifVersion: number | undefined, actual: number): void {
  if (ifVersion !== undefined && ifVersion !== actual) throw new PreconditionFailedError(ifVersion, actual);
}
