/**
 * Issue 13, section 5: format primitives real programs need -- a per-record minimum, counting
 * activities that are not catalog courses, a per-activity cap, and a course repeated within the
 * period counting once. Outcomes and the sentences an official reads.
 */
import { describe, expect, it } from 'vitest';
import { evaluate } from './evaluate.js';
import { describeCountingRules } from './describe.js';
import { parseProgram } from './schema.js';
import { rec, testProgram } from './testkit.js';
import type { CreditRecord, EvaluationContext } from './types.js';

const AS_OF = '2026-05-01';

function run(
  requirement: Record<string, unknown>,
  records: CreditRecord[],
  extra: Partial<EvaluationContext> = {},
) {
  const program = testProgram(requirement, { unit: { singular: 'hour', plural: 'hours' } });
  return evaluate(program, records, { asOf: AS_OF, ...extra });
}

/** A raw test program (not yet parsed), to see what the schema and reference check say. */
function issuesOf(requirement: Record<string, unknown>): { path: string; message: string }[] {
  const good = testProgram({ id: 'x', type: 'credits', title: 'X', min: 1 });
  const parsed = parseProgram({ ...good, initial: { requirement, deadlines: [] } });
  return parsed.ok ? [] : parsed.issues;
}

describe('per-record minimum (recordMin)', () => {
  const election: Record<string, unknown> = {
    id: 'election-hours',
    type: 'credits',
    title: 'Election training',
    min: 10,
    recordMin: { min: 5, filter: { sourceTypes: ['conf'] }, label: 'an outside event' },
  };

  it('counts an outside event of at least 5 hours and lists a smaller one as not counting, with why', () => {
    const r = run(election, [
      rec({ id: 'big', date: '2025-03-01', amount: 5, title: 'State election conference' }),
      rec({ id: 'small', date: '2025-04-01', amount: 3, title: 'Webinar' }),
      rec({ id: 'big2', date: '2025-05-01', amount: 6 }),
    ]);
    expect(r.initial.met).toBe(true);
    expect(r.initial.have).toBe(11);
    expect(r.initial.counted.map((c) => c.recordId)).toEqual(['big', 'big2']);
    expect(r.initial.notCounted).toEqual([
      {
        recordId: 'small',
        date: '2025-04-01',
        amount: 3,
        reason: 'below_record_minimum',
        detail:
          'Only 3 hours: an outside event counts toward Election training only if it has at least 5 hours.',
      },
    ]);
  });

  it('applies only to the records its filter names: a catalog course of 3 hours still counts', () => {
    const r = run(election, [
      rec({ id: 'course', date: '2025-03-01', sourceType: 'online', courseCode: 'A', amount: undefined }),
      rec({ id: 'small', date: '2025-04-01', amount: 4.99 }),
    ]);
    expect(r.initial.counted.map((c) => c.recordId)).toEqual(['course']);
    expect(r.initial.notCounted.map((n) => n.reason)).toEqual(['below_record_minimum']);
    expect(r.missing).toEqual(['You need 7 more hours for Election training.']);
  });

  it('without a label or filter, names "a record" and applies to every record', () => {
    const r = run({ ...election, recordMin: { min: 2 } }, [
      rec({ id: 'one', date: '2025-01-01', amount: 1 }),
    ]);
    expect(r.initial.notCounted[0]?.detail).toBe(
      'Only 1 hour: a record counts toward Election training only if it has at least 2 hours.',
    );
  });

  it('a record below the minimum of one requirement still counts toward another that has none', () => {
    const r = run(
      {
        id: 'all',
        type: 'allOf',
        title: 'All',
        items: [
          { ...election, min: 5 },
          { id: 'general', type: 'credits', title: 'General hours', min: 3 },
        ],
      },
      [
        rec({ id: 'big', date: '2025-01-01', amount: 5 }),
        rec({ id: 'small', date: '2025-02-01', amount: 3 }),
      ],
    );
    expect(r.initial.met).toBe(true);
    const [eh, general] = r.initial.children;
    expect(eh?.counted.map((c) => c.recordId)).toEqual(['big']);
    expect(general?.counted.map((c) => c.recordId)).toEqual(['small']);
  });

  it('is checked by the format: a positive number, known source types, no unknown fields', () => {
    expect(issuesOf({ ...election, recordMin: { min: 0 } })).toContainEqual({
      path: 'initial.requirement.recordMin.min',
      message: 'Must be greater than 0.',
    });
    expect(
      issuesOf({ ...election, recordMin: { min: 5, filter: { sourceTypes: ['nope'] } } }),
    ).toContainEqual({
      path: 'initial.requirement.recordMin.filter.sourceTypes[0]',
      message: 'No source type "nope".',
    });
    expect(issuesOf({ ...election, recordMin: { min: 5, each: true } })).toContainEqual({
      path: 'initial.requirement.recordMin',
      message: 'Unknown field(s): each.',
    });
  });
});

