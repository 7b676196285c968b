/**
 * The allocator on its own, with hand-made score functions: the exact search
 * (its bound, its order among equals, interchangeable records, its budget) and
 * the greedy pass it uses as a second bound and as its answer past the budget.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  allocate,
  branchAndBound,
  compareScores,
  EXACT_MAX_COMBINATIONS,
  EXACT_MAX_RECORDS,
  exhaustive,
  greedy,
  searchAllocation,
  type Contended,
  type TreeScore,
} from './allocate.js';
import { needs, placed, range, rec } from './allocate.fixture.js';

const score = (rootMet: number, metCount: number, deficit: number): TreeScore => ({
  rootMet,
  metCount,
  deficit,
});

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
 * A trap for a greedy search: the tree is met only when every contended
 * record is on leaf 1, but each record on leaf 0 meets one more node. The
 * greedy pass puts each record on leaf 0 and no single move improves on that;
 * the exact search finds "all on leaf 1". Monotone, as the search requires:
 * more records on a leaf never lower the score.
 */
function trap(contended: readonly Contended[]) {
  return (a: readonly number[]): TreeScore => {
    const p = placed(contended, a);
    const onOne = p.filter((ls) => ls.includes(1)).length;
    const onZero = p.filter((ls) => ls.includes(0)).length;
    return score(onOne === contended.length ? 1 : 0, onZero, 0);
  };
}

describe('allocate: which search runs', () => {
  it('every assignment up to 12 records and 4096 assignments; beyond, by kind or branch and bound', () => {
    expect(EXACT_MAX_RECORDS).toBe(12);
    expect(EXACT_MAX_COMBINATIONS).toBe(4096);
    // Twelve records: every assignment is scored (2^12), none skipped by a bound.
    const twelve = range(12).map((i) => ({ rec: rec(`r${i}`), candidates: [0, 1] }));
    expect(searchAllocation(twelve, trap(twelve)).scored).toBe(4096);
    // Thirteen: branch and bound after the greedy pass, far fewer.
    const thirteen = range(13).map((i) => ({ rec: rec(`r${i}`), candidates: [0, 1] }));
    const found = searchAllocation(thirteen, trap(thirteen));
    expect(found.choice).toEqual(range(13).map(() => 1));
    expect(found.scored).toBeLessThan(200);
  });
});

describe('allocate: exact beyond the small sizes', () => {
  it('finds the one assignment that meets the tree among 2^30, where greedy does not', () => {
    const contended = range(30).map((i) => ({ rec: rec(`r${i}`), candidates: [0, 1] }));
    const s = trap(contended);
    expect(compareScores(s(greedy(contended, s)), score(1, 0, 0))).toBeLessThan(0);
    const found = searchAllocation(contended, s);
    expect(found.choice).toEqual(range(30).map(() => 1));
    expect(found.exact).toBe(true);
  });

  it('of equally good assignments, the first in tree order wins', () => {
    const contended = range(3).map((i) => ({ rec: rec(`r${i}`), candidates: [0, 1, 2] }));
    // Met when at least one record is on leaf 2; every such assignment scores the same.
    const s = (a: readonly number[]) =>
      placed(contended, a).some((ls) => ls.includes(2)) ? score(1, 1, 0) : score(0, 0, 50);
    expect(allocate(contended, s)).toEqual([0, 0, 2]);
    // Smaller shortfall wins: records on leaf 1 reduce it.
    const d = (a: readonly number[]) =>
      score(0, 0, 100 - 10 * placed(contended, a).filter((ls) => ls.includes(1)).length);
    expect(allocate(contended, d)).toEqual([1, 1, 1]);
  });

  it('stops at the first assignment as good as counting every record everywhere', () => {
    // Leaf 0 needs 3 records and leaf 1 needs 2; 60 records could go to either.
    const contended = range(60).map((i) => ({ rec: rec(`r${i}`), candidates: [0, 1], key: 'same' }));
    const s = needs(contended, [300, 200]);
    const found = searchAllocation(contended, s);
    expect(s(found.choice)).toEqual(score(1, 3, 0));
    // The first in tree order: everything on leaf 0 but the two that leaf 1 needs.
    expect(found.choice).toEqual([...range(58).map(() => 0), 1, 1]);
    expect(found.scored).toBeLessThan(200);
  });

  it('places interchangeable records in order, so a large kind costs little', () => {
    // 40 records of 1 credit and 40 of 2: leaf 0 needs 30, leaf 1 needs 90, exactly the total.
    // The first in tree order puts 30 of the 1-credit records on leaf 0 and the rest on leaf 1.
    // Without the order there are 2^80 assignments to tell apart.
    const contended = [
      ...range(40).map((i) => ({ rec: rec(`a${i}`), candidates: [0, 1], key: 'a' })),
      ...range(40).map((i) => ({ rec: rec(`b${i}`, { amount: 200 }), candidates: [0, 1], key: 'b' })),
    ];
    const s = needs(contended, [3000, 9000]);
    const found = searchAllocation(contended, s);
    expect(found.exact).toBe(true);
    expect(found.choice).toEqual([...range(30).map(() => 0), ...range(50).map(() => 1)]);
    expect(found.scored).toBeLessThan(2000);
  });

  it('past its budget says the result is not proven, and is no worse than the greedy pass', () => {
    // Two leaves that each need half the total of 20 records of different sizes: PARTITION.
    const amounts = [31, 41, 59, 26, 53, 58, 97, 93, 23, 84, 62, 64, 33, 83, 27, 95, 28, 84, 20, 71];
    const partition = (list: readonly number[], half: number) => {
      const contended = list.map((amount, i) => ({ rec: rec(`r${i}`, { amount }), candidates: [0, 1] }));
      return { contended, s: needs(contended, [half, half]) };
    };
    // The total is even and a split exists: found and proven within the budget.
    const even = partition(amounts, 566);
    const proven = searchAllocation(even.contended, even.s);
    expect(proven.exact).toBe(true);
    expect(even.s(proven.choice)).toEqual(score(1, 3, 0));
    // One credit more: no split exists, and proving that takes every assignment.
    const odd = partition([...amounts.slice(0, 19), 72], 566.5);
    const found = searchAllocation(odd.contended, odd.s);
    expect(found.exact).toBe(false);
    expect(found.scored).toBeLessThanOrEqual(20_000 + 100);
    expect(compareScores(odd.s(found.choice), odd.s(greedy(odd.contended, odd.s)))).toBeGreaterThanOrEqual(0);
    expect(odd.s(found.choice).metCount).toBe(1);
  });
});

