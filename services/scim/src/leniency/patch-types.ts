import type { ResourceType } from '../store/port.ts';

/** One PATCH operation as sent (RFC 7644 §3.5.2); `op` is lower-case after normalisation. */
export interface PatchOperation {
  op: string;
  path?: string;
  value?: unknown;
}

export interface PatchMessage {
  schemas: string[];
  Operations: PatchOperation[];
}

export interface PatchContext {
  type: ResourceType;
  /** the resource id from the request path */
  id?: string;
}
