/**
 * The certificate PDF (a tagged PDF/A-2a, one landscape page) drawn from its facts and a design
 * (issue 18, item 6): the design's wording, colours, border, logo, seal and signers. The same
 * drawing serves issued certificates and the preview of a design not yet saved.
 *
 * Images are PNGs already checked by decoding (modules/designs/images.ts). Words sit in
 * structure elements; borders, rules and signature lines are artifacts; the logo, seal,
 * signatures and QR code are figures with alternate text.
 */
import { signatureLabels, type CertificateDesign } from '../../domain/certificates/index.js';
import { artifact, tag, taggedPdf } from './tagged-pdf.js';

export interface CertificateFacts {
  issuer: string;
  name: string;
  county: string | null;
  programName: string;
  designation: string;
  /** "Awarded March 11, 2027 at … · Renewal due …". */
  awardedLine: string;
  /** Said under the awarded line of a re-issued certificate. */
  reissuedLine: string | null;
  number: string;
  verifyUrl: string;
  qrPng: Buffer;
  /** The issue date (the document's creation date: no clock is read). */
  created: Date;
}

export interface DesignImages {
  logo: Buffer | null;
  seal: Buffer | null;
  /** One per signer, in order. */
  signatures: (Buffer | null)[];
}

const W = 792;
const H = 612;
const INK = '#1b1b1b';

function drawBorder(doc: PDFKit.PDFDocument, d: CertificateDesign): void {
  if (d.border === 'none') return;
  artifact(doc, () => {
    doc.strokeColor(d.primaryColor);
    if (d.border === 'single') {
      doc
        .lineWidth(2)
        .rect(34, 34, W - 68, H - 68)
        .stroke();
    } else {
      doc
        .lineWidth(3)
        .rect(30, 30, W - 60, H - 60)
        .stroke();
      doc
        .lineWidth(1)
        .rect(38, 38, W - 76, H - 76)
        .stroke();
    }
    if (d.border === 'ornate') {
      // A diamond at each corner, in the accent colour.
      doc.fillColor(d.accentColor);
      for (const [x, y] of [
        [34, 34],
        [W - 34, 34],
        [34, H - 34],
        [W - 34, H - 34],
      ] as const)
        doc.polygon([x, y - 12], [x + 12, y], [x, y + 12], [x - 12, y]).fill();
    }
    doc.strokeColor(INK).fillColor(INK);
  });
}

export async function renderCertificate(
  facts: CertificateFacts,
  design: CertificateDesign,
  images: DesignImages,
): Promise<Buffer> {
  const { doc, root, done } = taggedPdf({
    title: `${facts.designation}: ${facts.name}`,
    author: facts.issuer,
    subject: `Certificate number ${facts.number}: ${facts.name}, ${facts.designation}`,
    created: facts.created,
    layout: 'landscape',
    pdfa: true,
  });
  // Everything is placed absolutely on one landscape page; no automatic page breaks.
  doc.page.margins = { top: 0, bottom: 0, left: 0, right: 0 };
  const line = (
    type: 'P' | 'H1',
    font: 'body' | 'bold',
    size: number,
    text: string,
    y: number,
    color = INK,
  ) =>
    tag(doc, root, type, () => {
      // A long heading or name is set smaller to stay on one line (never below 10 points).
      let fitted = size;
      doc.font(font).fontSize(fitted);
      while (fitted > 10 && doc.widthOfString(text) > W - 240) doc.fontSize(--fitted);
      doc
        .fillColor(color)
        .text(text, 120, y + (size - fitted) / 2, { width: W - 240, align: 'center' })
        .fillColor(INK);
    });
  const figure = (png: Buffer, x: number, y: number, w: number, h: number, alt: string) =>
    tag(doc, root, 'Figure', () => doc.image(png, x, y, { fit: [w, h], align: 'center', valign: 'center' }), {
      alt,
      bbox: [x, y, x + w, y + h],
    });

  drawBorder(doc, design);
  if (images.logo) figure(images.logo, 56, 52, 72, 72, `Logo of ${facts.issuer}`);
  line('P', 'body', 14, facts.issuer, 66);
  line('H1', 'bold', 28, design.heading, 100, design.primaryColor);
  artifact(doc, () =>
    doc
      .strokeColor(design.accentColor)
      .lineWidth(2)
      .moveTo(W / 2 - 90, 148)
      .lineTo(W / 2 + 90, 148)
      .stroke()
      .strokeColor(INK),
  );
  line('P', 'body', 13, design.introLine, 162);
  line('P', 'bold', 28, facts.name, 186, design.primaryColor);
  if (facts.county) line('P', 'body', 12, facts.county, 224);
  line('P', 'body', 13, design.metLine, 250);
  line('P', 'bold', 16, facts.programName, 272);
  line('P', 'body', 13, design.designationLine, 302);
  line('P', 'bold', 20, facts.designation, 324, design.primaryColor);
  line('P', 'body', 12, facts.awardedLine, 360);
  if (facts.reissuedLine) line('P', 'body', 9, facts.reissuedLine, 380);

  // Signature lines: each signer's signature image above the line, name and title under it.
  const labels = signatureLabels(design, facts.issuer);
  labels.forEach((label, i) => {
    const x = 64 + i * 220;
    const signature = images.signatures[i];
    if (signature && label.name) figure(signature, x, 422, 200, 44, `Signature of ${label.name}`);
    artifact(doc, () =>
      doc
        .lineWidth(1)
        .moveTo(x, 470)
        .lineTo(x + 200, 470)
        .stroke(),
    );
    if (label.name)
      tag(doc, root, 'P', () =>
        doc.font('bold').fontSize(10).text(label.name!, x, 476, { width: 200, align: 'center' }),
      );
    tag(doc, root, 'P', () =>
      doc
        .font('body')
        .fontSize(9)
        .text(label.title, x, label.name ? 490 : 476, { width: 200, align: 'center' }),
    );
  });
  if (images.seal) figure(images.seal, 514, 402, 96, 96, `Seal of ${facts.issuer}`);
  tag(doc, root, 'Figure', () => doc.image(facts.qrPng, W - 170, 410, { width: 100 }), {
    alt: `QR code that opens the verification page for certificate number ${facts.number}: ${facts.verifyUrl}`,
    bbox: [W - 170, 410, W - 70, 510],
  });
  tag(doc, root, 'P', () =>
    doc
      .font('body')
      .fontSize(8)
      .text('Verify this certificate', W - 180, 512, { width: 120, align: 'center' }),
  );
  line('P', 'bold', 10, `Certificate number ${facts.number}`, 536);
  line('P', 'body', 8, facts.verifyUrl, 551);
  doc.end();
  return done;
}
