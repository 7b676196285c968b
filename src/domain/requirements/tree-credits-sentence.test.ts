/**
 * The sentence under an unmet credits requirement: only the minimums still
 * short are named, and a short year follows the total as its own sentence.
 */
import { describe, expect, it } from 'vitest';
import { evaluate } from './evaluate.js';
import { rec, testProgram } from './testkit.js';
import type { CreditRecord } from './types.js';

const hours = (date: string, amount: number, extra: Partial<CreditRecord> = {}) =>
  rec({ date, amount, category: 'job', sourceType: 'conf', ...extra });
const missing = (item: Record<string, unknown>, records: CreditRecord[], asOf = '2026-06-01') =>
  evaluate(testProgram({ id: 'root', type: 'allOf', title: 'Root', items: [item] }), records, { asOf })
    .missing;

describe('the sentence under unmet credits', () => {
  it('names only the minimum still short, not one already met', () => {
    expect(
      missing(
        {
          id: 'h',
          type: 'credits',
          title: 'Training',
          min: 6,
          minimums: [
            { id: 'sp', label: 'sponsored', min: 2, filter: { sponsored: true } },
            { id: 'on', label: 'online', min: 1, filter: { sourceTypes: ['online'] } },
          ],
        },
        [hours('2026-01-10', 3, { sourceType: 'online' })],
      ),
    ).toEqual(['You need 3 more credits for Training, at least 2 of them sponsored.']);
  });

  it('a short total and a short year: two sentences', () => {
    expect(
      missing(
        {
          id: 'h',
          type: 'credits',
          title: 'Training',
          min: 6,
          window: { from: '2026-01-01', to: '2027-12-31' },
          minimums: [{ id: 'yr', label: 'each year', min: 2, per: 'year', filter: {} }],
        },
        [hours('2026-03-01', 3)],
        '2027-06-01',
      ),
    ).toEqual([
      'You need 3 more credits for Training. For each year, you need 2 more credits in year 2 (January 1, 2027 to December 31, 2027).',
    ]);
  });
});
