/**
 * The allocator on its own, with hand-made score functions, so each of its
 * paths (exact search, greedy pass, improvement passes) and their bounds show
 * in the result.
 */
import { describe, expect, it } from 'vitest';
import {
  allocate,
  compareScores,
  EXACT_MAX_COMBINATIONS,
  EXACT_MAX_RECORDS,
  type Contended,
  type TreeScore,
} from './allocate.js';
import type { Rec } from './compile.js';

function rec(id: string, over: Partial<Rec> = {}): Rec {
  return {
    id,
    date: '2024-01-01',
    amount: 100,
    category: 'mgmt',
    lineage: ['mgmt'],
    sponsored: false,
    sourceType: 'conf',
    courseCode: undefined,
    title: undefined,
    status: 'approved',
    recordedOn: '2024-01-01',
    catalog: false,
    ...over,
  };
}

const score = (rootMet: number, metCount: number, deficit: number): TreeScore => ({
  rootMet,
  metCount,
  deficit,
});

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

describe('compareScores', () => {
  it('ranks a met tree first, then more met nodes, then the smaller shortfall', () => {
    expect(compareScores(score(1, 0, 900), score(0, 9, 0))).toBeGreaterThan(0);
    expect(compareScores(score(0, 9, 0), score(1, 0, 900))).toBeLessThan(0);
    expect(compareScores(score(0, 3, 900), score(0, 2, 0))).toBeGreaterThan(0);
    expect(compareScores(score(0, 2, 0), score(0, 3, 900))).toBeLessThan(0);
    expect(compareScores(score(0, 2, 100), score(0, 2, 300))).toBe(200);
    expect(compareScores(score(0, 2, 300), score(0, 2, 100))).toBe(-200);
    expect(compareScores(score(1, 2, 300), score(1, 2, 300))).toBe(0);
  });
});

/**
 * A trap for a record-by-record search: the tree is met only when every
 * contended record goes to leaf 1, but each record placed on leaf 0 meets
 * one more node. The exact search finds "all to leaf 1"; the greedy pass puts
 * each on leaf 0 and no single move improves on that.
 */
function trap(contended: readonly Contended[]) {
  return (a: readonly number[]): TreeScore => {
    const two = contended.map((c, i) => (c.candidates.length > 1 ? (a[i] ?? -1) : 1));
    if (two.every((x) => x === 1)) return score(1, 0, 0);
    return score(0, two.filter((x) => x === 0).length, 0);
  };
}

function solve(contended: Contended[]) {
  return allocate(contended, trap(contended));
}

describe('allocate: exact search for small problems, greedy beyond the bounds', () => {
  it('12 contended records are searched exactly; 13 are not', () => {
    expect(EXACT_MAX_RECORDS).toBe(12);
    const twelve = [
      { rec: rec('a'), candidates: [0, 1] },
      { rec: rec('b'), candidates: [0, 1] },
      ...range(10).map((i) => ({ rec: rec(`f${i}`), candidates: [1] })),
    ];
    expect(solve(twelve)).toEqual(range(12).map(() => 1));
    const thirteen = [...twelve, { rec: rec('g'), candidates: [1] }];
    expect(solve(thirteen)).toEqual([0, 0, ...range(11).map(() => 1)]);
  });

  it('4096 assignments are searched exactly; 8192 are not', () => {
    expect(EXACT_MAX_COMBINATIONS).toBe(4096);
    const six = range(6).map((i) => ({ rec: rec(`r${i}`), candidates: [0, 1, 2, 3] }));
    expect(solve(six)).toEqual([1, 1, 1, 1, 1, 1]);
    const seven = [...six, { rec: rec('x'), candidates: [0, 1] }];
    expect(solve(seven)).toEqual([0, 0, 0, 0, 0, 0, 0]);
  });

  it('exact search: of equally good assignments, the first in tree order wins', () => {
    const contended = range(3).map((i) => ({ rec: rec(`r${i}`), candidates: [0, 1, 2] }));
    // Met when at least one record is on leaf 2; every such assignment scores the same.
    const s = (a: readonly number[]) => (a.includes(2) ? score(1, 1, 0) : score(0, 0, 50));
    expect(allocate(contended, s)).toEqual([0, 0, 2]);
    // Smaller shortfall wins: records on leaf 1 reduce it.
    const d = (a: readonly number[]) => score(0, 0, 100 - 10 * a.filter((x) => x === 1).length);
    expect(allocate(contended, d)).toEqual([1, 1, 1]);
  });
});

