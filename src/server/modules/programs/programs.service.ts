/**
 * Programs in the database: versioned definitions (validated by the rules
 * engine's parseProgram), drafts and publishing, fee settings, and enrollment.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { sql } from 'kysely';
import type { z } from 'zod';
import { coordinates, coordinatorLimits, type Actor } from '../../../domain/authz/index.js';
import {
  programAbilities,
  programDenial,
  requestAbilities,
  requireAccess,
} from '../../../domain/authz/policies.js';
import { DomainError, fieldError } from '../../../domain/errors.js';
import {
  parseProgram,
  selectProgramVersion,
  type ProgramDefinition,
} from '../../../domain/requirements/index.js';
import { todayIn } from '../../../domain/time/index.js';
import type {
  createEnrollmentBody,
  createProgramBody,
  Enrollment,
  enrollmentQuery,
  ProgramDetail,
  programSettingsBody,
  ProgramSummary,
  updateEnrollmentBody,
} from '../../../contract/programs.js';
import type { Ctx } from '../../context.js';
import { jsonb } from '../../db/json.js';
import type { Db } from '../../db/database.js';
import { prepared } from '../../db/prepared.js';
import { recordAudit } from '../audit/audit.service.js';
import { displayName } from '../auth/auth.service.js';
import { queueStatus, statusRunOf } from '../status-queue/queue.js';
import { enrollmentDecidedMail, enrollmentRequestedMail } from './enrollment-mail.js';
import { markImpactStale, requireCurrentImpact } from './impact-gate.js';

const PROGRAMS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../programs');

function parseOrThrow(json: unknown): ProgramDefinition {
  const parsed = parseProgram(json);
  if (!parsed.ok) {
    const issues = parsed.issues.map((i) => ({
      field: i.path === '(file)' ? 'definition' : `definition.${i.path}`,
      message: i.message,
    }));
    throw new DomainError(
      'validation',
      `The program definition has ${issues.length} problem${issues.length === 1 ? '' : 's'}: ${issues[0]?.field}: ${issues[0]?.message}`,
      { issues },
    );
  }
  return parsed.program;
}

/**
 * The fee per outside credit a new program starts from: the definition's
 * `claimFee` only when it is enabled there; otherwise none (the CPO documents
 * an assumed $5 a credit, off).
 */
function definedClaimFeeCents(program: ProgramDefinition): number {
  return program.claimFee?.enabled ? Math.round(program.claimFee.perCreditUsd * 100) : 0;
}

/**
 * Loads the shipped program definitions (programs/*.json) that are not in the
 * database yet, as published versions. Run at start-up with the migrations,
 * like the jurisdictions: an install always has the seed programs to start from.
 */
export async function loadShippedPrograms(tx: Db): Promise<string[]> {
  const loaded: string[] = [];
  const files = readdirSync(PROGRAMS_DIR)
    .filter((f) => f.endsWith('.json'))
    .sort();
  for (const file of files) {
    const program = parseOrThrow(JSON.parse(readFileSync(path.join(PROGRAMS_DIR, file), 'utf8')));
    {
      const row = await tx
        .insertInto('program')
        .values({
          code: program.id,
          name: program.name,
          time_zone: program.timeZone,
          fee_amount_cents: Math.round((program.enrollment?.feeUsd ?? 0) * 100),
          claim_fee_per_credit_cents: definedClaimFeeCents(program),
          partial_credit: false,
        })
        .onConflict((oc) => oc.column('code').doNothing())
        .returning('id')
        .executeTakeFirst();
      if (!row) continue;
      await tx
        .insertInto('program_version')
        .values({
          program_id: row.id,
          version: program.version,
          effective_from: program.effectiveFrom,
          definition: jsonb(program),
          published: true,
          published_at: new Date().toISOString(),
        })
        .execute();
      loaded.push(program.id);
    }
  }
  return loaded;
}

