import { describe, expect, it } from 'vitest';
import { evaluate } from './evaluate.js';
import { many, mgmtTier, rec, testProgram } from './testkit.js';
import type { CreditRecord, EvaluationContext, NodeResult, Requirement } from './types.js';

const AS_OF = '2026-05-01';
const ctx = (extra: Partial<EvaluationContext> = {}): EvaluationContext => ({ asOf: AS_OF, ...extra });

function find(node: NodeResult, id: string): NodeResult {
  if (node.id === id) return node;
  for (const c of node.children) {
    try {
      return find(c, id);
    } catch {
      // keep looking
    }
  }
  throw new Error(`no node ${id}`);
}

function run(
  requirement: Requirement,
  records: CreditRecord[],
  extra: Partial<EvaluationContext> = {},
  programExtra = {},
) {
  const program = testProgram(requirement, programExtra);
  return evaluate(program, records, ctx(extra));
}

describe('minimum total credits', () => {
  it('is met exactly at the threshold and not one short', () => {
    const at = run(mgmtTier(72), many(72, { date: '2025-01-01' }));
    expect(at.initial.met).toBe(true);
    expect(at.status).toBe('eligible');
    const short = run(mgmtTier(72), many(71, { date: '2025-01-01' }));
    expect(short.initial.met).toBe(false);
    expect(short.initial.have).toBe(71);
    expect(short.initial.need).toBe(72);
    expect(short.missing).toEqual(['You need 1 more Management credit.']);
  });

  it('adds fractional credits exactly', () => {
    const records = [
      ...many(7, { date: '2025-01-01', amount: 0.1 }),
      rec({ date: '2025-01-01', amount: 71.3 }),
    ];
    const r = run(mgmtTier(72), records);
    expect(r.initial.have).toBe(72);
    expect(r.initial.met).toBe(true);
    const half = run(mgmtTier(72), [rec({ date: '2025-01-01', amount: 71.5 })]);
    expect(half.missing).toEqual(['You need 0.5 more Management credits.']);
  });

  it('counts sub-categories toward their parent category', () => {
    const r = run(mgmtTier(2), [rec({ date: '2025-01-01', category: 'mgmt-ethics', amount: 2 })]);
    expect(r.initial.met).toBe(true);
  });
});

describe('a sponsored share within the total', () => {
  const tier = mgmtTier(72, 16);
  const records = (total: number, sponsored: number): CreditRecord[] => [
    ...many(sponsored, { date: '2025-02-01', sponsored: true }),
    ...many(total - sponsored, { date: '2025-01-01' }),
  ];

  it('72 with 16 sponsored is met', () => {
    expect(run(tier, records(72, 16)).initial.met).toBe(true);
  });

  it('72 with 15 sponsored is not enough: one more sponsored credit', () => {
    const r = run(tier, records(72, 15));
    expect(r.initial.met).toBe(false);
    expect(r.missing).toEqual(['You need 1 more sponsored Management credit.']);
    expect(r.initial.parts[0]).toMatchObject({ have: 15, limit: 16, met: false });
  });

  it('80 with 15 sponsored is still not enough', () => {
    const r = run(tier, records(80, 15));
    expect(r.initial.have).toBe(80);
    expect(r.missing).toEqual(['You need 1 more sponsored Management credit.']);
  });

  it('70 with 15 sponsored names both shortfalls', () => {
    expect(run(tier, records(70, 15)).missing).toEqual([
      'You need 2 more Management credits, at least 1 of them sponsored.',
    ]);
  });

  it('says when every missing credit must be sponsored', () => {
    expect(run(tier, records(70, 10)).missing).toEqual([
      'You need 6 more Management credits, all of them sponsored.',
    ]);
    expect(run(tier, records(71, 15)).missing).toEqual([
      'You need 1 more Management credit, and it must be sponsored.',
    ]);
  });

  it('records the date the requirement was met', () => {
    const list = [...many(16, { date: '2025-02-01', sponsored: true }), ...many(56, { date: '2025-01-01' })];
    expect(run(tier, list).initial.metOn).toBe('2025-02-01');
  });
});

