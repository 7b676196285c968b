/**
 * What a course counts toward, on a small program built for the edges: a deadline around a course
 * requirement, course sets by list and by category, a set id that names nothing, credit filters by
 * category, course and sponsorship, and a renewal requirement beside the initial ones.
 */
import { describe, expect, it } from 'vitest';
import { requirementsServedBy, type CourseCredits } from './serves.js';
import { loadProgram, testProgramJson } from './testkit.js';
import type { ProgramDefinition, Requirement } from './types.js';

const initial: Requirement = {
  id: 'all',
  type: 'allOf',
  title: 'Everything',
  items: [
    {
      id: 'by-june',
      type: 'deadline',
      title: 'By June',
      by: '2027-06-30',
      item: { id: 'listed', type: 'courses', title: 'Course A', courses: ['A'] },
    },
    { id: 'first-set', type: 'courses', title: 'The first set', courseSet: 'first' },
    {
      id: 'renewal-set',
      type: 'courses',
      title: 'Any renewal course',
      courseSet: 'renewal-courses',
      count: 1,
    },
    { id: 'mgmt', type: 'credits', title: 'Management credits', min: 6, filter: { categories: ['mgmt'] } },
    { id: 'only-c', type: 'credits', title: 'Credits from course C', min: 3, filter: { courses: ['C'] } },
    { id: 'sponsored', type: 'credits', title: 'Sponsored credits', min: 3, filter: { sponsored: true } },
    { id: 'any', type: 'credits', title: 'Any credits', min: 12 },
    { id: 'exam', type: 'exam', title: 'The exam', exam: 'final', minScore: 70 },
  ],
};

const renewal: Requirement = { id: 'renew', type: 'credits', title: 'Renewal credits', min: 6 };

const program = loadProgram(
  testProgramJson(initial, {
    renewal: {
      cycleYears: 1,
      expiryBasis: 'previousExpiry',
      remindDaysBefore: [30],
      graceDays: 30,
      requirement: renewal,
    },
  }),
);
const withoutRenewal = loadProgram(testProgramJson(initial));

const ids = (p: ProgramDefinition, c: CourseCredits) =>
  requirementsServedBy(p, c).map((r) => `${r.renewal ? 'renewal' : 'initial'}:${r.id}`);

describe('what a course counts toward, at the edges', () => {
  it('looks inside a deadline, and names the requirement, not the deadline', () => {
    expect(ids(withoutRenewal, { code: 'A', credits: [] })).toEqual(['initial:listed', 'initial:first-set']);
    expect(requirementsServedBy(withoutRenewal, { code: 'A', credits: [] })[0]).toEqual({
      id: 'listed',
      title: 'Course A',
      renewal: false,
    });
  });

  it('counts a course toward a set that lists it, and not toward a set of other courses', () => {
    expect(ids(withoutRenewal, { code: 'B', credits: [] })).toEqual(['initial:first-set']);
    expect(ids(withoutRenewal, { code: 'C', credits: [] })).toEqual([]);
  });

  it('counts a category-based set only for a course with credit in that category', () => {
    expect(ids(withoutRenewal, { code: 'R1', credits: [{ category: 'renewal', amount: 0 }] })).toEqual([]);
    expect(ids(withoutRenewal, { code: 'R1', credits: [{ category: 'renewal', amount: 2 }] })).toEqual([
      'initial:renewal-set',
      'initial:sponsored',
      'initial:any',
    ]);
  });

  it('gives a credit requirement nothing from a course without credit, and filters by category', () => {
    expect(ids(withoutRenewal, { code: 'X', credits: [{ category: 'job', amount: 0 }] })).toEqual([]);
    expect(ids(withoutRenewal, { code: 'X', credits: [{ category: 'job', amount: 1 }] })).toEqual([
      'initial:sponsored',
      'initial:any',
    ]);
    // A child category counts where its parent is asked for; a zero amount beside it does not widen it.
    expect(
      ids(withoutRenewal, {
        code: 'X',
        credits: [
          { category: 'mgmt-ethics', amount: 1 },
          { category: 'renewal', amount: 0 },
        ],
      }),
    ).toEqual(['initial:mgmt', 'initial:sponsored', 'initial:any']);
  });

  it('filters by course code, and by sponsorship only when the course says which it is', () => {
    expect(ids(withoutRenewal, { code: 'C', credits: [{ category: 'job', amount: 3 }] })).toEqual([
      'initial:only-c',
      'initial:sponsored',
      'initial:any',
    ]);
    expect(
      ids(withoutRenewal, { code: 'X', credits: [{ category: 'job', amount: 3 }], sponsored: false }),
    ).toEqual(['initial:any']);
    expect(
      ids(withoutRenewal, { code: 'X', credits: [{ category: 'job', amount: 3 }], sponsored: true }),
    ).toEqual(['initial:sponsored', 'initial:any']);
  });

  it('lists the initial requirements, then the renewal ones, marked as renewal', () => {
    expect(ids(program, { code: 'X', credits: [{ category: 'job', amount: 3 }], sponsored: false })).toEqual([
      'initial:any',
      'renewal:renew',
    ]);
    expect(
      ids(withoutRenewal, { code: 'X', credits: [{ category: 'job', amount: 3 }], sponsored: false }),
    ).toEqual(['initial:any']);
  });

  it('never counts a course toward an exam', () => {
    const onlyExam = loadProgram(
      testProgramJson({ id: 'exam', type: 'exam', title: 'The exam', exam: 'final', minScore: 70 }),
    );
    expect(ids(onlyExam, { code: 'final', credits: [{ category: 'job', amount: 3 }] })).toEqual([]);
  });
});
