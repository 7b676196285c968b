/**
 * Seat and waitlist policy for one session, as pure functions. The server
 * applies them under the session's row lock (see docs/sessions.md); property
 * tests check that confirmed seats never exceed capacity and that promotion
 * follows join order.
 */

export interface WaitlistEntry {
  id: string;
  /** When the person joined (ISO instant). */
  joinedAt: string;
  /** Tie-breaker for equal join times: the order the rows were written. */
  seq: number;
  /** Still eligible for this session (certified for a renewal course, prerequisites met). */
  eligible: boolean;
}

/** First-in-first-out: earlier join time first, then earlier write. */
export function byJoinOrder(
  a: Pick<WaitlistEntry, 'joinedAt' | 'seq'>,
  b: Pick<WaitlistEntry, 'joinedAt' | 'seq'>,
): number {
  const ta = Date.parse(a.joinedAt);
  const tb = Date.parse(b.joinedAt);
  if (ta !== tb) return ta - tb;
  return a.seq - b.seq;
}

/** Where a new registrant goes: a free seat confirms, otherwise the waitlist. */
export function placeRegistrant(capacity: number, confirmed: number): 'confirmed' | 'waitlisted' {
  return confirmed < capacity ? 'confirmed' : 'waitlisted';
}

export interface PromotionPlan<E extends WaitlistEntry = WaitlistEntry> {
  /** In join order; never more than the free seats. */
  promote: E[];
  /** Ineligible people passed over (they stay on the waitlist). */
  skipped: E[];
}

/**
 * Who fills the free seats: the first eligible people on the waitlist in join
 * order, skipping anyone no longer eligible. Ineligible people ahead of the
 * last promoted person are reported as skipped.
 */
export function planPromotions<E extends WaitlistEntry>(
  capacity: number,
  confirmed: number,
  waitlist: readonly E[],
): PromotionPlan<E> {
  let free = Math.max(0, capacity - confirmed);
  const promote: E[] = [];
  const skipped: E[] = [];
  for (const entry of [...waitlist].sort(byJoinOrder)) {
    if (free === 0) break;
    if (!entry.eligible) {
      skipped.push(entry);
      continue;
    }
    promote.push(entry);
    free--;
  }
  return { promote, skipped };
}

export type CapacityCheck = { ok: true } | { ok: false; reason: string };

/** A capacity below the confirmed count would drop people: refuse it (they are never dropped silently). */
export function checkCapacityChange(newCapacity: number, confirmed: number): CapacityCheck {
  if (!Number.isInteger(newCapacity) || newCapacity < 1) {
    return { ok: false, reason: 'Capacity must be a whole number of at least 1.' };
  }
  if (newCapacity < confirmed) {
    return {
      ok: false,
      reason: `${confirmed} people are confirmed, so the capacity cannot go below ${confirmed}. Cancel registrations first if the room is smaller.`,
    };
  }
  return { ok: true };
}

/** 1-based position of an entry on the waitlist, or null when it is not on it. */
export function waitlistPosition(
  waitlist: readonly Pick<WaitlistEntry, 'id' | 'joinedAt' | 'seq'>[],
  id: string,
): number | null {
  const i = [...waitlist].sort(byJoinOrder).findIndex((e) => e.id === id);
  return i < 0 ? null : i + 1;
}

export interface CompletionInput {
  durationMinutes: number;
  minutesAttended: number;
  /** Minimum share of the minutes, in percent, for full credit (default 90). */
  minPercent: number;
  /** The program allows partial credit below the threshold. */
  partialAllowed: boolean;
  /** The course's credit value in one category. */
  amount: number;
}

/**
 * Credit earned for attendance: full credit at or above the completion
 * threshold; below it nothing, or (where the program allows partial credit)
 * the attended share, rounded down to a quarter credit.
 */
export function creditEarned(i: CompletionInput): { amount: number; complete: boolean } {
  const minutes = Math.max(0, Math.min(i.minutesAttended, i.durationMinutes));
  const complete = minutes * 100 >= i.minPercent * i.durationMinutes && minutes > 0;
  if (complete) return { amount: i.amount, complete: true };
  if (!i.partialAllowed || minutes === 0) return { amount: 0, complete: false };
  const share = (i.amount * minutes) / i.durationMinutes;
  return { amount: Math.floor(share * 4) / 4, complete: false };
}
