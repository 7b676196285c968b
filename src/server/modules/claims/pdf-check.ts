/**
 * Is an uploaded PDF safe to keep and hand to a reviewer? The file is parsed
 * (pdf-lib object by object), every stream that is not image data is decoded through its
 * whole filter chain (ASCIIHex, ASCII85, Flate, LZW, RunLength, in any
 * order), object streams are parsed into objects, and every dictionary is
 * walked for active content: JavaScript, launch actions, embedded files,
 * XFA forms and rich media. A file that is also HTML (a polyglot), that is
 * encrypted or that does not parse is refused too: what cannot be read
 * cannot be checked.
 *
 * The work is bounded: the upload is at most 10 MB, and decoding stops once
 * the decoded streams together pass MAX_DECODED_BYTES (a flate bomb inside
 * a PDF is refused, not expanded).
 */
import { constants, inflateSync } from 'node:zlib';
import {
  decodePDFRawStream,
  PDFArray,
  PDFContext,
  PDFDict,
  PDFName,
  PDFNumber,
  PDFObjectParser,
  PDFRawStream,
  type PDFObject,
} from 'pdf-lib';
import { pdfHasJavaScript } from '../../../domain/claims/index.js';

/** All decoded streams of one PDF together may not expand beyond this. */
export const MAX_DECODED_BYTES = 64 * 1024 * 1024;
const CHUNK = 64 * 1024;

/** Filters that only images use: their data is never decoded (nothing in it can run). */
const imageFilters = new Set(['DCTDecode', 'JPXDecode', 'JBIG2Decode', 'CCITTFaxDecode']);

/** Names that make a PDF active, with what a person is told. */
const activeKeys: Record<string, string> = {
  JS: 'JavaScript',
  JavaScript: 'JavaScript',
  EmbeddedFiles: 'an embedded file',
  EF: 'an embedded file',
  XFA: 'an XFA form',
  RichMediaContent: 'rich media (Flash or video)',
  RichMediaSettings: 'rich media (Flash or video)',
};
const activeActions: Record<string, string> = {
  JavaScript: 'JavaScript',
  Launch: 'a launch action (it can start a program)',
  GoToE: 'a link into an embedded file',
  RichMediaExecute: 'rich media (Flash or video)',
  ImportData: 'an import-data action',
};
const activeTypes: Record<string, string> = {
  EmbeddedFile: 'an embedded file',
  RichMedia: 'rich media (Flash or video)',
  FileAttachment: 'an embedded file',
};

/** Markup a browser would take for HTML, at the start of a file or after its end. */
const htmlMarkup = /<\s*(!doctype|html|head|body|script|iframe|svg|object|embed|meta)(?![A-Za-z0-9])/i;

export type PdfVerdict = { ok: true } | { ok: false; reason: string };

const refuse = (reason: string): PdfVerdict => ({ ok: false, reason });

class Refused extends Error {}

function nameOf(o: PDFObject | undefined): string | undefined {
  return o instanceof PDFName ? o.decodeText() : undefined;
}

function filtersOf(dict: PDFDict): string[] {
  const f = dict.get(PDFName.of('Filter'));
  if (f instanceof PDFName) return [f.decodeText()];
  if (f instanceof PDFArray) return f.asArray().map((x) => nameOf(x) ?? '?');
  return [];
}

/** Image data, which is never decoded here (object and cross-reference streams always are). */
function isImageStream(s: PDFRawStream): boolean {
  const type = nameOf(s.dict.get(PDFName.of('Type')));
  if (type === 'ObjStm' || type === 'XRef') return false;
  return (
    nameOf(s.dict.get(PDFName.of('Subtype'))) === 'Image' ||
    filtersOf(s.dict).some((f) => imageFilters.has(f))
  );
}

/** Keeps count of the decoded bytes of one document. */
class Budget {
  used = 0;
  take(n: number) {
    this.used += n;
    if (this.used > MAX_DECODED_BYTES)
      throw new Refused(
        `The PDF expands to more than ${MAX_DECODED_BYTES / 1024 / 1024} MB when its streams are decompressed. Print it to a new PDF and upload that.`,
      );
  }
}

