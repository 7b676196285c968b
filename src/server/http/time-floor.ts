/**
 * Answers no sooner than a fixed floor, so how long a request takes does not
 * tell what it found (a password reset for a known address does more work
 * than one for an unknown address). The work runs first; the remainder of the
 * floor is spent waiting, whether the work succeeded or threw.
 */
export interface TimeFloor {
  floorMs: number;
  /** Milliseconds on a monotonic clock. */
  now: () => number;
  sleep: (ms: number) => Promise<void>;
}

export const realTimeFloor = (floorMs: number): TimeFloor => ({
  floorMs,
  now: () => performance.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
});

export async function withTimeFloor<T>(floor: TimeFloor, work: () => Promise<T>): Promise<T> {
  const started = floor.now();
  try {
    return await work();
  } finally {
    const left = floor.floorMs - (floor.now() - started);
    if (left > 0) await floor.sleep(left);
  }
}
