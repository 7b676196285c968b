/**
 * Issue 13, section 6: the allocator against an exhaustive reference. Random
 * small programs (two credits requirements whose filters overlap,
 * with sponsored minimums and caps, under allOf or nOf) and more than 12
 * contended records, so the engine is past its small-problem exact search.
 * The reference tries every assignment of every contended record and keeps
 * the best score; the engine's result must score the same.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareScores, type TreeScore } from './allocate.js';
import { compileProgram, matchesFilter, normalizeRecords, type Rec } from './compile.js';
import { evaluate } from './evaluate.js';
import { testProgram } from './testkit.js';
import { creditsCore } from './tree.js';
import type {
  CreditRecord,
  CreditsRequirement,
  NodeResult,
  ProgramDefinition,
  Requirement,
} from './types.js';

const leafArb = fc.record({
  categories: fc.subarray(['mgmt', 'job', 'other'], { minLength: 2, maxLength: 3 }),
  min: fc.integer({ min: 2, max: 14 }),
  sponsoredMin: fc.option(fc.integer({ min: 1, max: 6 }), { nil: undefined }),
  workCap: fc.option(fc.integer({ min: 1, max: 5 }), { nil: undefined }),
});
const recordArb = fc.record({
  category: fc.constantFrom('mgmt', 'job', 'other'),
  amount: fc.constantFrom(1, 1, 2, 3, 1.5),
  sponsored: fc.boolean(),
  sourceType: fc.constantFrom('conf', 'work', 'online'),
});
const caseArb = fc.record({
  leaves: fc.array(leafArb, { minLength: 2, maxLength: 2 }),
  root: fc.constantFrom('allOf', 'nOf1', 'nOf2'),
  records: fc.array(recordArb, { minLength: 13, maxLength: 14 }),
});
type Case = typeof caseArb extends fc.Arbitrary<infer T> ? T : never;

function programOf(c: Case): ProgramDefinition {
  const items: CreditsRequirement[] = c.leaves.map((l, i) => ({
    id: `leaf${i}`,
    type: 'credits',
    title: `Leaf ${i}`,
    min: l.min,
    filter: { categories: l.categories },
    ...(l.sponsoredMin === undefined
      ? {}
      : {
          minimums: [
            {
              id: `sp${i}`,
              label: 'sponsored',
              min: Math.min(l.sponsoredMin, l.min),
              filter: { sponsored: true },
            },
          ],
        }),
    ...(l.workCap === undefined
      ? {}
      : { caps: [{ id: `cap${i}`, label: 'work', max: l.workCap, filter: { sourceTypes: ['work'] } }] }),
  }));
  const root: Requirement =
    c.root === 'allOf'
      ? { id: 'root', type: 'allOf', title: 'Root', items }
      : { id: 'root', type: 'nOf', title: 'Root', n: c.root === 'nOf1' ? 1 : 2, items };
  return testProgram(root);
}

function recordsOf(c: Case): CreditRecord[] {
  return c.records.map((r, i) => ({
    id: `x${String(i).padStart(3, '0')}`,
    personId: 'p',
    date: '2025-03-01',
    status: 'approved',
    ...r,
  }));
}

/** The score the engine's own result achieved, read from the explained tree. */
function scoreOfResult(node: NodeResult): TreeScore {
  const walk = (n: NodeResult): { met: number; deficit: number } => {
    if (n.type === 'credits') {
      if (n.met) return { met: 1, deficit: 0 };
      const short =
        Math.max(0, Math.round((n.need - n.have) * 100)) +
        n.parts
          .filter((p) => p.kind === 'minimum')
          .reduce((a, p) => a + Math.max(0, Math.round((p.limit - p.have) * 100)), 0);
      return { met: 0, deficit: short };
    }
    const kids = n.children.map(walk);
    return {
      met: kids.reduce((a, k) => a + k.met, 0) + (n.met ? 1 : 0),
      deficit: kids.reduce((a, k) => a + k.deficit, 0),
    };
  };
  const s = walk(node);
  return { rootMet: node.met ? 1 : 0, metCount: s.met, deficit: s.deficit };
}

/** Exhaustive reference: every assignment of every record to a leaf whose filter it matches. */
function bestScore(
  program: ProgramDefinition,
  records: CreditRecord[],
): { best: TreeScore; contended: number } {
  const root = program.initial.requirement as Requirement & { items: CreditsRequirement[]; n?: number };
  const leaves = root.items;
  const { recs } = normalizeRecords(compileProgram(program), records);
  const options = recs.map((r) => leaves.flatMap((l, i) => (matchesFilter(r, l.filter) ? [i] : [])));
  const contended = options.filter((o) => o.length > 1).length;
  const choice = options.map(() => 0);
  let best: TreeScore | undefined;
  for (;;) {
    const assigned: Rec[][] = leaves.map(() => []);
    recs.forEach((r, i) => {
      const leaf = options[i]?.[choice[i] ?? 0];
      if (leaf !== undefined) assigned[leaf]?.push(r);
    });
    let metLeaves = 0;
    let deficit = 0;
    leaves.forEach((l, i) => {
      const core = creditsCore(l, assigned[i] ?? []);
      if (core.met) metLeaves += 1;
      else deficit += core.shortTotal + core.shortSubs.reduce((a, b) => a + b, 0);
    });
    const need = root.type === 'allOf' ? leaves.length : (root.n ?? 1);
    const rootMet = metLeaves >= need ? 1 : 0;
    const s = { rootMet, metCount: metLeaves + rootMet, deficit };
    if (!best || compareScores(s, best) > 0) best = s;
    let i = choice.length - 1;
    while (i >= 0) {
      const next = (choice[i] ?? 0) + 1;
      if (next < (options[i]?.length ?? 0)) {
        choice[i] = next;
        break;
      }
      choice[i] = 0;
      i -= 1;
    }
    if (i < 0) break;
  }
  return { best: best ?? { rootMet: 0, metCount: 0, deficit: 0 }, contended };
}

describe('allocation is exact (property against an exhaustive reference)', () => {
  it('scores as well as the best of every assignment, on random small programs with 13 or 14 contended records', () => {
    fc.assert(
      fc.property(caseArb, (c) => {
        const program = programOf(c);
        const records = recordsOf(c);
        const { best, contended } = bestScore(program, records);
        fc.pre(contended > 12);
        const got = scoreOfResult(evaluate(program, records, { asOf: '2026-01-01' }).initial);
        expect(got).toEqual(best);
      }),
      { numRuns: 30, seed: 13, endOnFailure: true },
    );
  }, 300_000);
});
