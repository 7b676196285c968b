/**
 * What an assistive technology or a PDF/A validator reads from a PDF, for the
 * document tests: the catalog's tagging markers (/MarkInfo /Marked, /Lang,
 * /ViewerPreferences /DisplayDocTitle), the document information, the XMP
 * metadata packet with its PDF/A identification, and the logical structure
 * tree with the text of each element (read through the fonts' ToUnicode maps,
 * so the text is what a screen reader would speak). It also counts the
 * painting operators of the page content that sit in no marked-content
 * sequence: untagged content, which PDF/UA forbids.
 *
 * Parsed with pdf-lib alone (no poppler), so it runs wherever the integration
 * tests run.
 */
import {
  decodePDFRawStream,
  PDFArray,
  PDFDict,
  PDFDocument,
  PDFHexString,
  PDFName,
  PDFNumber,
  PDFRawStream,
  PDFRef,
  PDFString,
  type PDFObject,
} from 'pdf-lib';

export interface StructNode {
  /** The structure type, /S: Document, H1, P, Table, TR, TH, TD, Figure, L, LI, LBody… */
  type: string;
  /** /Alt, the alternate description (figures). */
  alt: string | null;
  /** /A /Scope of a table header cell: Column, Row or Both. */
  scope: string | null;
  /** The text of this element and its descendants, in structure order. */
  text: string;
  children: StructNode[];
}

export interface PdfStructure {
  /** The header's version, "1.7". */
  version: string;
  pages: number;
  /** /MarkInfo /Marked true in the catalog. */
  marked: boolean;
  /** The catalog's /Lang. */
  lang: string | null;
  /** /ViewerPreferences /DisplayDocTitle true: the window shows the title, not the file name. */
  displayDocTitle: boolean;
  info: { title?: string; author?: string; subject?: string };
  /** The catalog's /Metadata stream (XMP), as text. */
  xmp: string | null;
  /** pdfaid:part and pdfaid:conformance from the XMP, "2" and "A". */
  pdfa: { part: string; conformance: string } | null;
  /** The structure tree under /StructTreeRoot, or null when there is none. */
  root: StructNode | null;
  /** Painting operators (text, images, paths) outside any marked-content sequence. */
  unmarkedOperators: number;
  /** Painting operators inside an /Artifact sequence. */
  artifactOperators: number;
}

const name = (o: PDFObject | undefined): string | null => (o instanceof PDFName ? o.decodeText() : null);
const text = (o: PDFObject | undefined): string | null =>
  o instanceof PDFString || o instanceof PDFHexString ? o.decodeText() : null;

function streamBytes(s: PDFRawStream): Uint8Array {
  return decodePDFRawStream(s).decode();
}

// ---------------------------------------------------------------- content streams

type Operand = number | string | Uint8Array | Operand[] | { [key: string]: Operand } | { name: string };

const DELIMITERS = new Set('()<>[]{}/%'.split(''));
const isSpace = (c: number) => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09 || c === 0x0c || c === 0;

