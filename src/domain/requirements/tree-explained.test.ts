/**
 * What an official reads for less common shapes of requirement trees: several
 * waivers on one requirement, several exam scores and attestations, records of
 * a kind a credits requirement excludes, and records no requirement looks at.
 */
import { describe, expect, it } from 'vitest';
import { evaluate } from './evaluate.js';
import { many, mgmtTier, rec, testProgram } from './testkit.js';
import type { CreditRecord, EvaluationContext, NodeResult, Requirement, Waiver } from './types.js';

function run(
  req: Requirement | Record<string, unknown>,
  records: CreditRecord[],
  ctx: Partial<EvaluationContext> = {},
  extra: Record<string, unknown> = {},
) {
  return evaluate(testProgram(req, extra), records, { asOf: '2025-06-01', ...ctx });
}

const waiver = (kind: Waiver['kind'], grantedOn: string, reason: string): Waiver => ({
  requirementId: 'mgmt-tier',
  kind,
  grantedBy: 'Director',
  reason,
  grantedOn,
});

describe('several waivers on one requirement', () => {
  it('the most recently granted one applies', () => {
    const ws = [
      waiver('provisional', '2024-01-01', 'first'),
      waiver('waiver', '2024-03-01', 'latest'),
      waiver('provisional', '2024-02-01', 'middle'),
    ];
    const r = run(mgmtTier(5), [], { waivers: ws });
    expect(r.initial.met).toBe(true);
    expect(r.initial.waiver).toEqual(ws[1]);
    expect(r.initial.metOn).toBe('2024-03-01');
  });

  it('on the same day, a waiver wins over a provisional approval, in either order', () => {
    const w = waiver('waiver', '2024-03-01', 'waived');
    const p = waiver('provisional', '2024-03-01', 'provisional');
    expect(run(mgmtTier(5), [], { waivers: [p, w] }).initial.waiver).toEqual(w);
    expect(run(mgmtTier(5), [], { waivers: [w, p] }).initial.waiver).toEqual(w);
  });
});

describe('records of a kind a credits requirement does not take', () => {
  const req = (filter: Record<string, unknown>) => ({
    id: 'x',
    type: 'credits',
    title: 'Credits X',
    min: 2,
    filter: { categories: ['mgmt'], ...filter },
  });
  const sponsor = { sponsor: { id: 'igo', name: 'IGO', adjective: 'IGO-sponsored' } };

  it('names the sponsor adjective when only sponsored credits count', () => {
    const r = run(req({ sponsored: true }), [rec({ date: '2025-01-01', sponsored: false })], {}, sponsor);
    expect(r.initial.notCounted.map((n) => [n.reason, n.detail])).toEqual([
      ['wrong_category', 'Only IGO-sponsored credits count here.'],
    ]);
  });

  it('names the sponsor adjective when sponsored credits do not count', () => {
    const r = run(req({ sponsored: false }), [rec({ date: '2025-01-01', sponsored: true })], {}, sponsor);
    expect(r.initial.notCounted.map((n) => n.detail)).toEqual(['IGO-sponsored credits do not count here.']);
  });

  it('gives the general reason for any other mismatch', () => {
    const r = run(req({ courses: ['A'] }), [rec({ date: '2025-01-01' })]);
    expect(r.initial.notCounted.map((n) => n.detail)).toEqual([
      'This kind of credit does not count toward this requirement.',
    ]);
  });
});

