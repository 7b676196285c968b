/**
 * Award credentials and status lists (issue 18, items 2 and 3).
 *
 * - An award's Open Badges 3.0 credential is built from the award as it stands now (the renewal
 *   due date, the issuer) and signed with the issuer's newest key (our own eddsa-rdfc-2022 signer,
 *   src/server/credentials/data-integrity.ts). Nothing is stored but its status list index.
 * - Each issuer publishes two Bitstring Status Lists, made from the database on every request so a
 *   change shows on the next one: `revocation` (the award was revoked or replaced by a re-issue;
 *   final) and `suspension` (the certification lapsed or expired; the bit clears when the
 *   official is reinstated, read from the certification status cache every change keeps current).
 * - The index is drawn at random from the whole list when the first credential of the award is
 *   made, and never reused: the unique (program, index) constraint decides a clash, and the row
 *   stays when the award is revoked.
 */
import { randomInt } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { sql } from 'kysely';
import {
  issuedTranscriptDenial,
  requireAccess,
  transcriptCredentialAbilities,
} from '../../../domain/authz/policies.js';
import {
  clrCredential,
  criteriaInWords,
  openBadgeCredential,
  statusBits,
  statusListCredential,
  STATUS_LIST_LENGTH,
  type AwardFacts,
  type StatusPurpose,
  type TranscriptEntry,
} from '../../../domain/credentials/index.js';
import { DomainError } from '../../../domain/errors.js';
import type { Ctx, Deps } from '../../context.js';
import type { Db } from '../../db/database.js';
import { signDataIntegrity } from '../../credentials/data-integrity.js';
import { displayName } from '../auth/auth.service.js';
import { getAwardRow, readableAwardRow, verifyUrl } from '../awards/awards.service.js';
import { evaluatePeople } from '../certification/evaluation.js';
import { issuerOf, programIdBySlug, signingKey, type ProgramIssuer } from '../issuers/issuers.service.js';
import { definitionFor } from '../programs/programs.service.js';
import { transcriptFor, transcriptPolicyFacts } from '../transcripts/transcripts.service.js';

/** How many random draws before giving up (a list nearly full: a new list is an operator's task). */
const DRAWS = 64;

/** The award's status list index: the one it has, or a random unused one, kept for good. */
export async function statusIndexOf(db: Db, awardId: string, programId: string): Promise<number> {
  const existing = () =>
    db
      .selectFrom('credential_status')
      .select('list_index')
      .where('award_id', '=', awardId)
      .executeTakeFirst();
  for (let draw = 0; draw < DRAWS; draw += 1) {
    const found = await existing();
    if (found) return found.list_index;
    // Either constraint may refuse: the index is taken (draw again) or a parallel request gave
    // this award its index first (the next read finds it).
    await db
      .insertInto('credential_status')
      .values({ award_id: awardId, program_id: programId, list_index: randomInt(STATUS_LIST_LENGTH) })
      .onConflict((oc) => oc.doNothing())
      .execute();
  }
  const found = await existing();
  if (found) return found.list_index;
  throw new DomainError('conflict', "The issuer's status list has no free entry left.");
}

const statusListUrl = (issuer: ProgramIssuer, purpose: StatusPurpose) =>
  `${issuer.baseUrl}/status/${purpose}`;

/** Seconds precision: what the credential's timestamps show. */
const isoSeconds = (d: Date) => `${d.toISOString().slice(0, 19)}Z`;

type AwardRow = Awaited<ReturnType<typeof readableAwardRow>>;

/**
 * What a credential states about a standing award, read as the award stands now: the renewal due
 * date from the evaluation, the credits approved up to the award date, the criteria in words.
 * The badge and the CLR transcript both read an award through here.
 */
