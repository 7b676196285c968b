/**
 * What an official reads after a deadline passed with the work unfinished:
 * the sentence names what was still needed by then, for credits (total, a
 * named noun, a sub-minimum) and for courses (the missing titles, or how many
 * of a set). The mutation run of tree.ts showed these sentences unpinned.
 */
import { describe, expect, it } from 'vitest';
import { evaluate } from './evaluate.js';
import { rec, testProgram } from './testkit.js';
import type { CreditRecord } from './types.js';

const underDeadline = (item: Record<string, unknown>) =>
  testProgram({
    id: 'root',
    type: 'allOf',
    title: 'Root',
    items: [{ id: 'dl', type: 'deadline', title: 'Basic training by June 30', by: '2026-06-30', item }],
  });
const missed = (item: Record<string, unknown>, records: CreditRecord[]): string => {
  const r = evaluate(underDeadline(item), records, { asOf: '2026-08-01' });
  expect(r.missing).toHaveLength(1);
  const m =
    /^The deadline of June 30, 2026 for Basic training by June 30 was missed: (.*)\. Training completed after the deadline does not count toward it; Test Office can extend the deadline or waive it\.$/.exec(
      r.missing[0]!,
    );
  expect(m, r.missing[0]).not.toBeNull();
  return m![1]!;
};
const hours = (amount: number, extra: Partial<CreditRecord> = {}) =>
  rec({ date: '2026-05-01', amount, category: 'job', sourceType: 'conf', ...extra });
const course = (code: string) => rec({ date: '2026-05-01', courseCode: code, sourceType: 'conf' });

describe('the sentence after a missed deadline', () => {
  it('credits: the shortfall of the total, in the unit, for the requirement', () => {
    expect(missed({ id: 'h', type: 'credits', title: 'Basic training', min: 6 }, [hours(4)])).toBe(
      '2 more credits for Basic training were still needed by then',
    );
  });

  it('credits with a noun: "1 more Management credit was", without the title', () => {
    expect(
      missed({ id: 'h', type: 'credits', title: 'Basic training', noun: 'Management', min: 6 }, [hours(5)]),
    ).toBe('1 more Management credit was still needed by then');
  });

  it('credits whose total is met but a sub-minimum is not: the sub-minimum by its label', () => {
    expect(
      missed(
        {
          id: 'h',
          type: 'credits',
          title: 'Basic training',
          min: 6,
          minimums: [{ id: 'sp', label: 'sponsored', min: 3, filter: { sponsored: true } }],
        },
        [hours(6)],
      ),
    ).toBe('3 more sponsored credits for Basic training were still needed by then');
  });

  it('listed courses: the titles not completed, "was" for one and "were" for two', () => {
    const item = { id: 'c', type: 'courses', title: 'Core courses', courses: ['A', 'B'] };
    expect(missed(item, [course('A')])).toBe('"Course B" was not completed by then');
    expect(missed(item, [])).toBe('"Course A" and "Course B" were not completed by then');
  });

  it('a count of a course set: how many more courses', () => {
    const item = { id: 'c', type: 'courses', title: 'Core courses', courseSet: 'first', count: 2 };
    expect(missed(item, [course('A')])).toBe('1 more course for Core courses was still needed by then');
    expect(missed(item, [])).toBe('2 more courses for Core courses were still needed by then');
  });
});
