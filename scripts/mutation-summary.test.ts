import { describe, expect, it } from 'vitest';
import { mutatedBy, tallyReports } from './mutation-summary.js';

describe('mutation summary', () => {
  const mutate = ['src/domain/time/*.ts', 'src/domain/errors.ts', '!src/domain/**/*.test.ts'];
  it('knows which files a run mutated from its globs', () => {
    expect(mutatedBy(mutate, 'src/domain/time/zone.ts')).toBe(true);
    expect(mutatedBy(mutate, 'src/domain/errors.ts')).toBe(true);
    expect(mutatedBy(mutate, 'src/domain/time/zone.test.ts')).toBe(false);
    expect(mutatedBy(mutate, 'src/domain/time/sub/zone.ts')).toBe(false);
    expect(mutatedBy(mutate, 'src/domain/errorsXts')).toBe(false);
    expect(mutatedBy(undefined, 'anything.ts')).toBe(true);
    expect(mutatedBy(['src/domain/requirements/tree.ts:1-500'], 'src/domain/requirements/tree.ts')).toBe(
      true,
    );
  });
  it("counts a report's own files only, and the last report of a file wins", () => {
    const m = (status: string) => ({ status });
    const seeded = {
      config: { mutate: ['a.ts'] },
      files: { 'a.ts': { mutants: [m('Killed'), m('Survived')] }, 'b.ts': { mutants: [m('Survived')] } },
    };
    const later = {
      config: { mutate: ['a.ts'] },
      files: { 'a.ts': { mutants: [m('Killed'), m('Timeout')] } },
    };
    const tally = tallyReports([seeded, later]);
    expect([...tally.keys()]).toEqual(['a.ts']);
    expect(tally.get('a.ts')).toEqual({ Killed: 1, Timeout: 1, Survived: 0, NoCoverage: 0 });
  });
  it('adds up runs over line ranges of one file, a later result for the same mutant winning', () => {
    const at = (line: number, status: string) => ({
      status,
      mutatorName: 'ConditionalExpression',
      replacement: 'true',
      location: { start: { line, column: 4 }, end: { line, column: 9 } },
    });
    const first = {
      config: { mutate: ['t.ts:1-500'] },
      files: { 't.ts': { mutants: [at(10, 'Survived')] } },
    };
    const second = {
      config: { mutate: ['t.ts:501-1000'] },
      files: { 't.ts': { mutants: [at(600, 'Killed'), at(700, 'Killed')] } },
    };
    expect(tallyReports([first, second]).get('t.ts')).toEqual({
      Killed: 2,
      Timeout: 0,
      Survived: 1,
      NoCoverage: 0,
    });
    const rerun = { config: { mutate: ['t.ts:1-500'] }, files: { 't.ts': { mutants: [at(10, 'Killed')] } } };
    expect(tallyReports([first, second, rerun]).get('t.ts')).toMatchObject({ Killed: 3, Survived: 0 });
    // A whole-file run replaces the ranges.
    const whole = { config: { mutate: ['t.ts'] }, files: { 't.ts': { mutants: [at(10, 'Survived')] } } };
    expect(tallyReports([first, second, whole]).get('t.ts')).toMatchObject({ Killed: 0, Survived: 1 });
  });
  it('leaves static mutants out when asked', () => {
    const report = {
      files: {
        'a.ts': {
          mutants: [
            { status: 'Survived', static: true },
            { status: 'Killed', static: false },
          ],
        },
      },
    };
    expect(tallyReports([report]).get('a.ts')).toMatchObject({ Killed: 1, Survived: 1 });
    expect(tallyReports([report], true).get('a.ts')).toMatchObject({ Killed: 1, Survived: 0 });
  });
});
