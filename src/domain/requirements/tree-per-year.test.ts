/**
 * Per-year caps and minimums as an official reads them: a cap per year stops
 * each year at its limit (not the whole period), a minimum per year names the
 * short year, also in the past tense after a missed deadline.
 */
import { describe, expect, it } from 'vitest';
import { evaluate } from './evaluate.js';
import { rec, testProgram } from './testkit.js';

const hours = (date: string, amount: number, extra: Record<string, unknown> = {}) =>
  rec({ date, amount, category: 'job', sourceType: 'conf', ...extra });
const window = { from: '2026-01-01', to: '2027-12-31' };
const yearCap = { id: 'yc', label: 'at most 2 credits a year', max: 2, per: 'year', filter: {} };

const leaf = (item: Record<string, unknown>) =>
  testProgram({ id: 'root', type: 'allOf', title: 'Root', items: [item] });

describe('a cap per year', () => {
  const records = [hours('2026-02-01', 3), hours('2027-02-01', 3)];
  const expectEachYearCapped = (item: Record<string, unknown>) => {
    const r = evaluate(leaf(item), records, { asOf: '2027-06-01' });
    const node = r.initial.children[0]!;
    expect(node.have).toBe(4);
    expect(node.notCounted.map((n) => [n.date, n.amount, n.detail])).toEqual([
      [
        '2026-02-01',
        1,
        'Over the limit: at most 2 credits a year. Year 1 (January 1, 2026 to December 31, 2026) already counts the most allowed, 2 credits.',
      ],
      [
        '2027-02-01',
        1,
        'Over the limit: at most 2 credits a year. Year 2 (January 1, 2027 to December 31, 2027) already counts the most allowed, 2 credits.',
      ],
    ]);
  };

  it('with no minimum per year: each year stops at its own limit', () => {
    expectEachYearCapped({ id: 'h', type: 'credits', title: 'Training', min: 10, window, caps: [yearCap] });
  });

  it('next to a cap on the whole period: still each year', () => {
    expectEachYearCapped({
      id: 'h',
      type: 'credits',
      title: 'Training',
      min: 10,
      window,
      caps: [{ id: 'tc', label: 'at most 50 in all', max: 50, filter: {} }, yearCap],
    });
  });
});

describe('a minimum per year next to a minimum on the whole period', () => {
  it('names the short year', () => {
    const r = evaluate(
      leaf({
        id: 'h',
        type: 'credits',
        title: 'Training',
        min: 4,
        window,
        minimums: [
          { id: 'sp', label: 'sponsored', min: 1, filter: { sponsored: true } },
          { id: 'yr', label: 'each year', min: 2, per: 'year', filter: {} },
        ],
      }),
      [hours('2026-02-01', 4, { sponsored: true }), hours('2027-02-01', 1)],
      { asOf: '2027-06-01' },
    );
    expect(r.initial.children[0]!.met).toBe(false);
    expect(r.missing).toEqual([
      'For each year, you need 1 more credit in year 2 (January 1, 2027 to December 31, 2027).',
    ]);
  });
});

describe('a minimum per year, after its deadline passed', () => {
  const missed = (minimums: Record<string, unknown>[], records: ReturnType<typeof hours>[]): string => {
    const program = testProgram({
      id: 'root',
      type: 'allOf',
      title: 'Root',
      items: [
        {
          id: 'dl',
          type: 'deadline',
          title: 'Training by the end of 2027',
          by: '2027-12-31',
          item: { id: 'h', type: 'credits', title: 'Training', min: 2, window, minimums },
        },
      ],
    });
    const r = evaluate(program, records, { asOf: '2028-02-01' });
    expect(r.missing).toHaveLength(1);
    const m =
      /^The deadline of December 31, 2027 for Training by the end of 2027 was missed: (.*)\. Training/.exec(
        r.missing[0]!,
      );
    expect(m, r.missing[0]).not.toBeNull();
    return m![1]!;
  };
  const eachYear = { id: 'yr', label: 'each year', min: 2, per: 'year', filter: {} };
  const y1 = 'year 1 (January 1, 2026 to December 31, 2026)';
  const y2 = 'year 2 (January 1, 2027 to December 31, 2027)';

  it('one credit short in one year: "was"', () => {
    expect(missed([eachYear], [hours('2026-02-01', 4), hours('2027-02-01', 1)])).toBe(
      `for each year, 1 more credit in ${y2} was still needed`,
    );
  });

  it('two credits short in one year: "were"', () => {
    expect(missed([eachYear], [hours('2026-02-01', 4)])).toBe(
      `for each year, 2 more credits in ${y2} were still needed`,
    );
  });

  it('one credit short in each of two years: "were"', () => {
    expect(missed([eachYear], [hours('2026-02-01', 1), hours('2027-02-01', 1)])).toBe(
      `for each year, 1 more credit in ${y1} and 1 more credit in ${y2} were still needed`,
    );
  });

  it('two minimums per year: each names only its own short years', () => {
    expect(
      missed(
        [
          eachYear,
          { id: 'sp', label: 'sponsored each year', min: 1, per: 'year', filter: { sponsored: true } },
        ],
        [hours('2026-02-01', 2, { sponsored: true }), hours('2027-02-01', 1), hours('2027-03-01', 1)],
      ),
    ).toBe(`for sponsored each year, 1 more credit in ${y2} was still needed`);
  });
});
