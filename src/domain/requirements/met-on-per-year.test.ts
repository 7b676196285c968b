/**
 * When a requirement with a minimum in each year was met: on the day the last
 * short year reached its minimum, not the day the total did.
 */
import { describe, expect, it } from 'vitest';
import { evaluate } from './evaluate.js';
import { rec, testProgram } from './testkit.js';

const program = testProgram({
  id: 'root',
  type: 'allOf',
  title: 'Root',
  items: [
    {
      id: 'hours',
      type: 'credits',
      title: 'Two-year training',
      min: 4,
      window: { from: '2026-01-01', to: '2027-12-31' },
      minimums: [{ id: 'yearly', label: 'each year', min: 2, per: 'year', filter: {} }],
    },
  ],
});
const hours = (date: string, amount: number) => rec({ date, amount, category: 'job', sourceType: 'conf' });

describe('met on, with a minimum per year', () => {
  it('is the day the second year reached its minimum', () => {
    const r = evaluate(
      program,
      [hours('2026-02-01', 3), hours('2026-03-01', 1), hours('2027-02-01', 2), hours('2027-05-01', 1)],
      { asOf: '2027-06-01' },
    );
    const node = r.initial.children[0]!;
    expect(node.met).toBe(true);
    expect(node.metOn).toBe('2027-02-01');
  });

  it('with the total reached in year one, year two still short: not met', () => {
    const r = evaluate(program, [hours('2026-02-01', 3), hours('2026-03-01', 1)], { asOf: '2027-06-01' });
    expect(r.initial.children[0]!.met).toBe(false);
    expect(r.initial.children[0]!.metOn).toBeUndefined();
  });
});