describe('caps', () => {
  const capped = mgmtTier(20, undefined, {
    caps: [
      {
        id: 'work-cap',
        label: 'work experience counts up to 10',
        max: 10,
        filter: { sourceTypes: ['work'] },
      },
    ],
  });

  it('counts up to the cap and shows the rest as over cap', () => {
    const r = run(capped, [
      rec({ date: '2025-01-01', sourceType: 'work', amount: 15 }),
      ...many(5, { date: '2025-02-01' }),
    ]);
    expect(r.initial.have).toBe(15);
    expect(r.initial.counted.find((c) => c.amount === 10)).toBeDefined();
    expect(r.initial.notCounted).toEqual([
      expect.objectContaining({
        reason: 'over_cap',
        amount: 5,
        detail: 'Over the limit: work experience counts up to 10.',
      }),
    ]);
    expect(r.initial.parts).toEqual([expect.objectContaining({ kind: 'cap', have: 10, limit: 10 })]);
  });

  it('has no surplus exactly at the cap', () => {
    const r = run(capped, [
      rec({ date: '2025-01-01', sourceType: 'work', amount: 10 }),
      ...many(10, { date: '2025-02-01' }),
    ]);
    expect(r.initial.met).toBe(true);
    expect(r.initial.notCounted).toEqual([]);
  });

  it('lets capped records that serve a minimum count first', () => {
    const tier = mgmtTier(10, 5, {
      caps: [
        { id: 'online-cap', label: 'online courses up to 5', max: 5, filter: { sourceTypes: ['online'] } },
      ],
    });
    const records = [
      ...many(5, { date: '2025-01-01', sourceType: 'online' }),
      ...many(5, { date: '2025-06-01', sourceType: 'online', sponsored: true }),
      ...many(5, { date: '2025-07-01' }),
    ];
    const r = run(tier, records);
    expect(r.initial.met).toBe(true);
    expect(r.initial.parts.find((p) => p.kind === 'minimum')?.have).toBe(5);
  });
});

describe('date windows', () => {
  it('look-back: on the boundary counts, the day before does not', () => {
    const tier = mgmtTier(2, undefined, { window: { lookBack: { years: 3 } } });
    const r = run(tier, [rec({ id: 'edge', date: '2023-05-01' }), rec({ id: 'old', date: '2023-04-30' })]);
    expect(r.initial.counted.map((c) => c.recordId)).toEqual(['edge']);
    expect(r.initial.notCounted).toEqual([
      expect.objectContaining({ recordId: 'old', reason: 'outside_window' }),
    ]);
  });

  it('a fixed window includes its last day to 23:59 local time, not 00:00 the next day', () => {
    const tier = mgmtTier(5, undefined, { window: { from: '2026-01-01', to: '2026-03-31' } });
    const records = [
      rec({ id: 'first-day', date: '2026-01-01' }),
      rec({ id: 'day-before', date: '2025-12-31' }),
      rec({ id: 'last-minute', date: '2026-03-31T23:59:00-05:00' }),
      rec({ id: 'utc-next-day-but-local-same', date: '2026-04-01T04:30:00Z' }),
      rec({ id: 'midnight-after', date: '2026-04-01T00:00:00-05:00' }),
    ];
    const r = run(tier, records);
    expect(r.initial.counted.map((c) => c.recordId).sort()).toEqual([
      'first-day',
      'last-minute',
      'utc-next-day-but-local-same',
    ]);
    expect(r.initial.notCounted.map((n) => [n.recordId, n.reason])).toEqual([
      ['day-before', 'outside_window'],
      ['midnight-after', 'outside_window'],
    ]);
  });

  it('a window relative to enrollment', () => {
    const tier = mgmtTier(1, undefined, { window: { from: { anchor: 'enrollment' } } });
    const records = [rec({ id: 'before', date: '2024-12-31' }), rec({ id: 'on', date: '2025-01-01' })];
    const r = run(tier, records, { enrollmentDate: '2025-01-01' });
    expect(r.initial.counted.map((c) => c.recordId)).toEqual(['on']);
  });

  it('records after asOf do not count yet', () => {
    const r = run(mgmtTier(1), [rec({ id: 'later', date: '2026-05-02' })]);
    expect(r.initial.met).toBe(false);
    expect(r.initial.notCounted[0]).toMatchObject({ recordId: 'later', reason: 'after_as_of' });
    const onDay = run(mgmtTier(1), [rec({ date: '2026-05-01T23:59:00-05:00' })]);
    expect(onDay.initial.met).toBe(true);
  });
});

