import { describe, expect, it } from '@jest/globals';
import SCIMMY from 'scimmy';
import { mapError } from '../../src/http/errors.ts';
import { InvalidFilterError, InvalidSortError } from '../../src/query/index.ts';
import { InvalidValueError, NotFoundError, PreconditionFailedError, StoreUnavailableError, UniquenessError } from '../../src/store/index.ts';

const ERROR_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:Error';

describe('mapError (the SCIM error boundary)', () => {
  const logged: unknown[] = [];
  const logger = { error: (obj: object) => logged.push(obj), warn: () => {}, info: () => {} };

  it.each([
    [new InvalidFilterError('bad filter'), 400, 'invalidFilter'],
    [new InvalidSortError('bad sort'), 400, 'invalidValue'],
    [new InvalidValueError('bad value'), 400, 'invalidValue'],
    [new UniquenessError('userName', 'x'), 409, 'uniqueness'],
    [new NotFoundError('User', 'x'), 404, undefined],
    [new PreconditionFailedError(1, 2), 412, undefined],
    [new SCIMMY.Types.Error(400, 'invalidPath', 'bad path'), 400, 'invalidPath'],
  ])('%s → %i %s with its own message as detail', (error, status, scimType) => {
    const mapped = mapError(error, logger);
    expect(mapped.status).toBe(status);
    expect(mapped.body).toEqual({ schemas: [ERROR_SCHEMA], status: String(status), ...(scimType ? { scimType } : {}), detail: (error as Error).message });
  });

  it('a store outage → 503 with a generic detail; the cause is logged, never sent', () => {
    logged.length = 0;
    const mapped = mapError(new StoreUnavailableError('get User', new Error('connect ECONNREFUSED 10.0.0.5:5432')), logger);
    expect(mapped.status).toBe(503);
    expect(JSON.stringify(mapped.body)).not.toMatch(/ECONNREFUSED|10\.0\.0\.5|get User/);
    expect(logged).toHaveLength(1);
  });

  it('anything unknown → 500 "Internal server error." without the message', () => {
    const mapped = mapError(new TypeError("Cannot read properties of undefined (reading 'secret')"), logger);
    expect(mapped).toEqual({ status: 500, body: { schemas: [ERROR_SCHEMA], status: '500', detail: 'Internal server error.' } });
  });

  it('a known error wrapped as a cause is still recognised', () => {
    const wrapped = new Error('transaction failed', { cause: new UniquenessError('displayName', 'Admins') });
    expect(mapError(wrapped, logger).status).toBe(409);
  });

  it('body-parser errors: bad JSON → 400 invalidSyntax, too large → 413', () => {
    expect(mapError(Object.assign(new SyntaxError('Unexpected token'), { type: 'entity.parse.failed', status: 400 }), logger).body).toMatchObject({ status: '400', scimType: 'invalidSyntax' });
    expect(mapError(Object.assign(new Error('too large'), { type: 'entity.too.large', status: 413 }), logger).status).toBe(413);
  });
});
