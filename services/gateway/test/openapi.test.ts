import { describe, expect, test } from '@jest/globals';
import { assertMatchesOpenApi, OpenApiViolation } from '@ffgate/e2e';
import { buildOpenApiDocument } from '../src/index.ts';

const doc = buildOpenApiDocument() as Parameters<typeof assertMatchesOpenApi>[0];
const job = {
  id: 'j1',
  owner: { id: 'u1', userName: 'ann' },
  clientId: 'c1',
  profile: 'h264-720p',
  queue: 'default',
  input: 'shared/a.mp4',
  output: 'home/b.mp4',
  metadata: {},
  status: 'queued',
  progress: null,
  error: null,
  cancelReason: null,
  attempt: 0,
  createdAt: '2026-01-01T00:00:00.000Z',
  dispatchedAt: null,
  startedAt: null,
  finishedAt: null,
};

describe('the OpenAPI response validator used by the tests', () => {
  test('accepts a job that matches the document', () => {
    expect(() => assertMatchesOpenApi(doc, 'GET', '/v1/jobs/j1', 200, 'application/json', job)).not.toThrow();
  });
  test('rejects a job with a missing field, a wrong enum value or a bad timestamp', () => {
    const { queue: _q, ...missing } = job;
    expect(() => assertMatchesOpenApi(doc, 'GET', '/v1/jobs/j1', 200, 'application/json', missing)).toThrow(OpenApiViolation);
    expect(() => assertMatchesOpenApi(doc, 'GET', '/v1/jobs/j1', 200, 'application/json', { ...job, status: 'paused' })).toThrow(OpenApiViolation);
    expect(() => assertMatchesOpenApi(doc, 'GET', '/v1/jobs/j1', 200, 'application/json', { ...job, createdAt: 'yesterday' })).toThrow(OpenApiViolation);
  });
  test('rejects undeclared statuses, content types and routes', () => {
    expect(() => assertMatchesOpenApi(doc, 'GET', '/v1/jobs/j1', 418, 'application/json', {})).toThrow(/does not declare status 418/);
    expect(() => assertMatchesOpenApi(doc, 'GET', '/v1/jobs/j1', 404, 'text/html', '')).toThrow(/content type/);
    expect(() => assertMatchesOpenApi(doc, 'DELETE', '/v1/jobs/j1', 200, 'application/json', {})).toThrow(/not in the OpenAPI document/);
  });
  test('problem bodies are checked too', () => {
    expect(() => assertMatchesOpenApi(doc, 'POST', '/v1/jobs', 400, 'application/problem+json', { type: 'about:blank', title: 'Bad Request', status: 400, code: 'X' })).not.toThrow();
    expect(() => assertMatchesOpenApi(doc, 'POST', '/v1/jobs', 400, 'application/problem+json', { detail: 'no code' })).toThrow(OpenApiViolation);
  });
  test('every operation declares its responses and a security requirement list', () => {
    const paths = (buildOpenApiDocument() as { paths: Record<string, Record<string, { responses: object; security: unknown[] }>> }).paths;
    for (const ops of Object.values(paths)) for (const op of Object.values(ops)) expect(Object.keys(op.responses).length).toBeGreaterThan(0);
    expect(paths['/v1/jobs'].post.security).toEqual([{ jobCredential: [] }]);
  });
});
