/**
 * Issue 13, section 6, inside one requirement: which records fill a cap's room is chosen exactly.
 *
 * - `maxCover` (cover.ts) against every whole-number assignment of small problems.
 * - `creditsCore` on random credits requirements of every cap and minimum shape (overall, per
 *   activity, per year): the caps hold, what it counts is at least as good as every whole-credit
 *   choice of what to count, and one more record never leaves more missing.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Rec } from './compile.js';
import { coveredBy, maxCover, type CoverProblem } from './cover.js';
import { creditsCore, yearSplit } from './tree.js';
import type { CreditsRequirement, RecordFilter } from './types.js';

/** Every whole-number x with 0 ≤ x ≤ upper that fits the rooms: the best covered amount. */
function bruteCover(p: CoverProblem): number {
  let best = 0;
  const x = p.upper.map(() => 0);
  const walk = (v: number): void => {
    if (v === x.length) {
      if (p.rooms.every((r) => r.vars.reduce((s, i) => s + (x[i] ?? 0), 0) <= r.cap))
        best = Math.max(best, coveredBy(p, x));
      return;
    }
    for (let a = 0; a <= (p.upper[v] ?? 0); a += 1) {
      x[v] = a;
      walk(v + 1);
    }
    x[v] = 0;
  };
  walk(0);
  return best;
}

const problemArb = fc.integer({ min: 1, max: 4 }).chain((n) => {
  const vars = fc.uniqueArray(fc.integer({ min: 0, max: n - 1 }), { minLength: 1, maxLength: n });
  return fc.record({
    upper: fc.array(fc.integer({ min: 0, max: 5 }), { minLength: n, maxLength: n }),
    rooms: fc.array(fc.record({ vars, cap: fc.integer({ min: 0, max: 7 }) }), { maxLength: 3 }),
    demands: fc.array(fc.record({ vars, need: fc.integer({ min: 1, max: 9 }) }), {
      minLength: 1,
      maxLength: 4,
    }),
  });
});

describe('maxCover', () => {
  it('covers as much as the best whole-number assignment, and respects every room', () => {
    fc.assert(
      fc.property(problemArb, (p) => {
        const answer = maxCover(p);
        expect(answer.proven).toBe(true);
        expect(answer.covered).toBe(bruteCover(p));
        expect(answer.covered).toBe(coveredBy(p, answer.x));
        answer.x.forEach((v, i) => {
          expect(Number.isInteger(v)).toBe(true);
          expect(v).toBeGreaterThanOrEqual(0);
          expect(v).toBeLessThanOrEqual(p.upper[i] ?? 0);
        });
        for (const r of p.rooms)
          expect(r.vars.reduce((s, i) => s + (answer.x[i] ?? 0), 0)).toBeLessThanOrEqual(r.cap);
      }),
      { numRuns: 600, seed: 1301 },
    );
  });

  it('a fractional corner of the relaxation is not taken for an answer', () => {
    // Three records, any two of which share a room of one unit, and a total that wants two: the
    // relaxation counts half of each (1.5), but in whole units only one record can count.
    const p: CoverProblem = {
      upper: [1, 1, 1],
      rooms: [
        { vars: [0, 1], cap: 1 },
        { vars: [1, 2], cap: 1 },
        { vars: [0, 2], cap: 1 },
      ],
      demands: [{ vars: [0, 1, 2], need: 2 }],
    };
    expect(maxCover(p)).toMatchObject({ covered: 1, proven: true });
    expect(bruteCover(p)).toBe(1);
  });
});

// ------------------------------------------------------------ one credits requirement ---

const FROM = '2024-01-01';
const YEARS = yearSplit(FROM, '2025-12-31', '2026-06-01');

const filterArb: fc.Arbitrary<RecordFilter> = fc.constantFrom<RecordFilter>(
  {},
  { sponsored: true },
  { sourceTypes: ['work'] },
  { categories: ['job'] },
  { categories: ['mgmt'] },
);

const leafArb = fc.record({
  min: fc.integer({ min: 1, max: 8 }),
  minimums: fc.array(
    fc.record({ min: fc.integer({ min: 1, max: 4 }), filter: filterArb, perYear: fc.boolean() }),
    { maxLength: 3 },
  ),
  caps: fc.array(
    fc.record({
      max: fc.integer({ min: 0, max: 4 }),
      filter: filterArb,
      per: fc.constantFrom(undefined, undefined, 'activity' as const, 'year' as const),
    }),
    { minLength: 1, maxLength: 2 },
  ),
});

const recArb = fc.record({
  amount: fc.integer({ min: 1, max: 3 }),
  category: fc.constantFrom('mgmt', 'job'),
  sponsored: fc.boolean(),
  sourceType: fc.constantFrom('conf', 'work'),
  date: fc.constantFrom('2024-03-01', '2024-09-01', '2025-03-01'),
  title: fc.constantFrom('Spring conference', 'Board meeting'),
});
type RecSpec = typeof recArb extends fc.Arbitrary<infer T> ? T : never;

