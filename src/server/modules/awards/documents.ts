/**
 * Certificate PDFs (tagged PDF/A-2a, DejaVu Sans, QR to the public verification page)
 * and per-event ceremony and plaque-order lists as CSV or XLSX (formula injection
 * neutralised) and tagged PDF (documents/tagged-pdf.ts). Deterministic: the creation
 * date is the issue date.
 */
import QRCode from 'qrcode';
import { plaqueStateLabels } from '../../../domain/ceremonies/index.js';
import { DomainError } from '../../../domain/errors.js';
import { formatLongDate } from '../../../domain/time/index.js';
import type { Ctx } from '../../context.js';
import { artifact, group, tag, taggedPdf } from '../../documents/tagged-pdf.js';
import { renderTable } from '../../export/tabular.js';
import { issuerOf } from '../issuers/issuers.service.js';
import { definitionFor } from '../programs/programs.service.js';
import { countyOf, listAwards, readableAwardRow, verifyUrl } from './awards.service.js';

export async function certificatePdf(ctx: Ctx, awardId: string): Promise<{ pdf: Buffer; number: string }> {
  const a = await readableAwardRow(ctx, awardId);
  const def = await definitionFor(ctx.db, a.program_id);
  const number = a.certificate_number ?? a.number ?? a.id;
  // The program's issuer (issue 18): its own name, not the deployment's.
  const issuer = (await issuerOf(ctx, a.program_id)).name;
  const designation = a.designation ?? def?.designation ?? a.program_name;
  const name = a.name_on_certificate ?? `${a.first_name} ${a.last_name}`;
  const url = verifyUrl(ctx, number);
  const qr = await QRCode.toBuffer(url, { type: 'png', margin: 1, width: 240, errorCorrectionLevel: 'M' });
  const { doc, root, done } = taggedPdf({
    title: `${designation}: ${name}`,
    author: issuer,
    subject: `Certificate number ${number}: ${name}, ${designation}`,
    created: new Date(`${a.issued_on ?? a.awarded_on}T12:00:00Z`),
    layout: 'landscape',
    pdfa: true,
  });
  // Everything is placed absolutely on one landscape page; no automatic page breaks.
  doc.page.margins = { top: 0, bottom: 0, left: 0, right: 0 };
  const W = 792;
  const line = (type: 'P' | 'H1', font: 'body' | 'bold', size: number, text: string, y: number) =>
    tag(doc, root, type, () =>
      doc
        .font(font)
        .fontSize(size)
        .text(text, 50, y, { width: W - 100, align: 'center' }),
    );
  artifact(doc, () => {
    doc
      .lineWidth(3)
      .rect(30, 30, W - 60, 612 - 60)
      .stroke();
    doc
      .lineWidth(1)
      .rect(38, 38, W - 76, 612 - 76)
      .stroke();
  });
  line('P', 'body', 14, issuer, 70);
  line('H1', 'bold', 30, 'Certificate of Certification', 110);
  line('P', 'body', 13, 'This certifies that', 170);
  line('P', 'bold', 28, name, 195);
  const county = countyOf(a);
  if (county) line('P', 'body', 12, county, 232);
  line('P', 'body', 13, 'has met every requirement of the', 260);
  line('P', 'bold', 16, a.program_name, 282);
  line('P', 'body', 13, 'and is awarded the designation', 310);
  line('P', 'bold', 20, designation, 332);
  line(
    'P',
    'body',
    12,
    `Awarded ${formatLongDate(a.awarded_on)}${a.event_title ? ` at ${a.event_title}` : ''}${a.expires_on ? ` · Renewal due ${formatLongDate(a.expires_on)}` : ''}`,
    368,
  );
  if (a.supersedes_id)
    line(
      'P',
      'body',
      9,
      `Re-issued ${formatLongDate(a.issued_on ?? a.awarded_on)}; replaces an earlier certificate.`,
      388,
    );
  // Signature lines: the lines are artifacts, the labels under them paragraphs.
  for (const [x, label] of [
    [90, 'Program Administrator'],
    [330, `For ${issuer}`.slice(0, 60)],
  ] as const) {
    artifact(doc, () =>
      doc
        .moveTo(x, 470)
        .lineTo(x + 200, 470)
        .stroke(),
    );
    tag(doc, root, 'P', () =>
      doc.font('body').fontSize(9).text(label, x, 476, { width: 200, align: 'center' }),
    );
  }
  tag(doc, root, 'Figure', () => doc.image(qr, W - 170, 410, { width: 100 }), {
    alt: `QR code that opens the verification page for certificate number ${number}: ${url}`,
    bbox: [W - 170, 410, W - 70, 510],
  });
  tag(doc, root, 'P', () =>
    doc
      .font('body')
      .fontSize(8)
      .text('Verify this certificate', W - 180, 512, { width: 120, align: 'center' }),
  );
  line('P', 'bold', 10, `Certificate number ${number}`, 540);
  line('P', 'body', 8, url, 555);
  doc.end();
  return { pdf: await done, number };
}

