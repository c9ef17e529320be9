import { z } from 'zod';

// Reusable parsers for raw environment strings. Each accepts `undefined` only when wrapped in
// `.optional()`, so a key without a default is required unless declared optional.

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export function portSchema() {
  return z
    .string({ error: 'is required' })
    .regex(/^\d+$/, 'must be an integer between 1 and 65535')
    .transform(Number)
    .pipe(z.number().int().min(1, 'must be between 1 and 65535').max(65535, 'must be between 1 and 65535'));
}

export function positiveIntSchema() {
  return z
    .string({ error: 'is required' })
    .regex(/^\d+$/, 'must be a positive integer')
    .transform(Number)
    .pipe(z.number().int().min(1, 'must be a positive integer'));
}

export function urlSchema(protocols: readonly string[]) {
  const list = protocols.map((p) => `${p}//`).join(' or ');
  return z.string({ error: 'is required' }).refine((value) => {
    try {
      return protocols.includes(new URL(value).protocol);
    } catch {
      return false;
    }
  }, `must be a URL starting with ${list}`);
}

/** NATS accepts one URL or a comma-separated list of seed servers. */
export function natsUrlSchema() {
  return z.string({ error: 'is required' }).refine(
    (value) =>
      value.split(',').every((part) => {
        try {
          return ['nats:', 'tls:'].includes(new URL(part.trim()).protocol);
        } catch {
          return false;
        }
      }),
    'must be nats://host:port or a comma-separated list of them',
  );
}

export function secretSchema(minLength: number) {
  return z.string({ error: 'is required' }).min(minLength, `must be at least ${minLength} characters`);
}

export function enumSchema<const T extends readonly [string, ...string[]]>(values: T) {
  return z.enum(values, { error: `must be one of ${values.join(', ')}` });
}

export function booleanSchema() {
  return z
    .enum(['true', 'false', '1', '0'], { error: 'must be true or false' })
    .transform((value) => value === 'true' || value === '1');
}
