import { describe, expect, it } from 'vitest';
import { cycleDates, firstCycle, nextCycle, remindersBetween } from './schedule.js';

const policy = {
  cycleYears: 1,
  remindDaysBefore: [30],
  graceDays: 10,
  expiryBasis: 'previousExpiry' as const,
};

describe('renewal schedule edges', () => {
  it('fixed anchor without an anchor date: due on December 31', () => {
    const p = { ...policy, expiryBasis: 'fixedAnchor' as const };
    expect(firstCycle(p, '2024-03-10')).toEqual({ start: '2024-03-10', due: '2025-12-31' });
    expect(nextCycle(p, { start: '2024-03-10', due: '2025-12-31' }, undefined)).toEqual({
      start: '2026-01-01',
      due: '2026-12-31',
    });
  });

  it('fixed anchor: the next cycle ends on the anchor even when the previous one did not', () => {
    const p = { ...policy, expiryBasis: 'fixedAnchor' as const, anchor: { month: 6, day: 30 } };
    expect(nextCycle(p, { start: '2024-01-01', due: '2024-05-10' }, '2024-04-01')).toEqual({
      start: '2024-05-11',
      due: '2025-06-30',
    });
  });

  it('reminders before the cycle start are dropped; one on the start day is kept', () => {
    const p = { ...policy, remindDaysBefore: [10, 5, 20, 10] };
    // due - 10 = start, due - 20 is before the start
    const d = cycleDates(p, { start: '2024-06-01', due: '2024-06-11' });
    expect(d).toEqual({
      start: '2024-06-01',
      due: '2024-06-11',
      graceEnds: '2024-06-21',
      reminders: ['2024-06-01', '2024-06-06'],
    });
    expect('reinstateBy' in d).toBe(false);
  });

  it('reinstatement window is counted from the end of grace', () => {
    const p = { ...policy, reinstatement: { withinDays: 5 } };
    expect(cycleDates(p, { start: '2024-01-01', due: '2024-06-11' })).toEqual({
      start: '2024-01-01',
      due: '2024-06-11',
      graceEnds: '2024-06-21',
      reinstateBy: '2024-06-26',
      reminders: ['2024-05-12'],
    });
  });

  it('remindersBetween: after the first date (exclusive) up to and including the second', () => {
    const p = { ...policy, remindDaysBefore: [30, 20, 10] };
    const d = cycleDates(p, { start: '2024-01-01', due: '2024-06-30' });
    expect(d.reminders).toEqual(['2024-05-31', '2024-06-10', '2024-06-20']);
    expect(remindersBetween(d, '2024-05-31', '2024-06-10')).toEqual(['2024-06-10']);
    expect(remindersBetween(d, '2024-05-30', '2024-06-19')).toEqual(['2024-05-31', '2024-06-10']);
    expect(remindersBetween(d, '2024-06-20', '2024-12-31')).toEqual([]);
  });
});
