import { describe, expect, it } from 'vitest';
import { datesFinding, verdictOf } from './check.js';

const at = (iso: string) => Date.parse(iso);

describe('the credential check verdict', () => {
  it('finds the dates passed inside the window, expired after it and not yet valid before it', () => {
    const from = '2027-03-11T00:00:00-06:00';
    const until = '2030-03-10T23:59:59-05:00';
    expect(datesFinding(from, until, at('2028-01-01T00:00:00Z')).outcome).toBe('passed');
    expect(datesFinding(from, until, at('2030-03-11T05:00:00Z')).message).toBe(
      'It expired: valid until 2030-03-10T23:59:59-05:00.',
    );
    expect(datesFinding(from, until, at('2027-03-11T05:59:59Z')).message).toMatch(/not valid yet/);
    expect(datesFinding(from, undefined, at('2099-01-01T00:00:00Z')).outcome).toBe('passed');
    expect(datesFinding('soon', undefined, 0).outcome).toBe('failed');
  });

  it('names the first failing check, or says the credential is in force', () => {
    expect(verdictOf([{ check: 'format', outcome: 'passed', message: 'ok' }]).valid).toBe(true);
    const v = verdictOf([
      { check: 'format', outcome: 'passed', message: 'ok' },
      { check: 'signature', outcome: 'failed', message: 'Changed.' },
      { check: 'dates', outcome: 'failed', message: 'Expired.' },
    ]);
    expect(v).toEqual({
      valid: false,
      failedCheck: 'signature',
      summary: 'This credential does not verify. Failed check: Signature. Changed.',
    });
  });
});
