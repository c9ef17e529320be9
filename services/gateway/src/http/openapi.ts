import { z } from 'zod';
import { JobSpec } from '@ffgate/media';
import { AuditList, AuditVerification, JobList, JobView, Problem, ProfileList } from './schemas.ts';

/**
 * The OpenAPI 3.1 document, generated from the zod schemas the handlers use (one source of
 * truth). Schemas are inlined (no $ref) so a client — or a test — can validate a response from
 * the operation alone.
 */
interface ResponseSpec {
  description: string;
  schema?: z.ZodType;
  contentType?: string;
  headers?: Record<string, { description: string; schema: { type: string } }>;
}

interface Operation {
  method: 'get' | 'post';
  path: string;
  summary: string;
  security: 'credential' | 'admin' | 'credential-or-admin' | 'none';
  parameters?: { name: string; in: 'path' | 'query' | 'header'; required?: boolean; schema: Record<string, unknown>; description?: string }[];
  body?: z.ZodType;
  responses: Record<string, ResponseSpec>;
}

const problem = (description: string, extra: Partial<ResponseSpec> = {}): ResponseSpec => ({ description, schema: Problem, contentType: 'application/problem+json', ...extra });
const authProblems = {
  '401': problem('Missing, malformed, expired or revoked credential'),
  '503': problem('The credential cannot be checked right now (keys unavailable or revocation feed stale)'),
};
const jobId = { name: 'id', in: 'path' as const, required: true, schema: { type: 'string' } };

export const OPERATIONS: readonly Operation[] = [
  {
    method: 'post',
    path: '/v1/jobs',
    summary: 'Submit a job',
    security: 'credential',
    parameters: [{ name: 'Idempotency-Key', in: 'header', schema: { type: 'string', maxLength: 200 }, description: 'A retried submit with the same key returns the same job' }],
    body: JobSpec,
    responses: {
      '202': { description: 'Accepted (queued), or the job an earlier submit with this Idempotency-Key created', schema: JobView },
      '400': problem('Bad job spec or media path'),
      ...authProblems,
      '403': problem('The profile or its queue is not allowed, or the owner is not active'),
      '409': problem('The Idempotency-Key was used for a different spec'),
      '413': problem('The spec is too large'),
      '429': problem('Too many waiting jobs', { headers: { 'Retry-After': { description: 'seconds', schema: { type: 'integer' } } } }),
    },
  },
  {
    method: 'get',
    path: '/v1/jobs',
    summary: "The caller's jobs, newest first (admin: every job)",
    security: 'credential-or-admin',
    parameters: [
      { name: 'status', in: 'query', schema: { type: 'string', enum: ['queued', 'running', 'succeeded', 'failed', 'canceled'] } },
      { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 100, default: 20 } },
      { name: 'cursor', in: 'query', schema: { type: 'string' }, description: 'nextCursor of the previous page' },
    ],
    responses: { '200': { description: 'A page of jobs', schema: JobList }, '400': problem('Bad query'), ...authProblems },
  },
  {
    method: 'get',
    path: '/v1/jobs/{id}',
    summary: 'A job',
    security: 'credential-or-admin',
    parameters: [jobId],
    responses: { '200': { description: 'The job', schema: JobView }, ...authProblems, '404': problem('No such job (or not yours)') },
  },
  {
    method: 'post',
    path: '/v1/jobs/{id}/cancel',
    summary: 'Cancel a job (owner or admin); a waiting job ends at once, a running one is stopped by its transcoder',
    security: 'credential-or-admin',
    parameters: [jobId],
    responses: { '202': { description: 'The job after the request', schema: JobView }, ...authProblems, '404': problem('No such job (or not yours)') },
  },
  {
    method: 'get',
    path: '/v1/jobs/{id}/events',
    summary: 'Server-Sent Events: `status` and `progress` events (data: the job); the stream ends after a terminal status',
    security: 'credential-or-admin',
    parameters: [jobId],
    responses: { '200': { description: 'An event stream', contentType: 'text/event-stream' }, ...authProblems, '404': problem('No such job (or not yours)') },
  },
  {
    method: 'get',
    path: '/v1/profiles',
    summary: 'The profiles the caller may run',
    security: 'credential',
    responses: { '200': { description: 'Profiles', schema: ProfileList }, ...authProblems, '403': problem('The admin token has no profiles; use a job credential') },
  },
  { method: 'get', path: '/v1/openapi.json', summary: 'This document', security: 'none', responses: { '200': { description: 'OpenAPI 3.1' } } },
  {
    method: 'get',
    path: '/admin/v1/audit',
    summary: "A user's audit trail in time order",
    security: 'admin',
    parameters: [
      { name: 'user', in: 'query', required: true, schema: { type: 'string' } },
      { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 1000, default: 1000 } },
    ],
    responses: { '200': { description: 'Records', schema: AuditList }, '400': problem('Missing user'), '401': problem('Not the admin token') },
  },
  {
    method: 'get',
    path: '/admin/v1/audit/verify',
    summary: "Check every writer's hash chain and name the first broken record",
    security: 'admin',
    responses: { '200': { description: 'Verification result', schema: AuditVerification }, '401': problem('Not the admin token') },
  },
];

const securityOf: Record<Operation['security'], Record<string, string[]>[]> = {
  credential: [{ jobCredential: [] }],
  admin: [{ adminToken: [] }],
  'credential-or-admin': [{ jobCredential: [] }, { adminToken: [] }],
  none: [],
};

const jsonSchema = (schema: z.ZodType, io: 'input' | 'output') => {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { target: 'draft-2020-12', io, reused: 'inline', unrepresentable: 'any' }) as Record<string, unknown>;
  return rest;
};

export function buildOpenApiDocument(options: { serverUrl?: string } = {}): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const op of OPERATIONS) {
    const responses: Record<string, unknown> = {};
    for (const [status, r] of Object.entries(op.responses)) {
      const content = r.schema ? { [r.contentType ?? 'application/json']: { schema: jsonSchema(r.schema, 'output') } } : r.contentType ? { [r.contentType]: {} } : undefined;
      responses[status] = { description: r.description, ...(content ? { content } : {}), ...(r.headers ? { headers: r.headers } : {}) };
    }
    (paths[op.path] ??= {})[op.method] = {
      summary: op.summary,
      operationId: `${op.method}${op.path.replace(/[^A-Za-z0-9]+(.)?/g, (_m, c: string | undefined) => (c ? c.toUpperCase() : ''))}`,
      security: securityOf[op.security],
      ...(op.parameters ? { parameters: op.parameters } : {}),
      ...(op.body ? { requestBody: { required: true, content: { 'application/json': { schema: jsonSchema(op.body, 'input') } } } } : {}),
      responses,
    };
  }
  return {
    openapi: '3.1.0',
    info: { title: 'ffgate job gateway', version: '1.0.0', description: 'Submit and follow FFmpeg jobs run on behalf of a provisioned identity.' },
    ...(options.serverUrl ? { servers: [{ url: options.serverUrl }] } : {}),
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    components: {
      securitySchemes: {
        jobCredential: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'A job credential from the token service' },
        adminToken: { type: 'http', scheme: 'bearer', description: 'FFGATE_ADMIN_TOKEN' },
      },
    },
    paths,
  };
}
