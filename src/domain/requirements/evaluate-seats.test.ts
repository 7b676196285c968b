/**
 * Confirmed seats in upcoming sessions (`confirmedSeats: "provisional"`): which seats are pending,
 * the provisional headline for one, two and three seats, and when seats change nothing.
 */
import { describe, expect, it } from 'vitest';
import { evaluate } from './evaluate.js';
import { rec, testProgram } from './testkit.js';
import type { ConfirmedSeat, Requirement } from './types.js';

const core = (extra: Record<string, unknown> = {}): Requirement =>
  ({
    id: 'core',
    type: 'courses',
    title: 'Core courses',
    courses: ['A', 'B', 'C'],
    confirmedSeats: 'provisional',
    ...extra,
  }) as Requirement;
const jobCredits = (min: number): Requirement =>
  ({
    id: 'job-credits',
    type: 'credits',
    title: 'Job credits',
    min,
    filter: { categories: ['job'] },
    confirmedSeats: 'provisional',
  }) as Requirement;

const done = (courseCode: string, date = '2026-03-01') =>
  rec({ date, courseCode, category: 'job', amount: 3 });
const seat = (courseCode: string, date: string): ConfirmedSeat => ({ courseCode, date });
const asOf = '2026-05-01';

describe('pending seats and the provisional headline', () => {
  const p = testProgram(core());

  it('one seat (a seat in a course the requirement does not list is not pending)', () => {
    const r = evaluate(p, [done('A'), done('B')], {
      asOf,
      confirmedSeats: [seat('D', '2026-06-01'), seat('C', '2026-06-10')],
    });
    expect(r.status).toBe('in_progress');
    expect(r.pendingSeats).toEqual([{ courseCode: 'C', date: '2026-06-10', title: 'Course C' }]);
    expect(r.headline).toBe(
      'Provisionally meets the requirements for Test Program, pending "Course C" on June 10, 2026 (a confirmed seat).',
    );
  });

  it('two seats', () => {
    const r = evaluate(p, [done('A')], {
      asOf,
      confirmedSeats: [seat('B', '2026-06-10'), seat('C', '2026-07-01')],
    });
    expect(r.headline).toBe(
      'Provisionally meets the requirements for Test Program, pending "Course B" on June 10, 2026 and "Course C" on July 1, 2026 (confirmed seats).',
    );
  });

  it('three seats, listed latest first: the count runs to the last session; nothing recorded is still progress', () => {
    const seats = [seat('C', '2026-08-01'), seat('A', '2026-06-10'), seat('B', '2026-07-01')];
    const r = evaluate(p, [], { asOf, confirmedSeats: seats });
    expect(r.status).toBe('in_progress');
    expect(r.pendingSeats?.map((s) => s.courseCode)).toEqual(['C', 'A', 'B']);
    expect(r.headline).toBe(
      'Provisionally meets the requirements for Test Program, pending "Course C" on August 1, 2026, "Course A" on June 10, 2026 and "Course B" on July 1, 2026 (confirmed seats).',
    );
  });

  it('courses taken in order: seats listed out of order still complete it', () => {
    const ordered = testProgram(core({ courses: ['A', 'B'], inOrder: true }));
    const r = evaluate(ordered, [], {
      asOf,
      confirmedSeats: [seat('B', '2026-08-01'), seat('A', '2026-06-10')],
    });
    expect(r.pendingSeats?.map((s) => s.courseCode)).toEqual(['B', 'A']);
  });

  it('under a cap, the earlier session is the one pending, whatever the order the seats are listed in', () => {
    const capped = testProgram({
      ...jobCredits(6),
      caps: [{ id: 'cd', label: 'C and D', max: 3, filter: { courses: ['C', 'D'] } }],
    });
    for (const seats of [
      [seat('C', '2026-08-01'), seat('D', '2026-07-01')],
      [seat('D', '2026-07-01'), seat('C', '2026-08-01')],
    ])
      expect(evaluate(capped, [done('A')], { asOf, confirmedSeats: seats }).pendingSeats).toEqual([
        { courseCode: 'D', date: '2026-07-01', title: 'Course D' },
      ]);
  });

  it('under a cap, two sessions on one day: the same seat is pending whatever the order', () => {
    const capped = testProgram({
      ...jobCredits(6),
      caps: [{ id: 'cd', label: 'C and D', max: 3, filter: { courses: ['C', 'D'] } }],
    });
    for (const seats of [
      [seat('D', '2026-07-01'), seat('C', '2026-07-01')],
      [seat('C', '2026-07-01'), seat('D', '2026-07-01')],
    ])
      expect(evaluate(capped, [done('A')], { asOf, confirmedSeats: seats }).pendingSeats).toEqual([
        { courseCode: 'C', date: '2026-07-01', title: 'Course C' },
      ]);
  });

  it('no pending seats once eligible, or once awarded', () => {
    const p6 = testProgram(jobCredits(6));
    const records = [done('A'), done('B')];
    const eligible = evaluate(p6, records, { asOf, confirmedSeats: [seat('D', '2026-06-10')] });
    expect(eligible.status).toBe('eligible');
    expect(eligible.missing).toEqual([]);
    expect(eligible.headline).toBe(
      'Every requirement for Test Program is met; the TP designation can be awarded.',
    );
    expect(eligible).not.toHaveProperty('pendingSeats');
    const awarded = evaluate(p6, records, {
      asOf,
      awards: [{ id: 'a1', awardedOn: '2026-04-01' }],
      confirmedSeats: [seat('D', '2026-06-10')],
    });
    expect(awarded.status).toBe('certified');
    expect(awarded.headline).toBe('Certified (TP) since April 1, 2026.');
    expect(awarded).not.toHaveProperty('pendingSeats');
  });

  it('a record dated after asOf does not count with the seats; one dated on asOf does', () => {
    const p6 = testProgram(jobCredits(6));
    const seats = [seat('D', '2026-06-10')];
    const later = evaluate(p6, [done('A', '2026-05-02')], { asOf, confirmedSeats: seats });
    expect(later.pendingSeats).toBeUndefined();
    const today = evaluate(p6, [done('A', asOf)], { asOf, confirmedSeats: seats });
    expect(today.pendingSeats).toEqual([{ courseCode: 'D', date: '2026-06-10', title: 'Course D' }]);
  });

  it('when time alone would complete it by the session, the seat is not pending', () => {
    // Two years of service on 2026-06-01, before the seat's session; the seat (a job course) does not
    // count toward the management credits.
    const p2 = testProgram({
      id: 'either',
      type: 'anyOf',
      title: 'Credits or service',
      items: [
        {
          id: 'mgmt-credits',
          type: 'credits',
          title: 'Management credits',
          min: 5,
          filter: { categories: ['mgmt'] },
          confirmedSeats: 'provisional',
        },
        { id: 'service', type: 'serviceYears', title: 'Service', minYears: 2 },
      ],
    });
    const r = evaluate(p2, [rec({ date: '2026-04-01' })], {
      asOf,
      appointmentDate: '2024-06-01',
      confirmedSeats: [seat('D', '2026-06-10')],
    });
    expect(r.status).toBe('in_progress');
    expect(r).not.toHaveProperty('pendingSeats');
    expect(r.provisional).toBe(false);
    expect(r.headline).toBe('In progress toward Test Program: 0 of 2 parts complete.');
  });
});
