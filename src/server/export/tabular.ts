/**
 * One tabular export for every list and report: columns and rows in, a CSV
 * (RFC 4180, UTF-8 with a byte-order mark so Excel reads the accents) or an
 * XLSX workbook out. In CSV, text that a spreadsheet would run as a formula
 * (starting with = + - @, tab or carriage return) is prefixed with an
 * apostrophe. In XLSX every text cell is a typed string cell, which no
 * spreadsheet evaluates, so values are written exactly as they are; numbers
 * stay numbers and dates become date cells. See docs/adr/0008.
 */
import ExcelJS from 'exceljs';

export type Cell = string | number | boolean | null | undefined;

export interface Column<T> {
  header: string;
  value: (row: T) => Cell;
  /** Column width in characters (XLSX only). */
  width?: number;
}

export interface Table<T> {
  columns: Column<T>[];
  rows: T[];
  /** Worksheet name (XLSX), at most 31 characters. */
  sheet?: string;
}

/**
 * An instant as the wall-clock time where it happens, e.g. "2026-03-04 09:00"
 * in America/Chicago, for spreadsheet columns (the zone goes in its own column).
 */
export function zonedDateTime(iso: string | null | undefined, timeZone: string): string | null {
  if (!iso) return null;
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    })
      .formatToParts(new Date(iso))
      .map((p) => [p.type, p.value]),
  );
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}`;
}

export const exportFormats = ['csv', 'xlsx'] as const;
export type ExportFormat = (typeof exportFormats)[number];

const DANGEROUS = /^[=+\-@\t\r]/;

/** Text a spreadsheet would treat as a formula gets a leading apostrophe. */
export function neutralise(text: string): string {
  return DANGEROUS.test(text) ? `'${text}` : text;
}

/** A CSV field: always quoted, quotes doubled, formulas neutralised (numbers are written as they are). */
export function csvCell(v: Cell): string {
  if (v == null) return '""';
  const s = typeof v === 'number' || typeof v === 'boolean' ? String(v) : neutralise(v);
  return `"${s.replace(/"/g, '""')}"`;
}

export const csvLine = (cells: Cell[]): string => cells.map(csvCell).join(',');

const BOM = '\uFEFF';

export function toCsv<T>(t: Table<T>): Buffer {
  const lines = [
    csvLine(t.columns.map((c) => c.header)),
    ...t.rows.map((r) => csvLine(t.columns.map((c) => c.value(r)))),
  ];
  return Buffer.from(BOM + lines.join('\r\n') + '\r\n', 'utf8');
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2})$/;
export const XLSX_DATE_FORMAT = 'yyyy-mm-dd';
export const XLSX_DATE_TIME_FORMAT = 'yyyy-mm-dd hh:mm';

/**
 * A calendar date ("2026-03-04") or a wall-clock date and time ("2026-03-04 09:00", as
 * `zonedDateTime` writes them) as the Date a spreadsheet cell holds: spreadsheet dates carry no
 * zone, so the wall-clock fields are stored as they read (ExcelJS converts Dates as UTC). Anything
 * else, including impossible dates such as "2026-02-30", is not a date and stays text.
 */
export function spreadsheetDate(text: string): { date: Date; format: string } | null {
  const m = DATE.exec(text) ?? DATE_TIME.exec(text);
  if (!m) return null;
  const [y, mo, d, h = 0, mi = 0] = m.slice(1).map(Number) as [number, number, number, number?, number?];
  const date = new Date(Date.UTC(y, mo - 1, d, h, mi));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d) return null;
  if (h > 23 || mi > 59) return null;
  return { date, format: m.length > 4 ? XLSX_DATE_TIME_FORMAT : XLSX_DATE_FORMAT };
}

export async function toXlsx<T>(t: Table<T>): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'CivicCert';
  const ws = wb.addWorksheet((t.sheet ?? 'Export').replace(/[[\]*?/\\:]/g, ' ').slice(0, 31));
  ws.columns = t.columns.map((c) => ({
    header: c.header,
    width: c.width ?? Math.max(10, Math.min(40, c.header.length + 4)),
  }));
  ws.getRow(1).font = { bold: true };
  ws.views = [{ state: 'frozen', ySplit: 1 }];
  const widest = t.columns.map(() => 0);
  for (const r of t.rows) {
    const row = ws.addRow(t.columns.map(() => null));
    t.columns.forEach((c, i) => {
      const v = c.value(r);
      if (v == null) return;
      const cell = row.getCell(i + 1);
      if (typeof v === 'number' || typeof v === 'boolean') {
        cell.value = v;
        return;
      }
      const asDate = spreadsheetDate(v);
      if (asDate) {
        cell.value = asDate.date;
        cell.numFmt = asDate.format;
        widest[i] = Math.max(widest[i]!, asDate.format.length + 2);
        return;
      }
      // A string cell is stored as a string (ExcelJS writes a shared or inline string, never a
      // formula), so "=1+1" or "+1 (785) 555-0100" opens as the text it is, with no apostrophe.
      cell.value = v;
    });
  }
  t.columns.forEach((c, i) => {
    const col = ws.getColumn(i + 1);
    if (c.width === undefined && widest[i]! > (col.width ?? 0)) col.width = widest[i]!;
  });
  if (t.columns.length > 0) {
    ws.autoFilter = {
      from: { row: 1, column: 1 },
      to: { row: Math.max(1, t.rows.length + 1), column: t.columns.length },
    };
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}

export const contentTypes: Record<ExportFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

/** `attachment; filename="…"` with a plain-ASCII name and the UTF-8 one (RFC 6266). */
export function attachment(filename: string): string {
  const ascii = filename.replace(/[^A-Za-z0-9._-]+/g, '-');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(filename)}`;
}

export async function renderTable<T>(
  format: ExportFormat,
  t: Table<T>,
): Promise<{ body: Buffer; contentType: string }> {
  return { body: format === 'csv' ? toCsv(t) : await toXlsx(t), contentType: contentTypes[format] };
}
