/**
 * Issue 13, section 5: provisional status from a confirmed seat in an upcoming session, where the
 * program allows it (`confirmedSeats: "provisional"` on a courses or credits requirement).
 */
import { describe, expect, it } from 'vitest';
import { evaluate } from './evaluate.js';
import { formatEvaluationText } from './format.js';
import { parseProgram } from './schema.js';
import { rec, testProgram } from './testkit.js';
import type { ConfirmedSeat } from './types.js';

const core = (extra: Record<string, unknown> = {}) => ({
  id: 'core',
  type: 'courses',
  title: 'Core courses',
  courses: ['A', 'B'],
  confirmedSeats: 'provisional',
  ...extra,
});
const doneA = [rec({ id: 'a', date: '2026-02-01', courseCode: 'A', amount: undefined, category: undefined })];
const seatB: ConfirmedSeat[] = [{ courseCode: 'B', date: '2026-06-10' }];

describe('provisional status from confirmed seats', () => {
  it('when the only missing course has a confirmed seat, the status is provisional and says so', () => {
    const p = testProgram(core());
    const r = evaluate(p, doneA, { asOf: '2026-05-01', confirmedSeats: seatB });
    expect(r.status).toBe('in_progress');
    expect(r.provisional).toBe(true);
    expect(r.pendingSeats).toEqual([{ courseCode: 'B', date: '2026-06-10', title: 'Course B' }]);
    expect(r.headline).toBe(
      'Provisionally meets the requirements for Test Program, pending "Course B" on June 10, 2026 (a confirmed seat).',
    );
    // What is missing is still said: the course is not done yet.
    expect(r.missing).toEqual(['You still need to complete "Course B" (Core courses).']);
    expect(formatEvaluationText(p, r)).toContain('Status:  In progress (provisional)');
  });

  it('a program that does not allow it is not provisional', () => {
    const r = evaluate(testProgram(core({ confirmedSeats: undefined })), doneA, {
      asOf: '2026-05-01',
      confirmedSeats: seatB,
    });
    expect(r.provisional).toBe(false);
    expect(r.pendingSeats).toBeUndefined();
    expect(r.headline).toBe('In progress toward Test Program: 0 of 1 part complete.');
  });

  it('not provisional when the seats do not cover everything missing', () => {
    const r = evaluate(testProgram(core({ courses: ['A', 'B', 'C'] })), doneA, {
      asOf: '2026-05-01',
      confirmedSeats: seatB,
    });
    expect(r.provisional).toBe(false);
  });

  it('a seat in a session after the deadline does not make it provisional', () => {
    const p = testProgram({ id: 'dl', type: 'deadline', title: 'By June 1', by: '2026-06-01', item: core() });
    const r = evaluate(p, doneA, { asOf: '2026-05-01', confirmedSeats: seatB });
    expect(r.provisional).toBe(false);
    const early = evaluate(p, doneA, {
      asOf: '2026-05-01',
      confirmedSeats: [{ courseCode: 'B', date: '2026-05-20' }],
    });
    expect(early.provisional).toBe(true);
  });

  it('a seat on or before asOf is not upcoming: attendance would be recorded instead', () => {
    const r = evaluate(testProgram(core()), doneA, {
      asOf: '2026-06-10',
      confirmedSeats: seatB,
    });
    expect(r.provisional).toBe(false);
  });

  it('works for credits: a seat gives the course its credits', () => {
    const p = testProgram({
      id: 'job-credits',
      type: 'credits',
      title: 'Job credits',
      min: 6,
      filter: { categories: ['job'] },
      confirmedSeats: 'provisional',
    });
    const r = evaluate(p, doneA, {
      asOf: '2026-05-01',
      confirmedSeats: [{ courseCode: 'C', date: '2026-07-01' }],
    });
    expect(r.pendingSeats).toEqual([{ courseCode: 'C', date: '2026-07-01', title: 'Course C' }]);
    expect(r.initial.met).toBe(false);
  });

  it('program check: confirmedSeats must be "provisional"', () => {
    const good = testProgram({ id: 'x', type: 'credits', title: 'X', min: 1 });
    const r = parseProgram({ ...good, initial: { requirement: core({ confirmedSeats: true }) } });
    expect(r.ok ? [] : r.issues).toEqual([
      { path: 'initial.requirement.confirmedSeats', message: 'Must be "provisional" (or leave it out).' },
    ]);
  });
});
