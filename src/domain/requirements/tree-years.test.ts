/**
 * How a period is cut into years for per-year caps and minimums, as an
 * official reads it: a year begins on the anniversary itself, and a period
 * with no end counts the years begun by the as-of day.
 */
import { describe, expect, it } from 'vitest';
import { evaluate } from './evaluate.js';
import { rec, testProgram } from './testkit.js';
import type { CreditRecord } from './types.js';

const hours = (date: string, amount: number) => rec({ date, amount, category: 'job', sourceType: 'conf' });
const run = (item: Record<string, unknown>, records: CreditRecord[], asOf: string) => {
  const r = evaluate(testProgram({ id: 'root', type: 'allOf', title: 'Root', items: [item] }), records, {
    asOf,
  });
  return { node: r.initial.children[0]!, missing: r.missing };
};
const eachYear = { id: 'yr', label: 'each year', min: 2, per: 'year', filter: {} };
const yearCap = { id: 'yc', label: 'at most 2 credits a year', max: 2, per: 'year', filter: {} };

describe('a period with a start and no end', () => {
  it('on the first anniversary, year 2 has begun and runs a full year', () => {
    const { missing } = run(
      {
        id: 'h',
        type: 'credits',
        title: 'Training',
        min: 2,
        window: { from: '2026-01-01' },
        minimums: [eachYear],
      },
      [hours('2026-03-01', 2)],
      '2027-01-01',
    );
    expect(missing).toEqual([
      'For each year, you need 2 more credits in year 2 (January 1, 2027 to December 31, 2027).',
    ]);
  });

  it('the day before the anniversary, there is one year', () => {
    const { node } = run(
      {
        id: 'h',
        type: 'credits',
        title: 'Training',
        min: 2,
        window: { from: '2026-01-01' },
        minimums: [eachYear],
      },
      [hours('2026-03-01', 2)],
      '2026-12-31',
    );
    expect(node.met).toBe(true);
  });
});

describe('a record on an anniversary', () => {
  it('belongs to the year that begins that day', () => {
    const first = hours('2026-06-01', 2);
    const onDay = hours('2027-01-01', 2);
    const { node } = run(
      {
        id: 'h',
        type: 'credits',
        title: 'Training',
        min: 10,
        window: { from: '2026-01-01', to: '2027-12-31' },
        caps: [yearCap],
      },
      [first, onDay],
      '2027-06-01',
    );
    expect(node.have).toBe(4);
    expect(node.notCounted).toEqual([]);
  });
});
