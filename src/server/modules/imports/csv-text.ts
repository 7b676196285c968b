/**
 * A CSV file must be text: UTF-8 (a byte-order mark is fine) or UTF-16
 * little-endian with its byte-order mark, which the CSV reader decodes. Anything else (a picture
 * or PDF renamed .csv, a file saved as Latin-1 / Windows-1252, UTF-16 without
 * a byte-order mark) is refused with a message naming the problem and the
 * line it is on, before any row is read, instead of being read as garbage.
 *
 * One checker serves the web upload (the whole file at once, before the run
 * starts) and the command line's stream (chunk by chunk, as it is read).
 */
import { sniffType } from '../../../domain/claims/index.js';
import { DomainError } from '../../../domain/errors.js';

const SAVE_AS =
  'Save it from your spreadsheet program as "CSV UTF-8 (Comma delimited)", or import the .xlsx workbook itself.';

function refused(code: 'validation' | 'unsupported_media_type', message: string): DomainError {
  return new DomainError(code, message, { issues: [{ field: 'file', message }] });
}

const binaryKinds: Record<string, string> = {
  'application/pdf': 'a PDF document',
  'image/png': 'a PNG image',
  'image/jpeg': 'a JPEG image',
};

/** What a file is by its first bytes, when it is plainly not text. */
function binaryKind(head: Uint8Array): string | null {
  const sniffed = sniffType(head);
  if (sniffed) return binaryKinds[sniffed] ?? null;
  const starts = (sig: number[]) => sig.every((b, i) => head[i] === b);
  if (starts([0x50, 0x4b, 0x03, 0x04])) return 'a ZIP archive (an .xlsx workbook is one)';
  if (starts([0xd0, 0xcf, 0x11, 0xe0])) return 'an old Excel workbook (.xls)';
  if (starts([0x47, 0x49, 0x46, 0x38])) return 'a GIF image';
  return null;
}

/** UTF-16 without a byte-order mark: ASCII text has a zero in every other byte. */
function looksUtf16(head: Uint8Array): boolean {
  const n = Math.min(head.length, 512) & ~1;
  if (n < 8) return false;
  let even = 0;
  let odd = 0;
  for (let i = 0; i < n; i++) {
    if (head[i] !== 0) continue;
    if (i % 2) odd++;
    else even++;
  }
  const half = n / 2;
  return (odd > half * 0.4 && even < half * 0.05) || (even > half * 0.4 && odd < half * 0.05);
}

const hex = (b: number) => `0x${b.toString(16).toUpperCase().padStart(2, '0')}`;

/** Length of the UTF-8 sequence at i: >0 valid, 0 incomplete (the bytes end first), -1 invalid. */
function utf8Sequence(bytes: Uint8Array, i: number): number {
  const b = bytes[i]!;
  if (b < 0x80) return 1;
  let len: number;
  let min: number;
  let max = 0xbf;
  if (b >= 0xc2 && b <= 0xdf) [len, min] = [2, 0x80];
  else if (b === 0xe0) [len, min] = [3, 0xa0];
  else if (b === 0xed)
    [len, min, max] = [3, 0x80, 0x9f]; // no UTF-16 surrogates
  else if (b >= 0xe1 && b <= 0xef) [len, min] = [3, 0x80];
  else if (b === 0xf0) [len, min] = [4, 0x90];
  else if (b === 0xf4) [len, min, max] = [4, 0x80, 0x8f];
  else if (b >= 0xf1 && b <= 0xf3) [len, min] = [4, 0x80];
  else return -1;
  for (let k = 1; k < len; k++) {
    if (i + k >= bytes.length) return 0;
    const c = bytes[i + k]!;
    if (k === 1 ? c < min || c > max : c < 0x80 || c > 0xbf) return -1;
  }
  return len;
}

/**
 * Checks a CSV file's bytes as they come. `push` throws a DomainError (415
 * for a file that is not text at all, 400 for text in the wrong encoding) at
 * the first problem; `end` checks that the file does not stop mid-character.
 */
export class CsvTextCheck {
  private started = false;
  private utf8 = true;
  private line = 1;
  private carry: Uint8Array = new Uint8Array(0);

  push(chunk: Uint8Array): void {
    if (!this.started) {
      this.started = true;
      this.begin(chunk);
    }
    if (!this.utf8) return;
    const bytes = this.carry.length ? Buffer.concat([this.carry, chunk]) : chunk;
    let i = 0;
    while (i < bytes.length) {
      const b = bytes[i]!;
      if (b === 0x0a) this.line++;
      if (b < 0x80) {
        i++;
        continue;
      }
      const len = utf8Sequence(bytes, i);
      if (len === 0) break;
      if (len < 0) throw this.notUtf8(b);
      i += len;
    }
    this.carry = bytes.slice(i);
  }

  end(): void {
    if (this.utf8 && this.carry.length) throw this.notUtf8(this.carry[0]!);
  }

  private begin(head: Uint8Array): void {
    const kind = binaryKind(head);
    if (kind)
      throw refused(
        'unsupported_media_type',
        `The file is ${kind}, not a CSV file. Choose the spreadsheet saved as .csv (UTF-8) or .xlsx.`,
      );
    // UTF-16 (little-endian, as Windows writes it) with its byte-order mark: the CSV reader decodes it.
    if (head[0] === 0xff && head[1] === 0xfe) {
      this.utf8 = false;
      return;
    }
    if (head[0] === 0xfe && head[1] === 0xff)
      throw refused('validation', `The file is UTF-16 big-endian text, which cannot be read. ${SAVE_AS}`);
    if (looksUtf16(head))
      throw refused(
        'validation',
        `The file is UTF-16 text without a byte-order mark, which cannot be read reliably. ${SAVE_AS}`,
      );
  }

  private notUtf8(b: number): DomainError {
    return refused(
      'validation',
      `The file is not UTF-8 text: line ${this.line.toLocaleString('en-US')} has a byte (${hex(b)}) that is not UTF-8. ` +
        `It was probably saved as Latin-1 or Windows-1252 (Excel's plain "CSV (Comma delimited)"). ${SAVE_AS}`,
    );
  }
}

/** The whole file at once (the web upload, before the import starts). */
export function checkCsvText(bytes: Uint8Array): void {
  const check = new CsvTextCheck();
  check.push(bytes);
  check.end();
}
