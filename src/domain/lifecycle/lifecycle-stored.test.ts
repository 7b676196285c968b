/**
 * Issue 12: stored outcomes of closed cycles (`closedCycles`): which ones are used, what they
 * count, how they are shown, and the late-correction flag and its sentence.
 * Cycle 1 runs 2024-01-01 to 2024-12-31 (grace to 2025-01-30, reinstatement to 2025-05-10).
 */
import { describe, expect, it } from 'vitest';
import { evaluate } from '../requirements/evaluate.js';
import { many, rec } from '../requirements/testkit.js';
import type { ClosedCycle } from '../requirements/types.js';
import { awards, renewalProgram as program } from './testkit.js';

const A = many(10, { date: '2024-06-01' });
const reversed = (n: number) => [
  ...A.slice(0, n).map((r) => ({ ...r, status: 'reversed' as const })),
  ...A.slice(n),
];
const renewedWithA: ClosedCycle = {
  cycleStart: '2024-01-01',
  outcome: 'renewed',
  completedOn: '2024-06-01',
  recordIds: A.map((r) => r.id),
};

describe('which stored outcome applies', () => {
  it('a stored outcome applies to its own cycle only: the next cycle is judged from the records', () => {
    const r = evaluate(program(), A, { asOf: '2025-12-15', awards, closedCycles: [renewedWithA] });
    expect(r.lifecycle?.cycles[0]).toMatchObject({ state: 'renewed', stored: true });
    expect(r.lifecycle?.cycles[1]).toMatchObject({ state: 'open', stored: false });
    expect(r.status).toBe('renewal_due');
  });

  it('a stored "lapsed" is not final: the cycle is recomputed and may still be reinstated', () => {
    const lapsed: ClosedCycle = { cycleStart: '2024-01-01', outcome: 'lapsed' };
    const r = evaluate(program(), many(10, { date: '2025-03-01' }), {
      asOf: '2025-03-10',
      awards,
      closedCycles: [lapsed],
    });
    expect(r.lifecycle?.cycles[0]).toMatchObject({
      state: 'reinstated',
      stored: false,
      completedOn: '2025-03-01',
    });
    expect(r.status).toBe('certified');
  });

  it('a stored reinstatement stands, with its completion date', () => {
    const r = evaluate(program(), [], {
      asOf: '2025-06-01',
      awards,
      closedCycles: [{ cycleStart: '2024-01-01', outcome: 'reinstated', completedOn: '2025-03-01' }],
    });
    expect(r.lifecycle?.cycles[0]).toMatchObject({
      state: 'reinstated',
      completedOn: '2025-03-01',
      stored: true,
    });
    expect(r.status).toBe('certified');
    expect(r.lifecycle?.current?.start).toBe('2025-01-01');
  });

  it('a stored outcome stands even in an evaluation as of a day inside its windows', () => {
    // As of a day in the reinstatement window: the stored expiry is final, the stored renewal closed.
    const expired = evaluate(program(), [], {
      asOf: '2025-03-01',
      awards,
      closedCycles: [{ cycleStart: '2024-01-01', outcome: 'expired' }],
    });
    expect(expired.status).toBe('expired');
    expect(expired.lifecycle).toMatchObject({
      lapsedOn: '2025-01-31',
      expiredOn: '2025-05-11',
      nextDue: '2024-12-31',
    });
    expect(expired.lifecycle?.current).toMatchObject({ state: 'expired', stored: true, closed: true });
    const renewed = evaluate(program(), A, { asOf: '2025-01-15', awards, closedCycles: [renewedWithA] });
    expect(renewed.lifecycle?.cycles[0]).toMatchObject({ state: 'renewed', stored: true, closed: true });
  });
});

