/** The course catalog: courses with credit values per category, searchable. */
import { sql } from 'kysely';
import type { z } from 'zod';
import { DomainError, fieldError } from '../../../domain/errors.js';
import type { Course, CourseQuery, createCourseBody, updateCourseBody } from '../../../contract/catalog.js';
import type { Ctx } from '../../context.js';
import { jsonb } from '../../db/json.js';
import type { Db } from '../../db/database.js';
import { escapeLike, recordAudit } from '../audit/audit.service.js';
import { definitionFor } from '../programs/programs.service.js';

function courseQuery(db: Db) {
  return db
    .selectFrom('course as c')
    .leftJoin('program as p', 'p.id', 'c.program_id')
    .leftJoin('provider as pv', 'pv.id', 'c.provider_id')
    .selectAll('c')
    .select(['p.code as program_code', 'pv.name as provider_name']);
}
type CourseRow = Awaited<ReturnType<ReturnType<typeof courseQuery>['executeTakeFirstOrThrow']>>;

export function toCourse(r: CourseRow): Course {
  return {
    id: r.id,
    programId: r.program_id,
    programCode: r.program_code,
    code: r.code,
    title: r.title,
    description: r.description,
    topics: r.topics,
    credits: ((r.credits as { category: string; amount: number }[]) ?? []).map((c) => ({
      ...c,
      categoryName: c.category,
    })),
    sponsored: r.sponsored,
    provider: r.provider_name,
    format: r.format,
    durationMinutes: r.duration_minutes,
    requirementIds: r.requirement_ids,
    renewal: r.renewal,
    completionMinPercent: r.completion_min_percent,
    prerequisites: r.prerequisites,
    sourceType: r.source_type,
  };
}

export async function getCourse(_ctx: Ctx, id: string, db: Db): Promise<Course> {
  const r = await courseQuery(db).where('c.id', '=', id).executeTakeFirst();
  if (!r) throw new DomainError('not_found', 'There is no course with this id.');
  return (await withCategoryNames(db, [toCourse(r)]))[0]!;
}

export async function listCourses(ctx: Ctx, q: CourseQuery): Promise<{ items: Course[]; total: number }> {
  let query = courseQuery(ctx.db);
  if (q.q) {
    const like = `%${escapeLike(q.q)}%`;
    query = query.where((eb) =>
      eb.or([
        eb('c.code', 'ilike', like),
        eb('c.title', 'ilike', like),
        eb('c.description', 'ilike', like),
        eb(sql<string>`array_to_string(c.topics, ' ')`, 'ilike', like),
      ]),
    );
  }
  if (q.programId) query = query.where('c.program_id', '=', q.programId);
  if (q.format) query = query.where('c.format', '=', q.format);
  if (q.renewal) query = query.where('c.renewal', '=', q.renewal === 'true');
  if (q.sponsored) query = query.where('c.sponsored', '=', q.sponsored === 'true');
  const [rows, count] = await Promise.all([
    query
      .orderBy('c.code')
      .limit(q.pageSize)
      .offset((q.page - 1) * q.pageSize)
      .execute(),
    query
      .clearSelect()
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow(),
  ]);
  return { items: await withCategoryNames(ctx.db, rows.map(toCourse)), total: Number(count.n) };
}

/** Names each credit's category as the program's definition in force names it ("Budgeting and finance"). */
async function withCategoryNames(db: Db, courses: Course[]): Promise<Course[]> {
  const names = new Map<string, Map<string, string>>();
  for (const id of new Set(courses.map((c) => c.programId))) {
    if (id === null) continue;
    const def = await definitionFor(db, id);
    names.set(id, new Map((def?.categories ?? []).map((c) => [c.id, c.name])));
  }
  return courses.map((c) => ({
    ...c,
    credits: c.credits.map((x) => ({
      ...x,
      categoryName: (c.programId && names.get(c.programId)?.get(x.category)) || x.category,
    })),
  }));
}

