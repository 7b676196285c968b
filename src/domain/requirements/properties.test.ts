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

describe('rules engine properties', () => {
  it('is deterministic: the same records in any order give the same result', () => {
    fc.assert(
      fc.property(fc.array(recordArb, { maxLength: 30 }), fc.integer(), (list, seed) => {
        const records = toRecords(list);
        const shuffled = [...records].sort(
          (a, b) => ((a.id.charCodeAt(3) * 31 + seed) % 7) - ((b.id.charCodeAt(3) * 31 + seed) % 7),
        );
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
        const workCounted = tier.counted
          .filter((c) => work.some((w) => w.id === c.recordId))
          .reduce((a, c) => a + c.amount, 0);
        expect(Math.round(workCounted * 100)).toBe(Math.round(cap.have * 100));
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
