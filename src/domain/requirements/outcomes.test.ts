/**
 * Issue 13, "Wrong outcomes to fix": each test here failed on the engine as it
 * was before its fix, and uses the shipped programs where the issue names one.
 */
import { describe, expect, it } from 'vitest';
import cpoJson from '../../../programs/igo-cpo.json';
import ksJson from '../../../programs/ks-county-election-official.json';
import { evaluate } from './evaluate.js';
import { loadProgram, many, rec, testProgram } from './testkit.js';
import type { CreditRecord, NodeResult } from './types.js';

const cpo = loadProgram(cpoJson);
const ks = loadProgram(ksJson);

function find(node: NodeResult, id: string): NodeResult | undefined {
  if (node.id === id) return node;
  for (const c of node.children) {
    const hit = find(c, id);
    if (hit) return hit;
  }
  return undefined;
}

let n = 0;
function cpoCredits(count: number, category: string, sponsored: boolean, date: string): CreditRecord[] {
  return Array.from({ length: count }, () => {
    n += 1;
    return {
      id: `o${String(n).padStart(4, '0')}`,
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
function ksCourse(code: string, date: string): CreditRecord {
  n += 1;
  return {
    id: `k${String(n).padStart(4, '0')}`,
    personId: 'p',
    date,
    sourceType: 'sos-course',
    courseCode: code,
    status: 'approved',
  };
}

describe('a record dated on the award day counts once', () => {
  // 72 Management (16 sponsored) and a 24-credit Elections module (12 sponsored), all on the award day.
  const awardDay = '2026-06-02';
  const records = [
    ...cpoCredits(16, 'management', true, awardDay),
    ...cpoCredits(56, 'management', false, awardDay),
    ...cpoCredits(12, 'elections', true, awardDay),
    ...cpoCredits(12, 'elections', false, awardDay),
  ];
  const awards = [{ id: 'a', awardedOn: awardDay }];

  it('CPO: 96 credits on the award day earn the award and do not also renew the first cycle', () => {
    const r = evaluate(cpo, records, { asOf: '2026-07-01', awards });
    expect(r.initial.met).toBe(true);
    expect(r.status).toBe('certified');
    const cycle = r.lifecycle?.cycles[0];
    expect(cycle?.state).toBe('open');
    expect(r.lifecycle?.nextDue).toBe('2029-06-01');
    expect(r.headline).toBe('Certified (CPO) since June 2, 2026. Next renewal due June 1, 2029.');
    // Each award-day record is listed in the renewal explanation, with the reason it does not count there.
    const notCounted = cycle?.requirement?.notCounted ?? [];
    expect(notCounted).toHaveLength(96);
    expect(notCounted[0]).toMatchObject({ reason: 'counted_for_award' });
    expect(notCounted[0]?.detail).toBe(
      'Dated June 2, 2026, the day of the award: it counts toward the award, not toward renewal.',
    );
  });

  it('a program can choose the first renewal cycle instead', () => {
    const firstCycle = { ...cpo, renewal: { ...cpo.renewal!, awardDayRecords: 'firstCycle' as const } };
    const r = evaluate(firstCycle, records, { asOf: '2026-07-01', awards });
    expect(r.lifecycle?.cycles[0]?.state).toBe('renewed');
    expect(r.initial.met).toBe(false);
    const mgmt = find(r.initial, 'management-tier');
    expect(mgmt?.notCounted).toHaveLength(72);
    expect(mgmt?.notCounted[0]).toMatchObject({ reason: 'counted_for_renewal' });
  });
});

describe('every record that does not count in a renewal cycle has a reason', () => {
  it('CPO: records before the award are listed in the renewal explanation, saying why', () => {
    const before = [
      ...cpoCredits(16, 'management', true, '2023-01-10'),
      ...cpoCredits(56, 'management', false, '2023-02-10'),
      ...cpoCredits(24, 'elections', true, '2023-03-10'),
    ];
    const during = cpoCredits(5, 'management', true, '2024-05-01');
    const r = evaluate(cpo, [...before, ...during], {
      asOf: '2025-01-01',
      awards: [{ id: 'a', awardedOn: '2023-07-20' }],
    });
    const cycle = r.lifecycle?.current?.requirement;
    expect(cycle?.counted.map((c) => c.recordId)).toEqual(during.map((d) => d.id));
    expect(cycle?.notCounted.map((c) => c.recordId)).toEqual(before.map((b) => b.id));
    expect(cycle?.notCounted[0]).toEqual({
      recordId: before[0]?.id,
      date: '2023-01-10',
      amount: 1,
      reason: 'counted_for_award',
      detail:
        'Dated January 10, 2023, before the award on July 20, 2023: it counts toward the award, not toward renewal.',
    });
  });
});

describe('a waiver on a deadline suspends the deadline only', () => {
  const program = testProgram({
    id: 'first-year',
    type: 'deadline',
    title: 'First-year training',
    by: { anchor: 'appointment', months: 6 },
    item: { id: 'core', type: 'courses', title: 'Core courses', courses: ['A', 'B'] },
  });
  const medical = {
    requirementId: 'first-year',
    kind: 'waiver' as const,
    grantedBy: 'Director Smith',
    reason: 'Medical leave',
    grantedOn: '2026-02-01',
  };
  const context = { asOf: '2026-05-01', appointmentDate: '2025-09-01', waivers: [medical] };

  it('an official with no training at all is not eligible; the training is still owed', () => {
    const r = evaluate(program, [], context);
    expect(r.status).not.toBe('eligible');
    expect(r.initial.met).toBe(false);
    expect(r.initial.waiver).toEqual(medical);
    expect(r.missing).toEqual([
      'You still need to complete "Course A" and "Course B" (Core courses).',
      'The deadline of March 1, 2026 for First-year training is waived (Medical leave, granted by Director Smith); the training is still required.',
    ]);
  });

  it('training after the waived deadline counts', () => {
    const late = [rec({ date: '2026-04-01', courseCode: 'A' }), rec({ date: '2026-04-02', courseCode: 'B' })];
    const r = evaluate(program, late, context);
    expect(r.status).toBe('eligible');
    expect(r.initial.metOn).toBe('2026-04-02');
    // Without the waiver the same records are after the deadline.
    expect(evaluate(program, late, { ...context, waivers: [] }).initial.met).toBe(false);
  });

  it('a provisional approval on the deadline also leaves the training owed', () => {
    const provisional = { ...medical, kind: 'provisional' as const, expiresOn: '2026-12-31' };
    const r = evaluate(program, [], { ...context, waivers: [provisional] });
    expect(r.status).not.toBe('eligible');
    expect(r.missing[1]).toBe(
      'The deadline of March 1, 2026 for First-year training is suspended until December 31, 2026 (provisional approval: Medical leave, granted by Director Smith); the training is still required.',
    );
  });
});

describe('the headline says "nothing recorded" only when nothing is', () => {
  const program = testProgram({
    id: 'all',
    type: 'allOf',
    title: 'All',
    items: [
      { id: 'exam', type: 'exam', title: 'Entry exam', exam: 'entry', minScore: 70 },
      {
        id: 'by-march',
        type: 'deadline',
        title: 'Core training',
        by: '2026-03-01',
        item: { id: 'core', type: 'courses', title: 'Core courses', courses: ['A'] },
      },
    ],
  });

  it('a failed exam is progress, not "not started"', () => {
    const r = evaluate(program, [], {
      asOf: '2026-05-01',
      examResults: [{ exam: 'entry', score: 55, date: '2026-02-01' }],
    });
    expect(r.status).toBe('in_progress');
    expect(r.headline).not.toContain('Nothing has been recorded');
  });

  it('training completed after the deadline is progress, not "not started"', () => {
    const r = evaluate(program, [rec({ date: '2026-04-01', courseCode: 'A' })], { asOf: '2026-05-01' });
    expect(r.status).toBe('in_progress');
    expect(r.headline).not.toContain('Nothing has been recorded');
  });

  it('with nothing at all it is still "not started"', () => {
    const r = evaluate(program, [], { asOf: '2026-05-01' });
    expect(r.status).toBe('not_started');
    expect(r.headline).toBe('Nothing has been recorded toward Test Program yet.');
  });

  it('with only a taking-office date, a waiver or an extension on record, the headline says the training is missing', () => {
    const waiver = {
      requirementId: 'x',
      kind: 'waiver' as const,
      grantedBy: 'Director',
      reason: 'Medical leave',
      grantedOn: '2026-04-01',
    };
    for (const facts of [
      { appointmentDate: '2026-01-05' },
      { factDates: { 'first-served': '2026-01-05' } },
      { waivers: [waiver] },
      { extensions: [{ requirementId: 'x', until: '2026-12-01', reason: 'Leave' }] },
    ]) {
      const r = evaluate(program, [], { asOf: '2026-05-01', ...facts });
      expect(r.status).toBe('not_started');
      expect(r.headline, JSON.stringify(facts)).toBe('No training toward Test Program is recorded yet.');
    }
  });
});

describe('after a deadline has passed, the text says it was missed and what happens now', () => {
  const program = testProgram({
    id: 'first-year',
    type: 'deadline',
    title: 'First-year training',
    by: { anchor: 'appointment', months: 6 },
    item: { id: 'core', type: 'courses', title: 'Core courses', courses: ['A', 'B'] },
  });

  it('no "You still need to complete" once the deadline is gone', () => {
    const r = evaluate(program, [rec({ date: '2025-10-01', courseCode: 'A' })], {
      asOf: '2026-05-01',
      appointmentDate: '2025-09-01',
    });
    expect(r.missing).toEqual([
      'The deadline of March 1, 2026 for First-year training was missed: "Course B" was not completed by then. Training completed after the deadline does not count toward it; Test Office can extend the deadline or waive it.',
    ]);
    expect(r.missing.join(' ')).not.toContain('You still need');
    expect(find(r.initial, 'core')?.missing).toBe(
      'The deadline of March 1, 2026 was missed: "Course B" was not completed by then.',
    );
  });

  it('before the deadline the text still says what to do and by when', () => {
    const r = evaluate(program, [], { asOf: '2026-01-01', appointmentDate: '2025-09-01' });
    expect(r.missing).toEqual([
      'You still need to complete "Course A" and "Course B" (Core courses).',
      'Finish First-year training by March 1, 2026.',
    ]);
  });

  it('Kansas pilot: a missed program deadline says the training still counts', () => {
    const r = evaluate(ks, [], { asOf: '2025-01-10', cohorts: ['pilot-2024'] });
    expect(r.deadlines[0]?.detail).toBe(
      'The deadline of November 4, 2024 was missed; the training still counts toward certification.',
    );
  });
});

describe('anniversaries of a February 29 award do not drift', () => {
  const program = testProgram(
    { id: 'init', type: 'credits', title: 'Initial', min: 1, filter: { categories: ['job'] } },
    {
      renewal: {
        cycleYears: 1,
        expiryBasis: 'previousExpiry',
        remindDaysBefore: [],
        graceDays: 0,
        requirement: {
          id: 'renew',
          type: 'credits',
          title: 'Renewal',
          min: 2,
          filter: { categories: ['mgmt'] },
        },
      },
    },
  );
  const awards = [{ id: 'a', awardedOn: '2024-02-29' }];

  it('every cycle ends the day before the anniversary counted from the award', () => {
    const records = ['2024-06-01', '2025-06-01', '2026-06-01'].flatMap((d) => many(2, { date: d }));
    const r = evaluate(program, [...records, ...many(2, { date: '2028-02-28' })], {
      asOf: '2028-03-01',
      awards,
    });
    expect(r.lifecycle?.cycles.map((c) => c.due)).toEqual([
      '2025-02-27',
      '2026-02-27',
      '2027-02-27',
      '2028-02-28',
      '2029-02-27',
    ]);
    // Hours dated February 28, 2028 renew the fourth cycle.
    expect(r.lifecycle?.cycles[3]).toMatchObject({ state: 'renewed', completedOn: '2028-02-28' });
    expect(r.status).toBe('certified');
  });
});

describe('a late renewal takes only what it needs from the next cycle', () => {
  const arc = (code: string, date: string): CreditRecord => ({
    ...ksCourse(code, date),
    category: 'advance-renewal',
  });

  it('Kansas: making up a lapsed year, then completing the next, is certified, not lapsed again', () => {
    const makeUp = arc('KS-ARC-2026', '2026-05-01');
    const nextYear = arc('KS-ARC-2027', '2026-10-01');
    const r = evaluate(ks, [makeUp, nextYear], {
      asOf: '2027-05-01',
      awards: [{ id: 'a', awardedOn: '2024-12-01' }],
    });
    const [first, second] = r.lifecycle?.cycles ?? [];
    expect(first).toMatchObject({ due: '2025-12-31', state: 'reinstated', completedOn: '2026-05-01' });
    expect(first?.requirement?.counted.map((c) => c.recordId)).toEqual([makeUp.id]);
    expect(first?.requirement?.notCounted).toEqual([
      expect.objectContaining({
        recordId: nextYear.id,
        reason: 'later_cycle',
        detail: 'Not needed to renew this cycle late, so it counts toward the next renewal cycle.',
      }),
    ]);
    expect(second).toMatchObject({ due: '2026-12-31', state: 'renewed', completedOn: '2026-10-01' });
    expect(second?.requirement?.counted.map((c) => c.recordId)).toEqual([nextYear.id]);
    expect(r.status).toBe('certified');
  });

  it('credits: a reinstatement takes the earliest credits it needs and leaves the rest', () => {
    const program = testProgram(
      { id: 'init', type: 'credits', title: 'Initial', min: 1, filter: { categories: ['job'] } },
      {
        renewal: {
          cycleYears: 1,
          expiryBasis: 'previousExpiry',
          remindDaysBefore: [],
          graceDays: 30,
          reinstatement: { withinDays: 365 },
          requirement: {
            id: 'renew',
            type: 'credits',
            title: 'Renewal',
            min: 4,
            filter: { categories: ['mgmt'] },
          },
        },
      },
    );
    // Cycle 1 is 2025-01-01..2025-12-31; nothing in it. In 2026: 4 credits in March, 4 in September.
    const records = [...many(4, { date: '2026-03-01' }), ...many(4, { date: '2026-09-01' })];
    const r = evaluate(program, records, {
      asOf: '2027-03-01',
      awards: [{ id: 'a', awardedOn: '2025-01-01' }],
    });
    expect(r.lifecycle?.cycles.map((c) => c.state)).toEqual(['reinstated', 'renewed', 'open']);
    expect(r.status).toBe('certified');
  });
});

describe('the parts count leaves out parts that do not apply', () => {
  it('a returning-officials course is not counted as done for a first-time applicant', () => {
    const program = testProgram({
      id: 'all',
      type: 'allOf',
      title: 'All',
      items: [
        {
          id: 'mgmt',
          type: 'credits',
          title: 'Management',
          noun: 'Management',
          min: 2,
          filter: { categories: ['mgmt'] },
        },
        {
          id: 'returning',
          type: 'courses',
          title: 'Refresher',
          courses: ['A'],
          appliesTo: { cohorts: ['pilot'] },
        },
        { id: 'core', type: 'courses', title: 'Core', courses: ['B'] },
      ],
    });
    const r = evaluate(program, many(2, { date: '2026-01-01' }), { asOf: '2026-05-01' });
    expect(r.status).toBe('in_progress');
    expect(r.headline).toBe('In progress toward Test Program: 1 of 2 parts complete.');
  });
});

describe('the pilot deadline is judged by when the training was completed, before and after the award', () => {
  const nine = (date: string) =>
    [
      'KS-Y1-01',
      'KS-Y1-02',
      'KS-Y1-03',
      'KS-Y2-01',
      'KS-Y2-02',
      'KS-Y2-03',
      'KS-Y3-01',
      'KS-Y3-02',
      'KS-Y3-03',
    ].map((c) => ksCourse(c, date));

  it('Kansas pilot: finished September 13, 2024, awarded after the election: met, whatever the as-of date', () => {
    const records = nine('2024-09-13');
    const context = { cohorts: ['pilot-2024'], awards: [{ id: 'a', awardedOn: '2025-02-01' }] };
    for (const asOf of ['2024-12-01', '2025-03-01', '2026-06-01']) {
      const d = evaluate(ks, records, { ...context, asOf }).deadlines[0];
      expect(d).toMatchObject({ state: 'met', completedOn: '2024-09-13' });
      expect(d?.detail).toBe('Completed on September 13, 2024, by November 4, 2024.');
    }
  });

  it('Kansas pilot: finished after the deadline: missed before and after the award', () => {
    const records = nine('2024-12-10');
    const context = { cohorts: ['pilot-2024'], awards: [{ id: 'a', awardedOn: '2025-01-15' }] };
    for (const asOf of ['2024-12-20', '2025-03-01']) {
      const d = evaluate(ks, records, { ...context, asOf }).deadlines[0];
      expect(d).toMatchObject({ state: 'missed', completedOn: '2024-12-10' });
    }
  });
});

describe('a reinstatement requirement takes only what it needs too', () => {
  it('records used for renewal are not counted again for reinstatement, and the rest go to the next cycle', () => {
    const program = testProgram(
      { id: 'init', type: 'credits', title: 'Initial', min: 1, filter: { categories: ['job'] } },
      {
        renewal: {
          cycleYears: 1,
          expiryBasis: 'previousExpiry',
          remindDaysBefore: [],
          graceDays: 30,
          reinstatement: {
            withinDays: 365,
            requirement: {
              id: 'reinstate',
              type: 'credits',
              title: 'Reinstatement ethics',
              min: 1,
              filter: { categories: ['mgmt-ethics'] },
            },
          },
          requirement: {
            id: 'renew',
            type: 'credits',
            title: 'Renewal',
            min: 2,
            filter: { categories: ['mgmt'] },
          },
        },
      },
    );
    const ethics = ['2026-03-01', '2026-03-02', '2026-03-03', '2026-03-04', '2026-03-05'].map((date) =>
      rec({ date, category: 'mgmt-ethics' }),
    );
    const r = evaluate(program, ethics, {
      asOf: '2027-03-01',
      awards: [{ id: 'a', awardedOn: '2025-01-01' }],
    });
    const [first, second] = r.lifecycle?.cycles ?? [];
    expect(first?.state).toBe('reinstated');
    const firstCounted = (node: NodeResult | undefined): string[] =>
      node ? [...node.counted.map((c) => c.recordId), ...node.children.flatMap((c) => firstCounted(c))] : [];
    expect(firstCounted(first?.requirement).sort()).toEqual(ethics.slice(0, 3).map((e) => e.id));
    expect(second).toMatchObject({ state: 'renewed', completedOn: '2026-03-05' });
    expect(r.status).toBe('certified');
  });
});
