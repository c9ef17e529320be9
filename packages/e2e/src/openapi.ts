/**
 * Validates gateway responses against its served `/v1/openapi.json` (here and in the gateway's
 * own tests): the operation, the status and the body's schema must all be declared.
 */
import { z } from 'zod';

type JsonSchema = Record<string, unknown>;
export type OpenApiDoc = { paths: Record<string, Record<string, { responses: Record<string, { content?: Record<string, { schema?: JsonSchema }> }> }>> };

export class OpenApiViolation extends Error {
  readonly code = 'FFGATE_E2E_OPENAPI_VIOLATION';
}

function operationFor(doc: OpenApiDoc, method: string, path: string) {
  const pathname = path.split('?')[0];
  for (const [template, ops] of Object.entries(doc.paths)) {
    const re = new RegExp(`^${template.replace(/\{[^}]+\}/g, '[^/]+')}$`);
    if (re.test(pathname) && ops[method.toLowerCase()]) return { template, op: ops[method.toLowerCase()] };
  }
  return undefined;
}

export function assertMatchesOpenApi(doc: OpenApiDoc, method: string, path: string, status: number, contentType: string, body: unknown): void {
  const found = operationFor(doc, method, path);
  if (!found) throw new OpenApiViolation(`${method} ${path} is not in the OpenAPI document`);
  const response = found.op.responses[String(status)];
  if (!response) throw new OpenApiViolation(`${method} ${found.template} does not declare status ${status}`);
  if (!response.content) return;
  const type = contentType.split(';')[0].trim();
  const media = response.content[type];
  if (!media) throw new OpenApiViolation(`${method} ${found.template} ${status} does not declare content type ${type}`);
  if (!media.schema) return;
  const result = z.fromJSONSchema(media.schema as never).safeParse(body);
  if (!result.success) throw new OpenApiViolation(`${method} ${found.template} ${status}: body does not match the document: ${result.error.message}\n${JSON.stringify(body)}`);
}
