import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays } from '../time/index.js';
import { evaluate } from './evaluate.js';
import { mgmtTier, testProgram } from './testkit.js';
import type { CreditRecord, Requirement } from './types.js';

const program = testProgram(
  {
    id: 'root',
    type: 'allOf',
    title: 'Program',
    items: [
      mgmtTier(20, 5, {
        caps: [
          { id: 'work-cap', label: 'work experience up to 6', max: 6, filter: { sourceTypes: ['work'] } },
        ],
      }),
      {
        id: 'job',
        type: 'credits',
        title: 'Job tier',
        noun: 'job',
        min: 8,
        filter: { categories: ['job', 'mgmt'] },
        minimums: [{ id: 'job-sp', label: 'sponsored', min: 2, filter: { sponsored: true } }],
      } as Requirement,
    ],
  },
  {},
);

const recordArb = fc.record({
  day: fc.integer({ min: 0, max: 700 }),
  amount: fc.integer({ min: 0, max: 800 }).map((n) => n / 100),
  category: fc.constantFrom('mgmt', 'mgmt-ethics', 'job', 'other'),
  sponsored: fc.boolean(),
  sourceType: fc.constantFrom('conf', 'work', 'online'),
  status: fc.constantFrom('approved', 'approved', 'approved', 'pending', 'rejected'),
});

type Generated = typeof recordArb extends fc.Arbitrary<infer T> ? T : never;

function toRecords(list: Generated[]): CreditRecord[] {
  return list.map((r, i) => ({
    id: `r${String(i).padStart(4, '0')}`,
    personId: 'p',
    date: addDays('2024-01-01', r.day),
    amount: r.amount,
    category: r.category,
    sponsored: r.sponsored,
    sourceType: r.sourceType,
    status: r.status as CreditRecord['status'],
  }));
}

const AS_OF = '2026-01-01';

/** A list of records and a permutation of its indexes (every order is possible, not a few). */
const listAndPermutation = fc.array(recordArb, { maxLength: 30 }).chain((list) =>
  fc.tuple(
    fc.constant(list),
    fc.shuffledSubarray(
      list.map((_, i) => i),
      { minLength: list.length, maxLength: list.length },
    ),
  ),
);

describe('rules engine properties', () => {
  it('is deterministic: the same records in any order give the same result', () => {
    fc.assert(
      fc.property(listAndPermutation, ([list, order]) => {
        const records = toRecords(list);
        const shuffled = order.map((i) => records[i]!);
        expect(shuffled).toHaveLength(records.length);
        expect(evaluate(program, shuffled, { asOf: AS_OF })).toEqual(
          evaluate(program, records, { asOf: AS_OF }),
        );
      }),
      { numRuns: 150 },
    );
  });

  it('monotonic: an extra approved credit never turns a met requirement unmet, nor lowers what counts', () => {
    const simple = testProgram(mgmtTier(20, 5));
    fc.assert(
      fc.property(fc.array(recordArb, { maxLength: 30 }), recordArb, (list, extra) => {
        const records = toRecords(list);
        const more = [...records, { ...toRecords([extra])[0]!, id: 'extra', status: 'approved' as const }];
        const before = evaluate(simple, records, { asOf: AS_OF });
        const after = evaluate(simple, more, { asOf: AS_OF });
        if (before.initial.met) expect(after.initial.met).toBe(true);
        expect(after.initial.have).toBeGreaterThanOrEqual(before.initial.have);
        if (before.status === 'eligible') expect(after.status).toBe('eligible');
      }),
      { numRuns: 200 },
    );
  });

  it('monotonic with allocation: an extra approved credit never makes the whole program unmet', () => {
    fc.assert(
      // Up to 12 contended records the allocation is exact, so this holds strictly.
      fc.property(fc.array(recordArb, { maxLength: 11 }), recordArb, (list, extra) => {
        const records = toRecords(list);
        const more = [...records, { ...toRecords([extra])[0]!, id: 'extra', status: 'approved' as const }];
        const before = evaluate(program, records, { asOf: AS_OF });
        if (before.initial.met) expect(evaluate(program, more, { asOf: AS_OF }).initial.met).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it('caps: never more than the cap counts, and counted plus over-cap equals what was eligible', () => {
    fc.assert(
      fc.property(fc.array(recordArb, { maxLength: 30 }), (list) => {
        const r = evaluate(program, toRecords(list), { asOf: AS_OF });
        const tier = r.initial.children[0]!;
        const cap = tier.parts.find((p) => p.kind === 'cap')!;
        expect(cap.have).toBeLessThanOrEqual(6);
        const work = toRecords(list).filter((x) => x.sourceType === 'work');
        const isWork = (id: string) => work.some((w) => w.id === id);
        const cents = (n: number) => Math.round(n * 100);
        const workCounted = tier.counted
          .filter((c) => isWork(c.recordId))
          .reduce((a, c) => a + cents(c.amount), 0);
        expect(workCounted).toBe(cents(cap.have));
        // Eligible for the cap: approved Management work records this tier could use (not counted by
        // the job tier instead). Each credit of those is either counted here or shown as over the cap.
        const elsewhere = new Set(r.initial.children[1]!.counted.map((c) => c.recordId));
        const eligible = work
          .filter(
            (w) =>
              w.status === 'approved' &&
              (w.category === 'mgmt' || w.category === 'mgmt-ethics') &&
              !elsewhere.has(w.id),
          )
          .reduce((a, w) => a + cents(w.amount ?? 0), 0);
        const overCap = tier.notCounted.filter((n) => n.reason === 'over_cap');
        expect(overCap.every((n) => isWork(n.recordId) && n.amount > 0)).toBe(true);
        const overCapTotal = overCap.reduce((a, n) => a + cents(n.amount), 0);
        expect(workCounted + overCapTotal).toBe(eligible);
        expect(cents(cap.have)).toBe(Math.min(600, eligible));
        expect(overCapTotal).toBe(Math.max(0, eligible - 600));
      }),
      { numRuns: 200 },
    );
  });

  it('no record counts twice under exclusive counting', () => {
    fc.assert(
      fc.property(fc.array(recordArb, { maxLength: 30 }), (list) => {
        const r = evaluate(program, toRecords(list), { asOf: AS_OF });
        const ids = r.initial.children.flatMap((c) => c.counted.map((x) => x.recordId));
        expect(new Set(ids).size).toBe(ids.length);
      }),
      { numRuns: 200 },
    );
  });
});
