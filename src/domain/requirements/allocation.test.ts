import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { allocate, compareScores, FREE, type Contended, type TreeScore } from './allocate.js';
import { evaluate } from './evaluate.js';
import { many, testProgram } from './testkit.js';
import type { CreditRecord, NodeResult, Requirement } from './types.js';

const tierA: Requirement = {
  id: 'a',
  type: 'credits',
  title: 'Tier A',
  noun: 'Tier A',
  min: 6,
  filter: { categories: ['mgmt'] },
  minimums: [{ id: 'a-sp', label: 'sponsored', min: 3, filter: { sponsored: true } }],
};
const tierB: Requirement = {
  id: 'b',
  type: 'credits',
  title: 'Tier B',
  noun: 'Tier B',
  min: 6,
  filter: { categories: ['mgmt'] },
};

function counted(node: NodeResult): string[] {
  return [...node.counted.map((c) => c.recordId), ...node.children.flatMap(counted)];
}

function both(
  first: Requirement,
  second: Requirement,
  records: CreditRecord[],
  policy: 'exclusive' | 'shared' = 'exclusive',
) {
  const program = testProgram(
    { id: 'root', type: 'allOf', title: 'Both tiers', items: [first, second] },
    { countingPolicy: policy },
  );
  return evaluate(program, records, { asOf: '2026-01-01' });
}

describe('allocation of records that could serve two requirements', () => {
  const records = [...many(3, { date: '2025-01-01', sponsored: true }), ...many(9, { date: '2025-02-01' })];

  for (const [label, order] of [
    ['sponsored tier first', [tierA, tierB]],
    ['sponsored tier second', [tierB, tierA]],
  ] as const) {
    it(`puts sponsored credits where the sponsored minimum needs them (${label})`, () => {
      const r = both(order[0], order[1], records);
      expect(r.initial.met).toBe(true);
      const ids = counted(r.initial);
      expect(new Set(ids).size).toBe(ids.length); // never counted twice
      expect(ids.length).toBe(12);
    });
  }

  it('uses the greedy path for many contended records and still satisfies both', () => {
    const big = [...many(10, { date: '2025-01-01', sponsored: true }), ...many(30, { date: '2025-02-01' })];
    const a = {
      ...tierA,
      min: 20,
      minimums: [{ id: 'a-sp', label: 'sponsored', min: 10, filter: { sponsored: true } }],
    } as Requirement;
    const b = { ...tierB, min: 20 } as Requirement;
    for (const [x, y] of [
      [a, b],
      [b, a],
    ] as const) {
      const r = both(x, y, big);
      expect(r.initial.met).toBe(true);
      const ids = counted(r.initial);
      expect(new Set(ids).size).toBe(ids.length);
    }
  });

  it('explains a record used by the other requirement', () => {
    const r = both(tierA, tierB, records);
    const used = r.initial.children.flatMap((c) => c.notCounted).filter((n) => n.reason === 'used_elsewhere');
    expect(used.length).toBe(12);
    expect(used[0]?.detail).toMatch(/^Counted toward "Tier [AB]" instead\.$/);
  });

  it('shared counting lets one record count in both', () => {
    const r = both(
      tierA,
      tierB,
      [...many(3, { date: '2025-01-01', sponsored: true }), ...many(3, { date: '2025-02-01' })],
      'shared',
    );
    expect(r.initial.met).toBe(true);
    expect(r.initial.children[0]?.have).toBe(6);
    expect(r.initial.children[1]?.have).toBe(6);
  });

  it('a node can opt in to sharing', () => {
    const sharedB = { ...tierB, shareRecords: true } as Requirement;
    const r = both(tierA, sharedB, [
      ...many(3, { date: '2025-01-01', sponsored: true }),
      ...many(3, { date: '2025-02-01' }),
    ]);
    expect(r.initial.met).toBe(true);
  });
});

describe('allocate()', () => {
  const rec = (id: string) => ({ id }) as unknown as Contended['rec'];

  it('finds the best assignment exactly on small problems, preferring tree order on ties', () => {
    // Two records, two leaves; only the split assignment meets both.
    const contended: Contended[] = [
      { rec: rec('x'), candidates: [0, 1] },
      { rec: rec('y'), candidates: [0, 1] },
    ];
    // FREE (the search's optimistic bound) counts toward both leaves.
    const score = (a: readonly number[]): TreeScore => {
      const met = (a.includes(0) || a.includes(FREE) ? 1 : 0) + (a.includes(1) || a.includes(FREE) ? 1 : 0);
      return { rootMet: met === 2 ? 1 : 0, metCount: met, deficit: 2 - met };
    };
    expect(allocate(contended, score)).toEqual([0, 1]);
    const flat = (): TreeScore => ({ rootMet: 0, metCount: 0, deficit: 0 });
    expect(allocate(contended, flat)).toEqual([0, 0]);
  });

  it('is never worse than putting everything in the first candidate (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 1, maxLength: 3 }), {
          minLength: 1,
          maxLength: 16,
        }),
        fc.array(fc.integer({ min: 0, max: 5 }), { minLength: 4, maxLength: 4 }),
        (cands, needs) => {
          const contended = cands.map((c, i) => ({ rec: rec(`r${i}`), candidates: [...new Set(c)].sort() }));
          const score = (a: readonly number[]): TreeScore => {
            const got = [0, 0, 0, 0];
            a.forEach((leaf, i) => {
              for (const l of leaf === FREE ? (contended[i]?.candidates ?? []) : [leaf])
                got[l] = (got[l] ?? 0) + 1;
            });
            let metCount = 0;
            let deficit = 0;
            needs.forEach((n, i) => {
              if ((got[i] ?? 0) >= n) metCount += 1;
              else deficit += n - (got[i] ?? 0);
            });
            return { rootMet: metCount === 4 ? 1 : 0, metCount, deficit };
          };
          const chosen = allocate(contended, score);
          chosen.forEach((leaf, i) => expect(contended[i]?.candidates).toContain(leaf));
          const naive = contended.map((c) => c.candidates[0] ?? 0);
          expect(compareScores(score(chosen), score(naive))).toBeGreaterThanOrEqual(0);
          expect(allocate(contended, score)).toEqual(chosen);
        },
      ),
      { numRuns: 300 },
    );
  });
});
