/**
 * Boundary days the mutation run of tree.ts showed untested: a waiver granted
 * on the as-of day, an attestation signed on the first day of its window or
 * the day before, and which of two equal exam scores counts.
 */
import { describe, expect, it } from 'vitest';
import { evaluate } from './evaluate.js';
import { testProgram } from './testkit.js';
import type { NodeResult } from './types.js';

function find(n: NodeResult, id: string): NodeResult | undefined {
  if (n.id === id) return n;
  for (const c of n.children) {
    const f = find(c, id);
    if (f) return f;
  }
  return undefined;
}

const pledge = testProgram({
  id: 'root',
  type: 'allOf',
  title: 'Root',
  items: [
    {
      id: 'pledge',
      type: 'attestation',
      title: 'Ethics pledge',
      attestation: 'ethics',
      window: { from: '2026-03-01' },
    },
  ],
});

describe('boundary days', () => {
  it('a waiver granted on the as-of day is in force that day, not the day before', () => {
    const waivers = [
      {
        requirementId: 'pledge',
        kind: 'waiver' as const,
        grantedBy: 'Director',
        reason: 'Signed the state pledge instead',
        grantedOn: '2026-05-01',
      },
    ];
    expect(find(evaluate(pledge, [], { asOf: '2026-05-01', waivers }).initial, 'pledge')?.met).toBe(true);
    expect(find(evaluate(pledge, [], { asOf: '2026-04-30', waivers }).initial, 'pledge')?.met).toBe(false);
  });

  it('an attestation signed on the first day of its window counts; the day before does not', () => {
    const on = evaluate(pledge, [], {
      asOf: '2026-06-01',
      attestations: [{ attestation: 'ethics', date: '2026-03-01' }],
    });
    expect(find(on.initial, 'pledge')).toMatchObject({ met: true, metOn: '2026-03-01' });
    const before = evaluate(pledge, [], {
      asOf: '2026-06-01',
      attestations: [{ attestation: 'ethics', date: '2026-02-28' }],
    });
    expect(find(before.initial, 'pledge')?.met).toBe(false);
    // The latest signature in the window is the one shown.
    const two = evaluate(pledge, [], {
      asOf: '2026-06-01',
      attestations: [
        { attestation: 'ethics', date: '2026-03-05' },
        { attestation: 'ethics', date: '2026-04-09' },
      ],
    });
    expect(find(two.initial, 'pledge')?.metOn).toBe('2026-04-09');
  });

  it('of two passing exam results with the same score, the earlier one dates the requirement', () => {
    const exam = testProgram({
      id: 'root',
      type: 'allOf',
      title: 'Root',
      items: [{ id: 'law', type: 'exam', title: 'Election law exam', exam: 'law', minScore: 70 }],
    });
    for (const examResults of [
      [
        { exam: 'law', score: 80, date: '2026-02-01' },
        { exam: 'law', score: 80, date: '2026-01-10' },
      ],
      [
        { exam: 'law', score: 80, date: '2026-01-10' },
        { exam: 'law', score: 80, date: '2026-02-01' },
      ],
    ])
      expect(find(evaluate(exam, [], { asOf: '2026-06-01', examResults }).initial, 'law')?.metOn).toBe(
        '2026-01-10',
      );
  });
});