/** Checks categories and source type against the program's definition, naming the field. */
async function checkAgainstProgram(
  db: Db,
  programId: string,
  input: { credits?: { category: string }[]; sourceType?: string | null },
): Promise<void> {
  const def = await definitionFor(db, programId);
  if (!def) throw fieldError('programId', 'There is no published program with this id.');
  const categories = new Set(def.categories.map((c) => c.id));
  input.credits?.forEach((c, i) => {
    if (!categories.has(c.category)) {
      throw fieldError(
        `credits.${i}.category`,
        `"${c.category}" is not a category of ${def.name}. Use one of: ${[...categories].join(', ')}.`,
      );
    }
  });
  if (input.sourceType && !def.sourceTypes.some((s) => s.id === input.sourceType)) {
    throw fieldError(
      'sourceType',
      `"${input.sourceType}" is not a source type of ${def.name}. Use one of: ${def.sourceTypes.map((s) => s.id).join(', ')}.`,
    );
  }
}

const isUniqueViolation = (e: unknown) => (e as { code?: string }).code === '23505';

export async function createCourse(ctx: Ctx, input: z.infer<typeof createCourseBody>): Promise<Course> {
  try {
    const id = await ctx.db.transaction().execute(async (tx) => {
      await checkAgainstProgram(tx, input.programId, input);
      const row = await tx
        .insertInto('course')
        .values({
          program_id: input.programId,
          code: input.code,
          title: input.title,
          description: input.description,
          topics: input.topics,
          credits: jsonb(input.credits),
          sponsored: input.sponsored,
          format: input.format,
          duration_minutes: input.durationMinutes,
          requirement_ids: input.requirementIds,
          renewal: input.renewal,
          completion_min_percent: input.completionMinPercent,
          prerequisites: input.prerequisites,
          source_type: input.sourceType,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      const after = await getCourse(ctx, row.id, tx);
      await recordAudit(tx, ctx, { action: 'course.create', entityType: 'course', entityId: row.id, after });
      return row.id;
    });
    return getCourse(ctx, id, ctx.db);
  } catch (e) {
    if (isUniqueViolation(e)) throw fieldError('code', 'Another course already has this code.');
    throw e;
  }
}

export async function updateCourse(
  ctx: Ctx,
  id: string,
  input: z.infer<typeof updateCourseBody>,
): Promise<Course> {
  await ctx.db.transaction().execute(async (tx) => {
    const row = await tx
      .selectFrom('course')
      .select(['id', 'program_id'])
      .where('id', '=', id)
      .forUpdate()
      .executeTakeFirst();
    if (!row) throw new DomainError('not_found', 'There is no course with this id.');
    const before = await getCourse(ctx, id, tx);
    if (row.program_id) await checkAgainstProgram(tx, row.program_id, input);
    const set = {
      ...(input.title !== undefined && { title: input.title }),
      ...(input.description !== undefined && { description: input.description }),
      ...(input.topics !== undefined && { topics: input.topics }),
      ...(input.credits !== undefined && { credits: jsonb(input.credits) }),
      ...(input.sponsored !== undefined && { sponsored: input.sponsored }),
      ...(input.format !== undefined && { format: input.format }),
      ...(input.durationMinutes !== undefined && { duration_minutes: input.durationMinutes }),
      ...(input.requirementIds !== undefined && { requirement_ids: input.requirementIds }),
      ...(input.renewal !== undefined && { renewal: input.renewal }),
      ...(input.completionMinPercent !== undefined && { completion_min_percent: input.completionMinPercent }),
      ...(input.prerequisites !== undefined && { prerequisites: input.prerequisites }),
      ...(input.sourceType !== undefined && { source_type: input.sourceType }),
    };
    if (Object.keys(set).length === 0) return;
    await tx
      .updateTable('course')
      .set({ ...set, updated_at: ctx.now().toISOString() })
      .where('id', '=', id)
      .execute();
    await recordAudit(tx, ctx, {
      action: 'course.update',
      entityType: 'course',
      entityId: id,
      before,
      after: await getCourse(ctx, id, tx),
    });
  });
  return getCourse(ctx, id, ctx.db);
}
