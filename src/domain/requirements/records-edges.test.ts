/**
 * Exact messages and edge cases of the records readers (JSON, CSV, people):
 * what an official importing a file reads when something is wrong.
 */
import { describe, expect, it } from 'vitest';
import { parsePeopleJson, parseRecordsCsv, parseRecordsJson, splitCsv } from './records.js';

const record = (id: string, extra: Record<string, unknown> = {}) => ({
  id,
  personId: 'p1',
  date: '2026-01-05',
  sourceType: 'x',
  status: 'approved',
  ...extra,
});

const FILE_SHAPE = {
  ok: false,
  issues: [
    {
      where: '(file)',
      message: 'Expected an array of records or an object with "records" (and "people").',
    },
  ],
};

describe('JSON records: exact results', () => {
  it('refuses a file of the wrong shape with one file-level issue', () => {
    expect(parseRecordsJson('records')).toEqual(FILE_SHAPE);
    expect(parseRecordsJson({ records: 'none' })).toEqual(FILE_SHAPE);
    expect(parseRecordsJson(null)).toEqual(FILE_SHAPE);
  });

  it('an array of records has no people', () => {
    expect(parseRecordsJson([record('r1')])).toEqual({ ok: true, records: [record('r1')], people: [] });
    expect(parseRecordsJson({ records: [record('r1')] })).toEqual({
      ok: true,
      records: [record('r1')],
      people: [],
    });
  });

  it('in a bare array, issues are located by index alone; duplicates by their place in the file', () => {
    const r = parseRecordsJson([record('r1', { status: 'done' }), record('r2'), record('r2'), record('r2')]);
    expect(r).toEqual({
      ok: false,
      issues: [
        { where: '[0].status', message: 'Must be approved, pending, rejected or reversed.' },
        { where: 'records[2]', message: 'Duplicate record id "r2" (also at records[1]).' },
        { where: 'records[3]', message: 'Duplicate record id "r2" (also at records[1]).' },
      ],
    });
  });

  it('in an object, duplicate ids point at records[i]', () => {
    expect(parseRecordsJson({ records: [record('a'), record('b'), record('a')] })).toEqual({
      ok: false,
      issues: [{ where: 'records[2]', message: 'Duplicate record id "a" (also at records[0]).' }],
    });
  });
});

describe('splitCsv: edge cases', () => {
  it('a quote inside a field is kept as text', () => {
    expect(splitCsv('a"b,c\n').rows).toEqual([['a"b', 'c']]);
  });

  it('a lone CR ends a line; blank lines are kept as empty rows', () => {
    expect(splitCsv('a\rb').rows).toEqual([['a'], ['b']]);
    expect(splitCsv('a\n\nb').rows).toEqual([['a'], [''], ['b']]);
    expect(splitCsv('a\r\n\r\nb\r\n').rows).toEqual([['a'], [''], ['b']]);
  });

  it('no empty row after a final newline; a trailing comma keeps its empty field', () => {
    expect(splitCsv('a,b\n').rows).toEqual([['a', 'b']]);
    expect(splitCsv('a,').rows).toEqual([['a', '']]);
    expect(splitCsv('a').rows).toEqual([['a']]);
    expect(splitCsv('"x"').rows).toEqual([['x']]);
    expect(splitCsv('').rows).toEqual([]);
  });

  it('an unclosed quote names the line it starts on', () => {
    expect(splitCsv('a\nb,"open\nmore')).toEqual({
      rows: [['a']],
      error: 'Line 2: a quoted field is never closed.',
    });
  });
});

const HEADER = 'id,personId,date,sourceType,status';

