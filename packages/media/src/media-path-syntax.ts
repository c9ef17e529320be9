import { MediaPathError } from './errors.ts';

/**
 * The syntax of a job's media path, checked without touching the disk (the gateway runs it on every
 * submit; `resolveMediaPath` runs it again before the filesystem checks).
 *
 * A path is `shared/<rel>` or `home/<rel>`: slash-separated segments, none empty, none starting with
 * a dot (no `.`/`..`, no hidden files — which also keeps the runner's `.…part` temp files out of
 * reach), no backslashes, NUL or control characters, and no `:` at all, which rules out every
 * protocol or URL prefix (`concat:`, `subfile:`, `http:`, `file:`, `pipe:`, `C:` …).
 */
export type MediaArea = 'shared' | 'home';

export interface ParsedMediaPath {
  area: MediaArea;
  /** the segments after the area */
  segments: string[];
}

export const MAX_MEDIA_PATH_LENGTH = 1024;
const MAX_SEGMENT_LENGTH = 255;

function invalid(message: string): MediaPathError {
  return new MediaPathError('FFGATE_MEDIA_PATH_INVALID', message);
}

export function parseMediaPath(path: unknown, { forOutput = false }: { forOutput?: boolean } = {}): ParsedMediaPath {
  const what = forOutput ? 'output' : 'input';
  if (typeof path !== 'string' || path.length === 0) throw invalid(`${what} must be a non-empty string`);
  if (path.length > MAX_MEDIA_PATH_LENGTH) throw invalid(`${what} is longer than ${MAX_MEDIA_PATH_LENGTH} characters`);
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(path)) throw invalid(`${what} contains a control character`);
  if (path.includes('\\')) throw invalid(`${what} contains a backslash; use "/" between path segments`);
  if (path.includes(':')) throw invalid(`${what} contains ":"; URLs and protocol prefixes are not allowed, only shared/… or home/… paths`);
  if (path.startsWith('/')) throw invalid(`${what} must be relative to the media root (shared/… or home/…), not absolute`);
  const [area, ...segments] = path.split('/');
  if (area !== 'shared' && area !== 'home') throw invalid(`${what} must start with shared/ or home/`);
  if (segments.length === 0) throw invalid(`${what} must name a file under ${area}/`);
  for (const segment of segments) {
    if (segment === '') throw invalid(`${what} has an empty path segment ("//" or a trailing "/")`);
    if (segment === '..' || segment === '.') throw invalid(`${what} must not contain "." or ".." segments`);
    if (segment.startsWith('.')) throw invalid(`${what} must not name hidden files or directories (segments starting with ".")`);
    if (segment.length > MAX_SEGMENT_LENGTH) throw invalid(`${what} has a path segment longer than ${MAX_SEGMENT_LENGTH} characters`);
  }
  if (forOutput && area !== 'home') {
    throw new MediaPathError('FFGATE_MEDIA_PATH_FORBIDDEN', 'output must be under home/ (shared/ is read-only)');
  }
  return { area, segments };
}

/** An owner's SCIM id names their home directory: it must be one plain path segment. */
export function assertOwnerId(ownerId: string): void {
  if (!/^[A-Za-z0-9][A-Za-z0-9_-]{0,199}$/.test(ownerId)) {
    throw new MediaPathError('FFGATE_MEDIA_PATH_INVALID', 'the job owner id cannot name a home directory');
  }
}
