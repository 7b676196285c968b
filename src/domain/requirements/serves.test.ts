import { describe, expect, it } from 'vitest';
import cpoJson from '../../../programs/igo-cpo.json';
import ksJson from '../../../programs/ks-county-election-official.json';
import { requirementsServedBy } from './serves.js';
import { loadProgram } from './testkit.js';
import type { ProgramDefinition } from './types.js';

const cpo = loadProgram(cpoJson);
const ks = loadProgram(ksJson);
const titles = (p: ProgramDefinition, c: Parameters<typeof requirementsServedBy>[1]) =>
  requirementsServedBy(p, c).map((r) => `${r.renewal ? 'renewal' : 'initial'}: ${r.title}`);

describe('what a course counts toward', () => {
  it('a listed course counts toward the course requirement that names it, and nothing else', () => {
    expect(titles(ks, { code: 'KS-Y1-01', credits: [{ category: 'year-one', amount: 3 }] })).toEqual([
      'initial: Year One',
    ]);
  });

  it('a course in a category-based set counts toward it (the renewal course)', () => {
    expect(titles(ks, { code: 'KS-AR-2027', credits: [{ category: 'advance-renewal', amount: 3 }] })).toEqual(
      ['renewal: Annual advance renewal course'],
    );
  });

  it('credits in a child category count where the parent category is asked for, initial and renewal', () => {
    expect(
      titles(cpo, {
        code: 'X-1',
        credits: [{ category: 'management-finance', amount: 1.5 }],
        sponsored: true,
      }),
    ).toEqual(['initial: Management tier', 'renewal: CPO maintenance credits']);
  });

  it('a course with no credit counts toward no credit requirement', () => {
    expect(titles(cpo, { code: 'X-2', credits: [{ category: 'management-finance', amount: 0 }] })).toEqual(
      [],
    );
    expect(titles(ks, { code: 'KS-Y9-99', credits: [] })).toEqual([]);
  });
});
