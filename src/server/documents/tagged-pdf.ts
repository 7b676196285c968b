/**
 * The one way CivicCert starts a PDF: a tagged PDF 1.7 (Section 508 / PDF/UA
 * practice) in US English whose window shows the document title, with the
 * title, author and subject in both the document information and the XMP
 * metadata, DejaVu Sans embedded (assets/fonts, no system font), and, for the
 * records people keep (certificates, transcripts), a PDF/A-2a declaration with
 * its sRGB output intent. The documents draw through the helpers below, so
 * every word sits in a structure element (Document > H1, H2, P, Table…) and
 * every border or rule is an artifact a screen reader skips.
 *
 * Deterministic: the creation date is given, nothing reads the clock, and
 * pdfkit's file identifier is derived from the document information.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import PDFDocument from 'pdfkit';

const FONTS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../assets/fonts');

export interface TaggedPdfOptions {
  title: string;
  author: string;
  subject: string;
  /** Creation and modification date: the issue date, so the bytes do not depend on the clock. */
  created: Date;
  layout?: 'portrait' | 'landscape';
  /** Declare PDF/A-2 level A (a record kept for years). */
  pdfa?: boolean;
}

type Struct = PDFKit.PDFStructureElement;
/** pdfkit 0.20 takes these on a structure element; @types/pdfkit does not list scope and bbox. */
type ElementOptions = PDFKit.Mixins.StructureElementOptions & {
  scope?: 'Row' | 'Column' | 'Both';
  /** [left, top, right, bottom] in pdfkit's top-down coordinates; written as a Layout BBox. */
  bbox?: [number, number, number, number];
};

const xmlEscape = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const xmpDate = (d: Date) => `${d.toISOString().split('.')[0]}Z`;

export interface TaggedPdf {
  doc: PDFKit.PDFDocument;
  /** The Document structure element: the root of everything drawn. */
  root: Struct;
  /** The finished file, once `doc.end()` was called. */
  done: Promise<Buffer>;
}

export function taggedPdf(o: TaggedPdfOptions): TaggedPdf {
  const doc = new PDFDocument({
    size: 'LETTER',
    layout: o.layout ?? 'portrait',
    margin: 50,
    pdfVersion: '1.7',
    tagged: true,
    lang: 'en-US',
    displayTitle: true,
    ...(o.pdfa ? { subset: 'PDF/A-2a' as const } : {}),
    info: {
      Title: o.title,
      Author: o.author,
      Subject: o.subject,
      Creator: 'CivicCert',
      Producer: 'CivicCert',
      CreationDate: o.created,
      ModDate: o.created,
    },
  });
  // pdfkit copies the document information into the XMP packet as it is; a title with an
  // ampersand would make the packet ill-formed XML. Escape the copy (the information dictionary
  // keeps the plain text) and add the modification date PDF/A expects next to ModDate.
  const internals = doc as unknown as {
    info: Record<string, unknown>;
    _addInfo: () => void;
  };
  const addInfo = internals._addInfo.bind(doc);
  internals._addInfo = () => {
    const plain = internals.info;
    internals.info = Object.fromEntries(
      Object.entries(plain).map(([k, v]) => [k, typeof v === 'string' ? xmlEscape(v) : v]),
    );
    try {
      addInfo();
    } finally {
      internals.info = plain;
    }
    doc.appendXML(`
        <rdf:Description rdf:about="" xmlns:xmp="http://ns.adobe.com/xap/1.0/">
            <xmp:ModifyDate>${xmpDate(o.created)}</xmp:ModifyDate>
            <xmp:MetadataDate>${xmpDate(o.created)}</xmp:MetadataDate>
        </rdf:Description>
        `);
  };
  doc.registerFont('body', path.join(FONTS, 'DejaVuSans.ttf'));
  doc.registerFont('bold', path.join(FONTS, 'DejaVuSans-Bold.ttf'));
  doc.font('body');
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  const root = doc.struct('Document');
  doc.addStructure(root);
  return { doc, root, done };
}

/**
 * A structure element under `parent` whose content is what `draw` paints (text, an image).
 * `draw` runs at once; it must not start a page (start pages between elements).
 */
export function tag(
  doc: PDFKit.PDFDocument,
  parent: Struct,
  type: string,
  draw: () => void,
  options: ElementOptions = {},
): Struct {
  const el = doc.struct(type, options as PDFKit.Mixins.StructureElementOptions, draw);
  parent.add(el);
  return el;
}

/** A grouping element (Table, TR, L, LI…) under `parent`, filled by `fill`, then closed. */
export function group(
  doc: PDFKit.PDFDocument,
  parent: Struct,
  type: string,
  fill: (el: Struct) => void,
  options: ElementOptions = {},
): Struct {
  const el = doc.struct(type, options as PDFKit.Mixins.StructureElementOptions);
  parent.add(el);
  fill(el);
  el.end();
  return el;
}

/** An empty element: a table cell left blank to be written in by hand. */
export function empty(doc: PDFKit.PDFDocument, parent: Struct, type: string): Struct {
  return group(doc, parent, type, () => {});
}

/** Painting that carries no meaning (borders, rules, signature lines, repeated page headings). */
export function artifact(
  doc: PDFKit.PDFDocument,
  draw: () => void,
  type: 'Layout' | 'Pagination' = 'Layout',
): void {
  doc.markContent('Artifact', { type });
  draw();
  doc.endMarkedContent();
}