describe('exam scores', () => {
  const exam = (window?: Record<string, unknown>) => ({
    id: 'ex',
    type: 'exam',
    title: 'Final Exam',
    exam: 'final',
    minScore: 90,
    ...(window ? { window } : {}),
  });

  it('reports the best score so far, not the latest or an earlier lower one', () => {
    const r = run(exam(), [], {
      examResults: [
        { exam: 'final', score: 60, date: '2024-01-01' },
        { exam: 'final', score: 80, date: '2024-03-01' },
        { exam: 'final', score: 70, date: '2024-02-01' },
        { exam: 'other', score: 99, date: '2024-04-01' },
      ],
    });
    expect(r.initial.met).toBe(false);
    expect(r.initial.have).toBe(80);
    expect(r.initial.missing).toBe(
      'You need a score of at least 90 on the Final Exam; your best so far is 80.',
    );
  });

  it('counts a score on the first day of a look-back window but not one before it', () => {
    const r = run(exam({ lookBack: { years: 1 } }), [], {
      examResults: [
        { exam: 'final', score: 95, date: '2023-01-01' },
        { exam: 'final', score: 88, date: '2024-06-01' },
        { exam: 'final', score: 85, date: '2025-01-01' },
      ],
    });
    expect(r.initial.have).toBe(88);
    expect(r.initial.missing).toBe(
      'You need a score of at least 90 on the Final Exam; your best so far is 88.',
    );
  });

  it('with no score in the window, says the exam is still to pass', () => {
    const r = run(exam({ lookBack: { years: 1 } }), [], {
      examResults: [{ exam: 'final', score: 95, date: '2023-01-01' }],
    });
    expect(r.initial.missing).toBe('You need to pass the Final Exam with a score of at least 90.');
  });

  it('is met on the first passing date inside the window', () => {
    const r = run(exam({ lookBack: { years: 1 } }), [], {
      examResults: [
        { exam: 'final', score: 95, date: '2023-01-01' },
        { exam: 'final', score: 92, date: '2025-01-01' },
        { exam: 'final', score: 91, date: '2024-06-01' },
      ],
    });
    expect(r.initial.met).toBe(true);
    expect(r.initial.have).toBe(92);
    expect(r.initial.metOn).toBe('2024-06-01');
  });
});

describe('attestations', () => {
  it('a requirement signed several times is met on the latest signature', () => {
    const r = run({ id: 'att', type: 'attestation', title: 'Ethics pledge', attestation: 'ethics' }, [], {
      attestations: [
        { attestation: 'ethics', date: '2024-01-01' },
        { attestation: 'ethics', date: '2024-05-01' },
        { attestation: 'ethics', date: '2024-03-01' },
      ],
    });
    expect(r.initial.met).toBe(true);
    expect(r.initial.metOn).toBe('2024-05-01');
  });
});

function findNode(root: NodeResult, id: string): NodeResult | undefined {
  if (root.id === id) return root;
  for (const c of root.children) {
    const hit = findNode(c, id);
    if (hit) return hit;
  }
  return undefined;
}
function node(root: NodeResult, id: string): NodeResult {
  const hit = findNode(root, id);
  if (!hit) throw new Error(`no node ${id}`);
  return hit;
}

const mgmt = (id: string, min: number, extra: Record<string, unknown> = {}) => ({
  id,
  type: 'credits',
  title: `Credits ${id}`,
  min,
  filter: { categories: ['mgmt'] },
  ...extra,
});
const exclusive = { countingPolicy: 'exclusive' };
const countedIn = (root: NodeResult, id: string) => node(root, id).counted.length;

