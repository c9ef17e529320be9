import type { Response } from 'express';
import { withoutNulls } from '../store/json.ts';

export const SCIM_CONTENT_TYPE = 'application/scim+json; charset=utf-8';
export const ERROR_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:Error';
export const LIST_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';

/** Every SCIM response body goes out here: one content type, never a `null` value (the one place nulls are dropped). */
export function sendScim(res: Response, status: number, body?: unknown, headers: Record<string, string> = {}): void {
  for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
  res.status(status);
  if (body === undefined) {
    res.end();
    return;
  }
  res.setHeader('Content-Type', SCIM_CONTENT_TYPE);
  res.end(JSON.stringify(withoutNulls(body)));
}

export interface ScimErrorBody {
  schemas: [typeof ERROR_SCHEMA];
  status: string;
  scimType?: string;
  detail: string;
}

export function errorBody(status: number, scimType: string | undefined, detail: string): ScimErrorBody {
  return { schemas: [ERROR_SCHEMA], status: String(status), ...(scimType ? { scimType } : {}), detail };
}

/**
 * ListResponse built here rather than with `SCIMMY.Messages.ListResponse`: the store already
 * filtered, sorted and paged, and scimmy's class would slice the page again (wrong pages past
 * index 1) and cannot report a `totalResults` larger than the page.
 */
export function listResponse(resources: unknown[], totalResults: number, startIndex: number) {
  return { schemas: [LIST_SCHEMA], totalResults, startIndex, itemsPerPage: resources.length, Resources: resources };
}