type VersionRow = {
  id: string;
  program_id: string;
  version: string;
  effective_from: string;
  published: boolean;
  published_at: string | null;
  created_at: string;
  updated_at: string;
  definition: unknown;
};

const toVersion = (v: VersionRow) => ({
  id: v.id,
  version: v.version,
  effectiveFrom: v.effective_from,
  published: v.published,
  publishedAt: v.published_at,
  createdAt: v.created_at,
  updatedAt: v.updated_at,
});

async function loadPrograms(db: Db, id?: string) {
  let q = db.selectFrom('program').selectAll().orderBy('name');
  if (id) q = q.where('id', '=', id);
  const versionsOf = (ids: string[]) =>
    db
      .selectFrom('program_version')
      .selectAll()
      .where('program_id', 'in', ids)
      .orderBy('effective_from', 'desc')
      .orderBy('created_at', 'desc')
      .execute() as Promise<VersionRow[]>;
  // One program: its row and its versions side by side (one round trip of waiting, not two).
  const [programs, byId] = await Promise.all([q.execute(), id ? versionsOf([id]) : null]);
  if (programs.length === 0) return [];
  const versions = byId ?? (await versionsOf(programs.map((p) => p.id)));
  return programs.map((p) => {
    const mine = versions.filter((v) => v.program_id === p.id);
    const published = mine.filter((v) => v.published);
    const current = published[0] ?? null;
    const draft = mine.find((v) => !v.published) ?? null;
    const def = (current ?? draft)?.definition as
      { designation?: string; enrollment?: { feeFor?: string; howToPay?: string } } | undefined;
    return {
      p,
      mine,
      current,
      draft,
      designation: def?.designation ?? '',
      enrollmentFee: {
        feeFor: def?.enrollment?.feeFor ?? null,
        howToPay: def?.enrollment?.howToPay ?? null,
      },
    };
  });
}

function toSummary(
  x: Awaited<ReturnType<typeof loadPrograms>>[number],
  may: ReturnType<typeof programAbilities>,
): ProgramSummary {
  const withDraft = may.readDrafts;
  return {
    id: x.p.id,
    abilities: may,
    code: x.p.code,
    name: x.p.name,
    designation: x.designation,
    timeZone: x.p.time_zone,
    feeAmountCents: x.p.fee_amount_cents,
    enrollmentFee: x.enrollmentFee,
    claimFeePerCreditCents: x.p.claim_fee_per_credit_cents,
    partialCredit: x.p.partial_credit,
    current: x.current ? toVersion(x.current) : null,
    draft: withDraft && x.draft ? toVersion(x.draft) : null,
  };
}

/** The program policy's answer for this actor and program (drafts are administrators'). */
const abilitiesOn = (ctx: Ctx, x: { p: { id: string }; current: unknown }) =>
  programAbilities(ctx.actor, { id: x.p.id, published: !!x.current });

export async function listPrograms(ctx: Ctx): Promise<ProgramSummary[]> {
  const all = await loadPrograms(ctx.db);
  return all
    .map((x) => ({ x, may: abilitiesOn(ctx, x) }))
    .filter(({ may }) => may.read)
    .map(({ x, may }) => toSummary(x, may));
}

export async function getProgram(ctx: Ctx, id: string, db: Db = ctx.db): Promise<ProgramDetail> {
  const [x] = await loadPrograms(db, id);
  if (!x) throw new DomainError(programDenial.code, programDenial.message);
  const may = abilitiesOn(ctx, x);
  requireAccess(may, 'read', programDenial);
  const drafts = may.readDrafts;
  return {
    ...toSummary(x, may),
    versions: x.mine.filter((v) => v.published || drafts).map(toVersion),
    definition: (x.current?.definition as Record<string, unknown> | undefined) ?? null,
    draftDefinition: drafts ? ((x.draft?.definition as Record<string, unknown> | undefined) ?? null) : null,
    statusRun: drafts ? await statusRunOf(db, id) : null,
  };
}

