/**
 * Public verification: by certificate number, or by name and county. Shows the
 * designation, status and dates only (nothing private). A certificate number
 * that matches no certificate is a 404 (a name and county may match none: an
 * empty list). Every lookup is logged
 * in verification_lookup; lookups are rate-limited per address by the shared
 * PostgreSQL limiter (src/server/http/rate-limit.ts), so the limit holds
 * across app instances.
 */
import { DomainError } from '../../../domain/errors.js';
import type { Ctx } from '../../context.js';
import { enforceRateLimit, type RateLimit } from '../../http/rate-limit.js';
import { displayName } from '../auth/auth.service.js';
import { escapeLike } from '../audit/audit.service.js';
import { issuerOf } from '../issuers/issuers.service.js';
import { definitionFor } from '../programs/programs.service.js';
import { evaluatePeople } from '../certification/evaluation.js';
import { currentCachedStatuses } from '../certification/queries.js';
import { countyOf } from './awards.service.js';

export const VERIFY_LIMIT: RateLimit = {
  bucket: 'verify.award',
  limit: 30,
  windowSeconds: 60,
  message: 'Too many lookups from this address. Try again in a minute.',
};

const labels = {
  active: 'Active',
  renewal_due: 'Active: renewal due',
  lapsed: 'Lapsed',
  expired: 'Expired',
  revoked: 'Revoked',
} as const;

type Query = {
  certificateNumber?: string | undefined;
  name?: string | undefined;
  county?: string | undefined;
};

export async function verify(ctx: Ctx, q: Query) {
  const number = q.certificateNumber?.trim();
  const name = q.name?.trim();
  const county = q.county?.trim();
  if (!number && !(name && county))
    throw new DomainError('validation', 'Enter a certificate number, or a name and a county.', {
      issues: [
        {
          field:
            name && !county ? 'query.name' : county && !name ? 'query.county' : 'query.certificateNumber',
          message: 'Enter a certificate number, or a name and a county.',
        },
      ],
    });
  const now = ctx.now();
  await enforceRateLimit(ctx, VERIFY_LIMIT);

  let query = ctx.db
    .selectFrom('award as a')
    .innerJoin('program as p', 'p.id', 'a.program_id')
    .innerJoin('person as pe', 'pe.id', 'a.person_id')
    .leftJoin('jurisdiction as j', 'j.fips', 'pe.jurisdiction_fips')
    .leftJoin('award_revocation as r', 'r.award_id', 'a.id')
    .leftJoin('award as s', 's.supersedes_id', 'a.id')
    .select([
      'a.id',
      'a.person_id',
      'a.program_id',
      'a.awarded_on',
      'a.issued_on',
      'a.expires_on',
      'a.certificate_number',
      'a.number',
      'a.designation',
      'a.name_on_certificate',
      'p.name as program_name',
      'pe.first_name',
      'pe.last_name',
      'pe.preferred_name',
      'j.name as county_name',
      'j.kind as county_kind',
      'r.revoked_on',
      's.certificate_number as superseded_by',
    ]);
  if (number)
    query = query.where((eb) => eb(eb.fn('upper', ['a.certificate_number']), '=', number.toUpperCase()));
  else {
    const words = name!.split(/\s+/).filter(Boolean).slice(0, 4);
    for (const w of words) {
      const like = `%${escapeLike(w)}%`;
      query = query.where((eb) =>
        eb.or([
          eb('pe.first_name', 'ilike', like),
          eb('pe.last_name', 'ilike', like),
          eb('pe.preferred_name', 'ilike', like),
          eb('a.name_on_certificate', 'ilike', like),
        ]),
      );
    }
    query = query
      .where('j.name', 'ilike', escapeLike(county!.replace(/\s+county$/i, '')))
      // By name, only current certificates (not the ones a re-issue replaced).
      .where('s.id', 'is', null);
  }
  const rows = await query.orderBy('a.awarded_on', 'desc').limit(50).execute();
  // Status from the cache where it is current (no engine run per lookup); evaluated otherwise.
  const cached = await currentCachedStatuses(
    ctx.db,
    rows.map((r) => ({ personId: r.person_id, programId: r.program_id })),
    now,
  );
  const items = [];
  for (const r of rows) {
    const def = await definitionFor(ctx.db, r.program_id);
    let current = cached.get(`${r.person_id}|${r.program_id}`);
    if (!current && !r.revoked_on) {
      const [ev] = await evaluatePeople(ctx.db, r.program_id, [r.person_id], now);
      current = ev && { status: ev.result.status, nextDue: ev.result.lifecycle?.nextDue ?? null };
    }
    const s = r.revoked_on ? 'revoked' : (current?.status ?? 'certified');
    const status =
      s === 'revoked'
        ? 'revoked'
        : s === 'lapsed'
          ? 'lapsed'
          : s === 'expired'
            ? 'expired'
            : s === 'renewal_due'
              ? 'renewal_due'
              : 'active';
    items.push({
      name: r.name_on_certificate ?? displayName(r),
      county: countyOf(r),
      designation: r.designation ?? def?.designation ?? r.program_name,
      program: r.program_name,
      issuingBody: (await issuerOf(ctx, r.program_id)).name,
      certificateNumber: r.certificate_number ?? r.number ?? r.id,
      status,
      statusLabel: labels[status],
      awardedOn: r.awarded_on,
      issuedOn: r.issued_on ?? r.awarded_on,
      expiresOn: current?.nextDue ?? r.expires_on,
      supersededBy: r.superseded_by,
    } as const);
  }
  await ctx.db
    .insertInto('verification_lookup')
    .values({
      at: now.toISOString(),
      ip: ctx.ip,
      kind: number ? 'number' : 'name',
      query: (number ? number : `${name} | ${county}`).slice(0, 200),
      results: items.length,
    })
    .execute();
  // A number names one certificate: none is "not found", whichever URL asked (a name may match none).
  if (number && !items.length) {
    const message = `No certificate has the number "${number}". Check the number on the certificate.`;
    throw new DomainError('not_found', message, { issues: [{ field: 'query.certificateNumber', message }] });
  }
  return items;
}
