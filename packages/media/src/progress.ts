/**
 * Parser for ffmpeg's `-progress pipe:1` output: blocks of `key=value` lines, each ending with
 * `progress=continue` or `progress=end`. Note `progress=end` is also printed after SIGTERM, so it
 * never means success on its own (only exit code 0 does).
 */
export interface FfmpegProgress {
  /** output time reached, in milliseconds (from `out_time_us`) */
  outTimeMs: number | null;
  fps: number | null;
  /** encoding speed relative to real time (`1.5x` → 1.5) */
  speed: number | null;
  /** 0–100 when the input duration is known, else null */
  percent: number | null;
  frame: number | null;
  /** bytes written so far (`total_size`) */
  totalSize: number | null;
  /** true for the block ending in `progress=end` */
  end: boolean;
}

function num(value: string | undefined): number | null {
  if (value === undefined) return null;
  const n = Number.parseFloat(value.trim().replace(/x$/, ''));
  return Number.isFinite(n) ? n : null;
}

export function progressFromBlock(fields: ReadonlyMap<string, string>, durationMs?: number): FfmpegProgress {
  const outTimeUs = num(fields.get('out_time_us'));
  const outTimeMs = outTimeUs === null || outTimeUs < 0 ? null : Math.round(outTimeUs / 1000);
  const fps = num(fields.get('fps'));
  const speed = num(fields.get('speed'));
  const percent =
    durationMs && durationMs > 0 && outTimeMs !== null ? Math.min(100, Math.round((outTimeMs / durationMs) * 1000) / 10) : null;
  return {
    outTimeMs,
    fps: fps !== null && fps >= 0 ? fps : null,
    speed: speed !== null && speed >= 0 ? speed : null,
    percent,
    frame: num(fields.get('frame')),
    totalSize: num(fields.get('total_size')),
    end: fields.get('progress') === 'end',
  };
}

/** A line-fed parser that calls `onBlock` once per complete block. */
export function createProgressParser(onBlock: (progress: FfmpegProgress) => void, durationMs?: number): (line: string) => void {
  let fields = new Map<string, string>();
  return (line) => {
    const eq = line.indexOf('=');
    if (eq <= 0) return;
    const key = line.slice(0, eq).trim();
    fields.set(key, line.slice(eq + 1).trim());
    if (key === 'progress') {
      const block = fields;
      fields = new Map();
      onBlock(progressFromBlock(block, durationMs));
    }
  };
}