describe('record status', () => {
  it('only approved records count; the others are explained', () => {
    const r = run(mgmtTier(5), [
      rec({ id: 'ok', date: '2025-01-01' }),
      rec({ id: 'pend', date: '2025-01-02', status: 'pending', amount: 2 }),
      rec({ id: 'rej', date: '2025-01-03', status: 'rejected' }),
      rec({ id: 'rev', date: '2025-01-04', status: 'reversed' }),
    ]);
    expect(r.initial.have).toBe(1);
    expect(r.initial.notCounted.map((n) => n.reason)).toEqual(['pending_review', 'rejected', 'reversed']);
    expect(r.missing).toEqual(['You need 4 more Management credits. 2 credits are waiting for review.']);
    expect(r.status).toBe('in_progress');
  });

  it('is not started with nothing recorded, in progress with only a pending record', () => {
    expect(run(mgmtTier(5), []).status).toBe('not_started');
    expect(run(mgmtTier(5), [rec({ date: '2025-01-01', status: 'pending' })]).status).toBe('in_progress');
  });

  it('reports records that count toward nothing, and unreadable dates', () => {
    const r = run(mgmtTier(5), [
      rec({ id: 'x', date: '2025-01-01', category: 'other' }),
      rec({ id: 'bad', date: '2025-02-30' }),
    ]);
    expect(r.notCounted.map((n) => [n.recordId, n.reason])).toEqual([
      ['bad', 'unreadable'],
      ['x', 'wrong_category'],
    ]);
  });

  it('explains a record of the right category but the wrong kind', () => {
    const tier = mgmtTier(1, undefined, { filter: { categories: ['mgmt'], sourceTypes: ['conf'] } });
    const r = run(tier, [rec({ id: 'w', date: '2025-01-01', sourceType: 'work' })]);
    expect(r.initial.notCounted[0]).toMatchObject({
      reason: 'wrong_category',
      detail: 'Work experience does not count toward this requirement.',
    });
  });
});

