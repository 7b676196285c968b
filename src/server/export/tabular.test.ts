/** The shared tabular export: formulas never run, CSV opens in Excel, XLSX keeps numbers as numbers. */
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { attachment, csvLine, neutralise, toCsv, toXlsx, type Column } from './tabular.js';

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
    expect(ws.getCell(2, 1).value).toBe(`'=HYPERLINK("http://x","y")`);
    expect(ws.getCell(9, 1).value).toBe('Renée');
    expect(ws.getCell(3, 2).value).toBe(-1);
    expect(ws.getCell(3, 2).type).toBe(ExcelJS.ValueType.Number);
    expect(ws.getCell(2, 2).value).toBeNull();
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
