/** The shared tabular export: formulas never run, CSV opens in Excel, XLSX keeps text, numbers and dates as what they are. */
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { attachment, csvLine, neutralise, spreadsheetDate, toCsv, toXlsx, type Column } from './tabular.js';

const hostile = ['=HYPERLINK("http://x","y")', '+1+1', '-2+3', '@SUM(A1)', '\tTAB', '\rCR', 'plain', 'Renée'];
type Row = { text: string; n: number | null };
const columns: Column<Row>[] = [
  { header: 'Text', value: (r) => r.text },
  { header: 'Number', value: (r) => r.n },
];
const rows: Row[] = hostile.map((text, i) => ({ text, n: i === 0 ? null : i - 2 }));

describe('formula injection', () => {
  it('prefixes text starting with = + - @ tab or CR with an apostrophe, and nothing else', () => {
    expect(hostile.map(neutralise)).toEqual([
      `'=HYPERLINK("http://x","y")`,
      "'+1+1",
      "'-2+3",
      "'@SUM(A1)",
      "'\tTAB",
      "'\rCR",
      'plain',
      'Renée',
    ]);
    expect(csvLine(['=HYPERLINK("x")', '+1', '-2', '@SUM(A1)', 'plain'])).toBe(
      `"'=HYPERLINK(""x"")","'+1","'-2","'@SUM(A1)","plain"`,
    );
  });

  it('writes CSV as UTF-8 with a byte-order mark, CRLF lines and numbers as numbers', () => {
    const buf = toCsv({ columns, rows });
    expect([...buf.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = buf.toString('utf8').slice(1);
    const lines = text.split('\r\n');
    expect(lines[0]).toBe('"Text","Number"');
    expect(lines[1]).toBe(`"'=HYPERLINK(""http://x"",""y"")",""`);
    expect(lines[3]).toBe(`"'-2+3","0"`);
    expect(lines[2]).toBe(`"'+1+1","-1"`);
    expect(text).toContain('"Renée","5"');
    expect(text.endsWith('\r\n')).toBe(true);
  });

  it('writes XLSX whose text cells are never formulas and whose numbers stay numbers', async () => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await toXlsx({ columns, rows, sheet: 'People: all / [x]' })) as never);
    const ws = wb.worksheets[0]!;
    expect(ws.name).toBe('People  all    x ');
    expect(ws.getRow(1).values).toEqual([undefined, 'Text', 'Number']);
    for (let r = 2; r <= rows.length + 1; r++) {
      const cell = ws.getCell(r, 1);
      expect(cell.type, `row ${r}`).toBe(ExcelJS.ValueType.String);
      expect(cell.formula).toBeUndefined();
    }
    // A string cell is never evaluated, so XLSX keeps the value exactly (the apostrophe is CSV's).
    expect(ws.getCell(2, 1).value).toBe(`=HYPERLINK("http://x","y")`);
    expect(ws.getCell(3, 1).value).toBe('+1+1');
    expect(ws.getCell(9, 1).value).toBe('Renée');
    expect(ws.getCell(3, 2).value).toBe(-1);
    expect(ws.getCell(3, 2).type).toBe(ExcelJS.ValueType.Number);
    expect(ws.getCell(2, 2).value).toBeNull();
  });

  it('writes XLSX text exactly as typed (a phone number keeps its plus), dates as date cells, with a frozen, filterable header', async () => {
    type P = { phone: string; born: string | null; at: string; note: string };
    const people: P[] = [
      { phone: '+1 (785) 555-0100', born: '1980-02-29', at: '2026-03-04 09:00', note: '2026-02-30' },
      { phone: '-0100', born: null, at: '2026-11-01 23:59', note: 'due 2026-03-04' },
    ];
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(
      (await toXlsx<P>({
        columns: [
          { header: 'Phone', value: (p) => p.phone },
          { header: 'Born', value: (p) => p.born },
          { header: 'Session start', value: (p) => p.at },
          { header: 'Note', value: (p) => p.note },
        ],
        rows: people,
      })) as never,
    );
    const ws = wb.worksheets[0]!;
    expect(ws.getCell('A2').value).toBe('+1 (785) 555-0100');
    expect(ws.getCell('A2').type).toBe(ExcelJS.ValueType.String);
    expect(ws.getCell('A3').value).toBe('-0100');
    expect(ws.getCell('B2').type).toBe(ExcelJS.ValueType.Date);
    expect((ws.getCell('B2').value as Date).toISOString()).toBe('1980-02-29T00:00:00.000Z');
    expect(ws.getCell('B2').numFmt).toBe('yyyy-mm-dd');
    expect(ws.getCell('B3').value).toBeNull();
    expect((ws.getCell('C2').value as Date).toISOString()).toBe('2026-03-04T09:00:00.000Z');
    expect(ws.getCell('C2').numFmt).toBe('yyyy-mm-dd hh:mm');
    expect((ws.getCell('C3').value as Date).toISOString()).toBe('2026-11-01T23:59:00.000Z');
    // Not a date: an impossible day, and a date inside a sentence.
    expect(ws.getCell('D2').value).toBe('2026-02-30');
    expect(ws.getCell('D3').value).toBe('due 2026-03-04');
    expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    expect(ws.autoFilter).toBe('A1:D3');
  });

  it('reads only whole, real dates and times as dates', () => {
    expect(spreadsheetDate('2026-03-04')?.format).toBe('yyyy-mm-dd');
    expect(spreadsheetDate('2026-03-04 24:00')).toBeNull();
    expect(spreadsheetDate('2026-03-04 10:60')).toBeNull();
    expect(spreadsheetDate('2026-13-01')).toBeNull();
    expect(spreadsheetDate('2026-3-4')).toBeNull();
    expect(spreadsheetDate(' 2026-03-04')).toBeNull();
    expect(spreadsheetDate('2026-03-04T09:00')).toBeNull();
  });

  it('names the download safely', () => {
    expect(attachment('people-2026-11-23.csv')).toBe(
      `attachment; filename="people-2026-11-23.csv"; filename*=UTF-8''people-2026-11-23.csv`,
    );
    expect(attachment('civiccert-Müller-"x".json')).toMatch(
      /^attachment; filename="civiccert-M-ller--x-.json"; filename\*=UTF-8/,
    );
  });
});