describe('courses', () => {
  const course = (code: string, date: string, id?: string): CreditRecord =>
    rec({ date, courseCode: code, category: undefined, amount: undefined, ...(id ? { id } : {}) });

  it('needs every named course; a course counts once', () => {
    const req: Requirement = { id: 'c', type: 'courses', title: 'Core', courses: ['A', 'B'] };
    const r = run(req, [course('A', '2025-01-01'), course('A', '2025-02-01', 'again')]);
    expect(r.initial.met).toBe(false);
    expect(r.initial.have).toBe(1);
    expect(r.initial.notCounted).toEqual([
      expect.objectContaining({ recordId: 'again', reason: 'duplicate_course' }),
    ]);
    expect(r.missing).toEqual(['You still need to complete "Course B" (Core).']);
    expect(run(req, [course('A', '2025-01-01'), course('B', '2025-01-02')]).initial.metOn).toBe('2025-01-02');
  });

  it('uses the catalog credits and category for course records', () => {
    const r = run(mgmtTier(3, undefined, { filter: { categories: ['job'] } }), [course('C', '2025-01-01')]);
    expect(r.initial.have).toBe(3);
  });

  it('n of a list', () => {
    const req: Requirement = {
      id: 'c',
      type: 'courses',
      title: 'Electives',
      courses: ['A', 'B', 'C'],
      count: 2,
    };
    expect(run(req, [course('C', '2025-01-01')]).missing).toEqual([
      'You still need 1 more course for Electives, from: "Course A" or "Course B".',
    ]);
    expect(run(req, [course('C', '2025-01-01'), course('A', '2025-01-02')]).initial.met).toBe(true);
  });

  it('in order: a later course taken before an earlier one does not count', () => {
    const req: Requirement = {
      id: 'c',
      type: 'courses',
      title: 'Sequence',
      courses: ['A', 'B'],
      inOrder: true,
    };
    const wrong = run(req, [course('B', '2025-01-01', 'b-early'), course('A', '2025-02-01')]);
    expect(wrong.initial.met).toBe(false);
    expect(wrong.initial.notCounted).toEqual([
      expect.objectContaining({ recordId: 'b-early', reason: 'out_of_order' }),
    ]);
    expect(run(req, [course('A', '2025-01-01'), course('B', '2025-01-01')]).initial.met).toBe(true);
  });

  it('after another requirement: counts from the day it was met, not before', () => {
    const req: Requirement = {
      id: 'all',
      type: 'allOf',
      title: 'Program',
      items: [
        { id: 'y1', type: 'courses', title: 'Year One', courseSet: 'first' },
        { id: 'y2', type: 'courses', title: 'Year Two', courseSet: 'second', after: ['y1'] },
      ],
    };
    const sameDay = run(req, [
      course('A', '2025-01-01'),
      course('B', '2025-01-02'),
      course('C', '2025-01-02'),
      course('D', '2025-03-01'),
    ]);
    expect(sameDay.initial.met).toBe(true);
    const early = run(req, [
      course('C', '2025-01-01', 'c-early'),
      course('A', '2025-01-01'),
      course('B', '2025-01-02'),
      course('D', '2025-03-01'),
    ]);
    expect(find(early.initial, 'y2').notCounted).toEqual([
      expect.objectContaining({ recordId: 'c-early', reason: 'before_prerequisite' }),
    ]);
    const blocked = run(req, [course('C', '2025-01-01')]);
    expect(find(blocked.initial, 'y2').missing).toContain('These count once Year One is complete.');
  });

  it('a course set defined by a category', () => {
    const req: Requirement = {
      id: 'r',
      type: 'courses',
      title: 'Renewal',
      courseSet: 'renewal-courses',
      count: 1,
    };
    const r = run(req, [rec({ date: '2025-01-01', courseCode: 'RNW-2025', category: 'renewal' })]);
    expect(r.initial.met).toBe(true);
    expect(run(req, [rec({ date: '2025-01-01', category: 'renewal' })]).initial.met).toBe(false); // credit, not a course
  });
});

describe('non-credit prerequisites', () => {
  it('exam score threshold: at the threshold passes, one point below does not', () => {
    const req: Requirement = {
      id: 'e',
      type: 'exam',
      title: 'certification exam',
      exam: 'cert',
      minScore: 70,
    };
    expect(run(req, [], { examResults: [{ exam: 'cert', score: 70, date: '2025-01-01' }] }).initial.met).toBe(
      true,
    );
    const low = run(req, [], { examResults: [{ exam: 'cert', score: 69, date: '2025-01-01' }] });
    expect(low.missing).toEqual([
      'You need a score of at least 70 on the certification exam; your best so far is 69.',
    ]);
    expect(run(req, [], { examResults: [{ exam: 'cert', score: 90, date: '2026-05-02' }] }).initial.met).toBe(
      false,
    );
  });

  it('years of service from the appointment date, to the day', () => {
    const req: Requirement = { id: 's', type: 'serviceYears', title: 'Service', minYears: 5 };
    expect(run(req, [], { appointmentDate: '2021-05-01' }).initial.met).toBe(true);
    expect(run(req, [], { appointmentDate: '2021-05-02' }).initial.met).toBe(false);
    expect(run(req, [], { yearsOfService: 6 }).initial.met).toBe(true);
    expect(run(req, [], {}).missing).toEqual(['You need 5 years of service; you have 0 (5 more to go).']);
  });

  it('attestation', () => {
    const req: Requirement = {
      id: 'a',
      type: 'attestation',
      title: 'code of ethics pledge',
      attestation: 'ethics',
      statement: 'I will uphold the code.',
    };
    expect(run(req, []).missing).toEqual([
      'You need to sign the code of ethics pledge: "I will uphold the code.".',
    ]);
    expect(run(req, [], { attestations: [{ attestation: 'ethics', date: '2026-05-01' }] }).initial.met).toBe(
      true,
    );
    expect(run(req, [], { attestations: [{ attestation: 'ethics', date: '2026-05-02' }] }).initial.met).toBe(
      false,
    );
  });
});

