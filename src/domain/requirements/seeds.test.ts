import { describe, expect, it } from 'vitest';
import cpoJson from '../../../programs/igo-cpo.json';
import ksJson from '../../../programs/ks-county-election-official.json';
import { evaluate } from './evaluate.js';
import { loadProgram } from './testkit.js';
import type { CreditRecord } from './types.js';

const cpo = loadProgram(cpoJson);
const ks = loadProgram(ksJson);

let n = 0;
function credits(count: number, category: string, sponsored: boolean, date = '2025-03-01'): CreditRecord[] {
  return Array.from({ length: count }, () => {
    n += 1;
    return {
      id: `c${n}`,
      personId: 'p',
      date,
      amount: 1,
      category,
      sponsored,
      sourceType: sponsored ? 'igo-conference' : 'online-course',
      status: 'approved',
    };
  });
}
const elections = [...credits(12, 'elections', true), ...credits(12, 'elections', false)];

describe('iGO CPO program', () => {
  it('70 Management credits with 15 sponsored: both shortfalls in one sentence', () => {
    const r = evaluate(
      cpo,
      [...credits(15, 'management', true), ...credits(55, 'management-ethics', false), ...elections],
      { asOf: '2026-05-01' },
    );
    expect(r.status).toBe('in_progress');
    expect(r.missing).toEqual(['You need 2 more Management credits, at least 1 of them iGO-sponsored.']);
  });

  it('80 Management credits with 15 sponsored: one more sponsored credit', () => {
    const r = evaluate(
      cpo,
      [...credits(15, 'management', true), ...credits(65, 'management', false), ...elections],
      { asOf: '2026-05-01' },
    );
    expect(r.missing).toEqual(['You need 1 more iGO-sponsored Management credit.']);
  });

  it('72 with 16 sponsored and one full module is eligible, to be awarded at the conference', () => {
    const r = evaluate(
      cpo,
      [...credits(16, 'management', true), ...credits(56, 'management', false), ...elections],
      { asOf: '2026-06-02' },
    );
    expect(r.status).toBe('eligible');
    expect(r.nextAward).toEqual({ year: 2027, applyBy: '2027-06-01', ceremony: 'iGO Annual Conference' });
  });

  it('the job-specific tier needs 12 of 24 sponsored in one module', () => {
    const mgmt = [...credits(16, 'management', true), ...credits(56, 'management', false)];
    const r = evaluate(
      cpo,
      [...mgmt, ...credits(11, 'land-records', true), ...credits(20, 'land-records', false)],
      { asOf: '2026-05-01' },
    );
    expect(r.status).toBe('in_progress');
    expect(r.missing).toContain('Land Records module: You need 1 more iGO-sponsored Land Records credit.');
    // Credits spread over two modules do not add up to one module.
    const spread = evaluate(
      cpo,
      [...mgmt, ...credits(12, 'land-records', true), ...credits(12, 'elections', false)],
      { asOf: '2026-05-01' },
    );
    expect(spread.status).toBe('in_progress');
  });

  it('renewal every 3 years from the award: reminders, grace, lapse, expiry', () => {
    const awards = [{ id: 'a', awardedOn: '2023-07-20' }];
    const at = (asOf: string) => evaluate(cpo, [], { asOf, awards }).status;
    expect(at('2026-04-19')).toBe('certified');
    expect(at('2026-04-20')).toBe('renewal_due'); // 90 days before July 19, 2026
    expect(at('2026-10-17')).toBe('renewal_due'); // last day of grace
    expect(at('2026-10-18')).toBe('lapsed');
    expect(at('2027-10-17')).toBe('lapsed');
    expect(at('2027-10-18')).toBe('expired');
  });
});

describe('Kansas county election official certification', () => {
  const course = (code: string, date: string, person = 'p'): CreditRecord => {
    n += 1;
    return {
      id: `k${n}`,
      personId: person,
      date,
      sourceType: 'sos-course',
      courseCode: code,
      status: 'approved',
    };
  };
  const y1 = ['KS-Y1-01', 'KS-Y1-02', 'KS-Y1-03'].map((c) => course(c, '2023-04-18'));
  const y2 = ['KS-Y2-01', 'KS-Y2-02', 'KS-Y2-03'].map((c) => course(c, '2024-04-16'));
  const y3 = ['KS-Y3-01', 'KS-Y3-02', 'KS-Y3-03'].map((c) => course(c, '2025-04-15'));

  it('three years of three 3-hour courses, in order', () => {
    const r = evaluate(ks, [...y1, ...y2, ...y3], { asOf: '2025-04-15' });
    expect(r.status).toBe('eligible');
    expect(r.initial.metOn).toBe('2025-04-15');
    const hours = r.initial.children.flatMap((c) => c.counted).reduce((a, c) => a + c.amount, 0);
    expect(hours).toBe(27);
    expect(evaluate(ks, [...y1, ...y2], { asOf: '2025-01-01' }).missing).toEqual([
      'You still need to complete "Election Office Administration: Planning, Budgeting, Purchasing and Personnel", "Media Relations, Social Media and Public Outreach", and "Technology in Elections, including Cyber Security" (Year Three).',
    ]);
  });

  it('the pilot deadline: before the 2024 General Election, only for the pilot cohort', () => {
    const pilot = evaluate(ks, [...y1, ...y2, ...y3], { asOf: '2025-05-01', cohorts: ['pilot-2024'] });
    expect(pilot.deadlines[0]).toMatchObject({ state: 'missed', date: '2024-11-04' });
    const onTime = evaluate(
      ks,
      [...y1, ...y2, ...['KS-Y3-01', 'KS-Y3-02', 'KS-Y3-03'].map((c) => course(c, '2024-11-04'))],
      {
        asOf: '2025-05-01',
        cohorts: ['pilot-2024'],
      },
    );
    expect(onTime.deadlines[0]?.state).toBe('met');
    expect(evaluate(ks, [], { asOf: '2024-06-01', cohorts: ['pilot-2024'] }).deadlines[0]?.state).toBe(
      'upcoming',
    );
    expect(evaluate(ks, [], { asOf: '2024-06-01' }).deadlines[0]?.state).toBe('not_applicable');
  });

  it('annual advance renewal course by December 31 in Chicago time', () => {
    const awards = [{ id: 'a', awardedOn: '2024-10-15' }];
    const arc = (date: string) => ({ ...course('KS-ARC-2025', date), category: 'advance-renewal' });
    const lastMinute = evaluate(ks, [arc('2025-12-31T23:59:00-06:00')], { asOf: '2026-05-01', awards });
    expect(lastMinute.lifecycle?.cycles[0]).toMatchObject({
      due: '2025-12-31',
      state: 'renewed',
      completedOn: '2025-12-31',
    });
    expect(lastMinute.status).toBe('certified');
    // 00:00 on January 1 is in the next cycle: cycle 1 only meets it in grace, and cycle 2 has nothing left.
    const midnight = evaluate(ks, [arc('2026-01-01T00:00:00-06:00')], { asOf: '2026-05-01', awards });
    expect(midnight.lifecycle?.cycles[0]).toMatchObject({ state: 'renewed', completedOn: '2026-01-01' });
    expect(midnight.lifecycle?.cycles[1]?.requirement?.notCounted[0]).toMatchObject({
      reason: 'used_in_earlier_cycle',
    });
    const none = evaluate(ks, [], { asOf: '2026-05-01', awards });
    expect(none.status).toBe('lapsed');
    expect(none.missing).toEqual([
      'You still need to complete 1 advance renewal course (Annual advance renewal course).',
    ]);
  });
});