async function awardFactsOf(ctx: Ctx, a: AwardRow) {
  const [def, [ev], credits, program] = await Promise.all([
    definitionFor(ctx.db, a.program_id),
    evaluatePeople(ctx.db, a.program_id, [a.person_id], ctx.now()),
    ctx.db
      .selectFrom('credit_record')
      .select(sql<string | null>`sum(amount)`.as('total'))
      .where('person_id', '=', a.person_id)
      .where('program_id', '=', a.program_id)
      .where('status', '=', 'approved')
      .where('earned_on', '<=', a.awarded_on)
      .executeTakeFirstOrThrow(),
    ctx.db
      .selectFrom('program')
      .select(['code', 'time_zone'])
      .where('id', '=', a.program_id)
      .executeTakeFirstOrThrow(),
  ]);
  const number = a.certificate_number ?? a.number ?? a.id;
  const designation = a.designation ?? def?.designation ?? a.program_name;
  const facts: AwardFacts = {
    awardId: a.id,
    certificateNumber: number,
    nameOnCertificate: a.name_on_certificate ?? displayName(a),
    awardedOn: a.awarded_on,
    dueOn: ev?.result.lifecycle?.current?.due ?? a.expires_on,
    designation,
    program: { id: a.program_id, code: program.code, name: a.program_name, timeZone: program.time_zone },
    criteria: def ? criteriaInWords(def.initial.requirement, designation) : criteriaInWords({}, designation),
    creditsEarned: Math.round(Number(credits.total ?? 0) * 100) / 100,
    unitPlural: def?.unit.plural ?? 'credits',
  };
  return facts;
}

/**
 * The award's signed OpenBadgeCredential, for whoever may read the award. A revoked award, or one
 * a re-issue replaced, has none to give (409): its status lists already say so.
 */
export async function awardCredential(ctx: Ctx, awardId: string) {
  return signedAwardCredential(ctx, await readableAwardRow(ctx, awardId));
}

/**
 * The signed OpenBadgeCredential of an award row, once the caller has decided who may have it (the
 * download checks the reader; a wallet offer's token was given to the holder, ADR 0034).
 */
export async function signedAwardCredential(ctx: Ctx, a: AwardRow) {
  if (a.revoked_on) throw new DomainError('conflict', 'This award is revoked; it has no credential to give.');
  if (a.superseded_by_id)
    throw new DomainError(
      'conflict',
      'This certificate was replaced by a re-issue; download the credential of the current certificate.',
    );
  const [issuer, facts] = await Promise.all([issuerOf(ctx, a.program_id), awardFactsOf(ctx, a)]);
  const index = await statusIndexOf(ctx.db, a.id, a.program_id);
  const number = facts.certificateNumber;
  const unsigned = openBadgeCredential(
    facts,
    issuer,
    {
      credential: `${ctx.config.publicUrl}/credentials/awards/${a.id}`,
      achievement: `${issuer.baseUrl}/achievements/${encodeURIComponent(facts.program.code)}`,
      verifyPage: verifyUrl(ctx, number),
      statusList: {
        revocation: statusListUrl(issuer, 'revocation'),
        suspension: statusListUrl(issuer, 'suspension'),
      },
    },
    index,
  );
  return { credential: await signAs(ctx, issuer, unsigned), number };
}

/** A document signed now with the issuer's newest key (our eddsa-rdfc-2022 signer). */
async function signAs<T extends { '@context': unknown }>(deps: Deps, issuer: ProgramIssuer, unsigned: T) {
  const key = await signingKey(deps, issuer);
  return signDataIntegrity(unsigned, key.privateKey, {
    verificationMethod: key.verificationMethod,
    created: isoSeconds(deps.now()),
  });
}

/**
 * A person's transcript in one program as a signed CLR 2.0 ClrCredential (issue 18, item 4),
 * issued by that program's issuer: the sessions and approved outside credit of the transcript
 * (one reading, transcriptFor) and every standing award of the program. A transcript spans
 * programs with different issuers and keys, so there is one CLR per program (ADR 0028). For the
 * person, administrators and the coordinators who run the program; 404 for a program the person
 * is not enrolled in, 409 when there is nothing yet to state.
 */
export async function transcriptCredential(ctx: Ctx, personId: string, programId: string) {
  const facts = await transcriptPolicyFacts(ctx.db, personId);
  if (!facts.programIds.includes(programId))
    throw new DomainError('not_found', 'This person has no transcript in this program.');
  requireAccess(
    transcriptCredentialAbilities(ctx.actor, facts, programId),
    'download',
    issuedTranscriptDenial,
  );
  return signedTranscriptCredential(ctx, personId, programId);
}

/**
 * The signed ClrCredential of a person's transcript in a program, once the caller has decided who
 * may have it (the download checks the reader; a wallet offer's token was given to the person).
 */
