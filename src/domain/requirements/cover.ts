/**
 * Which records fill a requirement's capped room, chosen exactly (issue 13, section 6).
 *
 * Inside one credits requirement, caps limit how much some records may count, and the total and
 * each minimum want as much as possible of what counts. When a cap binds, the records that fill its
 * room decide which minimums are met: three credits, at most two of work experience, at least two
 * job credits and one sponsored; a sponsored work record and a job work record compete for the same
 * two credits of room. The engine first counts in a fixed order (tree.ts, `creditsCore`); when that
 * leaves the requirement short while a cap turned credit away, it asks this module for the best
 * choice instead.
 *
 * The problem, in hundredths of a credit: variables x_v (a group of interchangeable records'
 * counted amount), 0 ≤ x_v ≤ upper_v; rooms Σ x_v ≤ cap; demands want Σ x_v up to need. Maximise
 * the covered amount Σ min(need, Σ x_v): equivalently, the smallest total shortfall. This is a
 * linear program (a record may serve several minimums at once, so it is not a flow); it is solved
 * by the simplex method, and branch and bound on a fractional variable keeps the answer in whole
 * hundredths. Sizes are tiny (a handful of groups), so a dense tableau is enough.
 */

export interface CoverProblem {
  /** The most each variable may count (hundredths). */
  upper: readonly number[];
  /** Each room: the variables that use it and what it holds. */
  rooms: readonly { vars: readonly number[]; cap: number }[];
  /** Each demand: the variables that serve it and how much it wants (> 0). */
  demands: readonly { vars: readonly number[]; need: number }[];
}

export interface CoverAnswer {
  /** What each variable counts, in whole hundredths; every room respected. */
  x: number[];
  /** Σ over demands of min(need, what serves it). */
  covered: number;
  /** False when the search stopped at its node budget (the answer is then the best found). */
  proven: boolean;
}

const EPS = 1e-7;
/** Branch-and-bound nodes before the search gives its best so far. */
const NODE_BUDGET = 400;

/** What an integer assignment covers. */
export function coveredBy(p: CoverProblem, x: readonly number[]): number {
  let covered = 0;
  for (const d of p.demands) {
    let sum = 0;
    for (const v of d.vars) sum += x[v] ?? 0;
    covered += Math.min(d.need, sum);
  }
  return covered;
}

/**
 * Maximise c·y subject to A·y ≤ b, y ≥ 0, with b ≥ 0 (so y = 0 is a feasible start) and every
 * variable bounded by some row. Dense tableau, Bland's rule (no cycling). Returns y and the value.
 */
function simplex(
  A: readonly number[][],
  b: readonly number[],
  c: readonly number[],
): { y: number[]; value: number } {
  const m = A.length;
  const n = c.length;
  const w = n + m + 1;
  const rhs = w - 1;
  const T = A.map((row, i) => {
    const r = new Float64Array(w);
    row.forEach((v, j) => (r[j] = v));
    r[n + i] = 1;
    r[rhs] = b[i] ?? 0;
    return r;
  });
  const obj = new Float64Array(w);
  c.forEach((v, j) => (obj[j] = -v));
  const basis = Array.from({ length: m }, (_, i) => n + i);
  for (let iter = 0; iter < 50 * (n + m) + 100; iter += 1) {
    let enter = -1;
    for (let j = 0; j < n + m; j += 1)
      if ((obj[j] ?? 0) < -EPS) {
        enter = j;
        break;
      }
    if (enter < 0) break;
    let leave = -1;
    let best = Infinity;
    for (let i = 0; i < m; i += 1) {
      const row = T[i] as Float64Array;
      const a = row[enter] ?? 0;
      if (a <= EPS) continue;
      const ratio = (row[rhs] ?? 0) / a;
      if (ratio < best - EPS || (ratio <= best + EPS && (basis[i] ?? 0) < (basis[leave] ?? Infinity))) {
        best = ratio;
        leave = i;
      }
    }
    if (leave < 0) break; // unbounded: cannot happen with every variable bounded
    const prow = T[leave] as Float64Array;
    const pv = prow[enter] ?? 1;
    for (let j = 0; j < w; j += 1) prow[j] = (prow[j] ?? 0) / pv;
    const eliminate = (row: Float64Array): void => {
      const f = row[enter] ?? 0;
      if (f === 0) return;
      for (let j = 0; j < w; j += 1) row[j] = (row[j] ?? 0) - f * (prow[j] ?? 0);
    };
    for (let i = 0; i < m; i += 1) if (i !== leave) eliminate(T[i] as Float64Array);
    eliminate(obj);
    basis[leave] = enter;
  }
  const y = new Array<number>(n).fill(0);
  basis.forEach((v, i) => {
    if (v < n) y[v] = (T[i] as Float64Array)[rhs] ?? 0;
  });
  return { y, value: obj[rhs] ?? 0 };
}

