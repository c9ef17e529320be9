import { describe, expect, test } from '@jest/globals';
import { createProgressParser, type FfmpegProgress } from '../src/index.ts';

describe('progress parser', () => {
  test('one progress per block; percent from the duration; N/A is null', () => {
    const seen: FfmpegProgress[] = [];
    const feed = createProgressParser((p) => seen.push(p), 4000);
    const text = [
      'frame=0', 'fps=0.00', 'total_size=N/A', 'out_time_us=N/A', 'speed=N/A', 'progress=continue',
      'frame=50', 'fps=24.5', 'total_size=1048', 'out_time_us=2000000', 'out_time_ms=2000000', 'speed=1.5x', 'progress=continue',
      'frame=100', 'fps=25.00', 'total_size=2000', 'out_time_us=4010000', 'speed=1.52x', 'progress=end',
    ];
    text.forEach(feed);
    expect(seen).toEqual([
      { outTimeMs: null, fps: 0, speed: null, percent: null, frame: 0, totalSize: null, end: false },
      { outTimeMs: 2000, fps: 24.5, speed: 1.5, percent: 50, frame: 50, totalSize: 1048, end: false },
      { outTimeMs: 4010, fps: 25, speed: 1.52, percent: 100, frame: 100, totalSize: 2000, end: true },
    ]);
  });
  test('without a duration there is no percent; junk lines are ignored', () => {
    const seen: FfmpegProgress[] = [];
    const feed = createProgressParser((p) => seen.push(p));
    ['garbage', '=x', 'out_time_us=1000', 'progress=continue'].forEach(feed);
    expect(seen).toEqual([{ outTimeMs: 1, fps: null, speed: null, percent: null, frame: null, totalSize: null, end: false }]);
  });
});