describe('where an exclusive program counts a record that several requirements could use', () => {
  it('prefers meeting a requirement behind a deadline (and the deadline with it)', () => {
    const req = {
      id: 'root',
      type: 'allOf',
      title: 'Root',
      items: [
        mgmt('y', 2),
        { id: 'dl', type: 'deadline', title: 'By 2030', by: '2030-01-01', item: mgmt('x', 2) },
      ],
    };
    const r = run(req, [rec({ date: '2025-01-01' }), rec({ date: '2025-01-02' })], {}, exclusive);
    expect(countedIn(r.initial, 'x')).toBe(2);
    expect(countedIn(r.initial, 'y')).toBe(0);
    expect(node(r.initial, 'dl').met).toBe(true);
  });

  it('an n-of group needs n of its parts', () => {
    const req = {
      id: 'root',
      type: 'allOf',
      title: 'Root',
      items: [
        { id: 'two', type: 'nOf', n: 2, title: 'Two of', items: [mgmt('x', 1), mgmt('y', 1)] },
        mgmt('z', 1),
      ],
    };
    const r = run(req, [rec({ date: '2025-01-01' }), rec({ date: '2025-01-02' })], {}, exclusive);
    expect([countedIn(r.initial, 'x'), countedIn(r.initial, 'y'), countedIn(r.initial, 'z')]).toEqual([
      1, 1, 0,
    ]);
    expect(node(r.initial, 'two').met).toBe(true);
  });

  it('meeting an any-of group beats meeting more of its parts', () => {
    const req = {
      id: 'root',
      type: 'anyOf',
      title: 'Root',
      items: [
        mgmt('x', 3),
        { id: 'all', type: 'allOf', title: 'All', items: [mgmt('y', 1), mgmt('w', 1), mgmt('v', 5)] },
      ],
    };
    const recs = [rec({ date: '2025-01-01' }), rec({ date: '2025-01-02' }), rec({ date: '2025-01-03' })];
    const r = run(req, recs, {}, exclusive);
    expect(countedIn(r.initial, 'x')).toBe(3);
    expect(r.initial.met).toBe(true);
  });

  const withPledge = {
    id: 'root',
    type: 'anyOf',
    title: 'Root',
    items: [
      {
        id: 'all',
        type: 'allOf',
        title: 'All',
        items: [{ id: 'att', type: 'attestation', title: 'Pledge', attestation: 'pledge' }, mgmt('x', 2)],
      },
      mgmt('y', 2),
    ],
  };
  const two = () => [rec({ date: '2025-01-01' }), rec({ date: '2025-01-02' })];

  it('a signed attestation next to a credits requirement draws the records there', () => {
    const r = run(
      withPledge,
      two(),
      { attestations: [{ attestation: 'pledge', date: '2025-01-01' }] },
      exclusive,
    );
    expect([countedIn(r.initial, 'x'), countedIn(r.initial, 'y')]).toEqual([2, 0]);
    expect(node(r.initial, 'all').met).toBe(true);
  });

  it('an unsigned attestation sends the records where they meet the requirement', () => {
    const r = run(withPledge, two(), {}, exclusive);
    expect([countedIn(r.initial, 'x'), countedIn(r.initial, 'y')]).toEqual([0, 2]);
    expect(r.initial.met).toBe(true);
  });

  it('when nothing can be met, a course goes where it closes more of the gap', () => {
    const req = {
      id: 'root',
      type: 'allOf',
      title: 'Root',
      items: [
        { id: 'p', type: 'courses', title: 'Courses P', courses: ['A', 'B', 'C'] },
        { id: 'q', type: 'credits', title: 'Credits Q', min: 5, filter: { categories: ['job'] } },
      ],
    };
    const courses = ['A', 'B', 'C'].map((code) => ({
      code,
      title: `Course ${code}`,
      credits: 0.5,
      category: 'job',
    }));
    const r = run(
      req,
      [rec({ date: '2025-01-01', courseCode: 'A', amount: undefined, category: undefined })],
      {},
      { ...exclusive, courses, courseSets: [] },
    );
    expect([countedIn(r.initial, 'p'), countedIn(r.initial, 'q')]).toEqual([1, 0]);
  });
});

const renewalSet = [{ id: 'renewal-courses', name: 'renewal', category: 'renewal' }];

describe('sentences for what is still missing', () => {
  const twoMins = (noun?: string) => ({
    id: 'x',
    type: 'credits',
    title: 'Continuing Education',
    min: 2,
    ...(noun ? { noun } : {}),
    filter: { categories: ['mgmt', 'job'] },
    minimums: [
      { id: 'm-sp', label: 'sponsored', min: 2, filter: { sponsored: true } },
      { id: 'm-job', label: 'job specific', min: 1, filter: { categories: ['job'] } },
    ],
  });
  const enough = () => many(3, { date: '2025-01-01', category: 'mgmt' });

  it('names each minimum still short when the total is already reached', () => {
    expect(run(twoMins('Training'), enough()).initial.missing).toBe(
      'You need 2 more Training credits: at least 2 sponsored and at least 1 job specific.',
    );
    expect(run(twoMins(), enough()).initial.missing).toBe(
      'You need 2 more credits for Continuing Education: at least 2 sponsored and at least 1 job specific.',
    );
  });

  it('a group of n with several parts left says how many more', () => {
    const req = {
      id: 'three',
      type: 'nOf',
      n: 3,
      title: 'Three of',
      items: [mgmt('x', 1), mgmt('y', 1), { id: 'z', type: 'credits', title: 'Credits z', min: 1 }],
    };
    expect(run(req, []).initial.missing).toBe('Complete 3 more of: Credits x, Credits y, or Credits z.');
  });

  it('a record outside an open-ended window names the period end', () => {
    const r = run(mgmtTier(2, undefined, { window: { to: '2024-12-31' } }), [rec({ date: '2025-01-15' })]);
    expect(r.initial.notCounted.map((n) => [n.reason, n.detail])).toEqual([
      ['outside_window', 'Dated January 15, 2025, outside the period ending December 31, 2024.'],
    ]);
  });

  it('a category-based course set names the set in the sentence', () => {
    const courses = [{ code: 'R1', title: 'Renewal one', credits: 1, category: 'renewal' }];
    const req = {
      id: 'rc',
      type: 'courses',
      title: 'Renewal Courses',
      courseSet: 'renewal-courses',
      count: 3,
    };
    const r = run(
      req,
      [rec({ date: '2025-01-01', courseCode: 'R1', category: undefined })],
      {},
      { courses, courseSets: renewalSet },
    );
    expect(r.initial.missing).toBe('You still need to complete 2 renewal courses (Renewal Courses).');
  });
});

