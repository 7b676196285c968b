/**
 * Normalizing records for the rules (compile.ts) and the plain-language pieces
 * of explanations (explain.ts): what an official reads follows from these.
 */
import { describe, expect, it } from 'vitest';
import { compileProgram, matchesCategory, matchesFilter, normalizeRecords, type Rec } from './compile.js';
import { fmtAmount, joinAnd, joinOr } from './explain.js';
import { rec, testProgram } from './testkit.js';
import type { CreditRecord } from './types.js';

const program = testProgram({ id: 'x', type: 'credits', title: 'X', min: 1 });
const compiled = compileProgram(program);
const one = (r: CreditRecord): Rec => {
  const { recs } = normalizeRecords(compiled, [r]);
  if (!recs[0]) throw new Error('not normalized');
  return recs[0];
};
const raw = (partial: Partial<CreditRecord> & { id: string; date: string }): CreditRecord => ({
  personId: 'p1',
  sourceType: 'conf',
  status: 'approved',
  ...partial,
});

describe('compileProgram', () => {
  it('compiles a program once', () => {
    expect(compileProgram(program)).toBe(compiled);
  });

  it('lists each category with its parents, nearest first', () => {
    expect(compiled.lineage.get('mgmt-ethics')).toEqual(['mgmt-ethics', 'mgmt']);
    expect(compiled.lineage.get('job')).toEqual(['job']);
    expect(compiled.categoryName.get('mgmt-ethics')).toBe('Ethics');
  });
});

describe('normalizeRecords', () => {
  it('reads a record with nothing but a date as an unsponsored record of no category', () => {
    const r = one(raw({ id: 'n1', date: '2025-01-01' }));
    expect(r).toMatchObject({
      amount: 0,
      category: undefined,
      lineage: [],
      sponsored: false,
      title: undefined,
    });
  });

  it('keeps a category the program does not list, as its own lineage', () => {
    expect(one(raw({ id: 'n2', date: '2025-01-01', category: 'elsewhere' })).lineage).toEqual(['elsewhere']);
  });

  it('takes amount, category and title from the course, but the record’s own title wins', () => {
    expect(one(raw({ id: 'n3', date: '2025-01-01', courseCode: 'A' }))).toMatchObject({
      amount: 300,
      category: 'job',
      lineage: ['job'],
      title: 'Course A',
    });
    expect(
      one(raw({ id: 'n4', date: '2025-01-01', courseCode: 'A', title: 'Course A, spring session' })).title,
    ).toBe('Course A, spring session');
  });

  it('reports a record whose date cannot be read', () => {
    const { recs, unreadable } = normalizeRecords(compiled, [rec({ id: 'bad', date: 'someday', amount: 2 })]);
    expect(recs).toEqual([]);
    expect(unreadable).toEqual([
      {
        recordId: 'bad',
        date: 'someday',
        amount: 200,
        reason: 'unreadable',
        detail: 'The date "someday" could not be read.',
      },
    ]);
  });

  it('orders records by date, then id', () => {
    const input = [
      raw({ id: 'e', date: '2025-01-02' }),
      raw({ id: 'c', date: '2025-01-01' }),
      raw({ id: 'a', date: '2025-01-01' }),
      raw({ id: 'd', date: '2025-01-03' }),
      raw({ id: 'b', date: '2025-01-01' }),
      raw({ id: 'f', date: '2025-01-02' }),
    ];
    expect(normalizeRecords(compiled, input).recs.map((r) => r.id)).toEqual(['a', 'b', 'c', 'e', 'f', 'd']);
    expect(normalizeRecords(compiled, [...input].reverse()).recs.map((r) => r.id)).toEqual([
      'a',
      'b',
      'c',
      'e',
      'f',
      'd',
    ]);
  });
});

describe('matchesFilter and matchesCategory', () => {
  const ethics = one(raw({ id: 'm1', date: '2025-01-01', category: 'mgmt-ethics' }));
  const courseA = one(raw({ id: 'm2', date: '2025-01-01', courseCode: 'A' }));
  const plain = one(raw({ id: 'm3', date: '2025-01-01', category: 'job' }));

  it('a record matches a category filter if any listed category is in its lineage', () => {
    expect(matchesFilter(ethics, { categories: ['job', 'mgmt'] })).toBe(true);
    expect(matchesFilter(ethics, { categories: ['job', 'other'] })).toBe(false);
    expect(matchesCategory(ethics, { categories: ['job', 'mgmt'] })).toBe(true);
    expect(matchesCategory(ethics, { categories: ['job', 'other'] })).toBe(false);
  });

  it('a category check passes when the filter names no categories', () => {
    expect(matchesCategory(ethics, undefined)).toBe(true);
    expect(matchesCategory(ethics, { sponsored: true })).toBe(true);
  });

  it('a course filter takes only the listed courses', () => {
    expect(matchesFilter(courseA, { courses: ['A', 'B'] })).toBe(true);
    expect(matchesFilter(courseA, { courses: ['B'] })).toBe(false);
    expect(matchesFilter(plain, { courses: ['A'] })).toBe(false);
    expect(matchesFilter(plain, { categories: ['job'] })).toBe(true);
  });
});

describe('fmtAmount', () => {
  it('writes hundredths as an official reads them', () => {
    expect([7200, 150, 125, 5, 50, -50, -5, -150, -125].map(fmtAmount)).toEqual([
      '72',
      '1.5',
      '1.25',
      '0.05',
      '0.5',
      '-0.5',
      '-0.05',
      '-1.5',
      '-1.25',
    ]);
  });
});

describe('joinAnd and joinOr', () => {
  it('join lists in plain English', () => {
    expect(joinAnd([])).toBe('');
    expect(joinAnd(['A'])).toBe('A');
    expect(joinAnd(['A', 'B'])).toBe('A and B');
    expect(joinOr(['A', 'B', 'C'])).toBe('A, B, or C');
  });
});
