/**
 * Issue 12: the exact days on which the lifecycle changes (revocation, due date, reminders, the
 * first day of the next cycle, expiry) and which cycle explains a record dated before it.
 * Cycle 1 of `program()` runs 2024-01-01 to 2024-12-31 (reminder 2024-12-01, grace to 2025-01-30,
 * reinstatement to 2025-05-10); cycle 2 is 2025.
 */
import { describe, expect, it } from 'vitest';
import { evaluate } from '../requirements/evaluate.js';
import { many, mgmtTier, rec, testProgram } from '../requirements/testkit.js';
import type { Requirement } from '../requirements/types.js';
import { awards, renewalProgram as program, renewalReq } from './testkit.js';

describe('revocation and programs without renewal', () => {
  it('a certification revoked on the day of the evaluation is revoked that day, with no cycles', () => {
    const r = evaluate(program(), many(10, { date: '2024-06-01' }), {
      asOf: '2025-02-01',
      awards: [{ id: 'a', awardedOn: '2024-01-01', revokedOn: '2025-02-01' }],
    });
    expect(r.status).toBe('revoked');
    expect(r.lifecycle?.cycles).toEqual([]);
  });

  it('without a renewal policy the certification has no cycles at all', () => {
    const r = evaluate(testProgram(mgmtTier(1)), [], { asOf: '2030-01-01', awards });
    expect(r.status).toBe('certified');
    expect(r.lifecycle?.cycles).toEqual([]);
    expect(r.lifecycle?.nextDue).toBeUndefined();
  });
});

describe('the due date, reminders and the start of the next cycle', () => {
  it('on the due date itself the cycle is still open (not in grace)', () => {
    const r = evaluate(program(), [], { asOf: '2024-12-31', awards });
    expect(r.status).toBe('renewal_due');
    expect(r.lifecycle?.current).toMatchObject({ state: 'open', due: '2024-12-31' });
    const grace = evaluate(program(), [], { asOf: '2025-01-01', awards });
    expect(grace.lifecycle?.current?.state).toBe('grace');
  });

  it('on a reminder day the next reminder is the following one, not that day', () => {
    const p = program({ remindDaysBefore: [30, 7] });
    const on = evaluate(p, [], { asOf: '2024-12-01', awards });
    expect(on.status).toBe('renewal_due');
    expect(on.lifecycle?.nextReminder).toBe('2024-12-24');
    const before = evaluate(p, [], { asOf: '2024-11-30', awards });
    expect(before.lifecycle?.nextReminder).toBe('2024-12-01');
    const last = evaluate(p, [], { asOf: '2024-12-24', awards });
    expect(last.lifecycle?.nextReminder).toBeUndefined();
  });

  it("renewed on time: the next reminder is the next cycle's first one", () => {
    const r = evaluate(program({ remindDaysBefore: [30, 7] }), many(10, { date: '2024-06-01' }), {
      asOf: '2024-07-01',
      awards,
    });
    expect(r.status).toBe('certified');
    expect(r.lifecycle?.nextDue).toBe('2025-12-31');
    expect(r.lifecycle?.nextReminder).toBe('2025-12-01');
  });

  it('on the first day of the next cycle, that cycle is the current one', () => {
    const r = evaluate(program(), many(10, { date: '2024-06-01' }), { asOf: '2025-01-01', awards });
    expect(r.lifecycle?.cycles).toHaveLength(2);
    expect(r.lifecycle?.current).toMatchObject({ index: 2, start: '2025-01-01', state: 'open' });
    const dayBefore = evaluate(program(), many(10, { date: '2024-06-01' }), { asOf: '2024-12-31', awards });
    expect(dayBefore.lifecycle?.cycles).toHaveLength(1);
    expect(dayBefore.lifecycle?.current?.index).toBe(1);
  });

  it('an expired cycle says so and is closed', () => {
    const r = evaluate(program(), many(4, { date: '2024-06-01' }), { asOf: '2025-05-11', awards });
    expect(r.status).toBe('expired');
    expect(r.lifecycle?.current).toMatchObject({ state: 'expired', closed: true });
    const lastDay = evaluate(program(), many(4, { date: '2024-06-01' }), { asOf: '2025-05-10', awards });
    expect(lastDay.lifecycle?.current).toMatchObject({ state: 'lapsed', closed: false });
  });

  it('a reinstated cycle stays open until its reinstatement window is over', () => {
    const during = evaluate(program(), many(10, { date: '2025-03-01' }), { asOf: '2025-03-02', awards });
    expect(during.lifecycle?.cycles[0]).toMatchObject({ state: 'reinstated', closed: false });
    const after = evaluate(program(), many(10, { date: '2025-03-01' }), { asOf: '2025-05-11', awards });
    expect(after.lifecycle?.cycles[0]).toMatchObject({ state: 'reinstated', closed: true });
  });
});

