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
 * - Larger ones whose records fall into few kinds (records that are interchangeable for the
 *   score: same amount, course and answer to every filter of every candidate) are solved exactly
 *   too, by trying how many of each kind go to each leaf (at most EXACT_MAX_KIND_COMBINATIONS).
 * - The rest: a greedy pass (most constrained record first; each goes
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
  /**
   * Records with the same key (and candidates) are interchangeable for the score: same amount,
   * course and the same answer to every filter of every candidate. Lets the exact search count
   * how many of a kind go where instead of trying every record.
   */
  key?: string;
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
/** Bound on the assignments the by-kind exact search scores (how many of each kind go where). */
export const EXACT_MAX_KIND_COMBINATIONS = 8192;
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
  const byKind = exactByKind(contended, score);
  return byKind ?? greedy(contended, score);
}

interface Kind {
  /** Indexes into `contended`, in their order (date, id). */
  members: number[];
  candidates: number[];
  /** Every split of the members over the candidates: counts per candidate, earlier leaves first. */
  splits: number[][];
}

/** All ways to put n interchangeable records into k leaves, the most to the first leaf first. */
function compositions(n: number, k: number): number[][] {
  if (k === 1) return [[n]];
  const out: number[][] = [];
  for (let first = n; first >= 0; first -= 1)
    for (const rest of compositions(n - first, k - 1)) out.push([first, ...rest]);
  return out;
}

/**
 * Exact search over kinds of records: when records are interchangeable (same key), only how many
 * of each kind go to each leaf matters, so far fewer assignments need scoring. Undefined when a
 * record has no key or there are still more than EXACT_MAX_KIND_COMBINATIONS assignments.
 */
function exactByKind(
  contended: readonly Contended[],
  score: (a: readonly number[]) => TreeScore,
): number[] | undefined {
  const kinds = new Map<string, Kind>();
  for (const [i, c] of contended.entries()) {
    if (c.key === undefined) return undefined;
    const id = `${c.candidates.join(',')}|${c.key}`;
    const kind = kinds.get(id);
    if (kind) kind.members.push(i);
    else kinds.set(id, { members: [i], candidates: c.candidates, splits: [] });
  }
  let total = 1;
  const list = [...kinds.values()];
  for (const kind of list) {
    const k = kind.candidates.length;
    // Count first (n+k-1 choose k-1) so a huge problem is refused before anything is built.
    let count = 1;
    for (let j = 1; j < k; j += 1) count = (count * (kind.members.length + j)) / j;
    total *= Math.round(count);
    if (total > EXACT_MAX_KIND_COMBINATIONS) return undefined;
  }
  for (const kind of list) kind.splits = compositions(kind.members.length, kind.candidates.length);
  const assignment = contended.map((c) => c.candidates[0] ?? -1);
  const apply = (kind: Kind, split: readonly number[]): void => {
    let m = 0;
    split.forEach((count, j) => {
      for (let t = 0; t < count; t += 1) {
        const idx = kind.members[m];
        if (idx !== undefined) assignment[idx] = kind.candidates[j] ?? -1;
        m += 1;
      }
    });
  };
  const pos = list.map(() => 0);
  list.forEach((kind) => apply(kind, kind.splits[0] ?? []));
  let best = [...assignment];
  let bestScore = score(assignment);
  for (;;) {
    let i = list.length - 1;
    while (i >= 0) {
      const kind = list[i];
      if (!kind) break;
      const next = (pos[i] ?? 0) + 1;
      if (next < kind.splits.length) {
        pos[i] = next;
        apply(kind, kind.splits[next] ?? []);
        break;
      }
      pos[i] = 0;
      apply(kind, kind.splits[0] ?? []);
      i -= 1;
    }
    if (i < 0) break;
    const s = score(assignment);
    if (compareScores(s, bestScore) > 0) {
      bestScore = s;
      best = [...assignment];
    }
  }
  return best;
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
