/**
 * Credits as an official reads them when limits apply: which record a cap
 * stopped and by which cap, what counted (in date order), repeats of a course,
 * and the window and deadline a record fell outside.
 */
import { describe, expect, it } from 'vitest';
import { evaluate } from './evaluate.js';
import { rec, testProgram } from './testkit.js';
import type { CreditRecord, NodeResult } from './types.js';

const hours = (date: string, amount: number, extra: Partial<CreditRecord> = {}) =>
  rec({ date, amount, category: 'job', sourceType: 'conf', ...extra });
const run = (item: Record<string, unknown>, records: CreditRecord[], asOf = '2026-06-01', extra = {}) =>
  evaluate(testProgram({ id: 'root', type: 'allOf', title: 'Root', items: [item] }, extra), records, {
    asOf,
  }).initial.children[0]!;
const over = (n: NodeResult) => n.notCounted.map((x) => [x.recordId, x.reason, x.amount, x.detail] as const);
const ids = (n: NodeResult) => n.counted.map((x) => [x.recordId, x.amount] as const);
const credits = (extra: Record<string, unknown>) => ({
  id: 'h',
  type: 'credits',
  title: 'Training',
  min: 20,
  ...extra,
});

describe('a cap on the whole period', () => {
  it('stops the later record, in date order, across activities', () => {
    const a = hours('2026-01-10', 2, { title: 'Workshop' });
    const b = hours('2026-02-10', 2, { title: 'Seminar' });
    const n = run(credits({ caps: [{ id: 'c', label: 'at most 3 credits', max: 3, filter: {} }] }), [a, b]);
    expect(ids(n)).toEqual([
      [a.id, 2],
      [b.id, 1],
    ]);
    expect(over(n)).toEqual([[b.id, 'over_cap', 1, 'Over the limit: at most 3 credits.']]);
  });

  it('two caps full at once: the first listed is named', () => {
    const a = hours('2026-01-10', 3);
    const n = run(
      credits({
        caps: [
          { id: 'c1', label: 'first cap', max: 2, filter: {} },
          { id: 'c2', label: 'second cap', max: 2, filter: {} },
        ],
      }),
      [a],
    );
    expect(over(n)).toEqual([[a.id, 'over_cap', 1, 'Over the limit: first cap.']]);
  });

  it('records that serve a minimum count first; what counted is still listed by date', () => {
    const plain = hours('2026-01-10', 2);
    const sponsored = hours('2026-03-10', 2, { sponsored: true });
    const plain2 = hours('2026-02-10', 1);
    const n = run(
      credits({
        caps: [{ id: 'c', label: 'at most 3 credits', max: 3, filter: {} }],
        minimums: [{ id: 'sp', label: 'sponsored', min: 2, filter: { sponsored: true } }],
      }),
      [plain, plain2, sponsored],
    );
    expect(ids(n)).toEqual([
      [plain.id, 1],
      [sponsored.id, 2],
    ]);
    expect(over(n).map((o) => [o[0], o[2]])).toEqual([
      [plain.id, 1],
      [plain2.id, 1],
    ]);
  });

  it('on the same day, with a cap: what counted is listed by record', () => {
    const a = hours('2026-01-10', 1);
    const b = hours('2026-01-10', 1, { sponsored: true });
    const n = run(
      credits({
        caps: [{ id: 'c', label: 'at most 5 credits', max: 5, filter: {} }],
        minimums: [{ id: 'sp', label: 'sponsored', min: 1, filter: { sponsored: true } }],
      }),
      [a, b],
    );
    expect(ids(n).map((x) => x[0])).toEqual([a.id, b.id]);
  });

  it('a record that serves a minimum, entered first but dated later, is listed after', () => {
    const sponsored = hours('2026-03-10', 1, { sponsored: true });
    const plain = hours('2026-01-10', 1);
    const n = run(
      credits({
        caps: [{ id: 'c', label: 'at most 5 credits', max: 5, filter: {} }],
        minimums: [{ id: 'sp', label: 'sponsored', min: 1, filter: { sponsored: true } }],
      }),
      [sponsored, plain],
    );
    expect(ids(n).map((x) => x[0])).toEqual([plain.id, sponsored.id]);
  });

  it('on the same day, the record that serves a minimum entered first: still by record', () => {
    const sponsored = hours('2026-01-10', 1, { sponsored: true });
    const plain = hours('2026-01-10', 1);
    const n = run(
      credits({
        caps: [{ id: 'c', label: 'at most 5 credits', max: 5, filter: {} }],
        minimums: [{ id: 'sp', label: 'sponsored', min: 1, filter: { sponsored: true } }],
      }),
      [sponsored, plain],
    );
    expect(ids(n).map((x) => x[0])).toEqual([sponsored.id, plain.id]);
  });

  it('later-dated records that serve a minimum are listed after earlier ones', () => {
    const a = hours('2026-01-10', 1);
    const b = hours('2026-02-10', 1, { sponsored: true });
    const d = hours('2026-03-10', 1, { sponsored: true });
    const n = run(
      credits({
        caps: [{ id: 'c', label: 'at most 5 credits', max: 5, filter: {} }],
        minimums: [{ id: 'sp', label: 'sponsored', min: 1, filter: { sponsored: true } }],
      }),
      [a, b, d],
    );
    expect(ids(n).map((x) => x[0])).toEqual([a.id, b.id, d.id]);
  });
});

