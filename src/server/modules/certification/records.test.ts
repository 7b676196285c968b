/**
 * The one mapping from stored rows to the rules engine's input (no database:
 * the functions are pure; they sit in the server because they read table rows).
 */
import { describe, expect, it } from 'vitest';
import { awardsToFacts, ledgerToRecords, liveApprovedRows, type LedgerRow } from './records.js';

const row = (over: Partial<LedgerRow> & { id: string }): LedgerRow => ({
  person_id: 'p1',
  earned_on: '2026-04-10',
  amount: 3,
  category: 'core',
  sponsored: true,
  source_type: 'course',
  course_code: null,
  title: null,
  status: 'approved',
  reverses_id: null,
  recorded_on: '2026-04-10',
  ...over,
});

describe('ledger to records', () => {
  const rows = [
    row({ id: 'a', course_code: 'KS-101', title: 'Voter registration' }),
    row({ id: 'b' }),
    row({ id: 'rev-b', amount: -3, reverses_id: 'b' }),
    row({ id: 'c', status: 'pending' }),
  ];

  it('drops the correcting rows and marks the records they reverse', () => {
    const records = ledgerToRecords(rows);
    expect(records.map((r) => [r.id, r.status])).toEqual([
      ['a', 'approved'],
      ['b', 'reversed'],
      ['c', 'pending'],
    ]);
    expect(records[0]).toEqual({
      id: 'a',
      personId: 'p1',
      date: '2026-04-10',
      amount: 3,
      category: 'core',
      sponsored: true,
      sourceType: 'course',
      courseCode: 'KS-101',
      title: 'Voter registration',
      status: 'approved',
      recordedOn: '2026-04-10',
    });
  });

  it('lists only the rows that count as approved credit', () => {
    expect(liveApprovedRows(rows).map((r) => r.id)).toEqual(['a']);
  });
});

describe('awards to the engine', () => {
  const base = {
    id: 'w1',
    awarded_on: '2027-03-20',
    certificate_number: null,
    number: null,
    revoked_on: null,
    revoked_reason: null,
    legacy_revoked_on: null,
    legacy_reason: null,
  };

  it('gives the certificate number, falling back to the older number column', () => {
    expect(awardsToFacts([{ ...base, certificate_number: 'KS-2027-000001', number: 'old' }])[0]!.number).toBe(
      'KS-2027-000001',
    );
    expect(awardsToFacts([{ ...base, number: 'KS-1999-7' }])[0]!.number).toBe('KS-1999-7');
    expect(awardsToFacts([base])[0]).toEqual({ id: 'w1', awardedOn: '2027-03-20' });
  });

  it('reads the revocation record, or the mirror on the award row for older revocations', () => {
    expect(
      awardsToFacts([{ ...base, revoked_on: '2027-05-01', revoked_reason: 'Issued in error' }])[0],
    ).toMatchObject({ revokedOn: '2027-05-01', revokedReason: 'Issued in error' });
    expect(
      awardsToFacts([{ ...base, legacy_revoked_on: '2020-01-02', legacy_reason: 'Moved away' }])[0],
    ).toMatchObject({ revokedOn: '2020-01-02', revokedReason: 'Moved away' });
  });
});
