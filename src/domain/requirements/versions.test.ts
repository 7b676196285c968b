import { describe, expect, it } from 'vitest';
import { mgmtTier, testProgram } from './testkit.js';
import type { ProgramDefinition } from './types.js';
import { selectProgramVersion } from './versions.js';

const base = testProgram(mgmtTier(1));
const v = (version: string, effectiveFrom: string): ProgramDefinition => ({
  ...base,
  version,
  effectiveFrom,
});

const pick = (versions: ProgramDefinition[], on: string, pinned?: string) =>
  selectProgramVersion(versions, on, pinned)?.version;

describe('selectProgramVersion: which version an official is judged by', () => {
  const a = v('2016.1', '2016-01-01');
  const b = v('2020.1', '2020-07-01');
  const c = v('2024.1', '2024-01-01');
  const orders = [
    [a, b, c],
    [c, b, a],
    [b, c, a],
    [c, a, b],
  ];

  it('picks the latest version in force on the enrollment date, whatever order the versions are listed in', () => {
    for (const list of orders) {
      expect(pick(list, '2015-06-01')).toBe('2016.1');
      expect(pick(list, '2016-01-01')).toBe('2016.1');
      expect(pick(list, '2020-06-30')).toBe('2016.1');
      expect(pick(list, '2020-07-01')).toBe('2020.1');
      expect(pick(list, '2023-12-31')).toBe('2020.1');
      expect(pick(list, '2024-01-01')).toBe('2024.1');
      expect(pick(list, '2030-01-01')).toBe('2024.1');
    }
  });

  it('two versions effective the same day: the later version number wins, in either listing order', () => {
    const x = v('2020.1', '2020-01-01');
    const y = v('2020.2', '2020-01-01');
    const old = v('2010.1', '2010-01-01');
    for (const list of [
      [x, y, old],
      [y, x, old],
      [old, y, x],
      [old, x, y],
    ]) {
      expect(pick(list, '2021-01-01')).toBe('2020.2');
      expect(pick(list, '2019-01-01')).toBe('2010.1');
      expect(pick(list, '2009-01-01')).toBe('2010.1');
    }
    // Before every version, the earliest one applies: with a same-day tie it is the lower version number.
    for (const list of [
      [x, y],
      [y, x],
    ])
      expect(pick(list, '2019-01-01')).toBe('2020.1');
  });

  it('a pinned version wins wherever it is listed; an unknown pin falls back to the dated choice', () => {
    const list = [a, b, c];
    expect(pick(list, '2030-01-01', '2016.1')).toBe('2016.1');
    expect(pick(list, '2030-01-01', '2020.1')).toBe('2020.1');
    expect(pick(list, '2017-01-01', '2024.1')).toBe('2024.1');
    expect(pick(list, '2017-01-01', 'no-such-version')).toBe('2016.1');
    expect(pick(list, '2021-01-01', 'no-such-version')).toBe('2020.1');
  });

  it('no versions: nothing to judge by', () => {
    expect(selectProgramVersion([], '2020-01-01')).toBeUndefined();
  });
});