describe('what a stored cycle counted', () => {
  it('without stored record ids, the records up to its completion date are its own; later ones are not', () => {
    const june = many(10, { date: '2024-06-01' });
    const sept = many(3, { date: '2024-09-01' });
    const r = evaluate(program(), [...june, ...sept], {
      asOf: '2025-03-01',
      awards,
      closedCycles: [{ cycleStart: '2024-01-01', outcome: 'renewed', completedOn: '2024-06-01' }],
    });
    expect(new Set(r.lifecycle?.cycles[0]?.recordIds)).toEqual(new Set(june.map((x) => x.id)));
    expect(r.lifecycle?.cycles[0]?.requirement?.have).toBe(13);
    const c2 = r.lifecycle?.cycles[1]?.requirement?.notCounted ?? [];
    expect(c2.find((n) => n.recordId === sept[0]!.id)?.reason).toBe('before_cycle');
    expect(c2.find((n) => n.recordId === june[0]!.id)?.reason).toBe('used_in_earlier_cycle');
  });

  it('without a stored completion date or record ids, every record the cycle counts is its own', () => {
    const r = evaluate(program(), A, {
      asOf: '2025-03-01',
      awards,
      closedCycles: [{ cycleStart: '2024-01-01', outcome: 'renewed' }],
    });
    expect(new Set(r.lifecycle?.cycles[0]?.recordIds)).toEqual(new Set(A.map((x) => x.id)));
    expect(r.lifecycle?.cycles[0]?.completedOn).toBe('2024-12-31');
  });

  it('with stored record ids, the cycle shows those records only, not ones entered since', () => {
    const extra = many(2, { date: '2024-08-01', recordedOn: '2025-06-01' });
    const r = evaluate(program(), [...A, ...extra], {
      asOf: '2025-12-15',
      awards,
      closedCycles: [renewedWithA],
    });
    expect(r.lifecycle?.cycles[0]?.requirement).toMatchObject({ have: 10, met: true });
    expect(r.lifecycle?.cycles[0]?.recordIds).toEqual(A.map((x) => x.id));
  });

  it('a stored expiry lists no records; an open cycle with nothing counted lists none either', () => {
    const r = evaluate(program(), many(4, { date: '2024-06-01' }), {
      asOf: '2025-12-15',
      awards,
      closedCycles: [{ cycleStart: '2024-01-01', outcome: 'expired' }],
    });
    expect(r.lifecycle?.cycles[0]?.state).toBe('expired');
    expect(r.lifecycle?.cycles[0]?.recordIds).toBeUndefined();
    const open = evaluate(program(), [], { asOf: '2024-06-01', awards });
    expect(open.lifecycle?.cycles[0]?.recordIds).toBeUndefined();
  });
});

describe('late corrections', () => {
  const lc = (records: ReturnType<typeof many>, asOf: string, stored: ClosedCycle = renewedWithA) =>
    evaluate(program(), records, { asOf, awards, closedCycles: [stored] }).lifecycle?.cycles[0]
      ?.lateCorrection;

  it('one reversed record: the ledger would have the cycle lapsed, while its reinstatement window is open', () => {
    expect(lc(reversed(1), '2025-03-01')).toEqual({
      ledgerState: 'lapsed',
      withdrawnRecordIds: [A[0]!.id],
      detail:
        'A record counted when this cycle closed has since been reversed or withdrawn. Recomputed from the ledger the cycle would be lapsed, not renewed on June 1, 2024. The stored outcome stands until staff reopen the cycle.',
    });
    // On the last day of the window still lapsed; the day after, expired.
    expect(lc(reversed(1), '2025-05-10')?.ledgerState).toBe('lapsed');
    expect(lc(reversed(1), '2025-05-11')?.ledgerState).toBe('expired');
  });

  it('two reversed records, after the window: expired, and the sentence counts them', () => {
    expect(lc(reversed(2), '2025-12-15')?.detail).toBe(
      '2 records counted when this cycle closed have since been reversed or withdrawn. Recomputed from the ledger the cycle would be expired, not renewed on June 1, 2024. The stored outcome stands until staff reopen the cycle.',
    );
  });

  it('a reversed record the cycle did not need: flagged, though the outcome would be the same', () => {
    const eleven = [...A, rec({ id: 'spare', date: '2024-06-01' })];
    const stored = { ...renewedWithA, recordIds: eleven.map((r) => r.id) };
    const records = [{ ...eleven[10]!, status: 'reversed' as const }, ...eleven.slice(0, 10)];
    expect(lc(records, '2025-12-15', stored)).toEqual({
      ledgerState: 'renewed',
      ledgerCompletedOn: '2024-06-01',
      withdrawnRecordIds: ['spare'],
      detail:
        'A record counted when this cycle closed has since been reversed or withdrawn. Recomputed from the ledger the cycle would still be renewed on June 1, 2024. The stored outcome stands until staff reopen the cycle.',
    });
  });

  it('another completion date is a correction; no stored completion date is not', () => {
    const mayStored = { ...renewedWithA, completedOn: '2024-05-01' };
    expect(lc(A, '2025-12-15', mayStored)).toEqual({
      ledgerState: 'renewed',
      ledgerCompletedOn: '2024-06-01',
      withdrawnRecordIds: [],
      detail:
        'Records entered after this cycle closed change its outcome. Recomputed from the ledger the cycle would be renewed on June 1, 2024, not renewed on May 1, 2024. The stored outcome stands until staff reopen the cycle.',
    });
    const { completedOn: _omit, ...noDate } = renewedWithA;
    expect(lc(A, '2025-12-15', noDate)).toBeUndefined();
  });

  it('a stored outcome without a completion date is named without one', () => {
    const { completedOn: _omit, ...noDate } = renewedWithA;
    expect(lc(reversed(1), '2025-12-15', noDate)?.detail).toBe(
      'A record counted when this cycle closed has since been reversed or withdrawn. Recomputed from the ledger the cycle would be expired, not renewed. The stored outcome stands until staff reopen the cycle.',
    );
  });
});
