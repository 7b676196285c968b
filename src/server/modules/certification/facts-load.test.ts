/**
 * The names a stored fact carries (who recorded or withdrew it: "waived by Pat Doe" in the
 * explanation) and the row-to-engine mapping.
 */
import { describe, expect, it } from 'vitest';
import { nameOf, rowToFact } from './facts-load.js';

describe('the recorder’s name on a stored fact', () => {
  it('is the preferred name, else the first name, then the last name; no last name is no name', () => {
    expect(nameOf('Patricia', 'Doe', null)).toBe('Patricia Doe');
    expect(nameOf('Patricia', 'Doe', 'Pat')).toBe('Pat Doe');
    expect(nameOf('Patricia', 'Doe', '')).toBe('Patricia Doe');
    expect(nameOf(null, 'Doe', null)).toBe('Doe');
    expect(nameOf('', 'Doe', '')).toBe('Doe');
    expect(nameOf('Patricia', null, 'Pat')).toBeNull();
    expect(nameOf('Patricia', '', null)).toBeNull();
  });

  it('goes into the fact the engine reads, or null when nobody is named', () => {
    const row = {
      kind: 'waiver' as const,
      key: 'year-one',
      date: '2026-05-01',
      score: null,
      until: null,
      reason: 'Prior service',
    };
    expect(rowToFact({ ...row, recorded_by_name: 'Pat Doe' })).toEqual({ ...row, recordedBy: 'Pat Doe' });
    expect(rowToFact({ ...row, recorded_by_name: null }).recordedBy).toBeNull();
    expect(rowToFact(row).recordedBy).toBeNull();
  });
});
