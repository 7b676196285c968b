/**
 * Hand-made allocation problems for the allocator's own tests (allocate.test.ts,
 * allocate-search.test.ts): a contended record, the leaves an assignment puts each record on, and
 * a monotone scorer where each leaf needs an amount. Not used at run time.
 */
import { FREE, type Contended, type TreeScore } from './allocate.js';
import type { Rec } from './compile.js';

export function rec(id: string, over: Partial<Rec> = {}): Rec {
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

export const range = (n: number) => Array.from({ length: n }, (_, i) => i);

/** The leaves each record counts toward under an assignment (FREE: all its candidates). */
export function placed(contended: readonly Contended[], a: readonly number[]): number[][] {
  return contended.map((c, i) => {
    const leaf = a[i] ?? -2;
    return leaf === FREE ? c.candidates : leaf >= 0 ? [leaf] : [];
  });
}

/** Leaf i is met with limits[i] of amount; the root when all are. FREE counts everywhere. */
export function needs(contended: readonly Contended[], limits: readonly number[]) {
  return (a: readonly number[]): TreeScore => {
    const got = limits.map(() => 0);
    placed(contended, a).forEach((ls, i) => {
      for (const l of ls) got[l] = (got[l] ?? 0) + (contended[i]?.rec.amount ?? 0);
    });
    const met = limits.filter((n, i) => (got[i] ?? 0) >= n).length;
    const all = met === limits.length ? 1 : 0;
    const deficit = limits.reduce((d, n, i) => d + Math.max(0, n - (got[i] ?? 0)), 0);
    return { rootMet: all, metCount: met + all, deficit };
  };
}
