/**
 * Errors of @ffgate/media. Each carries a stable `code`; `status` says how an HTTP layer should
 * answer (400: the caller's spec is wrong; 500: this machine is not set up). Messages are written for
 * the caller and never contain absolute paths of the media root.
 */
export type MediaErrorCode =
  | 'FFGATE_MEDIA_PATH_INVALID'
  | 'FFGATE_MEDIA_PATH_FORBIDDEN'
  | 'FFGATE_MEDIA_INPUT_NOT_FOUND'
  | 'FFGATE_MEDIA_OUTPUT_EXISTS'
  | 'FFGATE_PROFILE_UNKNOWN'
  | 'FFGATE_JOB_SPEC_INVALID'
  | 'FFGATE_FFMPEG_MISSING'
  | 'FFGATE_FFMPEG_SPAWN_FAILED'
  | 'FFGATE_FFPROBE_FAILED';

export class MediaError extends Error {
  readonly code: MediaErrorCode;
  readonly status: 400 | 500;
  constructor(code: MediaErrorCode, message: string, options?: { cause?: unknown; status?: 400 | 500 }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'MediaError';
    this.code = code;
    this.status = options?.status ?? 400;
  }
}

/** A job path or spec the caller got wrong: answer 400 with `message`. */
export class MediaPathError extends MediaError {
  constructor(code: MediaErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
    this.name = 'MediaPathError';
  }
}

export class JobSpecError extends MediaError {
  readonly issues: readonly string[];
  constructor(issues: readonly string[], code: MediaErrorCode = 'FFGATE_JOB_SPEC_INVALID') {
    super(code, `invalid job spec: ${issues.join('; ')}`);
    this.name = 'JobSpecError';
    this.issues = issues;
  }
}

export const FFMPEG_INSTALL_HINT = 'install it: apt-get install -y ffmpeg, or set FFMPEG_PATH to the ffmpeg binary';

/** ffmpeg (or ffprobe) is not installed where we looked: an operator problem, so status 500. */
export class FfmpegMissingError extends MediaError {
  constructor(what: string, options?: { cause?: unknown }) {
    super('FFGATE_FFMPEG_MISSING', `${what}; ${FFMPEG_INSTALL_HINT}`, { ...options, status: 500 });
    this.name = 'FfmpegMissingError';
  }
}