export async function eventDocument(
  ctx: Ctx,
  eventId: string,
  kind: 'ceremony' | 'plaques',
  format: 'csv' | 'xlsx' | 'pdf',
): Promise<{ body: Buffer | string; contentType: string; filename: string }> {
  const event = await ctx.db
    .selectFrom('event')
    .select(['id', 'title'])
    .where('id', '=', eventId)
    .executeTakeFirst();
  if (!event) throw new DomainError('not_found', 'There is no event with this id.');
  const awards = (await listAwards(ctx, { eventId }))
    .filter((a) => !a.revocation && !a.supersededById)
    .sort((x, y) => x.nameOnCertificate.localeCompare(y.nameOnCertificate));
  const header =
    kind === 'ceremony'
      ? ['#', 'Name', 'County', 'Designation', 'Program', 'Certificate number', 'Awarded on']
      : ['#', 'Name on plaque', 'Designation', 'County', 'Certificate number', 'Quantity', 'State'];
  const rows = awards.map((a, i) =>
    kind === 'ceremony'
      ? [
          i + 1,
          a.nameOnCertificate,
          a.person.county,
          a.designation,
          a.program.name,
          a.certificateNumber,
          a.awardedOn,
        ]
      : [
          i + 1,
          a.nameOnCertificate,
          a.designation,
          a.person.county,
          a.certificateNumber,
          1,
          plaqueStateLabels[a.plaque?.state ?? 'to_order'],
        ],
  );
  const base = `${kind === 'ceremony' ? 'ceremony-list' : 'plaque-orders'}-${event.id}`;
  if (format !== 'pdf') {
    // The shared tabular export (CSV with BOM or XLSX, formulas neutralised).
    const columns = header.map((h, i) => ({ header: h, value: (r: (typeof rows)[number]) => r[i] }));
    const { body, contentType } = await renderTable(format, { columns, rows, sheet: base.slice(0, 31) });
    return { body, contentType, filename: `${base}.${format}` };
  }
  const title = `${kind === 'ceremony' ? 'Ceremony list' : 'Plaque order list'}: ${event.title}`;
  const created = new Date(awards[0] ? `${awards[0].awardedOn}T12:00:00Z` : '2000-01-01T00:00:00Z');
  const count = `${awards.length} ${awards.length === 1 ? 'award' : 'awards'}`;
  const { doc, root, done } = taggedPdf({
    title,
    author: ctx.config.organization.name,
    subject: `${kind === 'ceremony' ? 'Ceremony list' : 'Plaque orders'}: ${count} at ${event.title}, in name order`,
    created,
  });
  tag(doc, root, 'H1', () => doc.font('bold').fontSize(16).text(title));
  tag(doc, root, 'P', () => doc.font('body').fontSize(10).text(count));
  doc.moveDown();
  const widths = kind === 'ceremony' ? [22, 130, 90, 90, 0, 100, 70] : [22, 150, 100, 90, 100, 0, 60];
  group(doc, root, 'Table', (table) => {
    // One table row per line, header cells with column scope; a page starts between rows.
    const draw = (cells: (string | number | null)[], bold: boolean) => {
      if (doc.y > 720) doc.addPage();
      const y = doc.y;
      let x = 50;
      group(doc, table, 'TR', (tr) => {
        cells.forEach((c, i) => {
          const w = widths[i] ?? 0;
          if (!w) return;
          const left = x;
          tag(
            doc,
            tr,
            bold ? 'TH' : 'TD',
            () =>
              doc
                .font(bold ? 'bold' : 'body')
                .fontSize(9)
                .text(String(c ?? ''), left, y, { width: w - 4, height: 24, ellipsis: true }),
            bold ? { scope: 'Column' } : {},
          );
          x += w;
        });
      });
      doc.y = y + 18;
    };
    draw(header, true);
    for (const r of rows) draw(r, false);
  });
  doc.end();
  return { body: await done, contentType: 'application/pdf', filename: `${base}.pdf` };
}