describe('courses taken more than once or out of order', () => {
  it('an earlier completion of a course counted later in the order is listed as counted from another date', () => {
    const req = { id: 'seq', type: 'courses', title: 'Sequence', courses: ['A', 'B'], inOrder: true };
    const c = (code: string, date: string) => rec({ date, courseCode: code, category: undefined });
    const early = c('B', '2025-01-01');
    const r = run(req, [early, c('A', '2025-02-01'), c('B', '2025-03-01')]);
    expect(r.initial.met).toBe(true);
    expect(r.initial.notCounted.map((n) => [n.recordId, n.reason, n.detail])).toEqual([
      [early.id, 'duplicate_course', 'This course is counted from another date.'],
    ]);
  });

  it('courses completed on the same day are listed in record order', () => {
    const req = { id: 'set', type: 'courses', title: 'Set', courses: ['B', 'A'] };
    const a = rec({ date: '2025-01-01', courseCode: 'A', category: undefined });
    const b = rec({ date: '2025-01-01', courseCode: 'B', category: undefined });
    expect(run(req, [b, a]).initial.counted.map((x) => x.recordId)).toEqual([a.id, b.id]);
  });
});

describe('records on the same day', () => {
  it('with a cap, counted records stay in record order', () => {
    const req = mgmtTier(10, 1, {
      caps: [{ id: 'cap', label: 'at most 5 online', max: 5, filter: { sourceTypes: ['online'] } }],
    });
    const plain = rec({ date: '2025-01-01' });
    const sponsored = rec({ date: '2025-01-01', sponsored: true });
    expect(run(req, [plain, sponsored]).initial.counted.map((x) => x.recordId)).toEqual([
      plain.id,
      sponsored.id,
    ]);
  });

  it('a record shared out by the allocation is listed in record order with the rest', () => {
    const req = {
      id: 'root',
      type: 'allOf',
      title: 'Root',
      items: [
        mgmt('x', 5),
        { id: 'y', type: 'credits', title: 'Credits y', min: 5, filter: { categories: ['mgmt-ethics'] } },
      ],
    };
    const shared = rec({ date: '2025-01-01', category: 'mgmt-ethics' });
    const own = rec({ date: '2025-01-01' });
    const r = run(req, [own, shared], {}, exclusive);
    const x = node(r.initial, 'x');
    expect(x.counted.map((c) => c.recordId)).toEqual([shared.id, own.id]);
  });
});

