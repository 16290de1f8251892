/** Runs `fn` over `items` with at most `limit` calls in flight; resolves when all are done (fn must not throw). */
export async function forEachLimit<T>(items: Iterable<T>, limit: number, fn: (item: T, index: number) => Promise<void>): Promise<void> {
  const list = [...items];
  let next = 0;
  const worker = async () => {
    while (next < list.length) {
      const i = next++;
      await fn(list[i]!, i);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, list.length)) }, worker));
}
