import { DomainError } from '../../../domain/errors.js';

/**
 * How many `register_seat` calls for one session this process runs at once (ADR 0042).
 *
 * The calls for one session commit one after another behind its row lock whatever the pool does,
 * so a rush that hands the whole pool to them gains nothing: every connection waits on the same
 * lock, and the sign-in lookups and reads of the requests behind them (and every other page of
 * the app) wait for a connection. A few calls in flight keep the lock's chain busy (the next one
 * is already waiting inside PostgreSQL when the holder commits); the rest of the pool keeps
 * answering. Calls beyond that wait here, first come, first served. Correctness does not rest on
 * this: the row lock decides, and another process has its own gate.
 */
export const SEAT_CALLS_PER_SESSION = 3;

type Waiter = () => void;
const gates = new Map<string, { running: number; queue: Waiter[] }>();

/** How long a session read is shared while registrations for it are under way. */
export const SHARED_READ_MS = 1000;

const reads = new Map<string, { value: Promise<unknown>; at: number; settled: boolean }>();

/**
 * The session as read before the lock, shared by the registrations for it that arrive while one is
 * being read, or while others are in the gate and the read is under SHARED_READ_MS old. That read
 * is only a snapshot to check against: register_seat re-checks its status, dates and zone under the
 * lock and answers o_changed if they moved (then `forgetSessionRead` and read again). Once no
 * registration for the session is in the gate the next one reads afresh, so one registration
 * after another (and every test that changes a course between two) always reads the session anew.
 */
export function sharedSessionRead<T>(sessionId: string, read: () => Promise<T>): Promise<T> {
  const now = Date.now();
  const held = reads.get(sessionId);
  if (held && (!held.settled || (gates.has(sessionId) && now - held.at < SHARED_READ_MS)))
    return held.value as Promise<T>;
  const entry = { value: read() as Promise<unknown>, at: now, settled: false };
  reads.set(sessionId, entry);
  entry.value.then(
    () => {
      entry.settled = true;
      // Nobody in the gate: those waiting on this read have it; later ones read afresh.
      if (!gates.has(sessionId) && reads.get(sessionId) === entry) reads.delete(sessionId);
    },
    () => {
      if (reads.get(sessionId) === entry) reads.delete(sessionId);
    },
  );
  return entry.value as Promise<T>;
}

/** Drops the shared read of a session (register_seat found it changed). */
export function forgetSessionRead(sessionId: string): void {
  reads.delete(sessionId);
}

/**
 * How long a registration waits here for its turn before it is answered 503 with nothing saved: the
 * pool's own wait for a connection (`connectionTimeoutMillis`, database.ts), which a registration
 * waiting here does not hold. A session row held by a stuck transaction, or a hung connection,
 * then fails the waiting registrations in bounded time instead of keeping them forever.
 */
export const SEAT_WAIT_MS = 30_000;

/** Runs `work` once fewer than SEAT_CALLS_PER_SESSION calls for `sessionId` are running here. */
export async function throughSeatGate<T>(
  sessionId: string,
  work: () => Promise<T>,
  waitMs: number = SEAT_WAIT_MS,
): Promise<T> {
  let gate = gates.get(sessionId);
  if (!gate) gates.set(sessionId, (gate = { running: 0, queue: [] }));
  if (gate.running >= SEAT_CALLS_PER_SESSION) {
    const queue = gate.queue;
    await new Promise<void>((go, giveUp) => {
      const timer = setTimeout(() => {
        queue.splice(queue.indexOf(waiter), 1);
        giveUp(
          new DomainError(
            'unavailable',
            'So many people are registering for this session that yours could not be taken in time. Nothing was saved; try again in a minute.',
            { retryAfterSeconds: 30 },
          ),
        );
      }, waitMs);
      const waiter = () => {
        clearTimeout(timer);
        go();
      };
      queue.push(waiter);
    });
  } else gate.running++;
  try {
    return await work();
  } finally {
    const next = gate.queue.shift();
    // The slot passes straight to the next in line; the last one out removes the gate.
    if (next) next();
    else if (--gate.running === 0) {
      gates.delete(sessionId);
      if (reads.get(sessionId)?.settled) reads.delete(sessionId);
    }
  }
}

/** Calls running and waiting for a session (tests). */
export function seatGateLoad(sessionId: string): { running: number; waiting: number } {
  const gate = gates.get(sessionId);
  return { running: gate?.running ?? 0, waiting: gate?.queue.length ?? 0 };
}
