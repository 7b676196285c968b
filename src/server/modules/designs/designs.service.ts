/**
 * Certificate designs per program (issue 18, item 6; ADR 0027). A program has its default design
 * (domain/certificates) until an administrator saves one; each save adds a version and nothing is
 * changed afterwards. An award records the version it was issued with (award.certificate_design_id,
 * set by awards' insertAward from currentDesignId) and its certificate keeps that version; a
 * re-issue takes the current one. The preview draws a design sent in the request, not saved.
 */
import QRCode from 'qrcode';
import { sql } from 'kysely';
import {
  certificateVerifyUrl,
  defaultDesign,
  sampleCertificate,
  type BorderStyle,
  type CertificateDesign,
} from '../../../domain/certificates/index.js';
import { designAbilities, designDenial, requireAccess } from '../../../domain/authz/policies.js';
import { DomainError } from '../../../domain/errors.js';
import { formatLongDate, todayIn } from '../../../domain/time/index.js';
import type { DesignBody, DesignDto } from '../../../contract/designs.js';
import type { Db } from '../../db/database.js';
import type { Ctx, Deps } from '../../context.js';
import type { CertificateDesignTable } from '../../db/schema.js';
import {
  renderCertificate,
  type CertificateFacts,
  type DesignImages,
} from '../../documents/certificate-pdf.js';
import { recordAudit } from '../audit/audit.service.js';
import { issuerOf } from '../issuers/issuers.service.js';
import { definitionFor } from '../programs/programs.service.js';
import { checkDesignImage, type CheckedImage } from './images.js';

type DesignRow = Omit<CertificateDesignTable, 'id' | 'created_at'> & { id: string; created_at: string };

async function programBasics(db: Db, programId: string) {
  const p = await db
    .selectFrom('program')
    .select(['id', 'name'])
    .where('id', '=', programId)
    .executeTakeFirst();
  if (!p) throw new DomainError('not_found', 'There is no program with this id.');
  const def = await definitionFor(db, programId);
  return {
    id: p.id,
    name: def?.name ?? p.name,
    designation: def?.designation ?? p.name,
    timeZone: def?.timeZone ?? 'America/Chicago',
  };
}

/** The default design of a program: its wording follows the program's designation. */
export async function programDefaultDesign(db: Db, programId: string): Promise<CertificateDesign> {
  return defaultDesign(await programBasics(db, programId));
}

