/**
 * Writing rows in the import formats, as CSV or XLSX. CSV cells that a
 * spreadsheet program would read as a formula (= + - @ first) get a leading
 * apostrophe, which the import removes again, so files round-trip. XLSX cells
 * are written as typed text or numbers, never as formulas.
 */
import ExcelJS from 'exceljs';

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

export async function writeXlsx(sheetName: string, header: string[], rows: Cell[][]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'CivicCert';
  const ws = wb.addWorksheet(sheetName);
  ws.addRow(header);
  ws.getRow(1).font = { bold: true };
  for (const r of rows) ws.addRow(r.map((c) => (c === null ? null : c)));
  return Buffer.from(await wb.xlsx.writeBuffer());
}