/** A stream's decoded bytes, read in chunks so a bomb stops at the budget. */
function decodeBounded(stream: PDFRawStream, budget: Budget): Uint8Array {
  const filters = filtersOf(stream.dict);
  if (filters.length === 1 && filters[0] === 'FlateDecode' && !stream.dict.has(PDFName.of('DecodeParms'))) {
    // The common case, natively: zlib stops at the budget by itself.
    const room = MAX_DECODED_BYTES - budget.used;
    try {
      const out = inflateSync(stream.contents, {
        maxOutputLength: room + 1,
        finishFlush: constants.Z_SYNC_FLUSH,
      });
      budget.take(out.length);
      return out;
    } catch (e) {
      if (e instanceof Refused) throw e;
      if ((e as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') budget.take(room + 1);
      // Otherwise damaged or unusual data: the general decoder below decides.
    }
  }
  let decoded;
  try {
    decoded = decodePDFRawStream(stream);
  } catch {
    throw new Refused('The PDF uses a compression that cannot be checked. Print it to a new PDF.');
  }
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    let bytes: Uint8Array;
    try {
      bytes = Uint8Array.from(decoded.getBytes(CHUNK));
    } catch {
      throw new Refused('A part of the PDF is damaged and cannot be read. Print it to a new PDF.');
    }
    if (bytes.length === 0) break;
    budget.take(bytes.length);
    chunks.push(bytes);
    total += bytes.length;
    if (bytes.length < CHUNK) break;
  }
  return Buffer.concat(chunks, total);
}

/** The first active feature in a dictionary (its keys, its /S, /Type or /Subtype). */
function activeIn(dict: PDFDict): string | undefined {
  for (const [key] of dict.entries()) {
    const k = key.decodeText();
    if (activeKeys[k]) return activeKeys[k];
  }
  const s = nameOf(dict.get(PDFName.of('S')));
  if (s && activeActions[s]) return activeActions[s];
  const type = nameOf(dict.get(PDFName.of('Type')));
  if (type && activeTypes[type]) return activeTypes[type];
  const subtype = nameOf(dict.get(PDFName.of('Subtype')));
  if (subtype && activeTypes[subtype]) return activeTypes[subtype];
  return undefined;
}

/** Walks an object and everything directly inside it (not through references). */
function walk(o: PDFObject, depth = 0): string | undefined {
  if (depth > 100) return 'nesting deeper than any real document';
  if (o instanceof PDFRawStream) return walk(o.dict, depth + 1);
  if (o instanceof PDFDict) {
    const found = activeIn(o);
    if (found) return found;
    for (const [, v] of o.entries()) {
      const inner = walk(v, depth + 1);
      if (inner) return inner;
    }
  } else if (o instanceof PDFArray) {
    for (const v of o.asArray()) {
      const inner = walk(v, depth + 1);
      if (inner) return inner;
    }
  }
  return undefined;
}

/** Active names written in PDF syntax inside decoded text (a stream that hides dictionaries). */
const activeName =
  /\/(JavaScript|JS|Launch|EmbeddedFiles?|XFA|RichMedia(Content|Settings|Execute)?|GoToE)(?![A-Za-z0-9])/;
function activeText(text: string): boolean {
  if (pdfHasJavaScript(text)) return true;
  const unescaped = text.replace(/#([0-9a-fA-F]{2})/g, (_, h: string) =>
    String.fromCharCode(parseInt(h, 16)),
  );
  return activeName.test(unescaped);
}

/** Mostly printable text (a content stream, a hidden dictionary), not binary data such as a font. */
function looksLikeText(bytes: Uint8Array): boolean {
  const n = Math.min(bytes.length, 4096);
  let printable = 0;
  for (let i = 0; i < n; i++) {
    const b = bytes[i]!;
    if ((b >= 0x20 && b < 0x7f) || b === 0x0a || b === 0x0d || b === 0x09) printable++;
  }
  return n === 0 || printable / n > 0.9;
}

/** The raw text outside stream bodies (where binary data cannot look like names by chance). One pass. */
function textOutsideStreams(latin1: string): string {
  const parts: string[] = [];
  const start = /(?<![A-Za-z])stream\r?\n/g;
  let pos = 0;
  for (let m = start.exec(latin1); m; m = start.exec(latin1)) {
    parts.push(latin1.slice(pos, m.index), 'stream endstream');
    const end = latin1.indexOf('endstream', m.index + m[0].length);
    if (end < 0) return parts.join('');
    pos = end + 'endstream'.length;
    start.lastIndex = pos;
  }
  parts.push(latin1.slice(pos));
  return parts.join('');
}

/** pdf-lib skips padding between objects in time that grows with the square of its length. */
const MAX_PADDING = 256;

/** The longest run of white space and comments (to the end of their lines) outside streams. */
function longestPadding(text: string): number {
  let longest = 0;
  let run = 0;
  let comment = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const eol = c === 0x0a || c === 0x0d;
    if (comment) {
      run++;
      if (eol) comment = false;
    } else if (c === 0x25) {
      comment = true;
      run++;
    } else if (eol || c === 0x20 || c === 0x09 || c === 0x0c || c === 0x00) {
      run++;
    } else {
      run = 0;
    }
    if (run > longest) longest = run;
  }
  return longest;
}