describe('a course repeated within the period counts once', () => {
  it('records that are not courses all count', () => {
    const a = hours('2026-01-10', 1, { title: 'Workshop' });
    const b = hours('2026-02-10', 1, { title: 'Workshop' });
    const n = run(credits({ repeatedCourses: 'once' }), [a, b]);
    expect(n.have).toBe(2);
    expect(n.notCounted).toEqual([]);
  });

  it('a code outside the catalog is not a course: each completion counts', () => {
    const a = hours('2026-01-10', 1, { courseCode: 'ZZ-9' });
    const b = hours('2026-02-10', 1, { courseCode: 'ZZ-9' });
    const n = run(credits({ repeatedCourses: 'once' }), [a, b]);
    expect(n.have).toBe(2);
    expect(n.notCounted).toEqual([]);
  });
});

describe('outside the window', () => {
  it('a window with a start names both ends', () => {
    const early = hours('2025-12-01', 1);
    const n = run(credits({ window: { from: '2026-01-01', to: '2026-05-31' } }), [early]);
    expect(n.notCounted.map((x) => [x.reason, x.detail])).toEqual([
      ['outside_window', 'Dated December 1, 2025, outside January 1, 2026 to May 31, 2026.'],
    ]);
  });
});

describe('a waived deadline inside another deadline', () => {
  it('the outer deadline still applies', () => {
    const program = testProgram({
      id: 'root',
      type: 'allOf',
      title: 'Root',
      items: [
        {
          id: 'outer',
          type: 'deadline',
          title: 'By March',
          by: '2026-03-31',
          item: {
            id: 'inner',
            type: 'deadline',
            title: 'By February',
            by: '2026-02-28',
            item: { id: 'h', type: 'credits', title: 'Training', min: 2 },
          },
        },
      ],
    });
    const late = hours('2026-04-10', 1);
    const waivers = [
      {
        requirementId: 'inner',
        kind: 'waiver' as const,
        grantedBy: 'Director',
        reason: 'Moved',
        grantedOn: '2026-01-05',
      },
    ];
    const r = evaluate(program, [hours('2026-03-10', 1), late], { asOf: '2026-05-01', waivers });
    const find = (n: NodeResult): NodeResult | undefined =>
      n.id === 'h' ? n : n.children.map(find).find((x) => x !== undefined);
    const h = find(r.initial)!;
    expect(h.have).toBe(1);
    expect(h.notCounted.map((x) => [x.recordId, x.reason])).toEqual([[late.id, 'after_deadline']]);
  });
});