describe('activities that are not catalog courses (filter.catalog)', () => {
  const outside: Record<string, unknown> = {
    id: 'outside',
    type: 'credits',
    title: 'Outside training',
    min: 4,
    filter: { catalog: false },
  };

  it('counts outside-credit claims with no course code, of any source type, and not catalog courses', () => {
    const r = run(outside, [
      rec({ id: 'claim', date: '2025-01-01', amount: 3, category: undefined, sourceType: 'work' }),
      rec({ id: 'course', date: '2025-01-02', courseCode: 'A', amount: undefined, category: undefined }),
      rec({ id: 'claim2', date: '2025-01-03', amount: 1, category: undefined, sourceType: 'conf' }),
    ]);
    expect(r.initial.met).toBe(true);
    expect(r.initial.counted.map((c) => c.recordId)).toEqual(['claim', 'claim2']);
    // The catalog course matches nothing in this program, so it is reported as counting nowhere.
    expect(r.notCounted.map((n) => n.recordId)).toEqual(['course']);
  });

  it('catalog: true counts only catalog courses; a code the catalog does not know is not one', () => {
    const r = run({ ...outside, filter: { catalog: true } }, [
      rec({ id: 'claim', date: '2025-01-01', amount: 3 }),
      rec({ id: 'course', date: '2025-01-02', courseCode: 'A', amount: undefined }),
      rec({ id: 'unknown', date: '2025-01-03', courseCode: 'ZZ-99', amount: 2 }),
    ]);
    expect(r.initial.counted.map((c) => c.recordId)).toEqual(['course']);
    expect(r.missing).toEqual(['You need 1 more hour for Outside training.']);
  });

  it('combines with a source type: "outside conferences" only', () => {
    const r = run({ ...outside, filter: { catalog: false, sourceTypes: ['conf'] } }, [
      rec({ id: 'conf', date: '2025-01-01', amount: 4 }),
      rec({ id: 'work', date: '2025-01-02', amount: 4, sourceType: 'work' }),
    ]);
    expect(r.initial.counted.map((c) => c.recordId)).toEqual(['conf']);
  });

  it('refuses catalog: false together with listed catalog courses', () => {
    expect(issuesOf({ ...outside, filter: { catalog: false, courses: ['A'] } })).toContainEqual({
      path: 'initial.requirement.filter.catalog',
      message: 'Cannot be false when "courses" lists catalog courses: no record would match.',
    });
  });
});

describe('program check reads the counting rules back (describeCountingRules)', () => {
  it('names the per-record minimum and the outside-only filter', () => {
    const program = testProgram(
      {
        id: 'eh',
        type: 'credits',
        title: 'Election training',
        min: 10,
        filter: { catalog: false },
        recordMin: { min: 5, filter: { sourceTypes: ['conf'] }, label: 'an outside event' },
      },
      { unit: { singular: 'hour', plural: 'hours' } },
    );
    expect(describeCountingRules(program)).toEqual([
      'Election training: counts only records that are not catalog courses; an outside event (records of source Conference) counts only with at least 5 hours.',
    ]);
  });
});