describe('combinators', () => {
  const a = mgmtTier(2);
  const b: Requirement = {
    id: 'job',
    type: 'credits',
    title: 'Job tier',
    noun: 'job',
    min: 2,
    filter: { categories: ['job'] },
  };
  const c: Requirement = {
    id: 'oth',
    type: 'credits',
    title: 'Other tier',
    noun: 'other',
    min: 2,
    filter: { categories: ['other'] },
  };
  const recs = [...many(2, { date: '2025-01-01' }), ...many(2, { date: '2025-01-02', category: 'job' })];

  it('allOf needs every item', () => {
    const r = run({ id: 'g', type: 'allOf', title: 'All', items: [a, b, c] }, recs);
    expect(r.initial).toMatchObject({ met: false, have: 2, need: 3 });
    expect(r.missing).toEqual(['You need 2 more other credits.']);
  });

  it('anyOf needs one, and is met on the earliest date one was', () => {
    const r = run({ id: 'g', type: 'anyOf', title: 'Any', items: [c, b, a] }, recs);
    expect(r.initial.met).toBe(true);
    expect(r.initial.metOn).toBe('2025-01-01');
  });

  it('nOf needs n; met on the n-th date', () => {
    const two = run({ id: 'g', type: 'nOf', n: 2, title: 'Two', items: [a, b, c] }, recs);
    expect(two.initial.met).toBe(true);
    expect(two.initial.metOn).toBe('2025-01-02');
    const three = run({ id: 'g', type: 'nOf', n: 3, title: 'Three', items: [a, b, c] }, recs);
    expect(three.initial.met).toBe(false);
    expect(three.missing[0]).toBe('Complete one of: Other tier.');
  });
});

describe('deadlines', () => {
  const within6: Requirement = {
    id: 'dl',
    type: 'deadline',
    title: 'certification',
    by: { anchor: 'appointment', months: 6 },
    item: mgmtTier(2),
  };

  it('relative to the appointment date: the last day counts, the next day does not', () => {
    const ok = run(within6, [rec({ date: '2025-07-15' }), rec({ date: '2026-01-15' })], {
      appointmentDate: '2025-07-15',
    });
    expect(ok.initial.met).toBe(true);
    const late = run(within6, [rec({ date: '2025-07-15' }), rec({ id: 'late', date: '2026-01-16' })], {
      appointmentDate: '2025-07-15',
    });
    expect(late.initial.met).toBe(false);
    expect(find(late.initial, 'mgmt-tier').notCounted[0]).toMatchObject({
      recordId: 'late',
      reason: 'after_deadline',
    });
    expect(late.missing).toEqual([
      'The deadline of January 15, 2026 for certification was missed: 1 more Management credit was still needed by then. Training completed after the deadline does not count toward it; Test Office can extend the deadline or waive it.',
    ]);
  });

  it('says the date when still open, and when it cannot be known', () => {
    expect(run(within6, [], { appointmentDate: '2026-03-01', asOf: '2026-05-01' }).missing).toContain(
      'Finish certification by September 1, 2026.',
    );
    expect(run(within6, [], {}).initial.window).toBeUndefined();
  });

  it('program deadlines by cohort: met, missed, upcoming, not applicable', () => {
    const program = (deadline: string) =>
      testProgram(mgmtTier(1), {
        initial: {
          requirement: mgmtTier(1),
          deadlines: [
            { id: 'pilot', label: 'Pilot finish', by: deadline, appliesTo: { cohorts: ['pilot'] } },
          ],
        },
      });
    const state = (deadline: string, records: CreditRecord[], cohorts: string[]) =>
      evaluate(program(deadline), records, { asOf: AS_OF, cohorts }).deadlines[0]?.state;
    expect(state('2026-01-31', [rec({ date: '2026-01-31' })], ['pilot'])).toBe('met');
    expect(state('2026-01-31', [rec({ date: '2026-02-01' })], ['pilot'])).toBe('missed');
    expect(state('2026-06-30', [], ['pilot'])).toBe('upcoming');
    expect(state('2026-01-31', [], [])).toBe('not_applicable');
  });

  it('cohort-only requirements do not apply to others', () => {
    const req: Requirement = {
      id: 'g',
      type: 'allOf',
      title: 'All',
      items: [
        mgmtTier(1),
        {
          ...mgmtTier(5),
          id: 'pilot-extra',
          noun: 'pilot',
          appliesTo: { cohorts: ['pilot'] },
        } as Requirement,
      ],
    };
    const records = [rec({ date: '2025-01-01' })];
    expect(run(req, records).initial.met).toBe(true);
    expect(find(run(req, records).initial, 'pilot-extra').applicable).toBe(false);
    expect(run(req, records, { cohorts: ['pilot'] }).initial.met).toBe(false);
  });
});

