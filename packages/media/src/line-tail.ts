/**
 * The last `max` lines of a stream (each cut to 1,000 characters, after an optional rewrite):
 * bounded memory for stderr however much ffmpeg prints.
 */
export function createLineTail(max: number, rewrite?: (line: string) => string): { push: (line: string) => void; lines: () => string[] } {
  const kept: string[] = [];
  return {
    push: (raw) => {
      if (!raw.trim()) return;
      const line = rewrite ? rewrite(raw) : raw;
      kept.push(line.length > 1000 ? `${line.slice(0, 1000)}…` : line);
      if (kept.length > max) kept.shift();
    },
    lines: () => [...kept],
  };
}