describe('per-activity cap (caps[].per = "activity")', () => {
  const conferences: Record<string, unknown> = {
    id: 'ce',
    type: 'credits',
    title: 'Continuing education',
    min: 20,
    caps: [
      {
        id: 'per-conf',
        label: 'each conference at most 10 hours',
        max: 10,
        filter: { sourceTypes: ['conf'] },
        per: 'activity',
      },
    ],
  };

  it('caps each conference at 10 hours, not the total of all conferences', () => {
    const r = run(conferences, [
      rec({ id: 'state', date: '2025-03-01', amount: 12, title: 'State conference' }),
      rec({ id: 'national', date: '2025-06-01', amount: 9, title: 'National conference' }),
      rec({ id: 'online', date: '2025-07-01', amount: 15, sourceType: 'online' }),
    ]);
    expect(r.initial.have).toBe(34);
    expect(r.initial.counted.map((c) => [c.recordId, c.amount])).toEqual([
      ['state', 10],
      ['national', 9],
      ['online', 15],
    ]);
    expect(r.initial.notCounted).toEqual([
      {
        recordId: 'state',
        date: '2025-03-01',
        amount: 2,
        reason: 'over_cap',
        detail:
          'Over the limit: each conference at most 10 hours. "State conference" on March 1, 2025 already counts for the most allowed, 10 hours.',
      },
    ]);
    expect(r.initial.parts).toEqual([
      {
        id: 'per-conf',
        label: 'each conference at most 10 hours',
        kind: 'cap',
        have: 19,
        limit: 10,
        met: true,
        per: 'activity',
      },
    ]);
  });

  it('treats records of one title on one date as one activity, and the same course code as one', () => {
    const r = run({ ...conferences, min: 10 }, [
      rec({ id: 'day-a', date: '2025-03-01', amount: 6, title: 'State Conference' }),
      rec({ id: 'day-b', date: '2025-03-01', amount: 6, title: '  state   conference ' }),
      rec({ id: 'coded-1', date: '2025-04-01', amount: 8, courseCode: 'EV-1' }),
      rec({ id: 'coded-2', date: '2025-04-02', amount: 8, courseCode: 'EV-1' }),
    ]);
    const got = Object.fromEntries(r.initial.counted.map((c) => [c.recordId, c.amount]));
    expect(got).toEqual({ 'day-a': 6, 'day-b': 4, 'coded-1': 8, 'coded-2': 2 });
    expect(r.initial.notCounted.map((n) => [n.recordId, n.amount])).toEqual([
      ['day-b', 2],
      ['coded-2', 6],
    ]);
    expect(r.initial.notCounted[1]?.detail).toBe(
      'Over the limit: each conference at most 10 hours. Course EV-1 already counts for the most allowed, 10 hours.',
    );
  });

  it('the same title on another date, or a record with no title, is another activity', () => {
    const r = run(conferences, [
      rec({ id: 'y1', date: '2025-03-01', amount: 10, title: 'State conference' }),
      rec({ id: 'y2', date: '2026-03-01', amount: 10, title: 'State conference' }),
      rec({ id: 'n1', date: '2025-05-01', amount: 10 }),
      rec({ id: 'n2', date: '2025-05-01', amount: 10 }),
    ]);
    expect(r.initial.have).toBe(40);
    expect(r.initial.notCounted).toEqual([]);
  });

  it('combines with a cap on the total: the tightest decides', () => {
    const r = run(
      {
        ...conferences,
        caps: [
          ...(conferences.caps as unknown[]),
          {
            id: 'all-conf',
            label: 'conferences at most 15 hours in all',
            max: 15,
            filter: { sourceTypes: ['conf'] },
          },
        ],
      },
      [
        rec({ id: 'a', date: '2025-03-01', amount: 12, title: 'A' }),
        rec({ id: 'b', date: '2025-04-01', amount: 12, title: 'B' }),
      ],
    );
    expect(r.initial.counted.map((c) => [c.recordId, c.amount])).toEqual([
      ['a', 10],
      ['b', 5],
    ]);
    expect(r.initial.notCounted.map((n) => [n.recordId, n.amount, n.detail.split('.')[0]])).toEqual([
      ['a', 2, 'Over the limit: each conference at most 10 hours'],
      ['b', 7, 'Over the limit: conferences at most 15 hours in all'],
    ]);
    expect(r.missing).toEqual(['You need 5 more hours for Continuing education.']);
  });

  it('refuses another value of per', () => {
    const caps = [{ id: 'c', label: 'c', max: 1, filter: {}, per: 'month' }];
    expect(issuesOf({ ...conferences, caps })).toContainEqual({
      path: 'initial.requirement.caps[0].per',
      message: 'Must be "activity" or "year" (or leave it out).',
    });
  });
});

