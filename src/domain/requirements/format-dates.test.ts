/**
 * Issue 13, section 5: dates measured from any dated person fact, the earliest or latest of
 * several dates, and per-person deadline extensions. Outcomes and the sentences an official reads.
 */
import { describe, expect, it } from 'vitest';
import { evaluate } from './evaluate.js';
import { formatEvaluationText } from './format.js';
import { parseProgram } from './schema.js';
import { rec, testProgram } from './testkit.js';
import type { CreditRecord, EvaluationContext } from './types.js';

const FACTS = [
  { id: 'took-office', label: 'taking office' },
  { id: 'first-served', label: 'first serving as the election official' },
];

const SOONER = {
  earliest: [
    { anchor: 'fact', fact: 'took-office', months: 6 },
    { anchor: 'fact', fact: 'first-served' },
  ],
};

function deadlineProgram(by: unknown, extra: Record<string, unknown> = {}) {
  return testProgram(
    {
      id: 'basic-training',
      type: 'deadline',
      title: 'Basic training',
      by,
      item: { id: 'basic-hours', type: 'credits', title: 'Basic hours', min: 3 },
    },
    { personFacts: FACTS, unit: { singular: 'hour', plural: 'hours' }, ...extra },
  );
}

function run(by: unknown, records: CreditRecord[], ctx: Partial<EvaluationContext>, extra = {}) {
  return evaluate(deadlineProgram(by, extra), records, { asOf: '2026-04-01', ...ctx });
}

describe('a date measured from a person fact, the earliest of several', () => {
  it('takes the sooner date: first serving on May 1 comes before 6 months after taking office', () => {
    const r = run(SOONER, [rec({ id: 'late', date: '2026-06-01', amount: 3 })], {
      asOf: '2026-04-01',
      factDates: { 'took-office': '2026-01-15', 'first-served': '2026-05-01' },
    });
    expect(r.initial.deadline).toEqual({
      date: '2026-05-01',
      programDate: '2026-05-01',
      rule: '6 months after taking office or by first serving as the election official, whichever is sooner',
      detail: 'Due by May 1, 2026.',
    });
    expect(r.missing).toEqual([
      'You need 3 more hours for Basic hours.',
      'Finish Basic training by May 1, 2026.',
    ]);
  });

  it('a record after the sooner date does not count toward it', () => {
    const r = run(SOONER, [rec({ id: 'late', date: '2026-06-01', amount: 3 })], {
      asOf: '2026-08-01',
      factDates: { 'took-office': '2026-01-15', 'first-served': '2026-05-01' },
    });
    expect(r.initial.met).toBe(false);
    expect(r.initial.children[0]?.notCounted[0]?.reason).toBe('after_deadline');
  });

  it('with one of the dates not recorded, uses the known one and says the other is missing', () => {
    const r = run(SOONER, [], { factDates: { 'took-office': '2026-01-15' } });
    expect(r.initial.deadline?.date).toBe('2026-07-15');
    expect(r.missing).toContain(
      'Finish Basic training by July 15, 2026 (due 6 months after taking office or by first serving as the election official, whichever is sooner; first serving as the election official is not recorded yet).',
    );
  });

  it('with no date recorded, the deadline is unknown: records count, and the sentence says why', () => {
    const r = run(
      { anchor: 'fact', fact: 'took-office', months: 6 },
      [rec({ id: 'any', date: '2026-03-01', amount: 1 })],
      {},
    );
    expect(r.initial.deadline).toEqual({
      rule: '6 months after taking office',
      detail: 'Due 6 months after taking office (date not recorded yet).',
    });
    expect(r.initial.children[0]?.counted.map((c) => c.recordId)).toEqual(['any']);
    expect(r.missing).toContain(
      'Basic training is due 6 months after taking office (date not recorded yet).',
    );
  });

  it('latest takes the later of the known dates', () => {
    const r = run({ latest: [{ anchor: 'fact', fact: 'took-office', months: 6 }, '2026-09-30'] }, [], {
      factDates: { 'took-office': '2026-01-15' },
    });
    expect(r.initial.deadline?.date).toBe('2026-09-30');
    expect(r.initial.deadline?.rule).toBe(
      '6 months after taking office or by September 30, 2026, whichever is later',
    );
  });

  it('a program deadline measured from a fact not recorded is unknown, and says so', () => {
    const program = deadlineProgram('2030-01-01', {
      initial: {
        requirement: { id: 'basic-hours', type: 'credits', title: 'Basic hours', min: 3 },
        deadlines: [
          { id: 'finish', label: 'Finish', by: { anchor: 'fact', fact: 'took-office', months: 6 } },
        ],
      },
    });
    const r = evaluate(program, [], { asOf: '2026-04-01' });
    expect(r.deadlines[0]).toEqual({
      id: 'finish',
      label: 'Finish',
      state: 'unknown',
      detail: 'Due 6 months after taking office (date not recorded yet).',
    });
  });

  it('program check rejects a fact that is not declared, and checks the shape with its path', () => {
    const raw = (by: unknown, personFacts: unknown = FACTS) => {
      const good = testProgram({ id: 'x', type: 'credits', title: 'X', min: 1 });
      const r = parseProgram({
        ...good,
        personFacts,
        initial: {
          requirement: {
            id: 'd',
            type: 'deadline',
            title: 'D',
            by,
            item: { id: 'x', type: 'credits', title: 'X', min: 1 },
          },
          deadlines: [],
        },
      });
      return r.ok ? [] : r.issues;
    };
    expect(
      raw({
        earliest: [
          { anchor: 'fact', fact: 'took-office' },
          { anchor: 'fact', fact: 'sworn-in' },
        ],
      }),
    ).toEqual([
      {
        path: 'initial.requirement.by.earliest[1].fact',
        message: 'No person fact "sworn-in": declare it in personFacts (id and label) to measure from it.',
      },
    ]);
    expect(raw({ anchor: 'fact', fact: 'took-office' }, [])).toEqual([
      {
        path: 'initial.requirement.by.fact',
        message: 'No person fact "took-office": declare it in personFacts (id and label) to measure from it.',
      },
    ]);
    expect(raw({ anchor: 'fact', months: 6 })).toEqual([
      { path: 'initial.requirement.by.fact', message: 'Required when anchor is "fact" (a personFacts id).' },
    ]);
    expect(raw({ earliest: ['2026-01-01'] })).toEqual([
      { path: 'initial.requirement.by.earliest', message: 'Give at least two dates.' },
    ]);
    expect(raw({ latest: [{ anchor: 'tomorrow' }, '2026-01-01'] })).toEqual([
      {
        path: 'initial.requirement.by.latest[0].anchor',
        message: 'Must be one of asOf, enrollment, appointment, award, cycleStart, cycleEnd, fact.',
      },
    ]);
    expect(raw('2026-01-01', [...FACTS, { id: 'took-office', label: 'again' }])).toEqual([
      { path: 'personFacts[2]', message: 'Duplicate person fact id "took-office".' },
    ]);
  });
});

