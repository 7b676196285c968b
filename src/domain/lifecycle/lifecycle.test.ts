import { describe, expect, it } from 'vitest';
import { evaluate } from '../requirements/evaluate.js';
import { formatEvaluationText } from '../requirements/format.js';
import { many, mgmtTier, rec, testProgram } from '../requirements/testkit.js';
import type { Requirement } from '../requirements/types.js';
import { cycleDates, firstCycle, nextCycle, remindersBetween } from './index.js';
import { awards, renewalProgram as program, renewalReq } from './testkit.js';

const basePolicy = {
  cycleYears: 2,
  remindDaysBefore: [30, 90, 7],
  graceDays: 60,
  reinstatement: { withinDays: 365 },
};

describe('renewal schedule', () => {
  it('previous-expiry basis: cycles follow each other whatever the completion date', () => {
    const p = { ...basePolicy, expiryBasis: 'previousExpiry' as const };
    const c1 = firstCycle(p, '2024-03-15');
    expect(c1).toEqual({ start: '2024-03-15', due: '2026-03-14' });
    expect(nextCycle(p, c1, '2025-01-01')).toEqual({ start: '2026-03-15', due: '2028-03-14' });
  });

  it('completion-date basis: the next cycle runs from the renewal date', () => {
    const p = { ...basePolicy, expiryBasis: 'completionDate' as const };
    const c1 = firstCycle(p, '2024-03-15');
    expect(nextCycle(p, c1, '2025-06-30')).toEqual({ start: '2025-07-01', due: '2027-06-30' });
  });

  it('fixed-anchor basis: due on the anchor date N years on', () => {
    const p = {
      ...basePolicy,
      cycleYears: 1,
      expiryBasis: 'fixedAnchor' as const,
      anchor: { month: 12, day: 31 },
    };
    const c1 = firstCycle(p, '2024-10-15');
    expect(c1).toEqual({ start: '2024-10-15', due: '2025-12-31' });
    expect(nextCycle(p, c1, '2025-05-01')).toEqual({ start: '2026-01-01', due: '2026-12-31' });
    const feb = { ...p, anchor: { month: 2, day: 29 } };
    expect(firstCycle(feb, '2024-01-10').due).toBe('2025-02-28');
  });

  it('reminders fall before the due date (the sign is right), earliest first; grace and reinstatement after', () => {
    const p = { ...basePolicy, expiryBasis: 'previousExpiry' as const };
    const d = cycleDates(p, { start: '2024-03-15', due: '2026-03-14' });
    expect(d.reminders).toEqual(['2025-12-14', '2026-02-12', '2026-03-07']);
    expect(d.graceEnds).toBe('2026-05-13');
    expect(d.reinstateBy).toBe('2027-05-13');
    expect(remindersBetween(d, '2026-02-12', '2026-03-10')).toEqual(['2026-03-07']);
  });
});