/** Splits a content stream into operators with their operands (no inline images: pdfkit writes none). */
function* operations(src: Uint8Array): Generator<{ op: string; args: Operand[] }> {
  let i = 0;
  const stack: Operand[][] = [[]];
  const dictMarks: number[] = [];
  const push = (v: Operand) => stack[stack.length - 1]!.push(v);
  while (i < src.length) {
    const c = src[i]!;
    const ch = String.fromCharCode(c);
    if (isSpace(c)) {
      i++;
    } else if (ch === '%') {
      while (i < src.length && src[i] !== 0x0a && src[i] !== 0x0d) i++;
    } else if (ch === '(') {
      const out: number[] = [];
      let depth = 1;
      i++;
      while (i < src.length && depth > 0) {
        const b = src[i++]!;
        if (b === 0x5c) {
          const e = src[i++]!;
          const map: Record<string, number> = { n: 10, r: 13, t: 9, b: 8, f: 12 };
          const k = String.fromCharCode(e);
          if (k in map) out.push(map[k]!);
          else if (e >= 0x30 && e <= 0x37) {
            let oct = k;
            while (oct.length < 3 && src[i]! >= 0x30 && src[i]! <= 0x37)
              oct += String.fromCharCode(src[i++]!);
            out.push(parseInt(oct, 8) & 0xff);
          } else if (e !== 0x0a && e !== 0x0d) out.push(e);
        } else {
          if (b === 0x28) depth++;
          if (b === 0x29) depth--;
          if (depth > 0) out.push(b);
        }
      }
      push(Uint8Array.from(out));
    } else if (ch === '<' && src[i + 1] === 0x3c) {
      dictMarks.push(stack[stack.length - 1]!.length);
      i += 2;
    } else if (ch === '>' && src[i + 1] === 0x3e) {
      const top = stack[stack.length - 1]!;
      const items = top.splice(dictMarks.pop() ?? 0);
      const dict: { [key: string]: Operand } = {};
      for (let k = 0; k + 1 < items.length; k += 2) {
        const key = items[k] as { name: string };
        dict[key.name] = items[k + 1]!;
      }
      push(dict);
      i += 2;
    } else if (ch === '<') {
      let hex = '';
      i++;
      while (i < src.length && src[i] !== 0x3e) {
        if (!isSpace(src[i]!)) hex += String.fromCharCode(src[i]!);
        i++;
      }
      i++;
      if (hex.length % 2) hex += '0';
      push(Uint8Array.from(hex.match(/../g) ?? [], (h) => parseInt(h, 16)));
    } else if (ch === '[') {
      stack.push([]);
      i++;
    } else if (ch === ']') {
      const arr = stack.length > 1 ? stack.pop()! : [];
      push(arr);
      i++;
    } else if (ch === '/') {
      let n = '';
      i++;
      while (i < src.length && !isSpace(src[i]!) && !DELIMITERS.has(String.fromCharCode(src[i]!)))
        n += String.fromCharCode(src[i++]!);
      push({ name: n });
    } else {
      let word = '';
      while (i < src.length && !isSpace(src[i]!) && !DELIMITERS.has(String.fromCharCode(src[i]!)))
        word += String.fromCharCode(src[i++]!);
      if (word === '') {
        i++; // a stray delimiter
        continue;
      }
      if (/^[+-]?(\d+\.?\d*|\.\d+)$/.test(word)) push(Number(word));
      else if (stack.length === 1) {
        yield { op: word, args: stack[0]!.splice(0) };
      } else push({ name: word });
    }
  }
}

/** A font's ToUnicode map: code (as a hex string of its bytes) → text. */
function toUnicodeMap(cmap: string): { bytes: number; map: Map<string, string> } {
  const map = new Map<string, string>();
  const utf16 = (hex: string) => {
    const h = hex.replace(/\s+/g, '');
    const units: number[] = [];
    for (let k = 0; k + 3 < h.length; k += 4) units.push(parseInt(h.slice(k, k + 4), 16));
    return String.fromCharCode(...units);
  };
  let bytes = 2;
  const space = /begincodespacerange\s*<([0-9a-fA-F]+)>/.exec(cmap);
  if (space) bytes = space[1]!.length / 2;
  const pad = (n: number) => n.toString(16).padStart(bytes * 2, '0');
  for (const block of cmap.matchAll(/beginbfchar([\s\S]*?)endbfchar/g))
    for (const m of block[1]!.matchAll(/<([0-9a-fA-F]+)>\s*<([0-9a-fA-F\s]*)>/g))
      map.set(pad(parseInt(m[1]!, 16)), utf16(m[2]!));
  for (const block of cmap.matchAll(/beginbfrange([\s\S]*?)endbfrange/g))
    for (const m of block[1]!.matchAll(
      /<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>\s*(\[[^\]]*\]|<[0-9a-fA-F\s]*>)/g,
    )) {
      const lo = parseInt(m[1]!, 16);
      const hi = parseInt(m[2]!, 16);
      const dst = m[3]!;
      if (dst.startsWith('[')) {
        const items = [...dst.matchAll(/<([0-9a-fA-F\s]*)>/g)].map((x) => utf16(x[1]!));
        items.forEach((s, k) => map.set(pad(lo + k), s));
      } else {
        const first = utf16(dst.slice(1, -1));
        for (let code = lo; code <= hi; code++)
          map.set(
            pad(code),
            first.slice(0, -1) + String.fromCharCode(first.charCodeAt(first.length - 1) + code - lo),
          );
      }
    }
  return { bytes, map };
}

const PAINT = new Set(['Tj', 'TJ', "'", '"', 'Do', 'S', 's', 'f', 'F', 'f*', 'B', 'B*', 'b', 'b*', 'sh']);

interface PageContent {
  /** MCID → the text shown inside that marked-content sequence. */
  textByMcid: Map<number, string>;
  unmarked: number;
  artifacts: number;
}