describe('allocate: the same assignment as trying every one (property)', () => {
  it('on random monotone scores, with and without interchangeable records', () => {
    const caseArb = fc.record({
      records: fc.array(
        fc.record({
          amount: fc.constantFrom(100, 100, 150, 200, 300),
          candidates: fc.subarray([0, 1, 2], { minLength: 2 }),
          keyed: fc.boolean(),
        }),
        { minLength: 1, maxLength: 10 },
      ),
      limits: fc.array(fc.integer({ min: 0, max: 900 }), { minLength: 3, maxLength: 3 }),
      n: fc.integer({ min: 1, max: 3 }),
    });
    fc.assert(
      fc.property(caseArb, ({ records, limits, n }) => {
        const contended = records.map((r, i) => ({
          rec: rec(`r${i}`, { amount: r.amount }),
          candidates: r.candidates,
          ...(r.keyed ? { key: String(r.amount) } : {}),
        }));
        const base = needs(contended, limits);
        // Root is "n of the three leaves".
        const s = (a: readonly number[]): TreeScore => {
          const b = base(a);
          const leavesMet = b.metCount - b.rootMet;
          const rootMet = leavesMet >= n ? 1 : 0;
          return score(rootMet, leavesMet + rootMet, b.deficit);
        };
        const reference = exhaustive(contended, s);
        // Branch and bound on its own: the very assignment the reference picks.
        const bb = branchAndBound(contended, s, Infinity);
        expect(bb.exact).toBe(true);
        expect(bb.choice).toEqual(reference);
        // The whole allocator (whichever path the size picks): as good, and proven.
        const found = searchAllocation(contended, s, Infinity);
        expect(found.exact).toBe(true);
        expect(s(found.choice)).toEqual(s(reference));
      }),
      { numRuns: 400, seed: 6 },
    );
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

describe('greedy pass order (most constrained, then larger, then earlier, then by id)', () => {
  it('larger records are placed first', () => {
    const amounts = [300, 700, 100, 500, 200, 600, 400];
    const contended = amounts.map((amount, i) => ({ rec: rec(`r${i}`, { amount }), candidates: all4 }));
    // 700 → 0, 600 → 1, 500 → 2, 400 → 3, the rest tie and stay on leaf 0.
    expect(greedy(contended, distinctLeaves)).toEqual([0, 0, 0, 2, 0, 1, 3]);
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
    expect(greedy(contended, distinctLeaves)).toEqual([2, 0, 0, 1, 0, 3, 0]);
  });

  it('of equal records on the same date, the smaller id is placed first', () => {
    const ids = ['d', 'a', 'g', 'b', 'e', 'c', 'f'];
    const contended = ids.map((id) => ({ rec: rec(id), candidates: all4 }));
    expect(greedy(contended, distinctLeaves)).toEqual([3, 0, 0, 1, 0, 2, 0]);
  });

  it('records with fewer possible leaves are placed before larger, earlier ones', () => {
    const contended = [
      { rec: rec('big', { amount: 900, date: '2023-01-01' }), candidates: all4 },
      { rec: rec('three', { date: '2024-06-01' }), candidates: [1, 2, 3] },
      { rec: rec('two', { date: '2024-09-01' }), candidates: [2, 3] },
      ...range(4).map((i) => ({ rec: rec(`z${i}`), candidates: all4 })),
    ];
    // two → 2, three → 1 (first free), big → 0, z0 → 3, the rest stay on 0.
    expect(greedy(contended, distinctLeaves)).toEqual([0, 1, 2, 3, 0, 0, 0]);
  });
});

describe('greedy: improvement passes after the first pass', () => {
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
    expect(greedy(contended, chainScore)).toEqual([...fixed, 0, 1, 1, 1, 1]);
  });
});