describe('records dated before a cycle', () => {
  it('a record dated on the first day of a later cycle counts in that cycle', () => {
    const records = [...many(10, { date: '2024-06-01' }), ...many(10, { date: '2025-01-01' })];
    const r = evaluate(program(), records, { asOf: '2025-03-01', awards });
    expect(r.lifecycle?.cycles[0]).toMatchObject({ state: 'renewed', completedOn: '2024-06-01' });
    expect(r.lifecycle?.cycles[1]).toMatchObject({ state: 'renewed', completedOn: '2025-01-01' });
    expect(r.lifecycle?.nextDue).toBe('2026-12-31');
  });

  it("a later cycle explains the earlier cycle's records as used there, and older ones as before the cycle", () => {
    const used = many(10, { date: '2024-06-01' });
    const old = rec({ id: 'old', date: '2023-06-01' });
    const awardDay = rec({ id: 'award-day', date: '2024-01-01' });
    const r = evaluate(program(), [old, awardDay, ...used], { asOf: '2025-03-01', awards });
    const c1 = r.lifecycle?.cycles[0]?.requirement?.notCounted ?? [];
    expect(c1.find((n) => n.recordId === 'old')).toMatchObject({
      reason: 'counted_for_award',
      detail:
        'Dated June 1, 2023, before the award on January 1, 2024: it counts toward the award, not toward renewal.',
    });
    const c2 = r.lifecycle?.cycles[1]?.requirement?.notCounted ?? [];
    expect(c2.find((n) => n.recordId === 'old')).toMatchObject({
      reason: 'before_cycle',
      detail: 'Dated June 1, 2023, before this renewal cycle began on January 1, 2025.',
    });
    // The award day is only special in the first cycle.
    expect(c1.find((n) => n.recordId === 'award-day')).toMatchObject({
      reason: 'counted_for_award',
      detail: 'Dated January 1, 2024, the day of the award: it counts toward the award, not toward renewal.',
    });
    expect(c2.find((n) => n.recordId === 'award-day')).toMatchObject({
      reason: 'before_cycle',
      detail: 'Dated January 1, 2024, before this renewal cycle began on January 1, 2025.',
    });
    expect(c2.find((n) => n.recordId === used[0]!.id)).toMatchObject({
      reason: 'used_in_earlier_cycle',
      detail: 'Counted in the renewal cycle ending December 31, 2024.',
    });
  });
});

describe('the number of cycles walked', () => {
  it('walks up to 500 cycles and stops there', () => {
    // One credit a year renews each yearly cycle: 500 years of records, 600 years of calendar.
    const p = program({ requirement: { ...renewalReq, min: 1 } as Requirement });
    const records = Array.from({ length: 600 }, (_, i) => rec({ id: `y${i}`, date: `${1600 + i}-06-01` }));
    const r = evaluate(p, records, { asOf: '2199-07-01', awards: [{ id: 'a', awardedOn: '1600-01-01' }] });
    expect(r.lifecycle?.cycles).toHaveLength(500);
    expect(r.lifecycle?.cycles[499]).toMatchObject({ start: '2099-01-01', state: 'renewed' });
    expect(r.status).toBe('certified');
  });
});

describe('a cycle renewed late in grace', () => {
  it('takes only the grace records it needs; the later ones are listed as the next cycle’s, records after grace not at all', () => {
    const jan20 = many(3, { date: '2025-01-20' });
    const records = [
      ...many(6, { date: '2024-06-01' }),
      ...many(4, { date: '2025-01-10' }),
      ...jan20,
      ...many(2, { date: '2025-03-01' }),
    ];
    const r = evaluate(program(), records, { asOf: '2025-06-01', awards });
    const [c1, c2] = r.lifecycle?.cycles ?? [];
    expect(c1).toMatchObject({ state: 'renewed', completedOn: '2025-01-10' });
    expect(c1?.requirement?.notCounted.map((n) => [n.recordId, n.reason])).toEqual(
      jan20.map((x) => [x.id, 'later_cycle']),
    );
    expect(c1?.requirement?.notCounted[0]?.detail).toBe(
      'Not needed to renew this cycle late, so it counts toward the next renewal cycle.',
    );
    expect(c2?.requirement?.have).toBe(5);
  });
});
