import fs from 'node:fs';
import path from 'node:path';
import type { BusLogger } from '../../logger.ts';
import { readLines } from './read-lines.ts';

/**
 * An append-only JSON-lines file with group commit.
 *
 * `append` writes synchronously (one write(2), a few µs), so once it returns the record is in the
 * OS page cache and survives a crash of this process. fsync is measured at 0.2–2 ms on this
 * machine kind, too slow to pay per publish, so it runs in the background on libuv's thread pool:
 * at most one fsync in flight, and another starts when it completes if more was written meanwhile
 * (every write of a busy tick shares one fsync). A power failure can lose what was written since
 * the last completed fsync — normally one fsync's duration.
 */
export class AppendLog {
  readonly path: string;
  private readonly logger: BusLogger;
  private fd: number;
  /** bytes known to end in a complete line: a failed write is truncated back to it */
  private size: number;
  /** records appended since the file was opened or rewritten (for compaction decisions) */
  lines = 0;
  private dirty = false;
  private syncing = false;
  private syncDone: (() => void)[] = [];
  /** descriptors replaced by a rewrite while an fsync on them was in flight: closed after it */
  private retired: number[] = [];
  private closed = false;

  constructor(file: string, logger: BusLogger) {
    this.path = file;
    this.logger = logger;
    this.fd = fs.openSync(file, 'a');
    this.size = fs.fstatSync(this.fd).size;
  }

  /** read every record of an existing file (see readLines: torn tails are cut off) */
  static load(file: string, logger: BusLogger): { records: unknown[]; garbage: number } {
    return readLines(file, logger);
  }

  append(records: readonly unknown[]): void {
    if (this.closed) throw new Error(`log ${this.path} is closed`);
    const text = records.map((r) => JSON.stringify(r) + '\n').join('');
    try {
      fs.writeSync(this.fd, text);
    } catch (err) {
      // a partial write would glue the next record onto a torn line: cut it off again
      try {
        fs.ftruncateSync(this.fd, this.size);
      } catch {
        /* the write error below is the one worth reporting */
      }
      throw err;
    }
    this.size += Buffer.byteLength(text);
    this.lines += records.length;
    this.dirty = true;
    this.scheduleSync();
  }

  /** replace the whole file atomically (temp file, fsync, rename, fsync of the directory) */
  rewrite(records: Iterable<unknown>): void {
    const tmp = `${this.path}.tmp`;
    const fd = fs.openSync(tmp, 'w');
    let count = 0;
    let size = 0;
    try {
      let chunk = '';
      for (const r of records) {
        chunk += JSON.stringify(r) + '\n';
        count++;
        if (chunk.length > 1 << 20) {
          size += fs.writeSync(fd, chunk);
          chunk = '';
        }
      }
      if (chunk) size += fs.writeSync(fd, chunk);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(tmp, this.path);
    syncDirectory(path.dirname(this.path));
    this.retire(this.fd);
    this.fd = fs.openSync(this.path, 'a');
    this.size = size;
    this.lines = count;
    this.dirty = false;
  }

  /** wait for a final fsync and close; idempotent */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.syncing) await new Promise<void>((resolve) => this.syncDone.push(resolve));
    try {
      if (this.dirty) fs.fdatasyncSync(this.fd);
    } catch (err) {
      this.logger.error({ file: this.path, err }, 'fsync on close failed');
    }
    fs.closeSync(this.fd);
  }

  private scheduleSync(): void {
    if (this.syncing || !this.dirty) return;
    this.syncing = true;
    this.dirty = false;
    const fd = this.fd;
    fs.fdatasync(fd, (err) => {
      if (err) this.logger.error({ file: this.path, err }, 'background fsync failed');
      this.syncing = false;
      for (const old of this.retired.splice(0)) fs.close(old, () => {});
      for (const done of this.syncDone.splice(0)) done();
      if (!this.closed) this.scheduleSync();
    });
  }

  private retire(fd: number): void {
    if (this.syncing) this.retired.push(fd);
    else fs.closeSync(fd);
  }
}

/** make a rename durable: fsync the directory entry (not supported everywhere; best effort) */
export function syncDirectory(dir: string): void {
  let fd: number | undefined;
  try {
    fd = fs.openSync(dir, 'r');
    fs.fsyncSync(fd);
  } catch {
    /* some platforms cannot fsync a directory; the rename itself is still atomic */
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

/** write a small file atomically (temp + fsync + rename) */
export function writeFileAtomic(file: string, text: string): void {
  const tmp = `${file}.tmp`;
  const fd = fs.openSync(tmp, 'w');
  try {
    fs.writeSync(fd, text);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(tmp, file);
  syncDirectory(path.dirname(file));
}
