// Long synchronous work made cooperative. A Node process hears its signals (SIGTERM, Ctrl-C), its IPC
// messages and its timers (a run's heartbeat) only when the event loop gets control, so a block of many
// seconds (building a vocabulary from a large file, making a BERT-base model) must pause now and then.
// Such work is written once as a generator of steps that `yield` where it may pause; it then runs
//   - at once: finishNow(steps), for callers that need a plain function, or
//   - in time slices: finishInSlices(steps, pause), awaiting `pause` after each slice of about SLICE_MS
//     (a run's set-up point: the signal handlers, a stop request, the heartbeat; or just nextTurn).
// Both give the same result: pausing changes when the work runs, never what it computes.

/** Work that yields where it may pause, and returns a T. */
export type Steps<T> = Generator<void, T, void>;

/** What runs between two slices: it may throw (a stop), which ends the work. */
export type Pause = () => Promise<void>;

/** The work done between two pauses: short enough for a signal to be heard within a fraction of a second. */
export const SLICE_MS = 200;

/** One turn of the event loop: the signal handlers, the IPC messages and the due timers run. */
export const nextTurn: Pause = () => new Promise((resolve) => setImmediate(resolve));

/** Pauses when a slice of work has run since the last pause. */
export class TimeSlices {
  private sliceEnd: number;

  constructor(
    private readonly pause: Pause = nextTurn,
    private readonly sliceMs = SLICE_MS,
  ) {
    this.sliceEnd = performance.now() + sliceMs;
  }

  /** True when the work has run for a slice since the last pause. */
  get due(): boolean {
    return performance.now() >= this.sliceEnd;
  }

  async pauseIfDue(): Promise<void> {
    if (!this.due) return;
    await this.pause();
    this.sliceEnd = performance.now() + this.sliceMs;
  }
}

/** Runs the steps to the end without pausing. */
export function finishNow<T>(steps: Steps<T>): T {
  for (;;) {
    const next = steps.next();
    if (next.done) return next.value;
  }
}

/** Runs the steps to the end, pausing after each slice of work. A pause that throws is thrown into the
 *  steps (their `finally` and `catch` blocks run: what they made is disposed of), then to the caller. */
export async function finishInSlices<T>(steps: Steps<T>, pause: Pause = nextTurn, sliceMs = SLICE_MS): Promise<T> {
  const slices = new TimeSlices(pause, sliceMs);
  for (;;) {
    const next = steps.next();
    if (next.done) return next.value;
    if (!slices.due) continue;
    try {
      await slices.pauseIfDue();
    } catch (e) {
      steps.throw(e);
      throw e;
    }
  }
}
