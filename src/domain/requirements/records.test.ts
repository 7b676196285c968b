import { describe, expect, it } from 'vitest';
import { parsePeopleJson, parseRecordsCsv, parseRecordsJson, splitCsv } from './records.js';

const HEADER = 'id,personId,date,amount,category,sponsored,sourceType,courseCode,title,status';

describe('CSV records', () => {
  it('splits quoted fields, doubled quotes, CRLF and a BOM', () => {
    expect(splitCsv('\ufeffa,"b, c","say ""hi"""\r\n1,2,3').rows).toEqual([
      ['a', 'b, c', 'say "hi"'],
      ['1', '2', '3'],
    ]);
    expect(splitCsv('a,"open').error).toMatch(/never closed/);
  });

  it('reads records, with defaults for empty optional cells', () => {
    const r = parseRecordsCsv(
      `${HEADER}\nr1,p1,2026-01-05,2.5,management,Yes,igo-webinar,,"Webinar, part 1",Approved\nr2,p1,2026-01-06,,,,sos-course,KS-Y1-01,,pending\n`,
    );
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.records).toEqual([
      {
        id: 'r1',
        personId: 'p1',
        date: '2026-01-05',
        amount: 2.5,
        category: 'management',
        sponsored: true,
        sourceType: 'igo-webinar',
        title: 'Webinar, part 1',
        status: 'approved',
      },
      {
        id: 'r2',
        personId: 'p1',
        date: '2026-01-06',
        sponsored: false,
        sourceType: 'sos-course',
        courseCode: 'KS-Y1-01',
        status: 'pending',
      },
    ]);
  });

  it('checks every row first and reports all problems with line numbers', () => {
    const r = parseRecordsCsv(
      [
        HEADER,
        'r1,p1,2026-02-30,1,m,no,x,,,approved',
        'r2,p1,2026-01-01,lots,m,no,x,,,approved',
        'r3,p1,2026-01-01,1,m,maybe,x,,,approved',
        'r1,p1,2026-01-01,1,m,no,x,,,done',
        'r5,p1',
      ].join('\n'),
    );
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.issues).toEqual([
      { where: 'line 2, column date', message: 'Not a real calendar date.' },
      { where: 'line 3, column amount', message: '"lots" is not a number.' },
      { where: 'line 4, column sponsored', message: '"maybe" must be yes or no.' },
      { where: 'line 5, column status', message: 'Must be approved, pending, rejected or reversed.' },
      { where: 'line 6', message: 'Has 2 fields; the header has 10.' },
    ]);
  });

  it('names unknown and missing columns', () => {
    const r = parseRecordsCsv('id,person,when\n');
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.issues.map((i) => i.message)).toEqual([
      'Unknown column "when".',
      'Missing column "date".',
      'Missing column "sourceType".',
      'Missing column "status".',
    ]);
    expect(parseRecordsCsv('').ok).toBe(false);
  });
});

describe('JSON records', () => {
  it('reads an array or an object with people', () => {
    const record = {
      id: 'r1',
      personId: 'p1',
      date: '2026-01-05T10:00:00-06:00',
      amount: 1,
      sourceType: 'x',
      status: 'approved',
    };
    expect(parseRecordsJson([record])).toMatchObject({ ok: true, records: [record], people: [] });
    const withPeople = parseRecordsJson({
      people: [{ personId: 'p1', awards: [{ id: 'a', awardedOn: '2025-01-01' }] }],
      records: [record],
    });
    expect(withPeople.ok && withPeople.people[0]?.awards?.[0]?.awardedOn).toBe('2025-01-01');
  });

  it('gives paths for bad records, people and duplicate ids', () => {
    const r = parseRecordsJson({
      records: [
        { id: 'r1', personId: 'p1', date: 'soon', sourceType: 'x', status: 'approved' },
        { id: 'r1', personId: 'p1', date: '2026-01-01', sourceType: 'x', status: 'approved', colour: 'red' },
      ],
      people: [{ personId: 'p1', awards: [{ id: 'a' }] }],
    });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.issues).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ where: 'records[0].date' }),
        { where: 'records[1]', message: 'Unknown field(s): colour.' },
        { where: 'people[0].awards[0].awardedOn', message: 'Required.' },
      ]),
    );
    expect(parseRecordsJson({ records: 'none' }).ok).toBe(false);
    expect(parsePeopleJson({ people: [{ personId: 'p', cohorts: ['pilot'] }] }).ok).toBe(true);
  });
});