/**
 * Every indirect object written in the file, found by its "n g obj" header
 * and parsed on its own, each within the bytes up to the next header (so
 * damaged objects cannot make the work grow faster than the file). pdf-lib's
 * own document parser is not used: on crafted padding it takes time that
 * grows with the square of the file's size.
 */
function rawObjects(bytes: Buffer, latin1: string): PDFObject[] {
  const context = PDFContext.create();
  // Between the numbers and "obj", white space (NUL too) and short comments; one way to match
  // each character and a bounded count, so no start costs more than a few hundred steps.
  const header =
    /(?<![0-9])\d{1,10}(?:[\s\0]|%[^\r\n]{0,128}[\r\n]){1,200}\d{1,5}(?:[\s\0]|%[^\r\n]{0,128}[\r\n]){1,200}obj(?![A-Za-z])/g;
  const starts: { at: number; body: number }[] = [];
  for (let m = header.exec(latin1); m; m = header.exec(latin1))
    starts.push({ at: m.index, body: m.index + m[0].length });
  return parseRegions(
    bytes,
    starts.map((s, i) => [s.body, starts[i + 1]?.at ?? bytes.length]),
    context,
  );
}

function parseRegions(bytes: Uint8Array, regions: [number, number][], context: PDFContext): PDFObject[] {
  const found: PDFObject[] = [];
  for (const [from, to] of regions) {
    if (to <= from) continue;
    try {
      found.push(PDFObjectParser.forBytes(bytes.subarray(from, to), context).parseObject());
    } catch {
      // Not an object that can be read: its text was searched already.
    }
  }
  return found;
}

/** The objects inside an object stream (its "number offset" pairs, then the objects), each parsed on its own. */
function objectStreamContents(stream: PDFRawStream, decoded: Uint8Array): PDFObject[] {
  const first = stream.dict.get(PDFName.of('First'));
  const n = stream.dict.get(PDFName.of('N'));
  if (!(first instanceof PDFNumber) || !(n instanceof PDFNumber)) return [];
  const firstAt = first.asNumber();
  const head = Buffer.from(decoded.buffer, decoded.byteOffset, Math.min(decoded.length, firstAt)).toString(
    'latin1',
  );
  const numbers = head.match(/\d+/g) ?? [];
  const offsets: number[] = [];
  for (let i = 1; i < numbers.length && offsets.length < n.asNumber(); i += 2)
    offsets.push(firstAt + Number(numbers[i]));
  offsets.sort((x, y) => x - y);
  const regions = offsets.map((o, i): [number, number] => [o, offsets[i + 1] ?? decoded.length]);
  return parseRegions(decoded, regions, PDFContext.create());
}