describe('a course repeated within the period counts once (repeatedCourses)', () => {
  const catalog: Record<string, unknown> = {
    id: 'job',
    type: 'credits',
    title: 'Job-specific training',
    min: 9,
    filter: { categories: ['job'] },
    repeatedCourses: 'once',
  };
  const course = (id: string, code: string, date: string) =>
    rec({ id, date, courseCode: code, amount: undefined, category: undefined });

  it('counts the earliest completion and lists the repeat with why', () => {
    const r = run(catalog, [
      course('a1', 'A', '2025-03-01'),
      course('a2', 'A', '2025-09-01'),
      course('b1', 'B', '2025-10-01'),
    ]);
    expect(r.initial.counted.map((c) => c.recordId)).toEqual(['a1', 'b1']);
    expect(r.initial.have).toBe(6);
    expect(r.initial.notCounted).toEqual([
      {
        recordId: 'a2',
        date: '2025-09-01',
        amount: 3,
        reason: 'duplicate_course',
        detail:
          'A repeat: "Course A" already counts from March 1, 2025, and a course repeated within the period counts once.',
      },
    ]);
    expect(r.missing).toEqual(['You need 3 more hours for Job-specific training.']);
  });

  it('by default every completion counts', () => {
    const r = run({ ...catalog, repeatedCourses: undefined }, [
      course('a1', 'A', '2025-03-01'),
      course('a2', 'A', '2025-09-01'),
      course('b1', 'B', '2025-10-01'),
    ]);
    expect(r.initial.met).toBe(true);
    expect(r.initial.have).toBe(9);
  });

  it('leaves records of no catalog course alone', () => {
    const r = run({ ...catalog, filter: undefined, min: 4 }, [
      rec({ id: 'x1', date: '2025-03-01', amount: 2, title: 'Webinar' }),
      rec({ id: 'x2', date: '2025-04-01', amount: 2, title: 'Webinar' }),
    ]);
    expect(r.initial.met).toBe(true);
  });

  it('in a renewal, a course taken in each of two cycles counts in each', () => {
    const program = testProgram(
      { id: 'init', type: 'credits', title: 'Initial', min: 1, filter: { categories: ['mgmt'] } },
      {
        unit: { singular: 'hour', plural: 'hours' },
        renewal: {
          cycleYears: 1,
          expiryBasis: 'fixedAnchor',
          anchor: { month: 12, day: 31 },
          requirement: { ...catalog, id: 'renew', min: 3 },
        },
      },
    );
    const r = evaluate(
      program,
      [
        rec({ id: 'm', date: '2024-01-02', amount: 1 }),
        course('a1', 'A', '2025-03-01'),
        course('a2', 'A', '2025-05-01'),
        course('a3', 'A', '2026-03-01'),
      ],
      { asOf: '2026-04-01', awards: [{ id: 'aw', awardedOn: '2024-12-31' }] },
    );
    const [first, second] = r.lifecycle?.cycles ?? [];
    expect(first?.state).toBe('renewed');
    expect(first?.requirement?.notCounted.find((n) => n.recordId === 'a2')?.reason).toBe('duplicate_course');
    expect(second?.requirement?.counted.map((c) => c.recordId)).toEqual(['a3']);
  });

  it('under exclusive counting, a repeat goes where it can still count', () => {
    const r = run(
      {
        id: 'all',
        type: 'allOf',
        title: 'All',
        items: [
          catalog,
          { id: 'any', type: 'credits', title: 'Any hours', min: 3, filter: { categories: ['job'] } },
        ],
      },
      [
        course('a1', 'A', '2025-03-01'),
        course('a2', 'A', '2025-04-01'),
        course('b1', 'B', '2025-05-01'),
        course('c1', 'C', '2025-06-01'),
      ],
    );
    expect(r.initial.met).toBe(true);
    const [job, any] = r.initial.children;
    expect(job?.counted.map((c) => c.recordId).sort()).toEqual(['a1', 'b1', 'c1']);
    expect(any?.counted.map((c) => c.recordId)).toEqual(['a2']);
  });
});