function readPage(doc: PDFDocument, pageDict: PDFDict): PageContent {
  const resources = pageDict.lookupMaybe(PDFName.of('Resources'), PDFDict);
  const fontDict = resources?.lookupMaybe(PDFName.of('Font'), PDFDict);
  const fonts = new Map<string, { bytes: number; map: Map<string, string> }>();
  for (const [key, value] of fontDict?.entries() ?? []) {
    const font = doc.context.lookup(value);
    const cmap = font instanceof PDFDict ? font.lookup(PDFName.of('ToUnicode')) : undefined;
    if (cmap instanceof PDFRawStream)
      fonts.set(key.decodeText(), toUnicodeMap(new TextDecoder('latin1').decode(streamBytes(cmap))));
  }
  const contents = pageDict.lookup(PDFName.of('Contents'));
  const streams: PDFRawStream[] = [];
  if (contents instanceof PDFRawStream) streams.push(contents);
  else if (contents instanceof PDFArray)
    for (let k = 0; k < contents.size(); k++) {
      const part = contents.lookup(k);
      if (part instanceof PDFRawStream) streams.push(part);
    }
  const page: PageContent = { textByMcid: new Map(), unmarked: 0, artifacts: 0 };
  const marks: { tag: string; mcid: number | null }[] = [];
  let font: { bytes: number; map: Map<string, string> } | undefined;
  const show = (s: Operand) => {
    if (!(s instanceof Uint8Array) || !font) return '';
    let out = '';
    for (let k = 0; k + font.bytes <= s.length; k += font.bytes) {
      const code = Array.from(s.subarray(k, k + font.bytes), (b) => b.toString(16).padStart(2, '0')).join('');
      out += font.map.get(code) ?? '';
    }
    return out;
  };
  for (const stream of streams)
    for (const { op, args } of operations(streamBytes(stream))) {
      if (op === 'BMC' || op === 'BDC') {
        const tag = (args[0] as { name: string }).name;
        const props = args[1] as { [key: string]: Operand } | undefined;
        const mcid = props && typeof props === 'object' && typeof props.MCID === 'number' ? props.MCID : null;
        marks.push({ tag, mcid });
      } else if (op === 'EMC') marks.pop();
      else if (op === 'Tf') font = fonts.get((args[0] as { name: string }).name);
      else if (op === 'ET' || op === 'Td' || op === 'TD' || op === 'T*' || op === 'Tm') {
        // A new line or text object: a space between the words of two lines.
        const mcid = [...marks].reverse().find((m) => m.mcid !== null)?.mcid;
        if (mcid != null && op !== 'Tm') {
          const t = page.textByMcid.get(mcid) ?? '';
          if (t && !t.endsWith(' ')) page.textByMcid.set(mcid, `${t} `);
        }
      }
      if (!PAINT.has(op)) continue;
      if (marks.length === 0) page.unmarked++;
      else if (marks.some((m) => m.tag === 'Artifact')) page.artifacts++;
      let shown = '';
      if (op === 'TJ')
        for (const part of (args[0] as Operand[]) ?? [])
          if (part instanceof Uint8Array) shown += show(part);
          else if (typeof part === 'number' && part < -200) shown += ' ';
      if (op === 'Tj' || op === "'" || op === '"') shown = show(args[args.length - 1]!);
      const mcid = [...marks].reverse().find((m) => m.mcid !== null)?.mcid;
      if (shown && mcid != null) page.textByMcid.set(mcid, (page.textByMcid.get(mcid) ?? '') + shown);
    }
  return page;
}

// ---------------------------------------------------------------- structure tree

function walk(
  doc: PDFDocument,
  el: PDFDict,
  pageOf: (ref: PDFObject | undefined) => PageContent | undefined,
  depth = 0,
): StructNode {
  if (depth > 100) throw new Error('structure tree nested deeper than 100 levels');
  const type = name(el.get(PDFName.of('S'))) ?? '?';
  const alt = text(el.lookup(PDFName.of('Alt')));
  let scope: string | null = null;
  const attrs = el.lookup(PDFName.of('A'));
  for (const a of attrs instanceof PDFArray ? attrs.asArray().map((x) => doc.context.lookup(x)) : [attrs])
    if (a instanceof PDFDict) scope ??= name(a.get(PDFName.of('Scope')));
  const node: StructNode = { type, alt, scope, text: '', children: [] };
  const elementPage = pageOf(el.get(PDFName.of('Pg')));
  const kids = el.lookup(PDFName.of('K'));
  const list = kids instanceof PDFArray ? kids.asArray() : kids === undefined ? [] : [kids];
  const parts: string[] = [];
  for (const k of list) {
    const kid = k instanceof PDFRef ? doc.context.lookup(k) : k;
    if (kid instanceof PDFNumber) {
      parts.push(elementPage?.textByMcid.get(kid.asNumber()) ?? '');
    } else if (kid instanceof PDFDict) {
      const kidType = name(kid.get(PDFName.of('Type')));
      if (kidType === 'MCR') {
        const mcid = kid.lookup(PDFName.of('MCID'), PDFNumber).asNumber();
        const page = pageOf(kid.get(PDFName.of('Pg'))) ?? elementPage;
        parts.push(page?.textByMcid.get(mcid) ?? '');
      } else if (kidType !== 'OBJR') {
        const child = walk(doc, kid, pageOf, depth + 1);
        node.children.push(child);
        parts.push(child.text);
      }
    }
  }
  node.text = parts
    .map((p) => p.trim())
    .filter(Boolean)
    .join(' ')
    .replace(/\s+/g, ' ');
  return node;
}

