/**
 * Under exclusive counting, records that two requirements could use go where they complete the
 * most. A part already settled without records (an exam passed, a signature, a waiver, a part
 * that does not apply to the person) must be seen as met while choosing, or the records are
 * spent on an option that is no longer needed. The mutation run of tree.ts showed this unpinned.
 */
import { describe, expect, it } from 'vitest';
import { evaluate } from './evaluate.js';
import { many, testProgram } from './testkit.js';
import type { EvaluationContext, NodeResult } from './types.js';

const tierA = { id: 'a', type: 'credits', title: 'Tier A', min: 3, filter: { categories: ['mgmt'] } };
const tierB = { id: 'b', type: 'credits', title: 'Tier B', min: 3, filter: { categories: ['mgmt'] } };
const exam = { id: 'x', type: 'exam', title: 'Entry exam', exam: 'entry', minScore: 70 };
const records = () => many(3, { date: '2026-02-01' });
const asOf = '2026-06-01';

/** Root: (Tier A or the other option) and Tier B; three records can serve only one tier. */
function run(option: Record<string, unknown>, ctx: Partial<EvaluationContext> = {}, group = 'anyOf') {
  const program = testProgram(
    {
      id: 'root',
      type: 'allOf',
      title: 'Root',
      items: [
        {
          id: 'route',
          type: group,
          title: 'Route',
          ...(group === 'nOf' ? { n: 1 } : {}),
          items: [tierA, option],
        },
        tierB,
      ],
    },
    { countingPolicy: 'exclusive' },
  );
  return evaluate(program, records(), { asOf, ...ctx });
}
const node = (r: NodeResult, id: string): NodeResult | undefined =>
  r.id === id ? r : r.children.map((c) => node(c, id)).find((n) => n !== undefined);
const countedIn = (r: NodeResult, id: string) => node(r, id)!.counted.length;

describe('records are not spent on an option already settled', () => {
  for (const group of ['anyOf', 'nOf']) {
    it(`a passed exam settles the ${group}: the records complete Tier B`, () => {
      const r = run(exam, { examResults: [{ exam: 'entry', score: 80, date: '2026-01-10' }] }, group);
      expect(r.initial.met).toBe(true);
      expect(countedIn(r.initial, 'b')).toBe(3);
      expect(countedIn(r.initial, 'a')).toBe(0);
    });
  }

  it('a waived exam settles the option too', () => {
    const r = run(exam, {
      examResults: [{ exam: 'entry', score: 50, date: '2026-01-10' }],
      waivers: [
        { requirementId: 'x', kind: 'waiver', grantedBy: 'u1', reason: 'r', grantedOn: '2026-01-15' },
      ],
    });
    expect(r.initial.met).toBe(true);
    expect(countedIn(r.initial, 'b')).toBe(3);
  });

  it('an exam inside a deadline settles the option', () => {
    const r = run(
      { id: 'dl', type: 'deadline', title: 'Exam by June', by: '2026-12-31', item: exam },
      { examResults: [{ exam: 'entry', score: 80, date: '2026-01-10' }] },
    );
    expect(r.initial.met).toBe(true);
    expect(countedIn(r.initial, 'b')).toBe(3);
  });

  it('a waiver on a deadline suspends its date but does not settle what it guards', () => {
    // The exam it guards was not taken, so the route still needs Tier A and the records go there.
    const r = run(
      { id: 'dl', type: 'deadline', title: 'Exam by June', by: '2026-12-31', item: exam },
      {
        waivers: [
          { requirementId: 'dl', kind: 'waiver', grantedBy: 'u1', reason: 'r', grantedOn: '2026-01-15' },
        ],
      },
    );
    expect(node(r.initial, 'dl')!.met).toBe(false);
    expect(node(r.initial, 'route')!.met).toBe(true);
    expect(countedIn(r.initial, 'a')).toBe(3);
    expect(countedIn(r.initial, 'b')).toBe(0);
  });

  it('a part that does not apply to the person counts as met while choosing', () => {
    // Tier B first, then a group of Tier A and a cohort-only exam: for someone outside the cohort
    // the group needs only Tier A, so the records complete two nodes there instead of one.
    const program = testProgram(
      {
        id: 'root',
        type: 'allOf',
        title: 'Root',
        items: [
          tierB,
          {
            id: 'g',
            type: 'allOf',
            title: 'Group',
            items: [tierA, { ...exam, appliesTo: { cohorts: ['pilot'] } }],
          },
        ],
      },
      { countingPolicy: 'exclusive' },
    );
    const r = evaluate(program, records(), { asOf });
    expect(node(r.initial, 'g')!.met).toBe(true);
    expect(countedIn(r.initial, 'a')).toBe(3);
    expect(countedIn(r.initial, 'b')).toBe(0);
  });
});
