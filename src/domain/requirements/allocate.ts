/**
 * Allocation of records that could count toward more than one requirement
 * when a record may count only once (docs/rules-engine.md, "Allocation").
 *
 * Input: the contended records, each with the leaves (in tree order) it could
 * serve, and a scoring function for a complete assignment. Records that can
 * serve only one leaf are already placed by the caller.
 *
 * - Small problems (at most EXACT_MAX_RECORDS contended records and at most
 *   EXACT_MAX_COMBINATIONS assignments) are solved exactly: every assignment
 *   is scored and the best kept; ties go to the assignment that is
 *   lexicographically first in tree order, so the result is deterministic.
 * - Larger ones: a greedy pass (most constrained record first; each goes
 *   where it raises the score most, ties to the earlier leaf), then
 *   improvement passes that move single records while the score strictly rises.
 *
 * The score compares, in order: whether the whole tree is met, how many
 * nodes are met, and the total shortfall (smaller is better).
 */
import type { Rec } from './compile.js';

export interface Contended {
  rec: Rec;
  /** Leaf indexes the record may serve, ascending (tree order). */
  candidates: number[];
}

export interface TreeScore {
  /** 1 when the whole tree is met. */
  rootMet: number;
  metCount: number;
  /** Total shortfall in hundredths of a credit (courses count 100 each). */
  deficit: number;
}

/** Positive when a is better than b. */
export function compareScores(a: TreeScore, b: TreeScore): number {
  return a.rootMet - b.rootMet || a.metCount - b.metCount || b.deficit - a.deficit;
}

export const EXACT_MAX_RECORDS = 12;
export const EXACT_MAX_COMBINATIONS = 4096;
const IMPROVEMENT_PASSES = 3;

/** Returns, for each contended record, the leaf index it is counted toward. */
export function allocate(
  contended: readonly Contended[],
  score: (assignment: readonly number[]) => TreeScore,
): number[] {
  let combinations = 1;
  for (const c of contended) {
    combinations *= c.candidates.length;
    if (combinations > EXACT_MAX_COMBINATIONS) break;
  }
  if (contended.length <= EXACT_MAX_RECORDS && combinations <= EXACT_MAX_COMBINATIONS)
    return exact(contended, score);
  return greedy(contended, score);
}

function exact(contended: readonly Contended[], score: (a: readonly number[]) => TreeScore): number[] {
  const pos = contended.map(() => 0);
  const current = contended.map((c) => c.candidates[0] ?? -1);
  let best = [...current];
  let bestScore = score(current);
  for (;;) {
    // Odometer increment, last record fastest, so assignments come in lexicographic order.
    let i = contended.length - 1;
    while (i >= 0) {
      const cands = contended[i]?.candidates ?? [];
      const next = (pos[i] ?? 0) + 1;
      if (next < cands.length) {
        pos[i] = next;
        current[i] = cands[next] ?? -1;
        break;
      }
      pos[i] = 0;
      current[i] = cands[0] ?? -1;
      i -= 1;
    }
    if (i < 0) break;
    const s = score(current);
    if (compareScores(s, bestScore) > 0) {
      bestScore = s;
      best = [...current];
    }
  }
  return best;
}

function greedy(contended: readonly Contended[], score: (a: readonly number[]) => TreeScore): number[] {
  const assignment = contended.map(() => -1);
  const order = contended
    .map((c, i) => ({ c, i }))
    .sort(
      (a, b) =>
        a.c.candidates.length - b.c.candidates.length ||
        b.c.rec.amount - a.c.rec.amount ||
        (a.c.rec.date < b.c.rec.date ? -1 : a.c.rec.date > b.c.rec.date ? 1 : 0) ||
        (a.c.rec.id < b.c.rec.id ? -1 : a.c.rec.id > b.c.rec.id ? 1 : 0),
    );
  for (const { c, i } of order) {
    let bestLeaf = c.candidates[0] ?? -1;
    let bestScore: TreeScore | undefined;
    for (const leaf of c.candidates) {
      assignment[i] = leaf;
      const s = score(assignment);
      if (!bestScore || compareScores(s, bestScore) > 0) {
        bestScore = s;
        bestLeaf = leaf;
      }
    }
    assignment[i] = bestLeaf;
  }
  let currentScore = score(assignment);
  for (let pass = 0; pass < IMPROVEMENT_PASSES; pass += 1) {
    let improved = false;
    for (const { c, i } of order) {
      const keep = assignment[i] ?? -1;
      for (const leaf of c.candidates) {
        if (leaf === keep) continue;
        assignment[i] = leaf;
        const s = score(assignment);
        if (compareScores(s, currentScore) > 0) {
          currentScore = s;
          improved = true;
          break;
        }
        assignment[i] = keep;
      }
    }
    if (!improved) break;
  }
  return assignment;
}