/**
 * Every distinct leaf used meets one node. In the greedy pass the record
 * placed first takes leaf 0 (ties go to the earlier leaf), the second the
 * first leaf still free, and so on; so the result shows the order in which
 * the greedy pass placed the records.
 */
const distinctLeaves = (a: readonly number[]) => score(0, new Set(a.filter((x) => x >= 0)).size, 0);
const all4 = [0, 1, 2, 3];

describe('allocate: greedy pass order (most constrained, then larger, then earlier, then by id)', () => {
  it('larger records are placed first', () => {
    const amounts = [300, 700, 100, 500, 200, 600, 400];
    const contended = amounts.map((amount, i) => ({ rec: rec(`r${i}`, { amount }), candidates: all4 }));
    // 700 → 0, 600 → 1, 500 → 2, 400 → 3, the rest tie and stay on leaf 0.
    expect(allocate(contended, distinctLeaves)).toEqual([0, 0, 0, 2, 0, 1, 3]);
  });

  it('of equal records, earlier dates are placed first', () => {
    const dates = [
      '2024-03-01',
      '2024-01-01',
      '2024-07-01',
      '2024-02-01',
      '2024-05-01',
      '2024-04-01',
      '2024-06-01',
    ];
    const contended = dates.map((date, i) => ({ rec: rec(`r${i}`, { date }), candidates: all4 }));
    expect(allocate(contended, distinctLeaves)).toEqual([2, 0, 0, 1, 0, 3, 0]);
  });

  it('of equal records on the same date, the smaller id is placed first', () => {
    const ids = ['d', 'a', 'g', 'b', 'e', 'c', 'f'];
    const contended = ids.map((id) => ({ rec: rec(id), candidates: all4 }));
    expect(allocate(contended, distinctLeaves)).toEqual([3, 0, 0, 1, 0, 2, 0]);
  });

  it('records with fewer possible leaves are placed before larger, earlier ones', () => {
    const contended = [
      { rec: rec('big', { amount: 900, date: '2023-01-01' }), candidates: all4 },
      { rec: rec('three', { date: '2024-06-01' }), candidates: [1, 2, 3] },
      { rec: rec('two', { date: '2024-09-01' }), candidates: [2, 3] },
      ...range(4).map((i) => ({ rec: rec(`z${i}`), candidates: all4 })),
    ];
    // two → 2, three → 1 (first free), big → 0, z0 → 3, the rest stay on 0.
    expect(allocate(contended, distinctLeaves)).toEqual([0, 1, 2, 3, 0, 0, 0]);
  });
});

describe('allocate: improvement passes after the greedy pass', () => {
  /**
   * Five records a..e (placed in that order) and eight fixed ones. The score
   * rises step by step only along e, then d, then c, then b, then a moving to
   * leaf 1; any other assignment is much worse. The greedy pass already moves
   * e; each later pass, going through the records in order, can move just one
   * more (the one before), and there are three passes.
   */
  const chain = ['a', 'b', 'c', 'd', 'e'];
  const contended: Contended[] = [
    ...range(8).map((i) => ({ rec: rec(`fixed${i}`), candidates: [0] })),
    ...chain.map((id) => ({ rec: rec(id), candidates: [0, 1] })),
  ];
  const chainScore = (a: readonly number[]): TreeScore => {
    const moved = chain.map((_, j) => (a[8 + j] ?? -1) === 1);
    // Moved records must be a suffix of the chain: e, then d and e, ...
    const k = moved.filter(Boolean).length;
    const suffix = moved.every((m, j) => m === j >= chain.length - k);
    return suffix ? score(0, k, 0) : score(0, 0, 1000);
  };

  it('moves single records while the score strictly rises, for three passes', () => {
    const fixed = range(8).map(() => 0);
    expect(allocate(contended, chainScore)).toEqual([...fixed, 0, 1, 1, 1, 1]);
  });
});
