import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  byJoinOrder,
  checkCapacityChange,
  creditEarned,
  placeRegistrant,
  planPromotions,
  waitlistPosition,
  type WaitlistEntry,
} from './waitlist.js';

/** A session simulated with the policy alone, as the server applies it under the lock. */
interface Reg extends WaitlistEntry {
  status: 'confirmed' | 'waitlisted' | 'cancelled';
}

type Op =
  | { kind: 'register'; eligible: boolean; at: number }
  | { kind: 'cancel'; pick: number }
  | { kind: 'capacity'; to: number }
  | { kind: 'eligibility'; pick: number; eligible: boolean };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({
      kind: fc.constant('register' as const),
      eligible: fc.boolean(),
      at: fc.integer({ min: 0, max: 50 }),
    }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('cancel' as const), pick: fc.nat() }) },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant('capacity' as const), to: fc.integer({ min: 1, max: 12 }) }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('eligibility' as const),
      pick: fc.nat(),
      eligible: fc.boolean(),
    }),
  },
);

function run(initialCapacity: number, ops: Op[], checkOrder = false) {
  let capacity = initialCapacity;
  const regs: Reg[] = [];
  const promotedLog: Reg[][] = [];
  let clock = 0;
  const confirmed = () => regs.filter((r) => r.status === 'confirmed').length;
  const waiting = () => regs.filter((r) => r.status === 'waitlisted');
  const promote = () => {
    const plan = planPromotions(capacity, confirmed(), waiting());
    for (const p of plan.promote) p.status = 'confirmed';
    promotedLog.push(plan.promote);
    if (checkOrder) {
      // Every eligible person still waiting joined after everyone just promoted.
      for (const w of waiting().filter((x) => x.eligible)) {
        for (const p of plan.promote) expect(byJoinOrder(p, w)).toBeLessThan(0);
      }
    }
    return plan;
  };
  for (const op of ops) {
    if (op.kind === 'register') {
      // Join times never go backwards (the server stamps them under the lock).
      clock = Math.max(clock, op.at);
      const r: Reg = {
        id: `r${regs.length}`,
        joinedAt: new Date(Date.UTC(2027, 0, 1, 0, clock)).toISOString(),
        seq: regs.length,
        eligible: op.eligible,
        status: placeRegistrant(capacity, confirmed()),
      };
      regs.push(r);
    } else if (op.kind === 'cancel') {
      const live = regs.filter((r) => r.status !== 'cancelled');
      const r = live[op.pick % Math.max(1, live.length)];
      if (r) {
        r.status = 'cancelled';
        promote();
      }
    } else if (op.kind === 'capacity') {
      if (checkCapacityChange(op.to, confirmed()).ok) {
        capacity = op.to;
        promote();
      }
    } else {
      const r = regs[op.pick % Math.max(1, regs.length)];
      if (r) r.eligible = op.eligible;
    }
    expect(confirmed()).toBeLessThanOrEqual(capacity);
  }
  return { regs, promotedLog, capacity, confirmed: confirmed() };
}