describe('per-person deadline extensions', () => {
  const APPT = { anchor: 'appointment', months: 6 };
  const ext = {
    requirementId: 'basic-training',
    until: '2026-10-01',
    reason: 'medical leave',
    grantedBy: 'Director Ruiz',
  };

  it('a later date: training after the program date but by the extension counts, and the result says so', () => {
    const records = [rec({ id: 'sept', date: '2026-09-01', amount: 3 })];
    const without = run(APPT, records, { asOf: '2026-09-15', appointmentDate: '2026-01-15' });
    expect(without.status).toBe('in_progress');
    const r = run(APPT, records, { asOf: '2026-09-15', appointmentDate: '2026-01-15', extensions: [ext] });
    expect(r.status).toBe('eligible');
    expect(r.initial.deadline).toEqual({
      date: '2026-10-01',
      programDate: '2026-07-15',
      rule: '6 months after appointment',
      detail:
        'Due by October 1, 2026 (extended from July 15, 2026: medical leave, granted by Director Ruiz).',
      extension: ext,
    });
    expect(r.initial.window).toEqual({ to: '2026-10-01' });
  });

  it('says the extension in what is missing, and in the text', () => {
    const r = run(APPT, [], { asOf: '2026-08-01', appointmentDate: '2026-01-15', extensions: [ext] });
    expect(r.missing).toContain(
      'Finish Basic training by October 1, 2026 (extended from July 15, 2026: medical leave, granted by Director Ruiz).',
    );
    const text = formatEvaluationText(deadlineProgram(APPT), r);
    expect(text).toContain(
      '[ ] Basic training: 0 of 1 requirement met, deadline 2026-10-01 (extended from 2026-07-15: medical leave)',
    );
  });

  it('an earlier date replaces the program date too: a record after it does not count', () => {
    const r = run(APPT, [rec({ id: 'june', date: '2026-06-01', amount: 3 })], {
      asOf: '2026-06-15',
      appointmentDate: '2026-01-15',
      extensions: [{ requirementId: 'basic-training', until: '2026-05-01', reason: 'board order' }],
    });
    expect(r.initial.met).toBe(false);
    expect(r.initial.children[0]?.notCounted[0]?.detail).toBe('Dated after the deadline of May 1, 2026.');
    expect(r.missing[0]).toMatch(
      /^The deadline of May 1, 2026 \(extended from July 15, 2026: board order\) for Basic training was missed/,
    );
  });

  it('gives a date when the program date is not known yet', () => {
    const r = run(APPT, [], { extensions: [ext] });
    expect(r.initial.deadline?.date).toBe('2026-10-01');
    expect(r.initial.deadline?.detail).toBe(
      'Due by October 1, 2026 (extended: medical leave, granted by Director Ruiz).',
    );
  });

  it('extends a program deadline (initial.deadlines) by its id', () => {
    const program = deadlineProgram('2030-01-01', {
      initial: {
        requirement: { id: 'basic-hours', type: 'credits', title: 'Basic hours', min: 3 },
        deadlines: [{ id: 'finish', label: 'Finish', by: APPT }],
      },
    });
    const r = evaluate(program, [], {
      asOf: '2026-08-01',
      appointmentDate: '2026-01-15',
      extensions: [{ requirementId: 'finish', until: '2026-12-01', reason: 'new office' }],
    });
    expect(r.deadlines[0]).toEqual({
      id: 'finish',
      label: 'Finish',
      date: '2026-12-01',
      programDate: '2026-07-15',
      extension: { requirementId: 'finish', until: '2026-12-01', reason: 'new office' },
      state: 'upcoming',
      detail: 'Finish by December 1, 2026 (extended from July 15, 2026: new office).',
    });
  });
});
