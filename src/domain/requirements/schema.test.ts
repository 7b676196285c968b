import { describe, expect, it } from 'vitest';
import cpo from '../../../programs/igo-cpo.json';
import ks from '../../../programs/ks-county-election-official.json';
import { parseProgram } from './schema.js';
import { selectProgramVersion } from './versions.js';

const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

describe('parseProgram', () => {
  it('accepts both shipped programs', () => {
    const a = parseProgram(cpo);
    const b = parseProgram(ks);
    expect(a.ok && a.program.designation).toBe('CPO');
    expect(b.ok && b.program.timeZone).toBe('America/Chicago');
  });

  it('gives every shape error with its path', () => {
    const bad = clone(cpo) as Record<string, unknown> & {
      initial: { requirement: { items: Record<string, unknown>[] } };
    };
    bad.timeZone = 'Central Time';
    delete bad.name;
    bad.colour = 'blue';
    const tier = bad.initial.requirement.items[0]!;
    tier.min = -72;
    (tier.minimums as Record<string, unknown>[])[0]!.min = 'sixteen';
    bad.initial.requirement.items[1] = { id: 'x', type: 'credit', title: 'Typo' };
    const r = parseProgram(bad);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    const byPath = Object.fromEntries(r.issues.map((i) => [i.path, i.message]));
    expect(byPath).toMatchObject({
      timeZone: 'Must be an IANA time zone such as America/Chicago.',
      name: 'Required.',
      '(file)': 'Unknown field(s): colour.',
      'initial.requirement.items[0].min': 'Must be greater than 0.',
      'initial.requirement.items[0].minimums[0].min': 'Must be a number.',
    });
    expect(byPath['initial.requirement.items[1].type']).toMatch(/Unknown requirement type/);
  });

  it('refuses a course set that lists no course, or lists courses and a category', () => {
    const bad = clone(ks) as typeof ks & Record<string, unknown>;
    bad.courseSets[0]!.courses = [];
    (bad.courseSets[1] as Record<string, unknown>).category = 'advance-renewal';
    const r = parseProgram(bad);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.issues).toEqual([
      {
        path: 'courseSets[0].courses',
        message: 'List at least one course code, or give "category" instead.',
      },
      {
        path: 'courseSets[1]',
        message: 'Give either "courses" or "category", not both: the listed courses would win.',
      },
    ]);
  });

  it('checks references: categories, courses, sets, cohorts, ordering, anchors', () => {
    const bad = clone(ks) as typeof ks & Record<string, unknown>;
    bad.courses[0]!.category = 'year-zero';
    bad.courseSets[0]!.courses = ['KS-Y1-01', 'KS-Y9-99'];
    const items = bad.initial.requirement.items as Record<string, unknown>[];
    items[1]!.after = ['year-three'];
    items[2]!.id = 'year-one';
    bad.initial.deadlines[0]!.appliesTo.cohorts = ['pilot-2042'];
    (bad.renewal as Record<string, unknown>).anchor = undefined;
    const r = parseProgram(bad);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.issues).toEqual(
      expect.arrayContaining([
        { path: 'courses[0].category', message: 'No category "year-zero".' },
        { path: 'courseSets[0].courses[1]', message: 'No course with code "KS-Y9-99".' },
        {
          path: 'initial.requirement.items[2].id',
          message: 'Duplicate requirement id "year-one" (also at initial.requirement.items[0]).',
        },
        { path: 'initial.deadlines[0].appliesTo.cohorts[0]', message: 'No cohort "pilot-2042".' },
        {
          path: 'renewal.anchor',
          message: 'Required when expiryBasis is fixedAnchor (the month and day cycles end on).',
        },
      ]),
    );
    expect(r.issues.some((i) => i.path === 'initial.requirement.items[1].after[0]')).toBe(true);
  });

  it('rejects a sponsored minimum larger than its total, and cycle anchors outside renewal', () => {
    const bad = clone(cpo) as typeof cpo;
    const tier = bad.initial.requirement.items[0] as unknown as Record<string, unknown>;
    (tier.minimums as { min: number }[])[0]!.min = 80;
    tier.window = { from: { anchor: 'cycleStart' } };
    const r = parseProgram(bad);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.issues).toEqual(
      expect.arrayContaining([
        {
          path: 'initial.requirement.items[0].minimums[0].min',
          message: 'A minimum within the total (80) cannot exceed the total (72).',
        },
        {
          path: 'initial.requirement.items[0].window.from.anchor',
          message: '"cycleStart" exists only in renewal requirements.',
        },
      ]),
    );
  });

  it('rejects things that are not programs without throwing', () => {
    for (const v of [null, 42, 'x', [], {}]) {
      const r = parseProgram(v);
      expect(r.ok).toBe(false);
    }
  });
});

describe('selectProgramVersion', () => {
  const v = (version: string, effectiveFrom: string) => {
    const p = parseProgram({ ...clone(cpo), version, effectiveFrom });
    if (!p.ok) throw new Error('bad');
    return p.program;
  };
  const versions = [v('2024.1', '2024-01-01'), v('2016.1', '2016-01-01')];

  it('judges an official by the version in force when they enrolled', () => {
    expect(selectProgramVersion(versions, '2023-12-31')?.version).toBe('2016.1');
    expect(selectProgramVersion(versions, '2024-01-01')?.version).toBe('2024.1');
    expect(selectProgramVersion(versions, '2010-01-01')?.version).toBe('2016.1');
  });

  it('unless deliberately moved to another version', () => {
    expect(selectProgramVersion(versions, '2023-12-31', '2024.1')?.version).toBe('2024.1');
  });
});