export async function createProgram(
  ctx: Ctx,
  input: z.infer<typeof createProgramBody>,
): Promise<ProgramDetail> {
  const program = parseOrThrow(input.definition);
  const id = await ctx.db.transaction().execute(async (tx) => {
    const exists = await tx
      .selectFrom('program')
      .select('id')
      .where('code', '=', program.id)
      .executeTakeFirst();
    if (exists)
      throw fieldError(
        'definition.id',
        `A program with id "${program.id}" exists already; save a draft of it instead.`,
      );
    const row = await tx
      .insertInto('program')
      .values({
        code: program.id,
        name: program.name,
        time_zone: program.timeZone,
        fee_amount_cents: input.feeAmountCents ?? Math.round((program.enrollment?.feeUsd ?? 0) * 100),
        claim_fee_per_credit_cents: input.claimFeePerCreditCents ?? definedClaimFeeCents(program),
        partial_credit: input.partialCredit ?? false,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await tx
      .insertInto('program_version')
      .values({
        program_id: row.id,
        version: program.version,
        effective_from: program.effectiveFrom,
        definition: jsonb(program),
        published: false,
        published_at: null,
      })
      .execute();
    await recordAudit(tx, ctx, {
      action: 'program.create',
      entityType: 'program',
      entityId: row.id,
      after: { code: program.id, version: program.version },
    });
    return row.id;
  });
  return getProgram(ctx, id);
}

/** Creates or replaces the program's draft version with a validated definition. */
export async function saveDraft(ctx: Ctx, id: string, definition: unknown): Promise<ProgramDetail> {
  await ctx.db.transaction().execute(async (tx) => {
    const p = await tx.selectFrom('program').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
    if (!p) throw new DomainError('not_found', 'There is no program with this id.');
    const program = parseOrThrow(definition);
    if (program.id !== p.code) {
      throw fieldError('definition.id', `The definition's id must stay "${p.code}" for this program.`);
    }
    const published = await tx
      .selectFrom('program_version')
      .select('id')
      .where('program_id', '=', id)
      .where('version', '=', program.version)
      .where('published', '=', true)
      .executeTakeFirst();
    if (published) {
      throw fieldError(
        'definition.version',
        `Version ${program.version} is published and cannot change; give the draft a new version.`,
      );
    }
    const draft = await tx
      .selectFrom('program_version')
      .select(['id', 'version'])
      .where('program_id', '=', id)
      .where('published', '=', false)
      .executeTakeFirst();
    const now = ctx.now().toISOString();
    const values = {
      version: program.version,
      effective_from: program.effectiveFrom,
      definition: jsonb(program),
      updated_at: now,
    };
    if (draft) await tx.updateTable('program_version').set(values).where('id', '=', draft.id).execute();
    else
      await tx
        .insertInto('program_version')
        .values({ ...values, program_id: id, published: false, published_at: null })
        .execute();
    // The draft's checked impact no longer describes it (ADR 0029).
    await markImpactStale(tx, id, ctx.now());
    await recordAudit(tx, ctx, {
      action: 'program.draft.save',
      entityType: 'program',
      entityId: id,
      before: draft ? { version: draft.version } : undefined,
      after: { version: program.version },
    });
  });
  return getProgram(ctx, id);
}

export async function publishDraft(ctx: Ctx, id: string): Promise<ProgramDetail> {
  await ctx.db.transaction().execute(async (tx) => {
    const p = await tx.selectFrom('program').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
    if (!p) throw new DomainError('not_found', 'There is no program with this id.');
    const draft = await tx
      .selectFrom('program_version')
      .selectAll()
      .where('program_id', '=', id)
      .where('published', '=', false)
      .executeTakeFirst();
    if (!draft)
      throw new DomainError('conflict', 'This program has no draft to publish. Save a draft first.');
    const program = parseOrThrow(draft.definition);
    await requireCurrentImpact(tx, id, draft.version);
    const now = ctx.now().toISOString();
    await tx
      .updateTable('program_version')
      .set({ published: true, published_at: now, updated_at: now })
      .where('id', '=', draft.id)
      .execute();
    await tx
      .updateTable('program')
      .set({ name: program.name, time_zone: program.timeZone, updated_at: now })
      .where('id', '=', id)
      .execute();
    // New rules: everyone in the program is evaluated again by the sweep, in the background.
    await queueStatus(tx, id, 'everyone', 'rules changed', ctx.now());
    await recordAudit(tx, ctx, {
      action: 'program.publish',
      entityType: 'program',
      entityId: id,
      after: { version: draft.version, effectiveFrom: draft.effective_from },
    });
  });
  return getProgram(ctx, id);
}

export async function updateProgramSettings(
  ctx: Ctx,
  id: string,
  input: z.infer<typeof programSettingsBody>,
): Promise<ProgramDetail> {
  await ctx.db.transaction().execute(async (tx) => {
    const p = await tx.selectFrom('program').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
    if (!p) throw new DomainError('not_found', 'There is no program with this id.');
    const set = {
      ...(input.feeAmountCents !== undefined && { fee_amount_cents: input.feeAmountCents }),
      ...(input.claimFeePerCreditCents !== undefined && {
        claim_fee_per_credit_cents: input.claimFeePerCreditCents,
      }),
      ...(input.partialCredit !== undefined && { partial_credit: input.partialCredit }),
    };
    if (Object.keys(set).length === 0) return;
    await tx
      .updateTable('program')
      .set({ ...set, updated_at: ctx.now().toISOString() })
      .where('id', '=', id)
      .execute();
    await recordAudit(tx, ctx, {
      action: 'program.settings.update',
      entityType: 'program',
      entityId: id,
      before: {
        feeAmountCents: p.fee_amount_cents,
        claimFeePerCreditCents: p.claim_fee_per_credit_cents,
        partialCredit: p.partial_credit,
      },
      after: input,
    });
  });
  return getProgram(ctx, id);
}

/** Every published definition of a program, for selectProgramVersion. */
/**
 * Published definitions read before, by version id and a digest of the stored definition (so a
 * definition changed in place is read again). Frozen: every evaluation of a version shares one
 * object, which also keeps the engine's compiled form (`compileProgram` caches per object).
 */
const definitionCache = new Map<string, ProgramDefinition>();
const DEFINITION_CACHE_MAX = 500;

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

const publishedDigests = prepared((db, programId: string) =>
  db
    .selectFrom('program_version')
    .select(['id', sql<string>`md5(definition::text)`.as('digest')])
    .where('program_id', '=', programId)
    .where('published', '=', true),
);

export async function publishedDefinitions(db: Db, programId: string): Promise<ProgramDefinition[]> {
  // Ids and digests only (a few bytes each); the definitions themselves only when not cached.
  const rows = await publishedDigests(db, programId);
  const key = (r: { id: string; digest: string }) => `${r.id}:${r.digest}`;
  const missing = rows.filter((r) => !definitionCache.has(key(r)));
  const loadedById = new Map<string, ProgramDefinition>();
  if (missing.length) {
    const loaded = await db
      .selectFrom('program_version')
      .select(['id', 'definition', sql<string>`md5(definition::text)`.as('digest')])
      .where(
        'id',
        'in',
        missing.map((r) => r.id),
      )
      .execute();
    if (definitionCache.size + loaded.length > DEFINITION_CACHE_MAX) definitionCache.clear();
    for (const r of loaded) {
      const def = deepFreeze(r.definition as ProgramDefinition);
      definitionCache.set(key(r), def);
      loadedById.set(r.id, def);
    }
  }
  // A definition changed between the two reads is taken as just loaded.
  return rows.flatMap((r) => {
    const d = definitionCache.get(key(r)) ?? loadedById.get(r.id);
    return d ? [d] : [];
  });
}

/** The definition an enrolled official is judged by (or the newest, for someone not enrolled). */
export async function definitionFor(
  db: Db,
  programId: string,
  enrollment?: { enrolled_on: string | null; pinned_version: string | null },
): Promise<ProgramDefinition | undefined> {
  const versions = await publishedDefinitions(db, programId);
  const on = enrollment?.enrolled_on ?? '9999-12-31';
  return selectProgramVersion(versions, on, enrollment?.pinned_version ?? undefined);
}

// ---------------------------------------------------------------- enrollment

export function enrollmentQueryBase(db: Db) {
  return db
    .selectFrom('enrollment as e')
    .innerJoin('program as pr', 'pr.id', 'e.program_id')
    .innerJoin('person as p', 'p.id', 'e.person_id')
    .leftJoin('user_account as du', 'du.id', 'e.decided_by')
    .leftJoin('person as dp', 'dp.id', 'du.person_id')
    .select([
      'e.id',
      'e.status',
      'e.enrolled_on',
      'e.pinned_version',
      'e.cohorts',
      'e.fee_amount_cents',
      'e.fee_status',
      'e.fee_method',
      'e.receipt_number',
      'e.requested_at',
      'e.decided_at',
      'e.decline_reason',
      'e.created_at',
      'e.updated_at',
      'dp.first_name as d_first',
      'dp.last_name as d_last',
      'dp.preferred_name as d_preferred',
      'pr.id as program_id',
      'pr.code as program_code',
      'pr.name as program_name',
      'p.id as person_id',
      'p.first_name',
      'p.last_name',
      'p.preferred_name',
      'p.email',
      'p.jurisdiction_fips as person_fips',
    ]);
}
type EnrollmentRow = Awaited<ReturnType<ReturnType<typeof enrollmentQueryBase>['executeTakeFirstOrThrow']>>;

/** An enrollment query kept to a scoped coordinator's counties and programs (coordinatorLimits). */
export function withinCoordinatorLimits<T extends ReturnType<typeof enrollmentQueryBase>>(
  query: T,
  actor: Actor | null,
): T {
  const limits = coordinatorLimits(actor);
  let q = query;
  if (limits?.counties.length) q = q.where('p.jurisdiction_fips', 'in', limits.counties) as T;
  if (limits?.programs.length) q = q.where('e.program_id', 'in', limits.programs) as T;
  return q;
}

export function toEnrollment(r: EnrollmentRow, actor: Actor | null): Enrollment {
  return {
    id: r.id,
    abilities: requestAbilities(actor, {
      kind: 'enrollment',
      waiting: r.status === 'requested',
      jurisdictionFips: r.person_fips,
      programIds: [r.program_id],
    }),
    program: { id: r.program_id, code: r.program_code, name: r.program_name },
    person: { id: r.person_id, displayName: displayName(r), email: r.email },
    status: r.status,
    enrolledOn: r.enrolled_on,
    pinnedVersion: r.pinned_version,
    cohorts: r.cohorts ?? [],
    fee: {
      amountCents: r.fee_amount_cents,
      status: r.fee_status,
      method: r.fee_method as Enrollment['fee']['method'],
      receiptNumber: r.receipt_number,
    },
    requestedAt: r.requested_at,
    decidedAt: r.decided_at == null ? null : new Date(r.decided_at).toISOString(),
    decidedBy:
      r.d_first != null && r.d_last != null
        ? displayName({ first_name: r.d_first, last_name: r.d_last, preferred_name: r.d_preferred })
        : null,
    declineReason: r.decline_reason,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

/** Cohort ids must be named by one of the program's published definitions (0007). */
async function knownCohorts(db: Db, enrollmentId: string, cohorts: string[]): Promise<string[]> {
  const versions = await db
    .selectFrom('program_version as v')
    .innerJoin('enrollment as e', 'e.program_id', 'v.program_id')
    .select('v.definition')
    .where('e.id', '=', enrollmentId)
    .where('v.published', '=', true)
    .execute();
  const known = new Set(
    versions.flatMap((v) =>
      ((v.definition as { cohorts?: { id: string }[] }).cohorts ?? []).map((c) => c.id),
    ),
  );
  const unknown = cohorts.find((c) => !known.has(c));
  if (unknown) throw fieldError('cohorts', `This program has no cohort "${unknown}".`);
  return [...new Set(cohorts)].sort();
}

/** One enrollment, with the abilities of the actor given (none for the audit log's before and after). */
export async function getEnrollment(db: Db, id: string, actor: Actor | null = null): Promise<Enrollment> {
  const r = await enrollmentQueryBase(db).where('e.id', '=', id).executeTakeFirst();
  if (!r) throw new DomainError('not_found', 'There is no enrollment with this id.');
  return toEnrollment(r, actor);
}

async function publishedProgram(db: Db, id: string) {
  const p = await db.selectFrom('program').selectAll().where('id', '=', id).executeTakeFirst();
  const hasVersion =
    p &&
    (await db
      .selectFrom('program_version')
      .select('id')
      .where('program_id', '=', id)
      .where('published', '=', true)
      .executeTakeFirst());
  if (!p || !hasVersion) throw new DomainError('not_found', 'There is no published program with this id.');
  return p;
}

const isUniqueViolation = (e: unknown) => (e as { code?: string }).code === '23505';

export async function listEnrollments(
  ctx: Ctx,
  programId: string,
  q: z.infer<typeof enrollmentQuery>,
): Promise<{ items: Enrollment[]; total: number }> {
  await publishedProgram(ctx.db, programId);
  requireAccess(programAbilities(ctx.actor, { id: programId, published: true }), 'listEnrollments', {
    code: 'forbidden',
    message: 'You coordinate other programs, not this one.',
  });
  let query = withinCoordinatorLimits(enrollmentQueryBase(ctx.db), ctx.actor).where(
    'e.program_id',
    '=',
    programId,
  );
  if (q.status) query = query.where('e.status', '=', q.status);
  const [rows, count] = await Promise.all([
    query
      .orderBy('p.last_name')
      .orderBy('p.first_name')
      .orderBy('e.id')
      .limit(q.pageSize)
      .offset((q.page - 1) * q.pageSize)
      .execute(),
    query
      .clearSelect()
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow(),
  ]);
  return { items: rows.map((r) => toEnrollment(r, ctx.actor)), total: Number(count.n) };
}

/** Enrollment requests waiting for staff, in every program, the oldest first (the first `limit`, and how many). */
export async function enrollmentRequests(
  ctx: Ctx,
  limit: number,
): Promise<{ items: Enrollment[]; total: number }> {
  const query = withinCoordinatorLimits(enrollmentQueryBase(ctx.db), ctx.actor).where(
    'e.status',
    '=',
    'requested',
  );
  const [rows, count] = await Promise.all([
    query.orderBy('e.requested_at').orderBy('e.id').limit(limit).execute(),
    query
      .clearSelect()
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow(),
  ]);
  return { items: rows.map((r) => toEnrollment(r, ctx.actor)), total: Number(count.n) };
}

export async function myEnrollments(ctx: Ctx): Promise<Enrollment[]> {
  if (!ctx.actor) throw new DomainError('unauthenticated', 'Sign in to see your programs.');
  const rows = await enrollmentQueryBase(ctx.db)
    .where('e.person_id', '=', ctx.actor.personId)
    .orderBy('pr.name')
    .orderBy('e.created_at', 'desc')
    .execute();
  return rows.map((r) => toEnrollment(r, ctx.actor));
}

export async function enrollPerson(
  ctx: Ctx,
  programId: string,
  input: z.infer<typeof createEnrollmentBody>,
): Promise<Enrollment> {
  try {
    const id = await ctx.db.transaction().execute(async (tx) => {
      const program = await publishedProgram(tx, programId);
      const person = await tx
        .selectFrom('person')
        .select(['id', 'jurisdiction_fips'])
        .where('id', '=', input.personId)
        .executeTakeFirst();
      if (!person) throw fieldError('personId', 'There is no person with this id.');
      // A scoped coordinator enrolls in their programs the people of their counties.
      if (
        !programAbilities(ctx.actor, { id: programId, published: true }).enroll ||
        !coordinates(ctx.actor, { jurisdictionFips: person.jurisdiction_fips, programIds: null })
      )
        throw new DomainError('forbidden', 'You coordinate other programs or counties, not this enrollment.');
      const now = ctx.now();
      const existing = await tx
        .selectFrom('enrollment')
        .select(['id', 'status'])
        .where('program_id', '=', programId)
        .where('person_id', '=', input.personId)
        .where('status', 'not in', ['withdrawn', 'declined'])
        .forUpdate()
        .executeTakeFirst();
      const values = {
        status: 'active' as const,
        enrolled_on: input.enrolledOn ?? todayIn(program.time_zone, now),
        pinned_version: input.pinnedVersion ?? null,
        fee_amount_cents: input.feeAmountCents ?? program.fee_amount_cents,
        fee_status: input.feeStatus,
        fee_method: input.feeMethod ?? null,
        receipt_number: input.receiptNumber ?? null,
        updated_at: now.toISOString(),
      };
      if (existing?.status === 'active')
        throw new DomainError('conflict', 'This person is already enrolled in this program.');
      let enrollmentId: string;
      if (existing) {
        // Approving a request: decided by this coordinator, and the official is told.
        await tx
          .updateTable('enrollment')
          .set({ ...values, decided_at: now.toISOString(), decided_by: ctx.actor?.userId ?? null })
          .where('id', '=', existing.id)
          .execute();
        await enrollmentDecidedMail(tx, ctx, existing.id);
        enrollmentId = existing.id;
      } else {
        const row = await tx
          .insertInto('enrollment')
          .values({ ...values, program_id: programId, person_id: input.personId, requested_at: null })
          .returning('id')
          .executeTakeFirstOrThrow();
        enrollmentId = row.id;
      }
      const after = await getEnrollment(tx, enrollmentId);
      await queueStatus(tx, programId, [input.personId], 'enrollment', ctx.now());
      await recordAudit(tx, ctx, {
        action: 'enrollment.create',
        entityType: 'enrollment',
        entityId: enrollmentId,
        after,
      });
      return enrollmentId;
    });
    void ctx.mailer.flush();
    return getEnrollment(ctx.db, id, ctx.actor);
  } catch (e) {
    if (isUniqueViolation(e))
      throw new DomainError('conflict', 'This person is already enrolled in this program.');
    throw e;
  }
}

export async function requestEnrollment(ctx: Ctx, programId: string): Promise<Enrollment> {
  if (!ctx.actor) throw new DomainError('unauthenticated', 'Sign in to enroll.');
  const personId = ctx.actor.personId;
  try {
    const id = await ctx.db.transaction().execute(async (tx) => {
      const program = await publishedProgram(tx, programId);
      const existing = await tx
        .selectFrom('enrollment')
        .select(['id', 'status'])
        .where('program_id', '=', programId)
        .where('person_id', '=', personId)
        .where('status', 'not in', ['withdrawn', 'declined'])
        .executeTakeFirst();
      if (existing) {
        throw new DomainError(
          'conflict',
          existing.status === 'active'
            ? 'You are already enrolled in this program.'
            : 'Your request to enroll is already waiting for the program office.',
        );
      }
      const row = await tx
        .insertInto('enrollment')
        .values({
          program_id: programId,
          person_id: personId,
          status: 'requested',
          enrolled_on: null,
          pinned_version: null,
          fee_amount_cents: program.fee_amount_cents,
          fee_status: program.fee_amount_cents > 0 ? 'unpaid' : 'waived',
          fee_method: null,
          receipt_number: null,
          requested_at: ctx.now().toISOString(),
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await recordAudit(tx, ctx, {
        action: 'enrollment.request',
        entityType: 'enrollment',
        entityId: row.id,
        after: await getEnrollment(tx, row.id),
      });
      await enrollmentRequestedMail(tx, ctx, row.id);
      return row.id;
    });
    void ctx.mailer.flush();
    return getEnrollment(ctx.db, id, ctx.actor);
  } catch (e) {
    if (isUniqueViolation(e))
      throw new DomainError('conflict', 'You have already asked to enroll in this program.');
    throw e;
  }
}

export async function updateEnrollment(
  ctx: Ctx,
  id: string,
  input: z.infer<typeof updateEnrollmentBody>,
): Promise<Enrollment> {
  await ctx.db.transaction().execute(async (tx) => {
    const row = await tx
      .selectFrom('enrollment as e')
      .innerJoin('program as p', 'p.id', 'e.program_id')
      .innerJoin('person as pe', 'pe.id', 'e.person_id')
      .select([
        'e.id',
        'e.status',
        'e.enrolled_on',
        'e.person_id',
        'e.program_id',
        'p.time_zone',
        'pe.jurisdiction_fips',
      ])
      .where('e.id', '=', id)
      .forUpdate('e')
      .executeTakeFirst();
    if (!row) throw new DomainError('not_found', 'There is no enrollment with this id.');
    if (!coordinates(ctx.actor, { jurisdictionFips: row.jurisdiction_fips, programIds: [row.program_id] }))
      throw new DomainError('forbidden', 'You coordinate other programs or counties, not this enrollment.');
    const before = await getEnrollment(tx, id);
    if (row.status === 'withdrawn' && input.status !== undefined) {
      throw fieldError('status', 'This enrollment was withdrawn; enroll the person again instead.');
    }
    if (row.status === 'declined')
      throw new DomainError('conflict', 'This request was declined; the official can ask again.');
    const activating = input.status === 'active' && row.status !== 'active';
    const approving = activating && row.status === 'requested';
    const set = {
      ...(input.status !== undefined && { status: input.status }),
      ...(input.enrolledOn !== undefined && { enrolled_on: input.enrolledOn }),
      ...(activating &&
        input.enrolledOn === undefined &&
        !row.enrolled_on && { enrolled_on: todayIn(row.time_zone, ctx.now()) }),
      ...(input.pinnedVersion !== undefined && { pinned_version: input.pinnedVersion }),
      ...(input.feeAmountCents !== undefined && { fee_amount_cents: input.feeAmountCents }),
      ...(input.feeStatus !== undefined && { fee_status: input.feeStatus }),
      ...(input.feeMethod !== undefined && { fee_method: input.feeMethod }),
      ...(input.receiptNumber !== undefined && { receipt_number: input.receiptNumber }),
      ...(input.cohorts !== undefined && { cohorts: await knownCohorts(tx, id, input.cohorts) }),
      ...(approving && { decided_at: ctx.now().toISOString(), decided_by: ctx.actor?.userId ?? null }),
    };
    if (Object.keys(set).length === 0) return;
    await tx
      .updateTable('enrollment')
      .set({ ...set, updated_at: ctx.now().toISOString() })
      .where('id', '=', id)
      .execute();
    if (approving) await enrollmentDecidedMail(tx, ctx, id);
    await queueStatus(tx, row.program_id, [row.person_id], 'enrollment', ctx.now());
    await recordAudit(tx, ctx, {
      action: 'enrollment.update',
      entityType: 'enrollment',
      entityId: id,
      before,
      after: await getEnrollment(tx, id),
    });
  });
  void ctx.mailer.flush();
  return getEnrollment(ctx.db, id, ctx.actor);
}