describe('waitlist policy (properties)', () => {
  it('confirmed seats never exceed capacity, whatever happens', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10 }), fc.array(opArb, { maxLength: 80 }), (cap, ops) => {
        const { confirmed, capacity } = run(cap, ops);
        expect(confirmed).toBeLessThanOrEqual(capacity);
      }),
      { numRuns: 500 },
    );
  });

  it('promotes in join order: nobody eligible who joined earlier is left waiting behind a promoted person', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10 }), fc.array(opArb, { maxLength: 80 }), (cap, ops) => {
        const { promotedLog } = run(cap, ops, true);
        expect(
          promotedLog.every((batch) => batch.every((p, i) => i === 0 || byJoinOrder(batch[i - 1]!, p) < 0)),
        ).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('each promotion batch is in join order and skips only ineligible people', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 10 }),
        fc.integer({ min: 0, max: 10 }),
        fc.array(fc.record({ minute: fc.integer({ min: 0, max: 30 }), eligible: fc.boolean() }), {
          maxLength: 30,
        }),
        (capacity, confirmed, raw) => {
          const list = raw.map((r, i) => ({
            id: `w${i}`,
            joinedAt: new Date(Date.UTC(2027, 0, 1, 0, r.minute)).toISOString(),
            seq: i,
            eligible: r.eligible,
          }));
          const plan = planPromotions(capacity, confirmed, list);
          const free = Math.max(0, capacity - confirmed);
          expect(plan.promote.length).toBeLessThanOrEqual(free);
          expect(plan.promote.every((p) => p.eligible)).toBe(true);
          expect(plan.skipped.every((p) => !p.eligible)).toBe(true);
          const sorted = [...plan.promote].sort(byJoinOrder);
          expect(plan.promote).toEqual(sorted);
          // Everyone eligible ahead of the last promoted person was promoted.
          const last = plan.promote.at(-1);
          if (last) {
            const ahead = list.filter((w) => w.eligible && byJoinOrder(w, last) < 0);
            expect(ahead.every((w) => plan.promote.includes(w))).toBe(true);
          }
          // Seats stay empty only when no eligible person is waiting.
          if (plan.promote.length < free)
            expect(list.filter((w) => w.eligible).length).toBe(plan.promote.length);
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe('waitlist policy (examples)', () => {
  it('places into free seats, then the waitlist', () => {
    expect(placeRegistrant(30, 29)).toBe('confirmed');
    expect(placeRegistrant(30, 30)).toBe('waitlisted');
  });

  it('refuses a capacity below the confirmed count and explains why', () => {
    expect(checkCapacityChange(20, 25)).toEqual({
      ok: false,
      reason: expect.stringMatching(/25 people are confirmed/),
    });
    expect(checkCapacityChange(25, 25)).toEqual({ ok: true });
    expect(checkCapacityChange(0, 0).ok).toBe(false);
  });

  it('gives 1-based waitlist positions in join order', () => {
    const list = [
      { id: 'b', joinedAt: '2027-01-01T10:00:00.000Z', seq: 2 },
      { id: 'a', joinedAt: '2027-01-01T10:00:00.000Z', seq: 1 },
      { id: 'c', joinedAt: '2027-01-01T09:00:00.000Z', seq: 3 },
    ];
    expect(waitlistPosition(list, 'c')).toBe(1);
    expect(waitlistPosition(list, 'a')).toBe(2);
    expect(waitlistPosition(list, 'b')).toBe(3);
    expect(waitlistPosition(list, 'x')).toBeNull();
  });
});

describe('completion rule', () => {
  const base = { durationMinutes: 180, minPercent: 90, amount: 3 };
  it('gives full credit at exactly 90% of the minutes and none one minute short', () => {
    expect(creditEarned({ ...base, minutesAttended: 162, partialAllowed: false })).toEqual({
      amount: 3,
      complete: true,
    });
    expect(creditEarned({ ...base, minutesAttended: 161, partialAllowed: false })).toEqual({
      amount: 0,
      complete: false,
    });
  });
  it('gives partial credit, in quarter credits, only where the program allows it', () => {
    expect(creditEarned({ ...base, minutesAttended: 120, partialAllowed: true })).toEqual({
      amount: 2,
      complete: false,
    });
    expect(creditEarned({ ...base, minutesAttended: 100, partialAllowed: true })).toEqual({
      amount: 1.5,
      complete: false,
    });
    expect(creditEarned({ ...base, minutesAttended: 0, partialAllowed: true })).toEqual({
      amount: 0,
      complete: false,
    });
  });
  it('never gives more than the course is worth', () => {
    expect(creditEarned({ ...base, minutesAttended: 500, partialAllowed: true }).amount).toBe(3);
  });
});
