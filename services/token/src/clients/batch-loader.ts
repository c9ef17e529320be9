/**
 * Coalesces lookups made in the same turn of the event loop into one query (DataLoader-style,
 * no caching: every call reads fresh rows). Under load, one round trip serves many mints.
 */
export function createBatchLoader<K, V>(load: (keys: K[]) => Promise<Map<K, V>>, maxBatch = 256): (key: K) => Promise<V | undefined> {
  let pending: { key: K; resolve: (v: V | undefined) => void; reject: (err: unknown) => void }[] = [];
  let scheduled = false;

  function flush(): void {
    scheduled = false;
    const batch = pending.slice(0, maxBatch);
    pending = pending.slice(batch.length);
    if (pending.length > 0) schedule();
    const keys = [...new Set(batch.map((b) => b.key))];
    load(keys).then(
      (rows) => batch.forEach((b) => b.resolve(rows.get(b.key))),
      (err: unknown) => batch.forEach((b) => b.reject(err)),
    );
  }
  function schedule(): void {
    if (scheduled) return;
    scheduled = true;
    setImmediate(flush);
  }
  return (key) =>
    new Promise<V | undefined>((resolve, reject) => {
      pending.push({ key, resolve, reject });
      schedule();
    });
}