/** The newest saved version's id, or null while the program has the default design. */
export async function currentDesignId(db: Db, programId: string): Promise<string | null> {
  const row = await db
    .selectFrom('certificate_design')
    .select('id')
    .where('program_id', '=', programId)
    .orderBy('version', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row?.id ?? null;
}

const toDesign = (r: DesignRow): CertificateDesign => ({
  heading: r.heading,
  introLine: r.intro_line,
  metLine: r.met_line,
  designationLine: r.designation_line,
  primaryColor: r.primary_color,
  accentColor: r.accent_color,
  border: r.border as BorderStyle,
  signers: [
    ...(r.signer1_name ? [{ name: r.signer1_name, title: r.signer1_title ?? '' }] : []),
    ...(r.signer2_name ? [{ name: r.signer2_name, title: r.signer2_title ?? '' }] : []),
  ],
});

async function imagesById(db: Db, ids: (string | null)[]) {
  const wanted = ids.filter((x): x is string => !!x);
  if (!wanted.length)
    return new Map<
      string,
      { id: string; content: Buffer; width: number; height: number; size_bytes: number }
    >();
  const rows = await db
    .selectFrom('certificate_image')
    .select(['id', 'content', 'width', 'height', 'size_bytes'])
    .where('id', 'in', wanted)
    .execute();
  return new Map(rows.map((r) => [r.id, r]));
}

/**
 * The design and images a certificate is drawn with: the saved version `designId`, or the
 * program's default design (no images) when null.
 */
export async function designForCertificate(
  db: Db,
  programId: string,
  designId: string | null,
): Promise<{ design: CertificateDesign; images: DesignImages }> {
  if (!designId)
    return {
      design: await programDefaultDesign(db, programId),
      images: { logo: null, seal: null, signatures: [] },
    };
  const r = await db
    .selectFrom('certificate_design')
    .selectAll()
    .where('id', '=', designId)
    .executeTakeFirstOrThrow();
  const imgs = await imagesById(db, [
    r.logo_image_id,
    r.seal_image_id,
    r.signer1_signature_image_id,
    r.signer2_signature_image_id,
  ]);
  const bytes = (id: string | null) => (id ? (imgs.get(id)?.content ?? null) : null);
  return {
    design: toDesign(r),
    images: {
      logo: bytes(r.logo_image_id),
      seal: bytes(r.seal_image_id),
      signatures: [bytes(r.signer1_signature_image_id), bytes(r.signer2_signature_image_id)],
    },
  };
}

export async function getDesign(ctx: Ctx, programId: string): Promise<DesignDto> {
  await programBasics(ctx.db, programId);
  requireAccess(designAbilities(ctx.actor, programId), 'read', designDenial);
  return designView(ctx.db, programId);
}

async function designView(db: Db, programId: string): Promise<DesignDto> {
  const rows = await db
    .selectFrom('certificate_design as d')
    .leftJoin('user_account as u', 'u.id', 'd.created_by')
    .leftJoin('person as pe', 'pe.id', 'u.person_id')
    .selectAll('d')
    .select(['pe.first_name', 'pe.last_name'])
    .where('d.program_id', '=', programId)
    .orderBy('d.version', 'desc')
    .execute();
  const savedBy = (r: (typeof rows)[number]) =>
    r.first_name || r.last_name ? `${r.first_name ?? ''} ${r.last_name ?? ''}`.trim() : null;
  const versions = rows.map((r) => ({
    version: r.version,
    savedAt: new Date(r.created_at).toISOString(),
    savedBy: savedBy(r),
  }));
  const current = rows[0];
  if (!current) {
    const d = await programDefaultDesign(db, programId);
    return {
      programId,
      version: 0,
      savedAt: null,
      savedBy: null,
      ...d,
      logo: null,
      seal: null,
      signers: d.signers.map((s) => ({ ...s, signature: null })),
      versions,
    };
  }
  const d = toDesign(current);
  const imgs = await imagesById(db, [
    current.logo_image_id,
    current.seal_image_id,
    current.signer1_signature_image_id,
    current.signer2_signature_image_id,
  ]);
  const ref = (id: string | null) => {
    const i = id ? imgs.get(id) : undefined;
    return i
      ? {
          id: i.id,
          width: i.width,
          height: i.height,
          sizeBytes: i.size_bytes,
          dataUrl: `data:image/png;base64,${i.content.toString('base64')}`,
        }
      : null;
  };
  const sigIds = [current.signer1_signature_image_id, current.signer2_signature_image_id];
  return {
    programId,
    version: current.version,
    savedAt: versions[0]!.savedAt,
    savedBy: versions[0]!.savedBy,
    ...d,
    logo: ref(current.logo_image_id),
    seal: ref(current.seal_image_id),
    signers: d.signers.map((s, i) => ({ ...s, signature: ref(sigIds[i] ?? null) })),
    versions,
  };
}

type ImageInput = DesignBody['logo'];
type Resolved = { id: string | null; content: Buffer | null; checked: CheckedImage | null };

/**
 * Each image of a body: kept ({ id }: one of this program's stored images, else a 400 naming the
 * field), new ({ png }: checked by content, a 400 naming the field when it fails), or none.
 */
async function resolveImages(db: Db, programId: string, b: DesignBody) {
  const fields: [string, string, ImageInput][] = [
    ['logo', 'logo', b.logo],
    ['seal', 'seal', b.seal],
    ...b.signers.map(
      (s, i) =>
        [`signers.${i}.signature`, `signature of ${s.name}`, s.signature] as [string, string, ImageInput],
    ),
  ];
  const kept = await db
    .selectFrom('certificate_image')
    .select(['id', 'content'])
    .where('program_id', '=', programId)
    .where(
      'id',
      'in',
      fields.flatMap(([, , v]) => (v?.id ? [v.id] : [])).concat(['00000000-0000-0000-0000-000000000000']),
    )
    .execute();
  const byId = new Map(kept.map((k) => [k.id, k.content]));
  const out = new Map<string, Resolved>();
  for (const [field, label, v] of fields) {
    if (!v) out.set(field, { id: null, content: null, checked: null });
    else if (v.id) {
      const content = byId.get(v.id);
      if (!content) {
        const message = `The ${label} names an image this program's design does not have. Upload the file again.`;
        throw new DomainError('validation', message, { issues: [{ field, message }] });
      }
      out.set(field, { id: v.id, content, checked: null });
    } else {
      const checked = checkDesignImage(field, v.png ?? '', label);
      out.set(field, { id: null, content: checked.content, checked });
    }
  }
  return out;
}

/** Stores the new images (once per program and content) and fills in their ids. */
async function storeImages(tx: Db, programId: string, images: Map<string, Resolved>) {
  for (const r of images.values()) {
    if (!r.checked) continue;
    const c = r.checked;
    await tx
      .insertInto('certificate_image')
      .values({
        program_id: programId,
        content_type: 'image/png',
        size_bytes: c.content.length,
        width: c.width,
        height: c.height,
        sha256: c.sha256,
        content: c.content,
      })
      .onConflict((oc) => oc.columns(['program_id', 'sha256']).doNothing())
      .execute();
    const row = await tx
      .selectFrom('certificate_image')
      .select('id')
      .where('program_id', '=', programId)
      .where('sha256', '=', c.sha256)
      .executeTakeFirstOrThrow();
    r.id = row.id;
  }
}

/** Saves the design as the program's next version; certificates issued from now on use it. Audited. */
export async function saveDesign(ctx: Ctx, programId: string, b: DesignBody): Promise<DesignDto> {
  await programBasics(ctx.db, programId);
  const images = await resolveImages(ctx.db, programId, b);
  await ctx.db.transaction().execute(async (tx) => {
    // One save at a time per program, so versions are numbered without a gap or a clash.
    await tx.selectFrom('program').select('id').where('id', '=', programId).forUpdate().execute();
    const last = await tx
      .selectFrom('certificate_design')
      .select(sql<number>`coalesce(max(version), 0)::int`.as('n'))
      .where('program_id', '=', programId)
      .executeTakeFirstOrThrow();
    await storeImages(tx, programId, images);
    const id = (f: string) => images.get(f)?.id ?? null;
    const [s1, s2] = b.signers;
    const version = last.n + 1;
    const row = {
      program_id: programId,
      version,
      heading: b.heading,
      intro_line: b.introLine,
      met_line: b.metLine,
      designation_line: b.designationLine,
      primary_color: b.primaryColor,
      accent_color: b.accentColor,
      border: b.border,
      logo_image_id: id('logo'),
      seal_image_id: id('seal'),
      signer1_name: s1?.name ?? null,
      signer1_title: s1?.title ?? null,
      signer1_signature_image_id: id('signers.0.signature'),
      signer2_name: s2?.name ?? null,
      signer2_title: s2?.title ?? null,
      signer2_signature_image_id: id('signers.1.signature'),
      created_by: ctx.actor?.userId ?? null,
      created_at: ctx.now().toISOString(),
    };
    await tx.insertInto('certificate_design').values(row).execute();
    const { program_id: _p, created_by: _c, created_at: _t, ...after } = row;
    await recordAudit(tx, ctx, {
      action: 'certificate_design.save',
      entityType: 'program',
      entityId: programId,
      before: { version: last.n },
      after,
    });
  });
  return designView(ctx.db, programId);
}

/** The certificate's words that are not the design's: the program, issuer and award. */
export async function certificateFacts(
  deps: Pick<Deps, 'config' | 'db'>,
  programId: string,
  a: {
    name: string;
    county: string | null;
    designation: string | null;
    number: string;
    verifyUrl: string;
    awardedOn: string;
    issuedOn: string;
    eventTitle: string | null;
    expiresOn: string | null;
    reissued: boolean;
  },
): Promise<CertificateFacts> {
  const p = await programBasics(deps.db, programId);
  // The program's issuer (issue 18): its own name, not the deployment's.
  const issuer = (await issuerOf(deps, programId)).name;
  const qrPng = await QRCode.toBuffer(a.verifyUrl, {
    type: 'png',
    margin: 1,
    width: 240,
    errorCorrectionLevel: 'M',
  });
  return {
    issuer,
    name: a.name,
    county: a.county,
    programName: p.name,
    designation: a.designation ?? p.designation,
    awardedLine: `Awarded ${formatLongDate(a.awardedOn)}${a.eventTitle ? ` at ${a.eventTitle}` : ''}${a.expiresOn ? ` · Renewal due ${formatLongDate(a.expiresOn)}` : ''}`,
    reissuedLine: a.reissued
      ? `Re-issued ${formatLongDate(a.issuedOn)}; replaces an earlier certificate.`
      : null,
    number: a.number,
    verifyUrl: a.verifyUrl,
    qrPng,
    created: new Date(`${a.issuedOn}T12:00:00Z`),
  };
}

/**
 * The PDF of a design sent in the request (not saved) with a sample official, so an administrator
 * sees it before saving. Images are checked exactly as a save checks them; nothing is stored.
 */
export async function previewDesign(ctx: Ctx, programId: string, b: DesignBody): Promise<Buffer> {
  const p = await programBasics(ctx.db, programId);
  const images = await resolveImages(ctx.db, programId, b);
  const today = todayIn(p.timeZone, ctx.now());
  const sample = sampleCertificate(today);
  const facts = await certificateFacts(ctx, programId, {
    name: sample.name,
    county: sample.county,
    designation: null,
    number: sample.number,
    verifyUrl: certificateVerifyUrl(ctx.config.publicUrl, sample.number),
    awardedOn: today,
    issuedOn: today,
    eventTitle: null,
    expiresOn: null,
    reissued: false,
  });
  const content = (f: string) => images.get(f)?.content ?? null;
  return renderCertificate(
    facts,
    {
      heading: b.heading,
      introLine: b.introLine,
      metLine: b.metLine,
      designationLine: b.designationLine,
      primaryColor: b.primaryColor,
      accentColor: b.accentColor,
      border: b.border,
      signers: b.signers.map((s) => ({ name: s.name, title: s.title })),
    },
    {
      logo: content('logo'),
      seal: content('seal'),
      signatures: [content('signers.0.signature'), content('signers.1.signature')],
    },
  );
}
