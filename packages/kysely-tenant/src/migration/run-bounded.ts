/**
 * Runs `work` over `items` with at most `concurrency` in flight, in item order, and returns
 * the outcomes of the items that ran (in completion order). Once `stop()` returns true no
 * new item starts; the ones already running finish. `work` must not throw: a fan-out
 * reports failures per item instead.
 */
export async function runBounded<T, R>(
  items: readonly T[],
  concurrency: number,
  work: (item: T) => Promise<R>,
  stop: () => boolean = () => false,
): Promise<R[]> {
  const outcomes: R[] = []
  let next = 0
  const lane = async () => {
    while (next < items.length && !stop()) {
      const item = items[next++] as T
      outcomes.push(await work(item))
    }
  }
  const lanes = Math.max(1, Math.min(Math.floor(concurrency), items.length))
  await Promise.all(Array.from({ length: lanes }, lane))
  return outcomes
}
