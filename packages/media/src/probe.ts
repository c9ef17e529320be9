import { execa } from 'execa';
import { resolveFfprobe } from './binaries.ts';
import { inputSafetyArgs } from './build-args.ts';
import { MediaError } from './errors.ts';
import { stdioWithInput } from './stdio.ts';

export interface ProbedStream {
  index: number;
  codecType: string;
  codecName: string | null;
  codecTag: string | null;
  width: number | null;
  height: number | null;
  sampleRate: number | null;
  channels: number | null;
}

export interface ProbeResult {
  /** demuxer name list, e.g. `mov,mp4,m4a,3gp,3g2,mj2` */
  formatName: string;
  durationMs: number | null;
  sizeBytes: number | null;
  streams: ProbedStream[];
}

interface RawStream {
  index: number;
  codec_type?: string;
  codec_name?: string;
  codec_tag_string?: string;
  width?: number;
  height?: number;
  sample_rate?: string;
  channels?: number;
}

const toNumber = (v: unknown): number | null => {
  const n = typeof v === 'number' ? v : Number.parseFloat(String(v));
  return Number.isFinite(n) ? n : null;
};

/**
 * ffprobe a local file (duration for progress percent; codecs and sizes for tests). Runs with the
 * same protocol and demuxer allow-lists as the encode, so probing a disguised playlist reads nothing
 * outside the path that was checked. Throws `FFGATE_FFPROBE_FAILED` when ffprobe refuses the file.
 */
export async function probe(path: string, options: { ffprobePath?: string; timeoutMs?: number; inputFd?: number } = {}): Promise<ProbeResult> {
  const ffprobe = options.ffprobePath ?? resolveFfprobe();
  const result = await execa(
    ffprobe,
    ['-v', 'error', ...inputSafetyArgs(), '-print_format', 'json', '-show_format', '-show_streams', `file:${path}`],
    {
      reject: false,
      stdio: stdioWithInput(options.inputFd),
      timeout: options.timeoutMs ?? 30_000,
      maxBuffer: 4 * 1024 * 1024,
    },
  );
  if (result.exitCode !== 0) {
    // the caller's message must not reveal where the media root lives
    const stderr = String(result.stderr ?? '').replaceAll(path, '<input>');
    const detail = stderr.trim().split('\n').slice(-3).join(' | ') || `ffprobe exited with ${result.exitCode ?? result.signal}`;
    throw new MediaError('FFGATE_FFPROBE_FAILED', `ffprobe could not read the input: ${detail}`);
  }
  const parsed = JSON.parse(String(result.stdout)) as { format?: { format_name?: string; duration?: string; size?: string }; streams?: RawStream[] };
  const duration = toNumber(parsed.format?.duration);
  return {
    formatName: parsed.format?.format_name ?? '',
    durationMs: duration === null ? null : Math.round(duration * 1000),
    sizeBytes: toNumber(parsed.format?.size),
    streams: (parsed.streams ?? []).map((s) => ({
      index: s.index,
      codecType: s.codec_type ?? 'unknown',
      codecName: s.codec_name ?? null,
      codecTag: s.codec_tag_string ?? null,
      width: s.width ?? null,
      height: s.height ?? null,
      sampleRate: toNumber(s.sample_rate),
      channels: s.channels ?? null,
    })),
  };
}
