/**
 * Issue 12: carry-over of surplus credits into the next cycle, for every shape of requirement a
 * credits node can sit in, from a different first-cycle requirement and from the reinstatement
 * requirement; and what a minimum within the requirement keeps.
 * Cycle 1 runs 2024-01-01 to 2024-12-31 (grace to 2025-01-30); cycle 2 is 2025.
 */
import { describe, expect, it } from 'vitest';
import { evaluate } from '../requirements/evaluate.js';
import { many, rec } from '../requirements/testkit.js';
import type { EvaluationResult, Requirement } from '../requirements/types.js';
import { awards, renewalProgram as program, renewalReq } from './testkit.js';

/** Credits carried into cycle `i` (0-based), in all. */
const carriedInto = (r: EvaluationResult, i: number): number => {
  let sum = 0;
  const visit = (
    n: NonNullable<NonNullable<EvaluationResult['lifecycle']>['cycles'][number]['requirement']>,
  ): void => {
    for (const c of n.counted) if (c.note?.startsWith('Carried over')) sum += c.amount;
    n.children.forEach(visit);
  };
  const root = r.lifecycle?.cycles[i]?.requirement;
  if (root) visit(root);
  return sum;
};

describe('carry-over through groups', () => {
  const wrappers: [string, Requirement][] = [
    ['allOf', { id: 'all', type: 'allOf', title: 'All of', items: [renewalReq] }],
    ['anyOf', { id: 'any', type: 'anyOf', title: 'Any of', items: [renewalReq] }],
    ['nOf', { id: 'n', type: 'nOf', title: 'One of', n: 1, items: [renewalReq] }],
    ['deadline', { id: 'dl', type: 'deadline', title: 'By 2099', by: '2099-12-31', item: renewalReq }],
  ];
  it.each(wrappers)('a credits node inside %s carries its surplus', (_name, requirement) => {
    const p = program({ requirement, carryOver: { max: 3 } });
    const r = evaluate(p, many(15, { date: '2024-06-01' }), { asOf: '2025-03-01', awards });
    expect(r.lifecycle?.cycles[0]?.state).toBe('renewed');
    expect(carriedInto(r, 1)).toBe(3);
  });
});

describe('carry-over from other requirements', () => {
  it("the first cycle's own requirement carries its surplus", () => {
    const p = program({
      firstCycle: { requirement: { ...renewalReq, id: 'first', min: 5 } as Requirement },
      carryOver: { max: 3 },
    });
    const r = evaluate(p, many(8, { date: '2024-06-01' }), { asOf: '2025-03-01', awards });
    expect(r.lifecycle?.cycles[0]?.state).toBe('renewed');
    expect(carriedInto(r, 1)).toBe(3);
    expect(r.lifecycle?.cycles[1]?.requirement?.have).toBe(3);
  });

  it('the reinstatement requirement carries its surplus', () => {
    // Ten credits renew late; a 5-credit record meets the 2-credit reinstatement requirement with 3 to spare.
    const p = program({
      reinstatement: {
        withinDays: 100,
        requirement: {
          ...renewalReq,
          id: 'reinstate',
          title: 'Reinstatement credits',
          min: 2,
        } as Requirement,
      },
      carryOver: { max: 3 },
    });
    const records = [...many(10, { date: '2025-03-01' }), rec({ id: 'big', date: '2025-03-02', amount: 5 })];
    const r = evaluate(p, records, { asOf: '2025-03-10', awards });
    expect(r.lifecycle?.cycles[0]).toMatchObject({ state: 'reinstated', completedOn: '2025-03-02' });
    expect(carriedInto(r, 1)).toBe(3);
  });

  it('works for a program without reinstatement', () => {
    const p = program({ carryOver: { max: 3 } });
    delete (p.renewal as { reinstatement?: unknown }).reinstatement;
    const r = evaluate(p, many(12, { date: '2024-06-01' }), { asOf: '2025-03-01', awards });
    expect(carriedInto(r, 1)).toBe(2);
  });
});

