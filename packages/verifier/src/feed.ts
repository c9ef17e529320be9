// types only: verifying must not load the bus adapters (and the NATS client) at run time
import type { Bus, Delivery, Outcome } from '@ffgate/bus';
import { TOKENS_STREAM, TOKEN_REVOKED_TYPE, TokenRevokedEvent } from '@ffgate/contracts';
import type { RevocationView } from './revocations.ts';

export interface RevocationFeedOptions {
  /** default TOKENS; the token service creates it (retention ≥ the longest credential lifetime) */
  stream?: string;
  /** leave unset: every verifier must see every revocation (broadcast from the start) */
  durable?: string;
  /** how often a connected bus counts as a sign of life when no events arrive (default 5 s) */
  livenessIntervalMs?: number;
  now?: () => number;
}

export interface RevocationFeed {
  stop(): Promise<void>;
}

/**
 * Keep `view` up to date from `token.revoked.*`. Replays the whole stream first (`deliver: 'all'`),
 * so a verifier started after a revocation still knows it. Marks feed activity on every event and,
 * while the bus is connected, every `livenessIntervalMs`, so a verifier can fail closed when the
 * feed goes quiet because it is broken rather than because nothing was revoked.
 */
export async function feedRevocations(bus: Bus, view: RevocationView, options: RevocationFeedOptions = {}): Promise<RevocationFeed> {
  const now = options.now ?? Date.now;
  const sub = await bus.consume(
    { stream: options.stream ?? TOKENS_STREAM, durable: options.durable, filterSubject: `${TOKEN_REVOKED_TYPE}.>`, deliver: 'all' },
    async (delivery: Delivery): Promise<Outcome> => {
      const parsed = TokenRevokedEvent.safeParse(delivery.event);
      // the bus validated already; a mismatch means a contract drift, and retrying cannot fix it
      if (!parsed.success) return { kind: 'term', reason: `invalid token.revoked event: ${parsed.error.message}` };
      applyRevocation(view, parsed.data);
      view.markFeedActivity(now());
      return { kind: 'ack' };
    },
  );
  if (bus.isConnected()) view.markFeedActivity(now());
  const timer = setInterval(() => {
    if (bus.isConnected()) view.markFeedActivity(now());
  }, options.livenessIntervalMs ?? 5_000);
  timer.unref();

  let stopped: Promise<void> | undefined;
  return {
    stop() {
      clearInterval(timer);
      return (stopped ??= sub.stop());
    },
  };
}

/** Apply one event to a view (also used directly by in-process callers and tests). */
export function applyRevocation(view: RevocationView, event: TokenRevokedEvent): void {
  if (event.revokedBefore !== undefined && event.userId !== undefined) view.revokeUserBefore(event.userId, Date.parse(event.revokedBefore));
  if (event.jti !== undefined && event.expiresAt !== undefined) view.revokeJti(event.jti, Date.parse(event.expiresAt));
}
