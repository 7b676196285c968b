/**
 * Allocation of records that could count toward more than one requirement
 * when a record may count only once (docs/rules-engine.md, "Allocation").
 *
 * Input: the contended records, each with the leaves (in tree order) it could
 * serve, and a scoring function. Records that can serve only one leaf are
 * already placed by the caller.
 *
 * - Small problems (at most EXACT_MAX_RECORDS contended records and at most
 *   EXACT_MAX_COMBINATIONS assignments) are solved by scoring every
 *   assignment; of equally good ones the first in tree order wins.
 * - Larger ones whose records fall into few kinds (records interchangeable for
 *   the score: same amount, course and answer to every filter of every
 *   candidate) are solved exactly too, by trying how many of each kind go to
 *   each leaf (at most EXACT_MAX_KIND_COMBINATIONS).
 * - The rest: a greedy pass gives a first answer, then a branch and bound
 *   search (`branchAndBound`) either finds a better one or proves there is
 *   none, scoring at most SEARCH_BUDGET assignments.
 *
 * Meeting every requirement with records of arbitrary sizes is NP-hard (two
 * leaves that each need half of the records' total is PARTITION), so no
 * method is both exact and always fast: past the budget the answer is the best
 * found and is reported as not proven (`exact: false`). bench/evaluate.ts
 * counts how often that happens on contended and adversarial data.
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
   * course and the same answer to every filter of every candidate. Lets the search place them
   * in order instead of trying every permutation.
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

/** In an assignment: the record counts toward every leaf it could serve (the optimistic bound). */
export const FREE = -1;
/** In an assignment: the record counts toward no leaf (used by the greedy pass while placing). */
export const NOWHERE = -2;

/**
 * Scores an assignment: for each contended record a leaf index, FREE or NOWHERE. It must never
 * fall when a leaf gets more records (FREE included), or the bound would drop good branches.
 */
export type Scorer = (assignment: readonly number[]) => TreeScore;

export const EXACT_MAX_RECORDS = 12;
export const EXACT_MAX_COMBINATIONS = 4096;
/** Bound on the assignments the by-kind exact search scores (how many of each kind go where). */
export const EXACT_MAX_KIND_COMBINATIONS = 8192;
/** At most this many assignments are scored by the branch and bound search (see the header). */
export const SEARCH_BUDGET = 2_000;
const IMPROVEMENT_PASSES = 3;

export interface Allocation {
  /** For each contended record, the leaf it is counted toward. */
  choice: number[];
  /** True when the choice is proven best; false when the budget ran out first. */
  exact: boolean;
  /** Assignments scored. */
  scored: number;
}

/**
 * Running totals of the searches in this process, read by bench/evaluate.ts to show how far real
 * and adversarial data are from the budget. Nothing in the engine reads them.
 */
export const allocationCounters = { searches: 0, unproven: 0, scored: 0, maxScored: 0 };

/** Returns, for each contended record, the leaf index it is counted toward. */
export function allocate(contended: readonly Contended[], score: Scorer): number[] {
  return searchAllocation(contended, score).choice;
}

export function searchAllocation(
  contended: readonly Contended[],
  score: Scorer,
  budget = SEARCH_BUDGET,
): Allocation {
  let scored = 0;
  const rate: Scorer = (a) => {
    scored += 1;
    return score(a);
  };
  let combinations = 1;
  for (const c of contended) {
    combinations *= c.candidates.length;
    if (combinations > EXACT_MAX_COMBINATIONS) break;
  }
  let result: Allocation;
  if (contended.length <= EXACT_MAX_RECORDS && combinations <= EXACT_MAX_COMBINATIONS)
    result = { choice: exhaustive(contended, rate), exact: true, scored: 0 };
  else {
    const byKind = exactByKind(contended, rate);
    if (byKind) result = { choice: byKind, exact: true, scored: 0 };
    else {
      result = branchAndBound(contended, rate, budget, greedy(contended, rate));
    }
  }
  result.scored = scored;
  allocationCounters.searches += 1;
  allocationCounters.scored += scored;
  allocationCounters.maxScored = Math.max(allocationCounters.maxScored, scored);
  if (!result.exact) allocationCounters.unproven += 1;
  return result;
}

