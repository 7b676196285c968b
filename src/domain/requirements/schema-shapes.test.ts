import { describe, expect, it } from 'vitest';
import cpo from '../../../programs/igo-cpo.json';
import { parseProgram } from './schema.js';

const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;
const withInitial = (requirement: unknown, extra: Record<string, unknown> = {}) => {
  const p = clone(cpo) as unknown as Record<string, unknown>;
  p.initial = { requirement };
  p.courses = [{ code: 'C1', title: 'One', category: 'management', credits: 1 }];
  p.courseSets = [];
  Object.assign(p, extra);
  return parseProgram(p);
};
const issues = (requirement: unknown) => {
  const r = withInitial(requirement);
  return r.ok ? [] : r.issues;
};
const credits = { id: 'c', type: 'credits', title: 'Credits', min: 1 };

describe('program check: requirement shapes', () => {
  it('accepts every requirement type', () => {
    const nodes = [
      credits,
      { id: 'k', type: 'courses', title: 'Courses', courses: ['C1'], count: 1 },
      { id: 'e', type: 'exam', title: 'Exam', exam: 'final', minScore: 70 },
      { id: 's', type: 'serviceYears', title: 'Service', minYears: 2 },
      { id: 'a', type: 'attestation', title: 'Attest', attestation: 'oath', statement: 'x'.repeat(2000) },
      { id: 'g', type: 'anyOf', title: 'Any', items: [{ ...credits, id: 'c2' }] },
      { id: 'n', type: 'nOf', title: 'N', n: 1, items: [{ ...credits, id: 'c3' }] },
      { id: 'd', type: 'deadline', title: 'By', by: '2030-01-01', item: { ...credits, id: 'c4' } },
    ];
    for (const node of nodes)
      expect(issues({ id: 'root', type: 'allOf', title: 'All', items: [node] })).toEqual([]);
  });

  it('gives the message an author reads for each bad requirement', () => {
    const at = 'initial.requirement';
    expect(issues({ id: 'g', type: 'allOf', title: 'All', items: [] })).toEqual([
      { path: `${at}.items`, message: 'Needs at least one requirement.' },
    ]);
    expect(issues({ id: 'n', type: 'nOf', title: 'N', n: 0, items: [] })).toEqual([
      { path: `${at}.n`, message: 'Must be at least 1.' },
      { path: `${at}.items`, message: 'Needs at least one requirement.' },
    ]);
    expect(issues({ id: 'k', type: 'courses', title: 'K', courses: ['C1'], count: 0 })).toEqual([
      { path: `${at}.count`, message: 'Must be at least 1.' },
    ]);
    expect(issues({ id: 'x', type: 'credit', title: 'Typo' })).toEqual([
      {
        path: `${at}.type`,
        message:
          'Unknown requirement type: use credits, courses, exam, serviceYears, attestation, allOf, anyOf, nOf or deadline.',
      },
    ]);
  });

  it('refuses empty course lists, empty prerequisites and over-long statements', () => {
    const at = 'initial.requirement';
    expect(issues({ id: 'k', type: 'courses', title: 'K', courses: [] }).map((i) => i.path)).toEqual([
      `${at}.courses`,
    ]);
    expect(issues({ id: 'k', type: 'courses', title: 'K', courses: [''] }).map((i) => i.path)).toEqual([
      `${at}.courses[0]`,
    ]);
    expect(
      issues({ id: 'k', type: 'courses', title: 'K', courses: ['C1', 'C1'], after: [] }).map((i) => i.path),
    ).toEqual([`${at}.after`]);
    expect(
      issues({
        id: 'a',
        type: 'attestation',
        title: 'A',
        attestation: 'oath',
        statement: 'x'.repeat(2001),
      }).map((i) => i.path),
    ).toEqual([`${at}.statement`]);
  });

  it('refuses a renewal anchor day that no year has, and accepts February 29', () => {
    const renewalWith = (anchor: unknown) => {
      const p = clone(cpo) as unknown as { renewal: Record<string, unknown> };
      p.renewal.anchor = anchor;
      p.renewal.expiryBasis = 'fixedAnchor';
      const r = parseProgram(p);
      return r.ok ? [] : r.issues;
    };
    expect(renewalWith({ month: 2, day: 29 })).toEqual([]);
    expect(renewalWith({ month: 4, day: 30 })).toEqual([]);
    expect(renewalWith({ month: 4, day: 31 })).toEqual([
      { path: 'renewal.anchor', message: 'That day does not exist in that month.' },
    ]);
  });
});