export async function signedTranscriptCredential(ctx: Ctx, personId: string, programId: string) {
  const [transcript, issuer, program, awardIds] = await Promise.all([
    transcriptFor(ctx, personId),
    issuerOf(ctx, programId),
    ctx.db
      .selectFrom('program')
      .select(['code', 'name', 'time_zone'])
      .where('id', '=', programId)
      .executeTakeFirstOrThrow(),
    ctx.db
      .selectFrom('award as a')
      .leftJoin('award_revocation as r', 'r.award_id', 'a.id')
      .leftJoin('award as s', 's.supersedes_id', 'a.id')
      .where('a.person_id', '=', personId)
      .where('a.program_id', '=', programId)
      .where('r.id', 'is', null)
      .where('s.id', 'is', null)
      .select('a.id')
      .orderBy('a.awarded_on')
      .execute(),
  ]);
  const part = transcript.programs.find((p) => p.program.id === programId);
  const awards = await Promise.all(
    awardIds.map(async ({ id }) => awardFactsOf(ctx, await getAwardRow(ctx.db, id))),
  );
  const entries: TranscriptEntry[] = [
    ...(part?.sessions ?? []).map((r) => ({
      kind: 'session' as const,
      title: r.title,
      date: r.date,
      credits: r.amount,
      category: r.category,
      provider: null,
    })),
    ...(part?.outside ?? []).map((r) => ({
      kind: 'credit' as const,
      title: r.title,
      date: r.date,
      credits: r.amount,
      category: r.category,
      provider: r.source,
    })),
    ...awards.map((a) => ({
      kind: 'award' as const,
      title: a.designation,
      date: a.awardedOn,
      credits: a.creditsEarned,
      category: a.program.name,
      provider: null,
      award: {
        certificateNumber: a.certificateNumber,
        dueOn: a.dueOn,
        criteria: a.criteria,
        verifyPage: verifyUrl(ctx, a.certificateNumber),
      },
    })),
  ].sort((x, y) => x.date.localeCompare(y.date));
  if (entries.length === 0)
    throw new DomainError('conflict', 'There is nothing in this transcript yet: no credit and no award.');
  const unsigned = clrCredential(
    {
      personName: transcript.person.name,
      program: { code: program.code, name: program.name, timeZone: program.time_zone },
      unitPlural: part?.unit ?? 'credits',
      entries,
    },
    issuer,
    `${ctx.config.publicUrl}/credentials/transcripts/${personId}/programs/${programId}`,
    ctx.now().getTime(),
  );
  return { credential: await signAs(ctx, issuer, unsigned), slug: issuer.slug };
}

/** The indexes whose bit is set in a list of the program, read now. */
async function setIndexes(db: Db, programId: string, purpose: StatusPurpose): Promise<number[]> {
  const base = db
    .selectFrom('credential_status as cs')
    .innerJoin('award as a', 'a.id', 'cs.award_id')
    .where('cs.program_id', '=', programId)
    .select('cs.list_index');
  const rows =
    purpose === 'revocation'
      ? await base
          .leftJoin('award_revocation as r', 'r.award_id', 'a.id')
          .leftJoin('award as s', 's.supersedes_id', 'a.id')
          .where((eb) => eb.or([eb('r.id', 'is not', null), eb('s.id', 'is not', null)]))
          .execute()
      : await base
          .innerJoin('certification_status as st', (j) =>
            j.onRef('st.person_id', '=', 'a.person_id').onRef('st.program_id', '=', 'a.program_id'),
          )
          .where('st.status', 'in', ['lapsed', 'expired'])
          .execute();
  return rows.map((r) => r.list_index);
}

/** Is the bit at this index set in the program's list, read now (the public page's status check)? */
export async function isStatusSet(db: Db, programId: string, purpose: StatusPurpose, index: number) {
  return (await setIndexes(db, programId, purpose)).includes(index);
}

/**
 * The signed BitstringStatusListCredential of a purpose for the issuer with this slug: the bits
 * as they are now (gzip, base64url, multibase 'u'), signed with the issuer's newest key.
 */
export async function statusList(deps: Deps, slug: string, purpose: StatusPurpose) {
  const programId = await programIdBySlug(deps.db, slug);
  const issuer = await issuerOf(deps, programId);
  const bits = statusBits(await setIndexes(deps.db, programId, purpose));
  const encodedList = `u${gzipSync(bits).toString('base64url')}`;
  return signAs(
    deps,
    issuer,
    statusListCredential(statusListUrl(issuer, purpose), issuer, purpose, encodedList),
  );
}