/**
 * Depth-first branch and bound over the records in order, each trying its leaves in tree order,
 * so assignments are visited in lexicographic order.
 *
 * - Bound: a record not yet placed is scored as FREE, counting toward every leaf it could serve.
 *   The score of a leaf never falls when it gets more records (leaves for which that is not so
 *   score as met while any FREE record could reach them: tree.ts, `scoresRise`), so the bound is
 *   at least as good, in every part, as any way of finishing the assignment; a branch whose bound
 *   is no better than the best so far is dropped.
 * - Interchangeable records (same key and candidates) are placed in order: a later one never goes
 *   to an earlier leaf than the one before it. Any assignment can be rearranged that way without
 *   changing its score, and the first in tree order already is, so nothing is lost.
 * - It stops as soon as an assignment is as good as the all-FREE score, which nothing beats.
 *
 * Without `incumbent` it returns, of the best assignments, the first in tree order (as
 * `exhaustive` does). With one, it returns the incumbent unless it finds a strictly better one.
 * `exact` is false when `budget` scorings ran out before the search finished.
 */
export function branchAndBound(
  contended: readonly Contended[],
  score: Scorer,
  budget: number,
  incumbent?: readonly number[],
): Allocation {
  const n = contended.length;
  if (n === 0) return { choice: [], exact: true, scored: 0 };
  let scored = 0;
  const rate = (a: readonly number[]): TreeScore => {
    scored += 1;
    return score(a);
  };
  // For each record, the previous record of the same kind (-1 when none).
  const previous: number[] = [];
  const lastOfKind = new Map<string, number>();
  contended.forEach((c, i) => {
    if (c.key === undefined) {
      previous.push(-1);
      return;
    }
    const kind = `${c.candidates.join(',')}|${c.key}`;
    previous.push(lastOfKind.get(kind) ?? -1);
    lastOfKind.set(kind, i);
  });
  const current = contended.map(() => FREE);
  const ceiling = rate(current);
  let best: number[] | undefined = incumbent ? [...incumbent] : undefined;
  let bestScore: TreeScore | undefined = incumbent ? rate(incumbent) : undefined;
  if (bestScore && compareScores(bestScore, ceiling) >= 0)
    return { choice: [...(best ?? [])], exact: true, scored };
  let outOfBudget = false;

  /** True when the search is over (best proven, or out of budget). */
  const visit = (i: number): boolean => {
    if (i === n) {
      const s = rate(current);
      if (!bestScore || compareScores(s, bestScore) > 0) {
        bestScore = s;
        best = [...current];
      }
      return compareScores(bestScore, ceiling) >= 0;
    }
    const cands = contended[i]?.candidates ?? [];
    const prev = previous[i] ?? -1;
    const from = prev >= 0 ? Math.max(0, cands.indexOf(current[prev] ?? FREE)) : 0;
    for (let j = from; j < cands.length; j += 1) {
      current[i] = cands[j] ?? FREE;
      if (bestScore && i + 1 < n) {
        if (scored >= budget) {
          outOfBudget = true;
          return true;
        }
        if (compareScores(rate(current), bestScore) <= 0) continue;
      }
      if (visit(i + 1)) return true;
    }
    current[i] = FREE;
    return false;
  };
  visit(0);
  return { choice: best ?? contended.map((c) => c.candidates[0] ?? FREE), exact: !outOfBudget, scored };
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
function exactByKind(contended: readonly Contended[], score: Scorer): number[] | undefined {
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
  const assignment = contended.map((c) => c.candidates[0] ?? FREE);
  const apply = (kind: Kind, split: readonly number[]): void => {
    let m = 0;
    split.forEach((count, j) => {
      for (let t = 0; t < count; t += 1) {
        const idx = kind.members[m];
        if (idx !== undefined) assignment[idx] = kind.candidates[j] ?? FREE;
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

/**
 * Every assignment, scored: the reference the search is tested against (allocation-exact.test.ts).
 * Of equally good assignments, the first in tree order wins.
 */
export function exhaustive(contended: readonly Contended[], score: Scorer): number[] {
  const pos = contended.map(() => 0);
  const current = contended.map((c) => c.candidates[0] ?? FREE);
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
        current[i] = cands[next] ?? FREE;
        break;
      }
      pos[i] = 0;
      current[i] = cands[0] ?? FREE;
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

/**
 * Most constrained record first; each goes where it raises the score most (ties to the earlier
 * leaf); then up to three passes moving single records while the score strictly rises. The first
 * answer for problems too large to search by kind; branch and bound starts from it.
 */
export function greedy(contended: readonly Contended[], score: Scorer): number[] {
  const assignment = contended.map(() => NOWHERE);
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
    let bestLeaf = c.candidates[0] ?? NOWHERE;
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
      const keep = assignment[i] ?? NOWHERE;
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
