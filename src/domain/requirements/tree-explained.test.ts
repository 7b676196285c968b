/**
 * What an official reads for less common shapes of requirement trees: several
 * waivers on one requirement, several exam scores and attestations, records of
 * a kind a credits requirement excludes, and records no requirement looks at.
 */
import { describe, expect, it } from 'vitest';
import { evaluate } from './evaluate.js';
import { mgmtTier, rec, testProgram } from './testkit.js';
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
