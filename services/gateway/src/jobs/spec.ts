import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { MediaError, resolveMediaPath, validateJobSpec, type ValidJobSpec } from '@ffgate/media';
import { GatewayError } from '../errors.ts';

export interface SpecChecker {
  /** the validated spec, or a 400 GatewayError with a message naming every problem */
  check(body: unknown, ownerId: string): Promise<ValidJobSpec>;
}

/**
 * Job spec checks at submit, via @ffgate/media: shape, profile, path syntax (traversal, absolute
 * paths, URLs, protocol prefixes, outputs outside home/), then — when the media root is on this
 * machine — the filesystem: the input exists inside its area (symlinks resolved), the output does
 * not exist yet. The transcoder checks again before it spawns ffmpeg.
 */
export function createSpecChecker(mediaRoot: string, options: { onDisk?: boolean } = {}): SpecChecker {
  const root = resolve(mediaRoot);
  const onDisk = () => options.onDisk ?? existsSync(root);
  return {
    async check(body, ownerId) {
      try {
        const spec = validateJobSpec(body);
        if (onDisk()) {
          await resolveMediaPath(root, ownerId, spec.input);
          await resolveMediaPath(root, ownerId, spec.output, { forOutput: true });
        }
        return spec;
      } catch (err) {
        if (err instanceof MediaError && err.status === 400) throw new GatewayError('FFGATE_GW_BAD_REQUEST', 400, err.message, { cause: err });
        throw err;
      }
    },
  };
}
