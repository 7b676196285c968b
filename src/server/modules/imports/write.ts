/**
 * Writing rows in the import formats, as CSV or XLSX. CSV cells that a
 * spreadsheet program would read as a formula (= + - @ first) get a leading
 * apostrophe, which the import removes again, so files round-trip. XLSX goes
 * through the shared tabular export: text as string cells (never formulas),
 * numbers as numbers, dates as date cells (which the import reads back as dates).
 */
import { toXlsx } from '../../export/tabular.js';

export type Cell = string | number | null;

export function csvCell(v: Cell): string {
  if (v === null) return '';
  let s = String(v);
  if (typeof v === 'string' && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) || s !== s.trim() ? `"${s.replace(/"/g, '""')}"` : s;
}

export function writeCsv(header: string[], rows: Cell[][]): string {
  const out = [header.map(csvCell).join(',')];
  for (const r of rows) out.push(r.map(csvCell).join(','));
  return out.join('\r\n') + '\r\n';
}

export function writeXlsx(sheetName: string, header: string[], rows: Cell[][]): Promise<Buffer> {
  return toXlsx({
    sheet: sheetName,
    columns: header.map((h, i) => ({ header: h, value: (r: Cell[]) => r[i] })),
    rows,
  });
}