describe('waivers and provisional approval', () => {
  const req: Requirement = {
    id: 'g',
    type: 'allOf',
    title: 'All',
    items: [mgmtTier(10), { id: 'e', type: 'exam', title: 'exam', exam: 'x', minScore: 70 }],
  };

  it('a waiver meets the requirement and says who granted it and why', () => {
    const waiver = {
      requirementId: 'e',
      kind: 'waiver' as const,
      grantedBy: 'Director Smith',
      reason: 'Passed an equivalent exam',
      grantedOn: '2026-01-10',
    };
    const r = run(req, many(10, { date: '2025-01-01' }), { waivers: [waiver] });
    expect(r.status).toBe('eligible');
    expect(find(r.initial, 'e').waiver).toEqual(waiver);
    expect(r.provisional).toBe(false);
  });

  it('provisional approval counts until it expires', () => {
    const w = {
      requirementId: 'mgmt-tier',
      kind: 'provisional' as const,
      grantedBy: 'Board',
      reason: 'Transcript in the mail',
      grantedOn: '2026-01-10',
      expiresOn: '2026-05-01',
    };
    const r = run(req, [], { waivers: [w], examResults: [{ exam: 'x', score: 80, date: '2026-01-01' }] });
    expect(r.status).toBe('eligible');
    expect(r.provisional).toBe(true);
    const expired = run(req, [], {
      asOf: '2026-05-02',
      waivers: [w],
      examResults: [{ exam: 'x', score: 80, date: '2026-01-01' }],
    });
    expect(expired.status).toBe('in_progress');
    const future = run(req, [], { waivers: [{ ...w, grantedOn: '2026-06-01' }] });
    expect(find(future.initial, 'mgmt-tier').met).toBe(false);
  });
});

describe('award timing', () => {
  it("applications by the deadline day go to this year's ceremony, after it to next year's", () => {
    const program = testProgram(mgmtTier(1), {
      award: { ceremony: 'Annual Conference', applicationDeadline: { month: 6, day: 1 } },
    });
    const records = [rec({ date: '2025-01-01' })];
    expect(evaluate(program, records, { asOf: '2026-06-01' }).nextAward).toEqual({
      year: 2026,
      applyBy: '2026-06-01',
      ceremony: 'Annual Conference',
    });
    expect(evaluate(program, records, { asOf: '2026-06-02' }).nextAward).toEqual({
      year: 2027,
      applyBy: '2027-06-01',
      ceremony: 'Annual Conference',
    });
  });
});

describe('after an award', () => {
  it('records dated on the award day still count toward the initial requirement; the day after do not', () => {
    const program = testProgram(mgmtTier(3));
    const records = [
      ...many(2, { date: '2026-03-01' }),
      rec({ id: 'on-award-day', date: '2026-03-12' }),
      rec({ id: 'day-after', date: '2026-03-13' }),
    ];
    const r = evaluate(program, records, {
      asOf: '2026-05-01',
      awards: [{ id: 'a1', awardedOn: '2026-03-12' }],
    });
    expect(r.initial).toMatchObject({ met: true, have: 3, metOn: '2026-03-12' });
    expect(r.initial.counted.map((c) => c.recordId)).toContain('on-award-day');
    expect(r.initial.counted.map((c) => c.recordId)).not.toContain('day-after');
  });
});
