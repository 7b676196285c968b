/**
 * The program author's view of the program check: for each refusal, the exact sentence and the
 * path it names; for each thing a program may say, that it is accepted.
 */
import { describe, expect, it } from 'vitest';
import { parseProgram } from './schema.js';
import { mgmtTier, testProgramJson } from './testkit.js';

type Raw = Record<string, unknown>;

/** The issues the check reports for the test program around a requirement (none when accepted). */
function issuesFor(requirement: Raw, extra: Raw = {}) {
  const r = parseProgram(testProgramJson(requirement, extra));
  return r.ok ? [] : r.issues;
}

const credits = (extra: Raw = {}): Raw => ({ ...(mgmtTier(5) as unknown as Raw), ...extra });
const courses = (extra: Raw): Raw => ({ id: 'crs', type: 'courses', title: 'Courses', ...extra });
const allOf = (items: Raw[], extra: Raw = {}): Raw => ({
  id: 'all',
  type: 'allOf',
  title: 'All',
  items,
  ...extra,
});
const R = 'initial.requirement';

/** A renewal policy around a renewal requirement (yearly, from the previous expiry). */
const renewal = (requirement: Raw, extra: Raw = {}): Raw => ({
  renewal: { cycleYears: 1, expiryBasis: 'previousExpiry', requirement, ...extra },
});
const renewCredits = (extra: Raw = {}): Raw => ({
  id: 'renew',
  type: 'credits',
  title: 'Renewal credits',
  min: 10,
  filter: { categories: ['mgmt'] },
  ...extra,
});

describe('program check: messages of the shape', () => {
  it('an anchor other than "fact" cannot name a fact', () => {
    expect(issuesFor(credits({ window: { from: { anchor: 'enrollment', fact: 'sworn-in' } } }))).toEqual([
      { path: `${R}.window.from.fact`, message: 'Only with anchor "fact".' },
    ]);
  });

  it('a date in a rule that is not text or an object is asked for as a date', () => {
    expect(issuesFor(credits({ window: { from: 20200101 } }))).toEqual([
      { path: `${R}.window.from`, message: 'Must be a date written YYYY-MM-DD.' },
    ]);
    expect(issuesFor(credits({ window: { from: null } }))).toEqual([
      { path: `${R}.window.from`, message: 'Must be a date written YYYY-MM-DD.' },
    ]);
    expect(issuesFor(credits({ window: { to: '2020-02-30' } }))).toEqual([
      { path: `${R}.window.to`, message: 'Must be a real calendar date written YYYY-MM-DD.' },
    ]);
  });

  it('says which words a minimum, a cap and a credits requirement take', () => {
    const minimum = { id: 'm', label: 'sponsored', min: 1, filter: { sponsored: true }, per: 'month' };
    const cap = { id: 'c', label: 'online', max: 2, filter: { sourceTypes: ['online'] }, per: 'week' };
    expect(
      issuesFor(
        credits({
          minimums: [minimum],
          caps: [cap],
          repeatedCourses: 'twice',
          confirmedSeats: 'yes',
          recordMin: { min: 1, label: '   ' },
        }),
      ),
    ).toEqual([
      { path: `${R}.minimums[0].per`, message: 'Must be "year" (or leave it out).' },
      { path: `${R}.caps[0].per`, message: 'Must be "activity" or "year" (or leave it out).' },
      { path: `${R}.recordMin.label`, message: 'Too small: expected string to have >=1 characters' },
      { path: `${R}.repeatedCourses`, message: 'Must be once or each.' },
      { path: `${R}.confirmedSeats`, message: 'Must be "provisional" (or leave it out).' },
    ]);
  });

  it('repeated courses: "once" and "each" are the words', () => {
    expect(issuesFor(credits({ repeatedCourses: 'once' }))).toEqual([]);
    expect(issuesFor(credits({ repeatedCourses: 'each' }))).toEqual([]);
  });

  it('says which words a courses requirement takes', () => {
    expect(issuesFor(courses({ courses: ['A'], count: 0, confirmedSeats: true }))).toEqual([
      { path: `${R}.count`, message: 'Must be at least 1.' },
      { path: `${R}.confirmedSeats`, message: 'Must be "provisional" (or leave it out).' },
    ]);
  });

  it('an attestation statement may be short, and at most 2000 characters', () => {
    const attestation = (statement: string): Raw => ({
      id: 'oath',
      type: 'attestation',
      title: 'Oath',
      attestation: 'oath',
      statement,
    });
    expect(issuesFor(attestation('I will serve faithfully.'))).toEqual([]);
    expect(issuesFor(attestation('x'.repeat(2001)))).toEqual([
      { path: `${R}.statement`, message: 'Too big: expected string to have <=2000 characters' },
    ]);
  });

  it('groups need a requirement, nOf at least one, and a requirement a known type', () => {
    expect(issuesFor(allOf([]))).toEqual([
      { path: `${R}.items`, message: 'Needs at least one requirement.' },
    ]);
    expect(issuesFor({ id: 'n', type: 'nOf', title: 'N', n: 0, items: [] })).toEqual([
      { path: `${R}.n`, message: 'Must be at least 1.' },
      { path: `${R}.items`, message: 'Needs at least one requirement.' },
    ]);
    expect(issuesFor(allOf([{ id: 'x', type: 'workshop', title: 'X' }]))).toEqual([
      {
        path: `${R}.items[0].type`,
        message:
          'Unknown requirement type: use credits, courses, exam, serviceYears, attestation, allOf, anyOf, nOf or deadline.',
      },
    ]);
    // Not an object at all: zod's own sentence, not the unknown-type one.
    expect(issuesFor(allOf([5 as unknown as Raw]))).toEqual([
      { path: `${R}.items[0]`, message: 'Invalid input: expected object, received number' },
    ]);
  });

  it('a reinstatement window: months and days together are a window; not both forms', () => {
    expect(
      issuesFor(credits(), renewal(renewCredits(), { reinstatement: { within: { months: 1, days: 1 } } })),
    ).toEqual([]);
    expect(
      issuesFor(
        credits(),
        renewal(renewCredits(), { reinstatement: { withinDays: 30, within: { months: 1 } } }),
      ),
    ).toEqual([{ path: 'renewal.reinstatement.within', message: 'Give withinDays or within, not both.' }]);
  });

  it('lists every unknown field in one sentence', () => {
    expect(issuesFor(credits({ colour: 'red', size: 2 }))).toEqual([
      { path: R, message: 'Unknown field(s): colour, size.' },
    ]);
  });

  it('a file that is not there is refused in zod words, not as "Required."', () => {
    expect(parseProgram(undefined)).toEqual({
      ok: false,
      issues: [{ path: '(file)', message: 'Invalid input: expected object, received undefined' }],
    });
  });
});