describe('records no requirement looks at', () => {
  it('are reported, looking through groups, deadlines and requirements that do not apply', () => {
    const courses = [
      { code: 'A', title: 'Course A', credits: 1, category: 'job' },
      { code: 'B', title: 'Course B', credits: 1, category: 'job' },
      { code: 'R1', title: 'Renewal one', credits: 1, category: 'renewal' },
    ];
    const pilot = { appliesTo: { cohorts: ['pilot'] } };
    const req = {
      id: 'root',
      type: 'anyOf',
      title: 'Root',
      items: [
        { id: 'ex', type: 'exam', title: 'Exam', exam: 'final', minScore: 1 },
        {
          id: 'some',
          type: 'nOf',
          n: 1,
          title: 'Some',
          items: [
            {
              id: 'dl',
              type: 'deadline',
              title: 'By 2030',
              by: '2030-01-01',
              item: {
                id: 'rc',
                type: 'courses',
                title: 'Renewal',
                courseSet: 'renewal-courses',
                count: 1,
                ...pilot,
              },
            },
            { id: 'a', type: 'courses', title: 'A', courses: ['A'], ...pilot },
          ],
        },
      ],
    };
    const c = (code: string) => rec({ date: '2025-01-01', courseCode: code, category: undefined });
    const b = c('B');
    const other = rec({ date: '2025-01-02', category: 'other' });
    const r = run(req, [c('R1'), c('A'), b, other], {}, { courses, courseSets: renewalSet });
    expect(r.notCounted.map((n) => [n.recordId, n.detail])).toEqual([
      [b.id, '"Job specific" does not count toward any requirement of this program.'],
      [other.id, '"Other" does not count toward any requirement of this program.'],
    ]);
  });
});

describe('the date a requirement was met', () => {
  it('an exam is met on the first passing score of that exam, even one equal to the minimum on the day itself', () => {
    const r = run({ id: 'ex', type: 'exam', title: 'Final Exam', exam: 'final', minScore: 90 }, [], {
      examResults: [
        { exam: 'other', score: 99, date: '2023-01-01' },
        { exam: 'final', score: 80, date: '2023-06-01' },
        { exam: 'final', score: 90, date: '2025-06-01' },
      ],
    });
    expect(r.initial.met).toBe(true);
    expect(r.initial.metOn).toBe('2025-06-01');
  });

  it('credits with a minimum are met when both the total and the minimum are reached', () => {
    const late = [
      rec({ date: '2025-01-01' }),
      rec({ date: '2025-02-01' }),
      rec({ date: '2025-03-01', sponsored: true }),
      rec({ date: '2025-04-01' }),
    ];
    expect(run(mgmtTier(2, 1), late).initial.metOn).toBe('2025-03-01');
    const exact = [
      rec({ date: '2025-01-01', sponsored: true }),
      rec({ date: '2025-02-01' }),
      rec({ date: '2025-03-01' }),
    ];
    expect(run(mgmtTier(2, 1), exact).initial.metOn).toBe('2025-02-01');
  });
});

describe('exams and service years already met steer an exclusive allocation', () => {
  const beside = (fixedNode: Record<string, unknown>) => ({
    id: 'root',
    type: 'anyOf',
    title: 'Root',
    items: [{ id: 'all', type: 'allOf', title: 'All', items: [fixedNode, mgmt('x', 2)] }, mgmt('y', 2)],
  });
  const two = () => [rec({ date: '2025-01-01' }), rec({ date: '2025-01-02' })];
  const split = (root: NodeResult) => [countedIn(root, 'x'), countedIn(root, 'y')];
  const exam = { id: 'ex', type: 'exam', title: 'Exam', exam: 'final', minScore: 70 };
  const service = { id: 'sy', type: 'serviceYears', title: 'Service', minYears: 2 };

  it('a passed exam', () => {
    const passed = { examResults: [{ exam: 'final', score: 70, date: '2024-01-01' }] };
    expect(split(run(beside(exam), two(), passed, exclusive).initial)).toEqual([2, 0]);
    const failed = { examResults: [{ exam: 'final', score: 69, date: '2024-01-01' }] };
    expect(split(run(beside(exam), two(), failed, exclusive).initial)).toEqual([0, 2]);
  });

  it('enough years of service', () => {
    expect(split(run(beside(service), two(), { yearsOfService: 2 }, exclusive).initial)).toEqual([2, 0]);
    expect(split(run(beside(service), two(), { yearsOfService: 1 }, exclusive).initial)).toEqual([0, 2]);
  });
});

describe('records not counted are listed by date, then record', () => {
  it('mixing over-the-cap records with records waiting for review', () => {
    const req = mgmtTier(10, undefined, {
      caps: [{ id: 'cap', label: 'at most 1 online', max: 1, filter: { sourceTypes: ['online'] } }],
    });
    const q = rec({ date: '2025-03-01', status: 'pending' });
    const o = rec({ date: '2025-01-01', sourceType: 'online', amount: 2 });
    const p1 = rec({ date: '2025-01-01', status: 'pending' });
    const p2 = rec({ date: '2025-02-01', status: 'pending' });
    const r = run(req, [q, o, p1, p2]);
    expect(r.initial.notCounted.map((n) => [n.recordId, n.reason])).toEqual([
      [o.id, 'over_cap'],
      [p1.id, 'pending_review'],
      [p2.id, 'pending_review'],
      [q.id, 'pending_review'],
    ]);
  });
});