const isType = (o: PDFObject, type: string) =>
  (o instanceof PDFDict || o instanceof PDFRawStream) &&
  nameOf((o instanceof PDFRawStream ? o.dict : o).get(PDFName.of('Type'))) === type;

async function inspect(bytes: Buffer): Promise<PdfVerdict> {
  const latin1 = bytes.toString('latin1');
  // A polyglot: HTML markup where a browser sniffing the file would look, or a second file after the end.
  if (htmlMarkup.test(latin1.slice(0, 1024)))
    return refuse('The file is both a PDF and a web page, which is not accepted. Upload a plain PDF.');
  const eof = latin1.lastIndexOf('%%EOF');
  if (eof < 0) return refuse('The file is not a complete PDF (it has no end marker).');
  const tail = latin1.slice(eof + 5);
  if (htmlMarkup.test(tail) || tail.includes('PK\x03\x04'))
    return refuse('The file carries another file after the end of the PDF, which is not accepted.');
  const outside = textOutsideStreams(latin1);
  if (longestPadding(outside) > MAX_PADDING)
    return refuse(
      `The PDF has more than ${MAX_PADDING} bytes of blank space or comments in one place, which is not accepted. Print it to a new PDF.`,
    );
  if (/\/Encrypt(?![A-Za-z0-9])/.test(outside))
    return refuse(
      'The PDF is encrypted or password-protected and cannot be checked. Upload an unprotected copy.',
    );
  if (activeText(outside)) return refuse(describe(outside));

  // Every object; every stream decoded within the budget; object streams parsed into their objects.
  const budget = new Budget();
  const objects = rawObjects(bytes, latin1);
  const all: PDFObject[] = [...objects];
  for (const o of objects) {
    if (!(o instanceof PDFRawStream) || isImageStream(o)) continue;
    const decoded = decodeBounded(o, budget);
    const objStm = nameOf(o.dict.get(PDFName.of('Type'))) === 'ObjStm';
    if (objStm || looksLikeText(decoded)) {
      const text = Buffer.from(decoded.buffer, decoded.byteOffset, decoded.length).toString('latin1');
      if (activeText(text)) return refuse(describe(text));
    }
    if (objStm) all.push(...objectStreamContents(o, decoded));
  }
  for (const o of all) {
    const found = walk(o);
    if (found) return refuse(message(found));
  }
  // It must be a document: a catalog that names its pages, and at least one page.
  const catalog = all.some((o) => isType(o, 'Catalog') && o instanceof PDFDict && o.has(PDFName.of('Pages')));
  if (!catalog || !all.some((o) => isType(o, 'Page')))
    return refuse('The file is not a readable PDF. Print it to a new PDF and upload that.');
  return { ok: true };
}

function message(feature: string): string {
  return `The PDF contains ${feature}, which is not accepted. Print it to a new PDF and upload that.`;
}

function describe(text: string): string {
  const unescaped = text.replace(/#([0-9a-fA-F]{2})/g, (_, h: string) =>
    String.fromCharCode(parseInt(h, 16)),
  );
  if (pdfHasJavaScript(text)) return message('JavaScript');
  if (/\/Launch(?![A-Za-z0-9])/.test(unescaped)) return message(activeActions.Launch!);
  if (/\/(EmbeddedFiles?|GoToE)(?![A-Za-z0-9])/.test(unescaped)) return message('an embedded file');
  if (/\/XFA(?![A-Za-z0-9])/.test(unescaped)) return message('an XFA form');
  return message('rich media (Flash or video)');
}

/** Checks a PDF upload; the reason, when refused, is a sentence for the person uploading. */
export async function checkPdf(bytes: Buffer): Promise<PdfVerdict> {
  try {
    return await inspect(bytes);
  } catch (e) {
    if (e instanceof Refused) return refuse(e.message);
    return refuse('The file is not a readable PDF. Print it to a new PDF and upload that.');
  }
}
