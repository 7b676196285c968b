/**
 * Is an uploaded PDF safe to keep and hand to a reviewer? The file is parsed
 * (pdf-lib), every stream that is not image data is decoded through its
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
  PDFDocument,
  PDFName,
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

/** The raw text outside stream bodies (where binary data cannot look like names by chance). */
function textOutsideStreams(latin1: string): string {
  return latin1.replace(/(?<![A-Za-z])stream\r?\n[\s\S]*?endstream/g, 'stream endstream');
}

/**
 * Every indirect object written in the file, found by its "n g obj" header
 * and parsed on its own, so streams can be decoded within the budget before
 * pdf-lib (which expands object and cross-reference streams whole) sees them.
 */
function rawObjects(bytes: Buffer, latin1: string): PDFObject[] {
  const context = PDFContext.create();
  const found: PDFObject[] = [];
  const header = /(?<![0-9])(\d{1,10})\s+(\d{1,5})\s+obj(?![A-Za-z])/g;
  for (let m = header.exec(latin1); m; m = header.exec(latin1)) {
    try {
      found.push(PDFObjectParser.forBytes(bytes.subarray(m.index + m[0].length), context).parseObject());
    } catch {
      // Not an object pdf-lib can read here: the full parse below decides.
    }
  }
  return found;
}

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
  if (/\/Encrypt(?![A-Za-z0-9])/.test(outside))
    return refuse(
      'The PDF is encrypted or password-protected and cannot be checked. Upload an unprotected copy.',
    );
  if (activeText(outside)) return refuse(describe(outside));

  // Every stream, decoded within the budget; object streams parsed into their objects.
  const budget = new Budget();
  const objects = rawObjects(bytes, latin1);
  for (const o of objects) {
    if (!(o instanceof PDFRawStream) || isImageStream(o)) continue;
    const decoded = decodeBounded(o, budget);
    // Object streams are PDF syntax: searched as text here, parsed into objects by the load below.
    if (nameOf(o.dict.get(PDFName.of('Type'))) === 'ObjStm' || looksLikeText(decoded)) {
      const text = Buffer.from(decoded.buffer, decoded.byteOffset, decoded.length).toString('latin1');
      if (activeText(text)) return refuse(describe(text));
    }
  }

  // The document as a viewer reads it (its cross-reference table, recovered objects): it must parse.
  // Lenient like a viewer: objects it cannot read were already searched as text above.
  let doc: PDFDocument;
  try {
    doc = await PDFDocument.load(bytes, { updateMetadata: false });
  } catch (e) {
    if ((e as Error).name === 'EncryptedPDFError')
      return refuse(
        'The PDF is encrypted or password-protected and cannot be checked. Upload an unprotected copy.',
      );
    return refuse('The file is not a readable PDF. Print it to a new PDF and upload that.');
  }
  for (const [, o] of doc.context.enumerateIndirectObjects()) {
    const found = walk(o);
    if (found) return refuse(message(found));
  }
  if (doc.getPageCount() < 1) return refuse('The PDF has no pages.');
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
