import type { Request, Response } from 'express';
import { isTerminal } from '../jobs/reasons.ts';
import type { JobView } from './schemas.ts';
import type { JobChanges } from './job-changes.ts';

export interface SseOptions {
  /** re-read even without a notification (a missed NOTIFY must not stall a stream); default 2 s */
  pollMs?: number;
  /** comment line keeping proxies from closing an idle stream; default 15 s */
  heartbeatMs?: number;
}

/**
 * `GET /v1/jobs/:id/events`: an SSE stream of `status` events (the whole job, on every status
 * change, starting with the current one) and `progress` events (the job, when progress moved).
 * Ends after a terminal status. Each event's `id` is `<statusSeq>.<progressSeq>`.
 */
export async function streamJobEvents(
  req: Request,
  res: Response,
  jobId: string,
  load: () => Promise<{ view: JobView; statusSeq: number; progressSeq: number } | undefined>,
  changes: JobChanges,
  options: SseOptions = {},
): Promise<void> {
  res.status(200);
  res.setHeader('Content-Type', 'text/event-stream');
  res.setHeader('Cache-Control', 'no-cache, no-transform');
  res.setHeader('Connection', 'keep-alive');
  res.setHeader('X-Accel-Buffering', 'no');
  res.flushHeaders();

  let lastStatus: string | undefined;
  let lastStatusSeq = -1;
  let lastProgress = -1;
  let closed = false;
  let busy = false;
  let again = false;

  const send = (event: string, id: string, data: unknown) => res.write(`event: ${event}\nid: ${id}\ndata: ${JSON.stringify(data)}\n\n`);
  const finish = () => {
    if (closed) return;
    closed = true;
    clearInterval(poll);
    clearInterval(heartbeat);
    unsubscribe();
    res.end();
  };

  const check = async (): Promise<void> => {
    if (closed) return;
    if (busy) {
      again = true;
      return;
    }
    busy = true;
    try {
      const current = await load();
      if (!current) return finish();
      const { view, statusSeq, progressSeq } = current;
      const id = `${statusSeq}.${progressSeq}`;
      if (view.status !== lastStatus || statusSeq !== lastStatusSeq) {
        lastStatus = view.status;
        lastStatusSeq = statusSeq;
        lastProgress = progressSeq;
        send('status', id, view);
      } else if (progressSeq !== lastProgress) {
        lastProgress = progressSeq;
        send('progress', id, view);
      }
      if (isTerminal(view.status)) finish();
    } catch {
      // a database hiccup: the next notification or poll tries again
    } finally {
      busy = false;
      if (again && !closed) {
        again = false;
        void check();
      }
    }
  };

  const unsubscribe = changes.subscribe(jobId, () => void check());
  const poll = setInterval(() => void check(), options.pollMs ?? 2000);
  const heartbeat = setInterval(() => res.write(': keep-alive\n\n'), options.heartbeatMs ?? 15_000);
  req.on('close', finish);
  await check();
}