/**
 * The linear relaxation with lo ≤ x ≤ hi: x = lo + x', rows for z_d ≤ need_d,
 * z_d − Σ x'_v ≤ Σ lo_v, each room Σ x'_v ≤ cap − Σ lo_v, and x'_v ≤ hi_v − lo_v.
 * Undefined when the lower bounds already overfill a room.
 */
function relaxation(
  p: CoverProblem,
  lo: readonly number[],
  hi: readonly number[],
): { x: number[]; value: number } | undefined {
  const n = p.upper.length;
  const m = p.demands.length;
  const A: number[][] = [];
  const b: number[] = [];
  const row = (): number[] => new Array<number>(n + m).fill(0);
  p.demands.forEach((d, k) => {
    const cap = row();
    cap[n + k] = 1;
    A.push(cap);
    b.push(d.need);
    const link = row();
    link[n + k] = 1;
    let base = 0;
    for (const v of d.vars) {
      link[v] = -1;
      base += lo[v] ?? 0;
    }
    A.push(link);
    b.push(base);
  });
  for (const room of p.rooms) {
    const r = row();
    let used = 0;
    for (const v of room.vars) {
      r[v] = 1;
      used += lo[v] ?? 0;
    }
    if (used > room.cap) return undefined;
    A.push(r);
    b.push(room.cap - used);
  }
  for (let v = 0; v < n; v += 1) {
    const r = row();
    r[v] = 1;
    A.push(r);
    b.push((hi[v] ?? 0) - (lo[v] ?? 0));
  }
  const c = [...new Array<number>(n).fill(0), ...new Array<number>(m).fill(1)];
  const { y, value } = simplex(A, b, c);
  return { x: y.slice(0, n).map((v, i) => v + (lo[i] ?? 0)), value };
}

/** The assignment in whole hundredths that covers the most, by branch and bound on the relaxation. */
export function maxCover(p: CoverProblem): CoverAnswer {
  const n = p.upper.length;
  let best: number[] = new Array<number>(n).fill(0);
  let bestCovered = coveredBy(p, best);
  let nodes = 0;
  let proven = true;
  const visit = (lo: number[], hi: number[]): void => {
    if (nodes >= NODE_BUDGET) {
      proven = false;
      return;
    }
    nodes += 1;
    const r = relaxation(p, lo, hi);
    // The covered amount of a whole-hundredths answer is whole, so a bound below best + 1 is done.
    if (!r || Math.floor(r.value + EPS) <= bestCovered) return;
    const split = r.x.findIndex((v) => Math.abs(v - Math.round(v)) > EPS);
    if (split < 0) {
      const x = r.x.map((v) => Math.round(v));
      const covered = coveredBy(p, x);
      if (covered > bestCovered) {
        best = x;
        bestCovered = covered;
      }
      return;
    }
    const v = r.x[split] ?? 0;
    visit(
      lo.map((l, i) => (i === split ? Math.ceil(v) : l)),
      hi,
    );
    visit(
      lo,
      hi.map((h, i) => (i === split ? Math.floor(v) : h)),
    );
  };
  visit(new Array<number>(n).fill(0), [...p.upper]);
  return { x: best, covered: bestCovered, proven };
}
