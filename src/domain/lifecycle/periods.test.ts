/**
 * Issue 13, section 5: periods in the renewal policy -- a reinstatement window measured in months
 * or years (not only days).
 */
import { describe, expect, it } from 'vitest';
import { evaluate } from '../requirements/evaluate.js';
import { parseProgram } from '../requirements/schema.js';
import { rec, testProgram } from '../requirements/testkit.js';
import { cycleDates } from './schedule.js';

const renewal = (reinstatement: unknown) => ({
  cycleYears: 1,
  expiryBasis: 'fixedAnchor',
  anchor: { month: 12, day: 31 },
  remindDaysBefore: [],
  graceDays: 30,
  reinstatement,
  requirement: { id: 'renew', type: 'credits', title: 'Renewal hours', min: 2 },
});

function program(reinstatement: unknown) {
  return testProgram(
    { id: 'init', type: 'credits', title: 'Initial', min: 1 },
    { renewal: renewal(reinstatement) },
  );
}

const AWARD = { id: 'a1', awardedOn: '2025-03-01' };

describe('reinstatement window in months or years', () => {
  it('12 months after grace ends: lapsed until then, expired the day after', () => {
    const p = program({ within: { months: 12 } });
    // First cycle: March 1, 2025 to December 31, 2026; grace ends January 30, 2027.
    const lapsed = evaluate(p, [], { asOf: '2028-01-30', awards: [AWARD] });
    expect(lapsed.status).toBe('lapsed');
    expect(lapsed.lifecycle?.current?.reinstateBy).toBe('2028-01-30');
    const expired = evaluate(p, [], { asOf: '2028-01-31', awards: [AWARD] });
    expect(expired.status).toBe('expired');
    expect(expired.lifecycle?.expiredOn).toBe('2028-01-31');
  });

  it('records dated in the months-long window reinstate the certification', () => {
    const p = program({ within: { years: 1 } });
    const r = evaluate(p, [rec({ id: 'make-up', date: '2027-11-15', amount: 2 })], {
      asOf: '2027-12-01',
      awards: [AWARD],
    });
    expect(r.lifecycle?.cycles[0]?.state).toBe('reinstated');
  });

  it('a month that lacks the day clamps to its last day; withinDays still counts days', () => {
    const base = {
      cycleYears: 1,
      expiryBasis: 'previousExpiry' as const,
      remindDaysBefore: [],
      graceDays: 0,
    };
    const period = { start: '2025-09-01', due: '2026-08-31' };
    expect(cycleDates({ ...base, reinstatement: { within: { months: 6 } } }, period).reinstateBy).toBe(
      '2027-02-28',
    );
    expect(cycleDates({ ...base, reinstatement: { withinDays: 90 } }, period).reinstateBy).toBe('2026-11-29');
  });

  it('program check: one of withinDays or within, a window of at least a day, with the path', () => {
    const issues = (reinstatement: unknown) => {
      const good = testProgram({ id: 'init', type: 'credits', title: 'Initial', min: 1 });
      const r = parseProgram({ ...good, renewal: renewal(reinstatement) });
      return r.ok ? [] : r.issues;
    };
    expect(issues({ within: { months: 12 } })).toEqual([]);
    expect(issues({})).toEqual([
      {
        path: 'renewal.reinstatement',
        message: 'Give the reinstatement window: withinDays, or within { years?, months?, days? }.',
      },
    ]);
    expect(issues({ withinDays: 30, within: { months: 1 } })).toEqual([
      { path: 'renewal.reinstatement.within', message: 'Give withinDays or within, not both.' },
    ]);
    expect(issues({ within: {} })).toEqual([
      { path: 'renewal.reinstatement.within', message: 'Give a window of at least 1 day, month or year.' },
    ]);
    expect(issues({ within: { weeks: 2 } })).toContainEqual({
      path: 'renewal.reinstatement.within',
      message: 'Unknown field(s): weeks.',
    });
  });
});
