/**
 * `civiccert program check` reads a program's special counting rules back to its author, one line
 * per requirement that has any, in document order: initial, renewal, reinstatement, first cycle.
 */
import { describe, expect, it } from 'vitest';
import { describeCountingRules } from './describe.js';
import { testProgram } from './testkit.js';

const hours = { unit: { singular: 'hour', plural: 'hours' } };

describe('counting rules read back', () => {
  it('names each filter part: catalog only, categories, courses, sponsorship', () => {
    const p = testProgram(
      {
        id: 'all',
        type: 'allOf',
        title: 'All',
        items: [
          {
            id: 'cat',
            type: 'credits',
            title: 'Catalog',
            min: 3,
            filter: { catalog: true, categories: ['mgmt', 'job'], sponsored: true },
          },
          {
            id: 'out',
            type: 'credits',
            title: 'Outside',
            min: 3,
            filter: { catalog: true, courses: ['A', 'B'], sponsored: false },
          },
          { id: 'plain', type: 'credits', title: 'Plain', min: 3, filter: { categories: ['mgmt'] } },
        ],
      },
      hours,
    );
    expect(describeCountingRules(p)).toEqual([
      'Catalog: counts only catalog courses in Management or Job specific sponsored.',
      'Outside: counts only catalog courses of courses A, B not sponsored.',
    ]);
  });

  it('says every record for a rule without a filter, and names a record without a label', () => {
    const p = testProgram({ id: 'x', type: 'credits', title: 'X', min: 10, recordMin: { min: 1 } }, hours);
    expect(describeCountingRules(p)).toEqual([
      'X: a record (every record) counts only with at least 1 hour.',
    ]);
  });

  it('reads caps per activity and per year, and minimums per year, and leaves plain ones out', () => {
    const p = testProgram(
      {
        id: 'ce',
        type: 'credits',
        title: 'CE',
        min: 20,
        caps: [
          { id: 'c1', label: 'c1', max: 10, filter: { sourceTypes: ['conf'] }, per: 'activity' },
          { id: 'c2', label: 'c2', max: 4, filter: { sourceTypes: ['work', 'online'] }, per: 'year' },
          { id: 'c3', label: 'c3', max: 6, filter: { sourceTypes: ['online'] } },
        ],
        minimums: [
          { id: 'm1', label: 'm1', min: 6, filter: { categories: ['job'] }, per: 'year' },
          { id: 'm2', label: 'm2', min: 2, filter: { categories: ['mgmt'] } },
        ],
        repeatedCourses: 'once',
        confirmedSeats: 'provisional',
        window: { lookBack: { years: 2 } },
      },
      hours,
    );
    expect(describeCountingRules(p)).toEqual([
      'CE: each activity (records of source Conference) counts for at most 10 hours; records of source Work experience or Online course count for at most 4 hours in any one year of the period; at least 6 hours of records in Job specific in each year of the period; a course repeated within the period counts once; a confirmed seat in an upcoming session counts toward a provisional status.',
    ]);
  });

  it('says nothing for a credits node with no special rule, and reads a provisional course node', () => {
    const p = testProgram({
      id: 'g',
      type: 'anyOf',
      title: 'G',
      items: [
        { id: 'plain', type: 'credits', title: 'Plain', min: 3 },
        { id: 'c', type: 'courses', title: 'Year One', courses: ['A'], confirmedSeats: 'provisional' },
        { id: 'd', type: 'courses', title: 'Year Two', courses: ['B'] },
        {
          id: 'n',
          type: 'nOf',
          title: 'N',
          n: 1,
          items: [
            {
              id: 'dl',
              type: 'deadline',
              title: 'DL',
              by: '2030-01-01',
              item: { id: 'e', type: 'credits', title: 'Deep', min: 1, repeatedCourses: 'once' },
            },
            { id: 'x', type: 'exam', title: 'Exam', exam: 'final', minScore: 1 },
          ],
        },
      ],
    });
    expect(describeCountingRules(p)).toEqual([
      'Year One: a confirmed seat in an upcoming session counts toward a provisional status.',
      'Deep: a course repeated within the period counts once.',
    ]);
  });

  it('reads renewal, reinstatement and the first cycle after the initial rules', () => {
    const renewal = (extra: Record<string, unknown>) =>
      testProgram(
        { id: 'i', type: 'credits', title: 'Initial', min: 3, repeatedCourses: 'once' },
        {
          ...hours,
          renewal: {
            cycleYears: 2,
            expiryBasis: 'fixedAnchor',
            anchor: { month: 12, day: 31 },
            remindDaysBefore: [30],
            graceDays: 30,
            requirement: { id: 'r', type: 'credits', title: 'Renewal', min: 12, repeatedCourses: 'once' },
            ...extra,
          },
        },
      );
    expect(
      describeCountingRules(
        renewal({
          reinstatement: {
            within: { years: 1, months: 2, days: 1 },
            requirement: { id: 'ri', type: 'credits', title: 'Reinstate', min: 6, repeatedCourses: 'once' },
          },
          firstCycle: {
            endsOn: 'firstAnchor',
            requirement: { id: 'fc', type: 'credits', title: 'First', min: 6, repeatedCourses: 'once' },
            prorate: [
              { requirement: 'fc', perMonth: 0.5 },
              { requirement: 'fc', perMonth: 1, months: 'started', rounding: 'up' },
              { requirement: 'fc', perMonth: 2, months: 'whole', rounding: 'down' },
            ],
          },
        }),
      ),
    ).toEqual([
      'Initial: a course repeated within the period counts once.',
      'Renewal: a course repeated within the period counts once.',
      'Reinstate: a course repeated within the period counts once.',
      'First: a course repeated within the period counts once.',
      'Reinstatement: within 1 year and 2 months and 1 day after grace ends.',
      'First renewal cycle: ends on the first anchor date after the award; has its own requirement (First); fc needs 0.5 hours for each whole month of it, rounded to the nearest whole; fc needs 1 hour for each month begun of it, rounded up; fc needs 2 hours for each whole month of it, rounded down.',
    ]);
    expect(describeCountingRules(renewal({ reinstatement: { within: { years: 2, days: 10 } } }))).toEqual([
      'Initial: a course repeated within the period counts once.',
      'Renewal: a course repeated within the period counts once.',
      'Reinstatement: within 2 years and 10 days after grace ends.',
    ]);
    expect(describeCountingRules(renewal({ reinstatement: { withinDays: 90 } }))).toEqual([
      'Initial: a course repeated within the period counts once.',
      'Renewal: a course repeated within the period counts once.',
    ]);
  });
});
