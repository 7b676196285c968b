/**
 * The records the engine builds for itself: a confirmed seat taken as a record of its session (for
 * the provisional check), the course filter on a record of no course, and the activity a record
 * belongs to for per-activity caps.
 */
import { describe, expect, it } from 'vitest';
import { activityKey, compileProgram, matchesFilter, seatRec } from './compile.js';
import { testProgram } from './testkit.js';

const program = testProgram(
  { id: 'x', type: 'credits', title: 'X', min: 1 },
  {
    courses: [
      { code: 'S', title: 'Sponsored ethics', credits: 1.5, category: 'mgmt-ethics', sponsored: true },
      { code: 'A', title: 'Course A', credits: 3, category: 'job' },
      { code: 'B', title: 'Course B', credits: 3, category: 'job' },
      { code: 'C', title: 'Course C', credits: 3, category: 'job' },
      { code: 'D', title: 'Course D', credits: 3, category: 'job' },
    ],
  },
);
const compiled = compileProgram(program);

describe('a confirmed seat as a record', () => {
  it("takes the course's credits, category with its parents, sponsorship and title", () => {
    expect(seatRec(compiled, { courseCode: 'S', date: '2027-03-01' }, '2027-01-15')).toEqual({
      id: 'seat:S:2027-03-01',
      date: '2027-03-01',
      amount: 150,
      category: 'mgmt-ethics',
      lineage: ['mgmt-ethics', 'mgmt'],
      sponsored: true,
      sourceType: 'confirmed-seat',
      courseCode: 'S',
      catalog: true,
      title: 'Sponsored ethics',
      status: 'approved',
      recordedOn: '2027-01-15',
      seat: true,
    });
    const a = seatRec(compiled, { courseCode: 'A', date: '2027-03-01', sourceType: 'conf' }, '2027-01-15');
    expect([a.sponsored, a.sourceType, a.lineage]).toEqual([false, 'conf', ['job']]);
  });

  it('gives a seat in a course the program does not list no credit, category or title', () => {
    const r = seatRec(compiled, { courseCode: 'ZZ', date: '2027-03-01' }, '2027-01-15');
    expect(r).toMatchObject({ amount: 0, lineage: [], sponsored: false, catalog: false });
    expect(r.category).toBeUndefined();
    expect(r.title).toBeUndefined();
  });
});

describe('the course filter', () => {
  it('refuses a record of no course, and a record of another course', () => {
    const seat = seatRec(compiled, { courseCode: 'A', date: '2027-03-01' }, '2027-01-15');
    expect(matchesFilter(seat, { courses: ['A'] })).toBe(true);
    expect(matchesFilter(seat, { courses: ['S'] })).toBe(false);
    expect(matchesFilter({ ...seat, courseCode: undefined }, { courses: ['A'] })).toBe(false);
  });
});

describe('the activity of a record', () => {
  const seat = seatRec(compiled, { courseCode: 'A', date: '2027-03-01' }, '2027-01-15');
  const outside = { ...seat, id: 'r1', courseCode: undefined, catalog: false };
  it('is the course for a catalog course, else the title (any case and spacing) on the day, else the record', () => {
    expect(activityKey(seat)).toBe('course:A');
    expect(activityKey({ ...outside, title: '  State   Conference ' })).toBe(
      'title:2027-03-01:state conference',
    );
    expect(activityKey({ ...outside, title: 'state conference' })).toBe('title:2027-03-01:state conference');
    expect(activityKey({ ...outside, title: '   ' })).toBe('record:r1');
    expect(activityKey({ ...outside, title: undefined })).toBe('record:r1');
  });
});
