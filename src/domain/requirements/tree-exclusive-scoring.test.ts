/**
 * Under exclusive counting a record serves one requirement: a requirement that
 * does not apply to the person, or is waived, must not take a record another
 * requirement can use, even one it cannot complete; a listed-courses requirement takes the course it needs
 * from a credits requirement already met without it.
 */
import { describe, expect, it } from 'vitest';
import { evaluate } from './evaluate.js';
import { rec, testProgram } from './testkit.js';
import type { NodeResult } from './types.js';

const exclusive = { countingPolicy: 'exclusive' };
const job = (date: string) => rec({ date, amount: 1, category: 'job', sourceType: 'conf' });
const find = (n: NodeResult, id: string): NodeResult | undefined =>
  n.id === id ? n : n.children.map((c) => find(c, id)).find((x) => x !== undefined);
const jobCredits = (id: string, extra: Record<string, unknown> = {}) => ({
  id,
  type: 'credits',
  title: `Credits ${id}`,
  min: 1,
  filter: { categories: ['job'] },
  ...extra,
});

describe('exclusive counting and requirements that need nothing', () => {
  it('a requirement for another cohort does not take the record', () => {
    const program = testProgram(
      {
        id: 'root',
        type: 'allOf',
        title: 'Root',
        items: [jobCredits('x', { appliesTo: { cohorts: ['pilot'] } }), jobCredits('y', { min: 2 })],
      },
      exclusive,
    );
    const r = evaluate(program, [job('2025-01-01')], { asOf: '2025-06-01' });
    expect(find(r.initial, 'y')!.have).toBe(1);
  });

  it('a requirement inside a group for another cohort does not take the record', () => {
    const program = testProgram(
      {
        id: 'root',
        type: 'allOf',
        title: 'Root',
        items: [
          {
            id: 'g',
            type: 'allOf',
            title: 'Pilot only',
            appliesTo: { cohorts: ['pilot'] },
            items: [jobCredits('x')],
          },
          jobCredits('y', { min: 2 }),
        ],
      },
      exclusive,
    );
    const r = evaluate(program, [job('2025-01-01')], { asOf: '2025-06-01' });
    expect(find(r.initial, 'y')!.have).toBe(1);
  });

  it('a waived requirement does not take the record', () => {
    const program = testProgram(
      { id: 'root', type: 'allOf', title: 'Root', items: [jobCredits('x'), jobCredits('y', { min: 2 })] },
      exclusive,
    );
    const waivers = [
      {
        requirementId: 'x',
        kind: 'waiver' as const,
        grantedBy: 'Director',
        reason: 'Prior license',
        grantedOn: '2025-01-01',
      },
    ];
    const r = evaluate(program, [job('2025-01-01')], { asOf: '2025-06-01', waivers });
    expect(find(r.initial, 'y')!.have).toBe(1);
  });
});

describe('exclusive counting between credits and listed courses', () => {
  it('the course goes to the courses requirement when the credits are met without it', () => {
    const program = testProgram(
      {
        id: 'root',
        type: 'allOf',
        title: 'Root',
        items: [jobCredits('x', { min: 1 }), { id: 'k', type: 'courses', title: 'Course A', courses: ['A'] }],
      },
      exclusive,
    );
    const course = rec({ date: '2025-01-01', courseCode: 'A', category: undefined, amount: 3 });
    const r = evaluate(program, [course, job('2025-02-01')], { asOf: '2025-06-01' });
    expect(find(r.initial, 'k')!.met).toBe(true);
    expect(r.initial.met).toBe(true);
  });
});

describe('a requirement that does not apply to the person', () => {
  it('counts nothing, even a record only it selects', () => {
    const program = testProgram({
      id: 'root',
      type: 'allOf',
      title: 'Root',
      items: [
        {
          id: 'g',
          type: 'allOf',
          title: 'Pilot only',
          appliesTo: { cohorts: ['pilot'] },
          items: [jobCredits('x')],
        },
      ],
    });
    const r = evaluate(program, [job('2025-01-01')], { asOf: '2025-06-01' });
    const x = find(r.initial, 'x')!;
    expect(x.applicable).toBe(false);
    expect(x.counted).toEqual([]);
  });
});