describe('certification over time', () => {
  it('moves through certified, renewal due, grace, lapsed and expired at the exact days', () => {
    const p = program();
    const at = (asOf: string) => evaluate(p, [], { asOf, awards }).status;
    expect(at('2023-12-31')).toBe('not_started'); // before the award
    expect(at('2024-01-01')).toBe('certified');
    expect(at('2024-11-30')).toBe('certified');
    expect(at('2024-12-01')).toBe('renewal_due'); // the reminder, 30 days before Dec 31
    expect(at('2024-12-31')).toBe('renewal_due');
    expect(at('2025-01-30')).toBe('renewal_due'); // last day of grace
    expect(at('2025-01-31')).toBe('lapsed');
    expect(at('2025-05-10')).toBe('lapsed'); // last day to reinstate
    expect(at('2025-05-11')).toBe('expired');
  });

  it('lapses on the day after grace ends and expires the day after the reinstatement window, at midnight in the program zone', () => {
    // Due 2024-12-31, 30 days of grace (last day 2025-01-30), then 100 days to reinstate (last day 2025-05-10).
    const p = program();
    const lc = (asOf: string) => evaluate(p, [], { asOf, awards }).lifecycle;
    expect(lc('2025-01-30')?.lapsedOn).toBeUndefined();
    expect(lc('2025-01-31')).toMatchObject({ status: 'lapsed', lapsedOn: '2025-01-31' });
    expect(lc('2025-01-31')?.expiredOn).toBeUndefined();
    expect(lc('2025-05-11')).toMatchObject({
      status: 'expired',
      lapsedOn: '2025-01-31',
      expiredOn: '2025-05-11',
    });
    // The program is in Chicago (CST, UTC-6 in winter): 23:59 there on the last grace day is still
    // in grace, although it is already January 31 in UTC; midnight there is the lapse.
    expect(lc('2025-01-31T05:59:00Z')?.status).toBe('renewal_due');
    expect(lc('2025-01-31T06:00:00Z')).toMatchObject({ status: 'lapsed', lapsedOn: '2025-01-31' });
  });

  it('completing the renewal on the last grace day renews, even when the program has a reinstatement requirement', () => {
    const p = program({
      reinstatement: {
        withinDays: 100,
        requirement: {
          id: 'reinstate',
          type: 'attestation',
          title: 'reinstatement request',
          attestation: 'reinstate',
        },
      },
    });
    const onLastDay = evaluate(p, many(10, { date: '2025-01-30' }), { asOf: '2025-03-10', awards });
    expect(onLastDay.lifecycle?.cycles[0]).toMatchObject({ state: 'renewed', completedOn: '2025-01-30' });
    expect(onLastDay.status).toBe('certified');
    // A day later is late: without the reinstatement request it stays lapsed.
    const dayLate = evaluate(p, many(10, { date: '2025-01-31' }), { asOf: '2025-03-10', awards });
    expect(dayLate.lifecycle?.cycles[0]?.state).toBe('lapsed');
    expect(dayLate.status).toBe('lapsed');
  });

  it('renewed on time stays certified into the next cycle, with the next due date', () => {
    const r = evaluate(program(), many(10, { date: '2024-06-01' }), { asOf: '2024-12-15', awards });
    expect(r.status).toBe('certified');
    expect(r.lifecycle?.cycles[0]).toMatchObject({ state: 'renewed', completedOn: '2024-06-01' });
    expect(r.lifecycle?.nextDue).toBe('2025-12-31');
  });

  it('completing during grace renews; completing after grace reinstates', () => {
    const late = evaluate(program(), many(10, { date: '2025-01-15' }), { asOf: '2025-03-01', awards });
    expect(late.lifecycle?.cycles[0]?.state).toBe('renewed');
    const reinstated = evaluate(program(), many(10, { date: '2025-03-01' }), { asOf: '2025-03-02', awards });
    expect(reinstated.lifecycle?.cycles[0]?.state).toBe('reinstated');
    expect(reinstated.status).toBe('certified'); // cycle 2 runs Jan 1 - Dec 31, 2025; its reminder is in December
  });

  it('a reinstatement requirement must also be met', () => {
    const p = program({
      reinstatement: {
        withinDays: 100,
        requirement: {
          id: 'fee-pledge',
          type: 'attestation',
          title: 'reinstatement request',
          attestation: 'reinstate',
        },
      },
    });
    const records = many(10, { date: '2025-03-01' });
    expect(evaluate(p, records, { asOf: '2025-03-10', awards }).status).toBe('lapsed');
    const ok = evaluate(p, records, {
      asOf: '2025-03-10',
      awards,
      attestations: [{ attestation: 'reinstate', date: '2025-03-05' }],
    });
    expect(ok.lifecycle?.cycles[0]).toMatchObject({ state: 'reinstated', completedOn: '2025-03-05' });
  });

  it('a closed cycle does not change when records are added later', () => {
    const p = program();
    const lateEntry = many(10, { date: '2024-06-01', recordedOn: '2025-06-01' });
    const r = evaluate(p, lateEntry, { asOf: '2025-07-01', awards });
    expect(r.status).toBe('expired');
    expect(r.lifecycle?.cycles[0]?.requirement?.notCounted[0]).toMatchObject({
      reason: 'recorded_after_close',
    });
    // Entered while the cycle was still open (in grace), the same records renew it.
    const inTime = evaluate(p, many(10, { date: '2024-06-01', recordedOn: '2025-01-20' }), {
      asOf: '2025-07-01',
      awards,
    });
    expect(inTime.lifecycle?.cycles[0]?.state).toBe('renewed');
  });

  it('stored outcomes of closed cycles win over recomputation', () => {
    const r = evaluate(program(), [], {
      asOf: '2025-06-01',
      awards,
      closedCycles: [{ cycleStart: '2024-01-01', outcome: 'renewed', completedOn: '2024-12-20' }],
    });
    expect(r.lifecycle?.cycles[0]).toMatchObject({ state: 'renewed', stored: true });
    expect(r.status).toBe('certified');
  });

  describe('closed cycles stay closed', () => {
    // Cycle 1 runs through 2024-12-31 (grace to 2025-01-30, reinstatement to 2025-05-10);
    // cycle 2 is 2025. A: ten 2024 records that renewed cycle 1; B: ten 2025 records for cycle 2.
    const A = many(10, { date: '2024-06-01' });
    const B = many(10, { date: '2025-02-01' });
    const reversedA = [{ ...A[0]!, status: 'reversed' as const }, ...A.slice(1)];
    const asOf = '2025-12-15';
    const closed = {
      cycleStart: '2024-01-01',
      outcome: 'renewed' as const,
      completedOn: '2024-06-01',
      recordIds: A.map((r) => r.id),
    };

    it('reports a renewed cycle as closed once its grace is over, with the records it counted', () => {
      const inGrace = evaluate(program(), [...A, ...B], { asOf: '2025-01-30', awards });
      expect(inGrace.lifecycle?.cycles[0]).toMatchObject({ state: 'renewed', closed: false });
      const r = evaluate(program(), [...A, ...B], { asOf, awards });
      expect(r.status).toBe('certified');
      expect(r.lifecycle?.cycles[0]).toMatchObject({ state: 'renewed', closed: true, stored: false });
      expect(new Set(r.lifecycle?.cycles[0]?.recordIds)).toEqual(new Set(A.map((x) => x.id)));
      expect(r.lifecycle?.cycles[1]?.closed).toBe(false);
    });

    it('without a stored outcome, a late reversal flips the closed cycle (what stored outcomes prevent)', () => {
      const r = evaluate(program(), [...reversedA, ...B], { asOf, awards });
      expect(r.lifecycle?.cycles[0]?.state).toBe('reinstated');
      expect(r.status).toBe('renewal_due');
    });

    it('with the stored outcome, a late reversal does not flip the cycle; it is flagged', () => {
      const r = evaluate(program(), [...reversedA, ...B], { asOf, awards, closedCycles: [closed] });
      expect(r.status).toBe('certified');
      expect(r.lifecycle?.cycles[0]).toMatchObject({ state: 'renewed', stored: true, closed: true });
      expect(r.lifecycle?.cycles[1]?.state).toBe('renewed'); // B stays cycle 2's
      expect(r.lifecycle?.cycles[0]?.lateCorrection).toMatchObject({
        ledgerState: 'reinstated',
        withdrawnRecordIds: [A[0]!.id],
      });
      expect(r.lifecycle?.cycles[0]?.lateCorrection?.detail).toMatch(/reinstated .* not renewed/);
      expect(formatEvaluationText(program(), r)).toMatch(
        /renewed on 2024-06-01 \(stored\)\n {4}Late correction: /,
      );
      // Nothing changed: no flag.
      const quiet = evaluate(program(), [...A, ...B], { asOf, awards, closedCycles: [closed] });
      expect(quiet.lifecycle?.cycles[0]?.lateCorrection).toBeUndefined();
    });

    it('a reopened cycle is recomputed from the ledger as it is now', () => {
      const r = evaluate(program(), [...reversedA, ...B], {
        asOf,
        awards,
        reopenedCycles: ['2024-01-01'],
      });
      expect(r.lifecycle?.cycles[0]).toMatchObject({ state: 'reinstated', stored: false, closed: true });
      expect(r.status).toBe('renewal_due');
    });

    it('a stored expiry reads like the computed one: the same due date, lapse date and expiry', () => {
      // Nothing done in the 2024 cycle: due 2024-12-31, lapsed after grace, expired after reinstatement.
      const computed = evaluate(program(), [], { asOf: '2026-07-01', awards });
      expect(computed.status).toBe('expired');
      const expired = { cycleStart: '2024-01-01', outcome: 'expired' as const };
      const stored = evaluate(program(), [], { asOf: '2026-07-01', awards, closedCycles: [expired] });
      expect(stored.status).toBe('expired');
      const pick = (r: typeof computed) => ({
        nextDue: r.lifecycle?.nextDue,
        lapsedOn: r.lifecycle?.lapsedOn,
        expiredOn: r.lifecycle?.expiredOn,
        due: r.lifecycle?.current?.due,
      });
      expect(pick(stored)).toEqual(pick(computed));
      expect(pick(stored).lapsedOn).toBeDefined();
    });

    it('a record entered after close is flagged when it would change the outcome, and counts once reopened', () => {
      const late = many(10, { date: '2024-06-01', recordedOn: '2025-06-01' });
      const expired = { cycleStart: '2024-01-01', outcome: 'expired' as const };
      const r = evaluate(program(), late, { asOf: '2025-07-01', awards, closedCycles: [expired] });
      expect(r.status).toBe('expired');
      expect(r.lifecycle?.cycles[0]?.lateCorrection).toMatchObject({
        ledgerState: 'renewed',
        ledgerCompletedOn: '2024-06-01',
        withdrawnRecordIds: [],
      });
      const reopened = evaluate(program(), late, {
        asOf: '2025-07-01',
        awards,
        reopenedCycles: ['2024-01-01'],
      });
      expect(reopened.lifecycle?.cycles[0]).toMatchObject({ state: 'renewed', completedOn: '2024-06-01' });
      expect(reopened.status).toBe('certified');
    });
  });

  it('carries surplus into the next cycle, capped', () => {
    const p = program({ carryOver: { max: 3 } });
    const r = evaluate(p, [...many(15, { date: '2024-06-01' }), ...many(6, { date: '2025-03-01' })], {
      asOf: '2025-06-01',
      awards,
    });
    const cycle2 = r.lifecycle?.cycles[1]?.requirement;
    expect(cycle2?.have).toBe(9); // 6 new + 3 carried (of 5 surplus)
    expect(
      cycle2?.counted.filter((c) => c.note?.startsWith('Carried over')).reduce((a, c) => a + c.amount, 0),
    ).toBe(3);
    expect(r.missing).toEqual(['You need 1 more renewal credit.']);
  });

  it('carries only the surplus: credits the cycle needed stay in it', () => {
    // 11 credits against a need of 10: one is surplus, although the cap would allow 3.
    const p = program({ carryOver: { max: 3 } });
    const r = evaluate(p, many(11, { date: '2024-06-01' }), { asOf: '2025-06-01', awards });
    const cycle2 = r.lifecycle?.cycles[1]?.requirement;
    const carried = cycle2?.counted.filter((c) => c.note?.startsWith('Carried over')) ?? [];
    expect(carried.reduce((a, c) => a + c.amount, 0)).toBe(1);
    expect(carried.map((c) => c.date)).toEqual(['2025-01-01']);
    expect(cycle2?.have).toBe(1);
  });

  it('does not carry a credit a minimum of the cycle needed (3 of 10 sponsored: the sponsored ones stay)', () => {
    // 2024: 8 credits, then 3 sponsored ones, the most recent. One credit is surplus, but it is not a
    // sponsored one: all three were needed for the minimum. 2025: 9 credits and 2 sponsored; with a
    // carried unsponsored credit that is 12, but only 2 sponsored, so 2025 is not renewed.
    const p = program({
      requirement: {
        ...renewalReq,
        minimums: [{ id: 'renew-sp', label: 'sponsored', min: 3, filter: { sponsored: true } }],
      } as Requirement,
      carryOver: { max: 3 },
    });
    const records = [
      ...many(8, { date: '2024-03-01' }),
      ...many(3, { date: '2024-06-01', sponsored: true }),
      ...many(7, { date: '2025-03-01' }),
      ...many(2, { date: '2025-06-01', sponsored: true }),
    ];
    const r = evaluate(p, records, { asOf: '2025-12-15', awards });
    expect(r.lifecycle?.cycles[0]?.state).toBe('renewed');
    const c2 = r.lifecycle?.cycles[1]?.requirement;
    const carried = c2?.counted.filter((c) => c.note?.startsWith('Carried over')) ?? [];
    expect(carried.reduce((a, c) => a + c.amount, 0)).toBe(1);
    const sponsoredIds = new Set(records.filter((x) => x.sponsored).map((x) => x.id));
    expect(carried.filter((c) => sponsoredIds.has(c.recordId))).toEqual([]);
    expect(c2?.parts.find((x) => x.id === 'renew-sp')).toMatchObject({ have: 2, met: false });
    expect(r.lifecycle?.cycles[1]?.state).toBe('open');
  });

  it('never carries a carried credit again (with a carry-over filter, three 2024 credits once counted in cycles 1, 2 and 3)', () => {
    // Only sponsored credits carry. 2024: 13 sponsored, 3 surplus carry into 2025. 2025: 10 credits of
    // its own, not sponsored, plus the 3 carried: the surplus is again 3, but the only sponsored credits
    // are the carried ones, which must not travel on to 2026. 2026 has 7 credits of its own: not renewed.
    const p = program({ carryOver: { max: 3, filter: { sponsored: true } } });
    const records = [
      ...many(13, { date: '2024-06-01', sponsored: true }),
      ...many(10, { date: '2025-06-01' }),
      ...many(7, { date: '2026-06-01' }),
    ];
    const r = evaluate(p, records, { asOf: '2026-12-15', awards });
    const [c1, c2, c3] = r.lifecycle?.cycles ?? [];
    expect(c1?.state).toBe('renewed');
    expect(c2?.state).toBe('renewed');
    const carriedInto = (c: typeof c2) =>
      c?.requirement?.counted.filter((x) => x.note?.startsWith('Carried over')).map((x) => x.recordId) ?? [];
    expect(carriedInto(c2)).toHaveLength(3);
    expect(carriedInto(c3)).toEqual([]);
    expect(c3?.requirement?.have).toBe(7);
    expect(c3?.state).toBe('open');
    expect(r.status).toBe('renewal_due');
    expect(r.missing).toEqual(['You need 3 more renewal credits.']);
  });

  it('a record counts in one cycle only', () => {
    const r = evaluate(program(), many(10, { date: '2025-01-10' }), { asOf: '2025-06-01', awards });
    expect(r.lifecycle?.cycles[0]?.state).toBe('renewed'); // in grace
    expect(r.lifecycle?.cycles[1]?.requirement?.have).toBe(0);
  });

  it('revoked, and certified forever without a renewal policy', () => {
    const revoked = evaluate(program(), [], {
      asOf: '2025-06-01',
      awards: [{ id: 'a', awardedOn: '2024-01-01', revokedOn: '2025-02-01', revokedReason: 'fraud' }],
    });
    expect(revoked.status).toBe('revoked');
    expect(revoked.headline).toBe('This TP certification was revoked on February 1, 2025 (fraud).');
    expect(
      evaluate(program(), [], {
        asOf: '2025-01-31',
        awards: [{ id: 'a', awardedOn: '2024-01-01', revokedOn: '2025-02-01' }],
      }).status,
    ).not.toBe('revoked');
    expect(evaluate(testProgram(mgmtTier(1)), [], { asOf: '2040-01-01', awards }).status).toBe('certified');
  });

  it('a new award after expiry starts over', () => {
    const r = evaluate(program(), [rec({ date: '2026-01-01' })], {
      asOf: '2026-02-01',
      awards: [...awards, { id: 'a2', awardedOn: '2026-01-15' }],
    });
    expect(r.status).toBe('certified');
    expect(r.lifecycle?.award.id).toBe('a2');
  });
});
