/**
 * Issue 12: a cycle renewed after grace (reinstated) when the program also has a reinstatement
 * requirement: the completion date and what the reinstatement requirement may count.
 * Cycle 1 runs 2024-01-01 to 2024-12-31 (grace to 2025-01-30, reinstatement to 2025-05-10).
 */
import { describe, expect, it } from 'vitest';
import { evaluate } from '../requirements/evaluate.js';
import { many } from '../requirements/testkit.js';
import type { Requirement } from '../requirements/types.js';
import { awards, renewalProgram as program, renewalReq } from './testkit.js';

describe('reinstatement with its own requirement', () => {
  it('completes on the later of the two: a request before the credits does not backdate the reinstatement', () => {
    const p = program({
      reinstatement: {
        withinDays: 100,
        requirement: {
          id: 'req',
          type: 'attestation',
          title: 'reinstatement request',
          attestation: 'reinstate',
        },
      },
    });
    const r = evaluate(p, many(10, { date: '2025-03-01' }), {
      asOf: '2025-03-10',
      awards,
      attestations: [{ attestation: 'reinstate', date: '2025-02-05' }],
    });
    expect(r.lifecycle?.cycles[0]).toMatchObject({ state: 'reinstated', completedOn: '2025-03-01' });
  });

  it('does not count again what the renewal requirement counted, and says why', () => {
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
    });
    const records = many(11, { date: '2025-03-01' });
    const r = evaluate(p, records, { asOf: '2025-03-10', awards });
    const cycle = r.lifecycle?.cycles[0];
    expect(cycle?.state).toBe('lapsed');
    const extra = cycle?.requirement?.children.find((c) => c.id === 'reinstate');
    expect(extra).toMatchObject({ have: 1, met: false });
    expect(extra?.notCounted.find((n) => n.recordId === records[0]!.id)).toMatchObject({
      reason: 'used_elsewhere',
      detail: 'Counted toward the renewal requirement of this cycle.',
    });
  });
});
