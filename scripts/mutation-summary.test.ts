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