describe('program check: cross-references, each with its path', () => {
  it('course sets: one of courses or category, and a known category', () => {
    const sets = [
      { id: 'empty', name: 'Empty' },
      { id: 'ghost', name: 'Ghost', category: 'nowhere' },
    ];
    expect(issuesFor(credits(), { courseSets: sets })).toEqual([
      { path: 'courseSets[0]', message: 'Give either "courses" or "category".' },
      { path: 'courseSets[1].category', message: 'No category "nowhere".' },
    ]);
  });

  it('filters name known categories and courses; a sponsored filter needs the sponsor', () => {
    const json = testProgramJson(
      credits({
        filter: { categories: ['mgmt', 'nowhere'], courses: ['A', 'ZZ'] },
        minimums: [{ id: 'm', label: 'm', min: 1, filter: { categories: ['nope'] } }],
        caps: [{ id: 'c', label: 'c', max: 1, filter: { courses: ['QQ'] } }],
      }),
      renewal(renewCredits(), { carryOver: { max: 2, filter: { categories: ['gone'] } } }),
    );
    const r = parseProgram(json);
    expect(r.ok ? [] : r.issues).toEqual([
      { path: `${R}.filter.categories[1]`, message: 'No category "nowhere".' },
      { path: `${R}.filter.courses[1]`, message: 'No course with code "ZZ".' },
      { path: `${R}.minimums[0].filter.categories[0]`, message: 'No category "nope".' },
      { path: `${R}.caps[0].filter.courses[0]`, message: 'No course with code "QQ".' },
      { path: 'renewal.carryOver.filter.categories[0]', message: 'No category "gone".' },
    ]);
    const unsponsored = { ...testProgramJson(credits({ filter: { sponsored: true } })), sponsor: undefined };
    const u = parseProgram(unsponsored);
    expect(u.ok ? [] : u.issues).toEqual([
      { path: 'sponsor', message: 'Required because a rule filters on sponsored credits.' },
    ]);
  });

  it('anchors: cycle dates only in renewal requirements, inside earliest/latest too', () => {
    const deadlines = [
      { id: 'd0', label: 'D0', by: { anchor: 'cycleEnd' } },
      { id: 'd1', label: 'D1', by: { earliest: ['2021-01-01', { anchor: 'cycleStart' }] } },
      { id: 'd2', label: 'D2', by: { latest: [{ anchor: 'cycleEnd' }, '2021-01-01'] } },
    ];
    expect(
      issuesFor(credits({ window: { from: '2020-01-01', to: { anchor: 'cycleEnd' } } }), {
        initial: {
          requirement: credits({ window: { from: '2020-01-01', to: { anchor: 'cycleEnd' } } }),
          deadlines,
        },
      }),
    ).toEqual([
      { path: `${R}.window.to.anchor`, message: '"cycleEnd" exists only in renewal requirements.' },
      { path: 'initial.deadlines[0].by.anchor', message: '"cycleEnd" exists only in renewal requirements.' },
      {
        path: 'initial.deadlines[1].by.earliest[1].anchor',
        message: '"cycleStart" exists only in renewal requirements.',
      },
      {
        path: 'initial.deadlines[2].by.latest[0].anchor',
        message: '"cycleEnd" exists only in renewal requirements.',
      },
    ]);
    expect(
      issuesFor(credits(), renewal(renewCredits({ window: { from: { anchor: 'cycleStart' } } }))),
    ).toEqual([]);
  });

  it('a window must not start after it ends; an anchored end is not compared', () => {
    expect(issuesFor(credits({ window: { from: '2021-01-01', to: '2020-12-31' } }))).toEqual([
      { path: `${R}.window`, message: 'The window starts (2021-01-01) after it ends (2020-12-31).' },
    ]);
    expect(issuesFor(credits({ window: { from: '2021-01-01', to: '2021-01-01' } }))).toEqual([]);
    expect(issuesFor(credits({ window: { from: { anchor: 'enrollment' }, to: '2020-01-01' } }))).toEqual([]);
    const exam = { id: 'ex', type: 'exam', title: 'Exam', exam: 'ex', minScore: 70 };
    const oath = { id: 'oath', type: 'attestation', title: 'Oath', attestation: 'oath' };
    const backwards = { from: '2022-01-01', to: '2021-01-01' };
    const listed = courses({ courses: ['A'], window: backwards });
    const sentence = 'The window starts (2022-01-01) after it ends (2021-01-01).';
    expect(
      issuesFor(allOf([{ ...exam, window: backwards }, { ...oath, window: backwards }, listed])),
    ).toEqual([
      { path: `${R}.items[0].window`, message: sentence },
      { path: `${R}.items[1].window`, message: sentence },
      { path: `${R}.items[2].window`, message: sentence },
    ]);
  });

  it('yearly minimums and caps outside renewal need a window start or a look-back', () => {
    const yearly = {
      minimums: [{ id: 'm', label: 'm', min: 1, filter: { sponsored: true }, per: 'year' }],
      caps: [{ id: 'c', label: 'c', max: 2, filter: { sourceTypes: ['online'] }, per: 'year' }],
    };
    const sentence =
      'Years are counted from the start of the period: outside renewal requirements, give this requirement window.from or window.lookBack.';
    expect(issuesFor(credits(yearly))).toEqual([
      { path: `${R}.minimums[0].per`, message: sentence },
      { path: `${R}.caps[0].per`, message: sentence },
    ]);
    expect(issuesFor(credits({ ...yearly, window: { lookBack: { years: 3 } } }))).toEqual([]);
  });

  it('requirements name known cohorts', () => {
    expect(issuesFor(credits({ appliesTo: { cohorts: ['pilot', 'ghosts'] } }))).toEqual([
      { path: `${R}.appliesTo.cohorts[1]`, message: 'No cohort "ghosts".' },
    ]);
  });

  it('a courses requirement: codes or a set, known ones, a count that fits, an order to follow', () => {
    expect(issuesFor(courses({}))).toEqual([{ path: R, message: 'Give "courses" (codes) or "courseSet".' }]);
    expect(issuesFor(courses({ courses: ['A'], courseSet: 'first' }))).toEqual([
      { path: R, message: 'Give either "courses" or "courseSet", not both.' },
    ]);
    expect(issuesFor(courses({ courses: ['A', 'ZZ'] }))).toEqual([
      { path: `${R}.courses[1]`, message: 'No course with code "ZZ".' },
    ]);
    expect(issuesFor(courses({ courseSet: 'nope' }))).toEqual([
      { path: `${R}.courseSet`, message: 'No course set "nope".' },
    ]);
    expect(issuesFor(courses({ courseSet: 'first', count: 3 }))).toEqual([
      { path: `${R}.count`, message: 'Asks for 3 courses but only 2 are listed.' },
    ]);
    expect(issuesFor(courses({ courseSet: 'renewal-courses' }))).toEqual([
      { path: `${R}.count`, message: 'Required when the course set is a whole category.' },
    ]);
    expect(issuesFor(courses({ courseSet: 'renewal-courses', count: 2, inOrder: true }))).toEqual([
      { path: `${R}.inOrder`, message: 'Needs listed courses to have an order.' },
    ]);
  });

  it('"after" names an earlier requirement of the same tree that does not contain this one', () => {
    const after = (ref: string, id = 'crs'): Raw => courses({ id, courses: ['A'], after: [ref] });
    expect(issuesFor(allOf([after('nowhere')]))).toEqual([
      { path: `${R}.items[0].after[0]`, message: 'No requirement "nowhere".' },
    ]);
    expect(issuesFor(allOf([after('crs')]))).toEqual([
      {
        path: `${R}.items[0].after[0]`,
        message: '"crs" must come before this requirement and not contain it.',
      },
    ]);
    expect(issuesFor(allOf([after('all')]))).toEqual([
      {
        path: `${R}.items[0].after[0]`,
        message: '"all" must come before this requirement and not contain it.',
      },
    ]);
    expect(issuesFor(allOf([credits(), after('mgmt-tier')]))).toEqual([]);
  });

  it('renewal, reinstatement and first-cycle requirements are checked under their own paths', () => {
    const renewalTree = allOf([renewCredits(), courses({ courses: ['ZZ'], after: ['back'] })], {
      id: 'renew-all',
    });
    const policy = renewal(renewalTree, {
      reinstatement: {
        withinDays: 90,
        requirement: { id: 'back', type: 'credits', title: 'Back', min: 2, filter: { categories: ['gone'] } },
      },
      firstCycle: {
        requirement: allOf(
          [
            {
              id: 'fc-credits',
              type: 'credits',
              title: 'First credits',
              min: 3,
              filter: { categories: ['lost'] },
            },
            courses({ id: 'fc-courses', courses: ['A'], after: ['fc-credits'] }),
          ],
          { id: 'fc-all' },
        ),
      },
    });
    expect(issuesFor(credits(), policy)).toEqual([
      { path: 'renewal.requirement.items[1].courses[0]', message: 'No course with code "ZZ".' },
      {
        path: 'renewal.requirement.items[1].after[0]',
        message: '"back" is in the reinstatement requirements, not the renewal ones.',
      },
      { path: 'renewal.reinstatement.requirement.filter.categories[0]', message: 'No category "gone".' },
      {
        path: 'renewal.firstCycle.requirement.items[0].filter.categories[0]',
        message: 'No category "lost".',
      },
    ]);
  });

  it('nOf cannot ask for more than it lists', () => {
    expect(issuesFor({ id: 'n', type: 'nOf', title: 'N', n: 2, items: [credits()] })).toEqual([
      { path: `${R}.n`, message: 'Asks for 2 of only 1 requirements.' },
    ]);
  });

  it('prorating names a credits requirement of the first cycle: without its own requirement, the renewal one', () => {
    const prorate = (requirement: string): Raw =>
      renewal(renewCredits(), { firstCycle: { prorate: [{ requirement, perMonth: 1 }] } });
    expect(issuesFor(credits(), prorate('renew'))).toEqual([]);
    for (const ref of ['mgmt-tier', 'nowhere'])
      expect(issuesFor(credits(), prorate(ref))).toEqual([
        {
          path: 'renewal.firstCycle.prorate[0].requirement',
          message: `No requirement "${ref}" in the first cycle's requirement (renewal.requirement).`,
        },
      ]);
    const own = renewal(renewCredits(), {
      firstCycle: {
        requirement: renewCredits({ id: 'first' }),
        prorate: [{ requirement: 'renew', perMonth: 1 }],
      },
    });
    expect(issuesFor(credits(), own)).toEqual([
      {
        path: 'renewal.firstCycle.prorate[0].requirement',
        message: `No requirement "renew" in the first cycle's requirement (renewal.firstCycle.requirement).`,
      },
    ]);
  });
});