function nodeOf(spec: typeof leafArb extends fc.Arbitrary<infer T> ? T : never): CreditsRequirement {
  return {
    id: 'leaf',
    type: 'credits',
    title: 'Training',
    min: spec.min,
    minimums: spec.minimums.map((m, j) => ({
      id: `min${j}`,
      label: `minimum ${j}`,
      min: m.min,
      filter: m.filter,
      ...(m.perYear ? { per: 'year' as const } : {}),
    })),
    caps: spec.caps.map((c, j) => ({
      id: `cap${j}`,
      label: `cap ${j}`,
      max: c.max,
      filter: c.filter,
      ...(c.per ? { per: c.per } : {}),
    })),
  };
}

const recOf = (r: RecSpec, i: number): Rec => ({
  id: `r${String(i).padStart(2, '0')}`,
  date: r.date,
  amount: r.amount * 100,
  category: r.category,
  lineage: [r.category],
  sponsored: r.sponsored,
  sourceType: r.sourceType,
  courseCode: undefined,
  catalog: false,
  title: r.title,
  status: 'approved',
  recordedOn: r.date,
});

const byDate = (recs: Rec[]): Rec[] =>
  [...recs].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
const missing = (node: CreditsRequirement, recs: Rec[]): number => {
  const c = creditsCore(node, byDate(recs), YEARS);
  return c.shortTotal + c.shortSubs.reduce((a, b) => a + b, 0);
};

/** The least missing over every choice of whole credits to count, caps respected (by brute force). */
function bruteMissing(node: CreditsRequirement, recs: Rec[]): number {
  let best = Infinity;
  const counts = recs.map(() => 0);
  const yearOf = (date: string): number => (date < '2025-01-01' ? 0 : 1);
  const keyOf = (cap: NonNullable<CreditsRequirement['caps']>[number], r: Rec): string =>
    cap.per === 'activity' ? `${r.title}:${r.date}` : cap.per === 'year' ? `y${yearOf(r.date)}` : '';
  const matches = (r: Rec, f: RecordFilter): boolean =>
    (!f.categories || f.categories.includes(r.category ?? '')) &&
    (!f.sourceTypes || f.sourceTypes.includes(r.sourceType)) &&
    (f.sponsored === undefined || f.sponsored === r.sponsored);
  const walk = (i: number): void => {
    if (i === recs.length) {
      for (const cap of node.caps ?? []) {
        const used = new Map<string, number>();
        recs.forEach((r, k) => {
          if (!matches(r, cap.filter)) return;
          const key = keyOf(cap, r);
          used.set(key, (used.get(key) ?? 0) + (counts[k] ?? 0));
        });
        if ([...used.values()].some((u) => u > cap.max * 100)) return;
      }
      let short = Math.max(0, node.min * 100 - counts.reduce((a, b) => a + b, 0));
      for (const m of node.minimums ?? []) {
        const have = [0, 0];
        recs.forEach((r, k) => {
          if (matches(r, m.filter)) {
            const y = m.per === 'year' ? yearOf(r.date) : 0;
            have[y] = (have[y] ?? 0) + (counts[k] ?? 0);
          }
        });
        const years = m.per === 'year' ? [0, 1] : [0];
        for (const y of years) short += Math.max(0, m.min * 100 - (have[y] ?? 0));
      }
      best = Math.min(best, short);
      return;
    }
    for (let a = 0; a <= (recs[i]?.amount ?? 0); a += 100) {
      counts[i] = a;
      walk(i + 1);
    }
    counts[i] = 0;
  };
  walk(0);
  return best;
}

describe('one credits requirement with caps and minimums of every shape', () => {
  it('counts within every cap, and leaves no more missing than any whole-credit choice', () => {
    fc.assert(
      fc.property(leafArb, fc.array(recArb, { minLength: 1, maxLength: 6 }), (spec, specs) => {
        const node = nodeOf(spec);
        const recs = byDate(specs.map(recOf));
        const core = creditsCore(node, recs, YEARS);
        // Caps hold: what each cap counted never passes its limit, per activity or year where it is.
        (node.caps ?? []).forEach((cap, j) => {
          if (cap.per === undefined) expect(core.capUsed[j]).toBeLessThanOrEqual(cap.max * 100);
          if (cap.per === 'year')
            for (const y of core.capYears[j] ?? []) expect(y).toBeLessThanOrEqual(cap.max * 100);
        });
        for (const c of core.counted) expect(c.amount).toBeLessThanOrEqual(c.rec.amount);
        expect(missing(node, recs)).toBeLessThanOrEqual(bruteMissing(node, recs));
      }),
      { numRuns: 300, seed: 1302 },
    );
  }, 60_000);

  it('one more record never leaves more missing', () => {
    fc.assert(
      fc.property(leafArb, fc.array(recArb, { minLength: 1, maxLength: 7 }), recArb, (spec, specs, extra) => {
        const node = nodeOf(spec);
        const recs = specs.map(recOf);
        const more = [...recs, recOf(extra, 99)];
        expect(missing(node, more)).toBeLessThanOrEqual(missing(node, recs));
      }),
      { numRuns: 500, seed: 1303 },
    );
  });
});
