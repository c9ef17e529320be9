/**
 * Runs `stop` and resolves when it settles or after `timeoutMs`, whichever comes first; never
 * rejects. The OTLP exporter retries an absent collector for ~8 s before rejecting (STACK.md), and
 * a missing collector must never delay process exit.
 */
export async function boundedShutdown(stop: () => Promise<void>, timeoutMs: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, timeoutMs);
    timer.unref();
  });
  try {
    await Promise.race([stop().catch(() => undefined), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