describe('more dates and windows', () => {
  const service = { id: 'sy', type: 'serviceYears', title: 'Service', minYears: 2 };

  it('service years are met on the anniversary of appointment, or on the day asked when years are given', () => {
    expect(run(service, [], { appointmentDate: '2020-03-15' }).initial.metOn).toBe('2022-03-15');
    expect(run(service, [], { appointmentDate: '2020-03-15', yearsOfService: 5 }).initial.metOn).toBe(
      '2025-06-01',
    );
    expect(run(service, [], { yearsOfService: 5 }).initial.metOn).toBe('2025-06-01');
  });

  it('the earlier of two nested deadlines applies to the training inside', () => {
    const nest = (outer: string, inner: string) => ({
      id: 'outer',
      type: 'deadline',
      title: 'Outer',
      by: outer,
      item: { id: 'inner', type: 'deadline', title: 'Inner', by: inner, item: mgmtTier(2) },
    });
    for (const [outer, inner] of [
      ['2025-03-01', '2025-05-01'],
      ['2025-05-01', '2025-03-01'],
    ]) {
      const r = run(nest(outer as string, inner as string), [rec({ date: '2025-04-01' })]);
      const leaf = node(r.initial, 'mgmt-tier');
      expect(leaf.notCounted.map((n) => n.detail)).toEqual(['Dated after the deadline of March 1, 2025.']);
      expect(leaf.window).toStrictEqual({ to: '2025-03-01' });
      expect(leaf.missing).toBe(
        'The deadline of March 1, 2025 was missed: 2 more Management credits were still needed by then.',
      );
    }
  });

  it('a window with a start date shows it; one without does not', () => {
    expect(run(mgmtTier(2, undefined, { window: { from: '2024-01-01' } }), []).initial.window).toStrictEqual({
      from: '2024-01-01',
      to: '2025-06-01',
    });
    expect(run(mgmtTier(2), []).initial.window).toStrictEqual({ to: '2025-06-01' });
  });

  it('a zero-credit record is listed as counted; a record wholly over the cap is not', () => {
    const req = mgmtTier(5, undefined, {
      caps: [{ id: 'cap', label: 'at most 1 online', max: 1, filter: { sourceTypes: ['online'] } }],
    });
    const zero = rec({ date: '2025-01-01', amount: 0 });
    const online1 = rec({ date: '2025-01-02', sourceType: 'online' });
    const online2 = rec({ date: '2025-01-03', sourceType: 'online' });
    const r = run(req, [zero, online1, online2]);
    expect(r.initial.counted.map((c) => [c.recordId, c.amount])).toEqual([
      [zero.id, 0],
      [online1.id, 1],
    ]);
    expect(r.initial.notCounted.map((n) => [n.recordId, n.reason])).toEqual([[online2.id, 'over_cap']]);
  });

  it('courses that come after two prerequisites count from when the later one was met', () => {
    const req = {
      id: 'root',
      type: 'allOf',
      title: 'Root',
      items: [
        { id: 'p1', type: 'courses', title: 'Part one', courses: ['A'] },
        { id: 'p2', type: 'courses', title: 'Part two', courses: ['B'] },
        { id: 'adv', type: 'courses', title: 'Advanced', courses: ['C'], after: ['p2', 'p1'] },
      ],
    };
    const c = (code: string, date: string) => rec({ date, courseCode: code, category: undefined });
    const early = c('C', '2025-02-01');
    const r = run(req, [c('A', '2025-01-01'), c('B', '2025-03-01'), early, c('C', '2025-04-01')]);
    const adv = node(r.initial, 'adv');
    expect(adv.met).toBe(true);
    expect(adv.notCounted.map((n) => [n.recordId, n.detail])).toEqual([
      [early.id, 'Taken before Part two and Part one were complete (March 1, 2025).'],
    ]);
  });
});
