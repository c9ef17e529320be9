import fs from 'node:fs';
import type { BusLogger } from '../../logger.ts';

const CHUNK = 1 << 20;

/**
 * Read a JSON-lines file synchronously in chunks (a log can outgrow the largest string V8 makes).
 *
 * A crash or power failure can leave a torn last line (no newline, partial JSON): it is dropped
 * with a warning and the file is truncated to its last complete line, so the next append does not
 * glue a record onto it. A complete line that is not JSON (garbage after a power failure) is
 * skipped with a warning and counted in `garbage`. Neither ever fails the start.
 */
export function readLines(file: string, logger: BusLogger): { records: unknown[]; garbage: number } {
  const records: unknown[] = [];
  let garbage = 0;
  let fd: number;
  try {
    fd = fs.openSync(file, 'r+');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { records, garbage };
    throw err;
  }
  try {
    const buf = Buffer.alloc(CHUNK);
    let carry: Buffer = Buffer.alloc(0);
    let position = 0;
    /** byte offset just past the last newline seen */
    let complete = 0;
    for (;;) {
      const n = fs.readSync(fd, buf, 0, CHUNK, position);
      if (n === 0) break;
      position += n;
      const data = carry.length > 0 ? Buffer.concat([carry, buf.subarray(0, n)]) : buf.subarray(0, n);
      const dataStart = position - data.length;
      let start = 0;
      for (let nl = data.indexOf(10, start); nl !== -1; nl = data.indexOf(10, start)) {
        const line = data.toString('utf8', start, nl);
        start = nl + 1;
        complete = dataStart + start;
        if (line.trim() === '') continue;
        try {
          records.push(JSON.parse(line));
        } catch {
          garbage++;
          logger.warn({ file, offset: dataStart + start - line.length - 1 }, 'skipping a corrupt line in the bus log');
        }
      }
      carry = Buffer.from(data.subarray(start));
    }
    if (carry.length > 0) {
      logger.warn({ file, bytes: carry.length }, 'dropping a torn last line of the bus log (crash during a write)');
      fs.ftruncateSync(fd, complete);
    }
  } finally {
    fs.closeSync(fd);
  }
  return { records, garbage };
}