describe('CSV records: exact results', () => {
  it('an unclosed quote is a file-level issue', () => {
    expect(parseRecordsCsv(`${HEADER}\nr1,p1,2026-01-01,"x,approved`)).toEqual({
      ok: false,
      issues: [{ where: '(file)', message: 'Line 2: a quoted field is never closed.' }],
    });
  });

  it('an empty or blank file', () => {
    const empty = { ok: false, issues: [{ where: '(file)', message: 'The file is empty.' }] };
    expect(parseRecordsCsv('')).toEqual(empty);
    expect(parseRecordsCsv('\n  \n , \n')).toEqual(empty);
  });

  it('skips blank lines, keeps true line numbers, and trims cells', () => {
    const r = parseRecordsCsv(
      `\n${HEADER}\n\n  ,  \n r1 , p1 ,2026-01-05, x ,Approved\nr2,p1,2026-02-30,x,approved\n`,
    );
    expect(r).toEqual({
      ok: false,
      issues: [{ where: 'line 6, column date', message: 'Not a real calendar date.' }],
    });
    expect(parseRecordsCsv(`\n${HEADER}\n\n r1 , p1 ,2026-01-05, x ,Approved\n`)).toEqual({
      ok: true,
      records: [{ id: 'r1', personId: 'p1', date: '2026-01-05', sourceType: 'x', status: 'approved' }],
      people: [],
    });
  });

  it('column names are matched ignoring case, spaces, underscores and dashes', () => {
    const r = parseRecordsCsv(
      ' Record_ID ,PERSON-id,Date,Source Type,status,Course code\nr1,p1,2026-01-05,x,approved,C1\n',
    );
    expect(r).toEqual({
      ok: true,
      records: [
        {
          id: 'r1',
          personId: 'p1',
          date: '2026-01-05',
          sourceType: 'x',
          status: 'approved',
          courseCode: 'C1',
        },
      ],
      people: [],
    });
  });

  it('header problems are reported on the header line and stop there', () => {
    const r = parseRecordsCsv('\n\nid, Colour ,date\nr1,red,2026-02-30\n');
    expect(r).toEqual({
      ok: false,
      issues: [
        { where: 'line 3', message: 'Unknown column "Colour".' },
        { where: 'line 3', message: 'Missing column "personId".' },
        { where: 'line 3', message: 'Missing column "sourceType".' },
        { where: 'line 3', message: 'Missing column "status".' },
      ],
    });
  });

  it('a row with a bad amount or sponsored value is not read further (no duplicate-id report for it)', () => {
    const r = parseRecordsCsv(
      [
        `${HEADER},amount,sponsored`,
        'r1,p1,2026-01-05,x,approved,lots,no',
        'r1,p1,2026-01-05,x,approved,1,no',
        'r2,p1,2026-01-05,x,approved,1,perhaps',
        'r2,p1,2026-01-05,x,approved,1,yes',
        'r3,p1,2026-01-05,x,nope,1,yes',
        'r3,p1,2026-01-05,x,approved,1,yes',
      ].join('\n'),
    );
    expect(r).toEqual({
      ok: false,
      issues: [
        { where: 'line 2, column amount', message: '"lots" is not a number.' },
        { where: 'line 4, column sponsored', message: '"perhaps" must be yes or no.' },
        { where: 'line 6, column status', message: 'Must be approved, pending, rejected or reversed.' },
      ],
    });
  });

  it('duplicate ids name both lines', () => {
    expect(parseRecordsCsv(`${HEADER}\nr1,p1,2026-01-05,x,approved\nr1,p1,2026-01-06,x,approved\n`)).toEqual({
      ok: false,
      issues: [{ where: 'line 3', message: 'Duplicate record id "r1" (also at line 2).' }],
    });
  });
});

describe('people files: exact results', () => {
  const NOT_PEOPLE = { ok: false, issues: [{ where: '(file)', message: 'Expected an array of people.' }] };

  it('refuses anything but an array of people or an object holding one', () => {
    expect(parsePeopleJson(null)).toEqual(NOT_PEOPLE);
    expect(parsePeopleJson('people')).toEqual(NOT_PEOPLE);
    expect(parsePeopleJson({})).toEqual(NOT_PEOPLE);
    expect(parsePeopleJson({ people: 'p1' })).toEqual(NOT_PEOPLE);
  });

  it('reads an array or an object, and locates a bad person', () => {
    const p = { personId: 'p1', awards: [{ id: 'a', awardedOn: '2025-01-01' }] };
    expect(parsePeopleJson([p])).toEqual({ ok: true, people: [p] });
    expect(parsePeopleJson({ people: [p, { personId: 'p2' }] })).toEqual({
      ok: true,
      people: [p, { personId: 'p2' }],
    });
    expect(parsePeopleJson([p, { personId: 'p2', awards: [{ id: 'b' }] }])).toEqual({
      ok: false,
      issues: [{ where: 'people[1].awards[0].awardedOn', message: 'Required.' }],
    });
  });
});
