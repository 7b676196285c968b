/**
 * Certificate PDFs (tagged PDF/A-2a, DejaVu Sans, QR to the public verification page)
 * and per-event ceremony and plaque-order lists as CSV or XLSX (formula injection
 * neutralised) and tagged PDF (documents/tagged-pdf.ts). Deterministic: the creation
 * date is the issue date.
 */
import { plaqueStateLabels } from '../../../domain/ceremonies/index.js';
import { DomainError } from '../../../domain/errors.js';
import type { Ctx } from '../../context.js';
import { group, tag, taggedPdf } from '../../documents/tagged-pdf.js';
import { renderTable } from '../../export/tabular.js';
import { certificateFacts, designForCertificate } from '../designs/designs.service.js';
import { renderCertificate } from '../../documents/certificate-pdf.js';
import { countyOf, listAwards, readableAwardRow, verifyUrl } from './awards.service.js';

export async function certificatePdf(ctx: Ctx, awardId: string): Promise<{ pdf: Buffer; number: string }> {
  const a = await readableAwardRow(ctx, awardId);
  const number = a.certificate_number ?? a.number ?? a.id;
  const facts = await certificateFacts(ctx, a.program_id, {
    name: a.name_on_certificate ?? `${a.first_name} ${a.last_name}`,
    county: countyOf(a),
    designation: a.designation,
    number,
    verifyUrl: verifyUrl(ctx, number),
    awardedOn: a.awarded_on,
    issuedOn: a.issued_on ?? a.awarded_on,
    eventTitle: a.event_title,
    expiresOn: a.expires_on,
    reissued: !!a.supersedes_id,
  });
  // The design version the award was issued with (issue 18 item 6), the default when none.
  const { design, images } = await designForCertificate(ctx.db, a.program_id, a.certificate_design_id);
  return { pdf: await renderCertificate(facts, design, images), number };
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
