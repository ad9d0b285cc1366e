// A lease a process holds on a file it wrote (a run's claim lock, a store's in-use marker): renewed every
// `everyMs` until released, released once, and on the process's exit. Others judge a lease stale by its
// last renewal (trainer/runs/liveness.ts STALE_HEARTBEAT_MS), so a renewal that fails is only tried again.

/** Calls `renew` every `everyMs` (a failure is tried again at the next tick) until the returned release;
 *  `onRelease` runs once, at the release or at the process's exit. */
export function holdLease(everyMs: number, renew: () => void, onRelease: () => void): () => void {
  const timer = setInterval(() => {
    try {
      renew();
    } catch {
      // tried again at the next tick; the lease is long
    }
  }, everyMs);
  timer.unref();
  let released = false;
  const release = () => {
    if (released) return;
    released = true;
    clearInterval(timer);
    process.off('exit', release);
    onRelease();
  };
  process.on('exit', release);
  return release;
}