describe('what carries', () => {
  it('the surplus of a single record (the first one counted) carries', () => {
    const r = evaluate(
      program({ carryOver: { max: 3 } }),
      [rec({ id: 'one', date: '2024-06-01', amount: 12 })],
      {
        asOf: '2025-03-01',
        awards,
      },
    );
    expect(carriedInto(r, 1)).toBe(2);
  });

  it('a minimum keeps what it needs across several records: 5 sponsored against 3 needed, only 2 carry', () => {
    const p = program({
      requirement: {
        ...renewalReq,
        minimums: [{ id: 'renew-sp', label: 'sponsored', min: 3, filter: { sponsored: true } }],
      } as Requirement,
      carryOver: { max: 5, filter: { sponsored: true } },
    });
    const records = [
      ...many(10, { date: '2024-03-01' }),
      ...many(5, { date: '2024-06-01', sponsored: true }),
    ];
    const r = evaluate(p, records, { asOf: '2025-03-01', awards });
    expect(r.lifecycle?.cycles[0]?.state).toBe('renewed');
    expect(carriedInto(r, 1)).toBe(2);
  });
});

describe('what minimums keep', () => {
  it('a per-year minimum keeps what its leanest year has to spare', () => {
    // Two-year cycles: cycle 1 is 2024-2025. At least 4 credits in each year.
    const p = program({
      cycleYears: 2,
      requirement: {
        ...renewalReq,
        minimums: [
          { id: 'yearly', label: 'each year', min: 4, filter: { categories: ['mgmt'] }, per: 'year' },
        ],
      } as Requirement,
      carryOver: { max: 3 },
    });
    // 7 in 2024 and 4 in 2025: 1 over the total, but 2025 has nothing to spare.
    const lean = [...many(7, { date: '2024-03-01' }), ...many(4, { date: '2025-03-01' })];
    const r1 = evaluate(p, lean, { asOf: '2026-03-01', awards });
    expect(r1.lifecycle?.cycles[0]?.state).toBe('renewed');
    expect(carriedInto(r1, 1)).toBe(0);
    // 7 and 5: 2 over the total, and the leaner year has 1 to spare.
    const spare = [...many(7, { date: '2024-03-01' }), ...many(5, { date: '2025-03-01' })];
    expect(carriedInto(evaluate(p, spare, { asOf: '2026-03-01', awards }), 1)).toBe(1);
  });

  it('each minimum keeps its own share, when there are several', () => {
    const p = program({
      requirement: {
        ...renewalReq,
        minimums: [
          { id: 'sp', label: 'sponsored', min: 3, filter: { sponsored: true } },
          { id: 'on', label: 'online', min: 4, filter: { sourceTypes: ['online'] } },
        ],
      } as Requirement,
      carryOver: { max: 5, filter: { sourceTypes: ['online'] } },
    });
    // 14 credits, 4 over; 5 online against 4 needed, so one online credit may carry.
    const records = [
      ...many(6, { date: '2024-03-01' }),
      ...many(3, { date: '2024-04-01', sponsored: true }),
      ...many(5, { date: '2024-05-01', sourceType: 'online' }),
    ];
    const r = evaluate(p, records, { asOf: '2025-03-01', awards });
    expect(r.lifecycle?.cycles[0]?.state).toBe('renewed');
    expect(carriedInto(r, 1)).toBe(1);
  });

  it('a renewal requirement with an exam beside its credits still carries the surplus', () => {
    const p = program({
      requirement: {
        id: 'either',
        type: 'anyOf',
        title: 'Credits or the exam',
        items: [
          renewalReq,
          { id: 'renew-exam', type: 'exam', title: 'Renewal exam', exam: 'renewal', minScore: 70 },
        ],
      },
      carryOver: { max: 3 },
    });
    const r = evaluate(p, many(12, { date: '2024-06-01' }), { asOf: '2025-03-01', awards });
    expect(r.lifecycle?.cycles[0]?.state).toBe('renewed');
    expect(carriedInto(r, 1)).toBe(2);
  });
});
