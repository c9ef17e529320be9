import { z } from 'zod';
import { JobSpecError, MediaError } from './errors.ts';
import { parseMediaPath } from './media-path-syntax.ts';
import { getProfile, type Profile } from './profiles.ts';

/** `POST /v1/jobs` body. Unknown keys are refused so a typo (or an `args` field) is not ignored. */
export const MAX_METADATA_BYTES = 16 * 1024;

export const JobSpec = z.strictObject({
  profile: z.string().min(1).max(100),
  input: z.string().min(1).max(1024),
  output: z.string().min(1).max(1024),
  metadata: z.record(z.string(), z.json()).optional(),
});
export type JobSpec = z.infer<typeof JobSpec>;

export interface ValidJobSpec extends JobSpec {
  profileDef: Profile;
}

/**
 * Validates a submitted job spec: shape, metadata size (≤ 16 KiB as JSON), known profile, and the
 * syntax of both paths (the filesystem checks come later, in `resolveMediaPath`). Throws a 400-style
 * `JobSpecError` whose message lists every problem.
 */
export function validateJobSpec(body: unknown): ValidJobSpec {
  const parsed = JobSpec.safeParse(body);
  if (!parsed.success) {
    throw new JobSpecError(parsed.error.issues.map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message)));
  }
  const spec = parsed.data;
  const issues: string[] = [];
  if (spec.metadata !== undefined && Buffer.byteLength(JSON.stringify(spec.metadata)) > MAX_METADATA_BYTES) {
    issues.push(`metadata: larger than ${MAX_METADATA_BYTES} bytes as JSON`);
  }
  let profileDef: Profile | undefined;
  try {
    profileDef = getProfile(spec.profile);
  } catch (err) {
    issues.push(`profile: ${(err as Error).message}`);
  }
  for (const [key, forOutput] of [['input', false], ['output', true]] as const) {
    try {
      parseMediaPath(spec[key], { forOutput });
    } catch (err) {
      if (!(err instanceof MediaError)) throw err;
      issues.push(`${key}: ${err.message}`);
    }
  }
  if (issues.length || !profileDef) throw new JobSpecError(issues);
  return { ...spec, profileDef };
}
