import { describe, expect, it } from 'vitest';
import cpo from '../../../programs/igo-cpo.json';
import { parseProgram, valueAt } from './schema.js';

const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;
type Json = Record<string, unknown> & {
  categories: Record<string, unknown>[];
  sourceTypes: Record<string, unknown>[];
  courses: Record<string, unknown>[];
  courseSets: Record<string, unknown>[];
  cohorts: Record<string, unknown>[];
  initial: { requirement: Record<string, unknown> & { items: Record<string, unknown>[] } };
};

const issuesOf = (json: unknown) => {
  const r = parseProgram(json);
  if (r.ok) throw new Error('expected the program to be refused');
  return r.issues;
};

describe('program check: cross-references', () => {
  it('names every duplicate id, unknown parent and category cycle, with its path', () => {
    const p = clone(cpo) as unknown as Json;
    p.categories.push(
      { id: 'management', name: 'Again' },
      { id: 'orphan', name: 'Orphan', parent: 'nowhere' },
      { id: 'loop-a', name: 'A', parent: 'loop-b' },
      { id: 'loop-b', name: 'B', parent: 'loop-a' },
    );
    p.sourceTypes.push({ ...p.sourceTypes[0] });
    p.courses = [
      { code: 'C1', title: 'One', category: 'management', credits: 1 },
      { code: 'C1', title: 'One again', category: 'management', credits: 1 },
    ];
    p.courseSets = [
      { id: 'S', name: 'Set', courses: ['C1'] },
      { id: 'S', name: 'Set again', category: 'management' },
    ];
    p.cohorts = [
      { id: 'k', name: 'K' },
      { id: 'k', name: 'K again' },
    ];
    const n = p.categories.length;
    expect(issuesOf(p)).toEqual([
      { path: `categories[${n - 4}]`, message: 'Duplicate category id "management".' },
      {
        path: `sourceTypes[${p.sourceTypes.length - 1}]`,
        message: 'Duplicate source type id "igo-conference".',
      },
      { path: 'courses[1]', message: 'Duplicate course code "C1".' },
      { path: 'courseSets[1]', message: 'Duplicate course set id "S".' },
      { path: 'cohorts[1]', message: 'Duplicate cohort id "k".' },
      { path: `categories[${n - 3}].parent`, message: 'No category "nowhere".' },
      { path: `categories[${n - 2}].parent`, message: 'Category "loop-a" is its own ancestor.' },
      { path: `categories[${n - 1}].parent`, message: 'Category "loop-b" is its own ancestor.' },
    ]);
  });

  it('finds duplicate requirement ids inside deadlines and groups, and reports a shape error once', () => {
    const p = clone(cpo) as unknown as Json;
    const first = p.initial.requirement.items[0]!;
    p.initial.requirement.items.push({
      id: 'late',
      type: 'deadline',
      title: 'Late',
      by: '2030-01-01',
      item: { id: 'in-group', type: 'anyOf', title: 'G', items: [{ ...first }] },
    });
    const i = p.initial.requirement.items.length - 1;
    expect(issuesOf(p)).toEqual([
      {
        path: `initial.requirement.items[${i}].item.items[0].id`,
        message: `Duplicate requirement id "${String(first.id)}" (also at initial.requirement.items[0]).`,
      },
    ]);
  });

  it('says "Required." only for a field that is missing, not one of the wrong type', () => {
    const p = clone(cpo) as unknown as Json;
    delete p.name;
    p.designation = 7;
    const issues = issuesOf(p);
    expect(issues).toContainEqual({ path: 'name', message: 'Required.' });
    const designation = issues.find((x) => x.path === 'designation');
    expect(designation?.message).not.toBe('Required.');
    expect(valueAt({ a: [{ b: 1 }] }, ['a', 0, 'b'])).toBe(1);
    expect(valueAt({ a: null }, ['a', 'b'])).toBeUndefined();
    expect(valueAt({ a: 'text' }, ['a', 'length'])).toBeUndefined();
  });
});