/** Every element of the tree, depth first, the root included. */
export function structElements(node: StructNode | null): StructNode[] {
  if (!node) return [];
  return [node, ...node.children.flatMap(structElements)];
}

export async function readPdfStructure(bytes: Uint8Array): Promise<PdfStructure> {
  const doc = await PDFDocument.load(bytes, { updateMetadata: false });
  const catalog = doc.catalog;
  const markInfo = catalog.lookupMaybe(PDFName.of('MarkInfo'), PDFDict);
  const prefs = catalog.lookupMaybe(PDFName.of('ViewerPreferences'), PDFDict);
  const metadata = catalog.lookup(PDFName.of('Metadata'));
  const xmp =
    metadata instanceof PDFRawStream ? new TextDecoder('utf-8').decode(streamBytes(metadata)) : null;
  const part = xmp && /<pdfaid:part>\s*(\d)\s*<\/pdfaid:part>/.exec(xmp);
  const conformance = xmp && /<pdfaid:conformance>\s*([A-Za-z])\s*<\/pdfaid:conformance>/.exec(xmp);

  const pageContents = new Map<PDFRef, PageContent>();
  let unmarked = 0;
  let artifacts = 0;
  for (const p of doc.getPages()) {
    const content = readPage(doc, p.node);
    pageContents.set(p.ref, content);
    unmarked += content.unmarked;
    artifacts += content.artifacts;
  }
  const pageOf = (ref: PDFObject | undefined) => (ref instanceof PDFRef ? pageContents.get(ref) : undefined);

  const treeRoot = catalog.lookupMaybe(PDFName.of('StructTreeRoot'), PDFDict);
  let root: StructNode | null = null;
  if (treeRoot) {
    const k = treeRoot.lookup(PDFName.of('K'));
    const tops = (k instanceof PDFArray ? k.asArray() : k ? [k] : []).map((x) => doc.context.lookup(x));
    const children = tops.filter((x): x is PDFDict => x instanceof PDFDict).map((d) => walk(doc, d, pageOf));
    root = {
      type: 'StructTreeRoot',
      alt: null,
      scope: null,
      text: children.map((c) => c.text).join(' '),
      children,
    };
  }
  const info: PdfStructure['info'] = {};
  const title = doc.getTitle();
  const author = doc.getAuthor();
  const subject = doc.getSubject();
  if (title !== undefined) info.title = title;
  if (author !== undefined) info.author = author;
  if (subject !== undefined) info.subject = subject;
  return {
    version: /^%PDF-(\d\.\d)/.exec(new TextDecoder('latin1').decode(bytes.subarray(0, 16)))?.[1] ?? '?',
    pages: doc.getPageCount(),
    marked: markInfo?.get(PDFName.of('Marked'))?.toString() === 'true',
    lang: text(catalog.lookup(PDFName.of('Lang'))),
    displayDocTitle: prefs?.get(PDFName.of('DisplayDocTitle'))?.toString() === 'true',
    info,
    xmp,
    pdfa: part && conformance ? { part: part[1]!, conformance: conformance[1]!.toUpperCase() } : null,
    root,
    unmarkedOperators: unmarked,
    artifactOperators: artifacts,
  };
}

/** The text of an XMP simple or language-alternative property, XML entities decoded. */
export function xmpProperty(xmp: string, property: string): string | null {
  const m = new RegExp(`<${property}>([\\s\\S]*?)</${property}>`).exec(xmp);
  if (!m) return null;
  const li = /<rdf:li[^>]*>([\s\S]*?)<\/rdf:li>/.exec(m[1]!);
  const raw = (li ? li[1]! : m[1]!).trim();
  if (/[<>]|&(?!(amp|lt|gt|quot|apos);)/.test(raw))
    throw new Error(`XMP ${property} is not well-formed: ${raw}`);
  return raw
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&');
}
