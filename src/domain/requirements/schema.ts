/**
 * The program definition format: a zod schema (shape and values) plus a
 * reference check (ids that must exist, ordering, anchors). Every problem is
 * reported with its path, e.g. `initial.requirement.items[0].minimums[0].min`.
 */
import { z } from 'zod';
import { isLocalDate, isValidTimeZone, daysInMonth } from '../time/index.js';
import type { DateRef, ProgramDefinition, RecordFilter, RecordWindow, Requirement } from './types.js';

export interface ProgramIssue {
  /** Dotted path into the program file, e.g. "renewal.cycleYears" or "courses[2].category". */
  path: string;
  message: string;
}

export type ParseProgramResult =
  { ok: true; program: ProgramDefinition } | { ok: false; issues: ProgramIssue[] };

const id = z.string({ message: 'Must be text.' }).regex(/^[A-Za-z0-9][A-Za-z0-9_.:-]{0,79}$/, {
  message: 'Must be 1-80 letters, digits, "-", "_", "." or ":", starting with a letter or digit.',
});
const label = z
  .string({ message: 'Must be text.' })
  .trim()
  .min(1, { message: 'Must not be empty.' })
  .max(300);
const localDate = z
  .string({ message: 'Must be a date written YYYY-MM-DD.' })
  .refine(isLocalDate, { message: 'Must be a real calendar date written YYYY-MM-DD.' });
const positive = z.number({ message: 'Must be a number.' }).positive({ message: 'Must be greater than 0.' });
const nonNegative = z.number({ message: 'Must be a number.' }).min(0, { message: 'Must be 0 or more.' });
const count = z.number({ message: 'Must be a whole number.' }).int({ message: 'Must be a whole number.' });
const offsetNumber = z
  .number({ message: 'Must be a whole number.' })
  .int({ message: 'Must be a whole number.' });

const offsetFields = {
  years: offsetNumber.optional(),
  months: offsetNumber.optional(),
  days: offsetNumber.optional(),
};
const anchorRef = z
  .strictObject({
    anchor: z.enum(['asOf', 'enrollment', 'appointment', 'award', 'cycleStart', 'cycleEnd', 'fact'], {
      message: 'Must be one of asOf, enrollment, appointment, award, cycleStart, cycleEnd, fact.',
    }),
    fact: id.optional(),
    ...offsetFields,
  })
  .superRefine((v, ctx) => {
    if (v.anchor === 'fact' && v.fact === undefined)
      ctx.addIssue({
        code: 'custom',
        path: ['fact'],
        message: 'Required when anchor is "fact" (a personFacts id).',
      });
    if (v.anchor !== 'fact' && v.fact !== undefined)
      ctx.addIssue({ code: 'custom', path: ['fact'], message: 'Only with anchor "fact".' });
  });
const earliestRef = z.strictObject({
  earliest: z.array(z.lazy(() => dateRef)).min(2, { message: 'Give at least two dates.' }),
});
const latestRef = z.strictObject({
  latest: z.array(z.lazy(() => dateRef)).min(2, { message: 'Give at least two dates.' }),
});
/**
 * A date in a rule. The shape picks the schema (a string, `earliest`, `latest`, or an anchor), so a
 * problem is reported inside the shape meant rather than as "matches none of them".
 */
const dateRef: z.ZodType<DateRef> = z.custom<DateRef>().superRefine((v, ctx) => {
  const schema: z.ZodType =
    v === null || typeof v !== 'object'
      ? localDate
      : 'earliest' in v
        ? earliestRef
        : 'latest' in v
          ? latestRef
          : anchorRef;
  const r = schema.safeParse(v);
  if (!r.success) for (const issue of r.error.issues) ctx.addIssue({ ...issue } as never);
});

const filter: z.ZodType<RecordFilter> = z.strictObject({
  categories: z.array(id).min(1).optional(),
  sourceTypes: z.array(id).min(1).optional(),
  sponsored: z.boolean({ message: 'Must be true or false.' }).optional(),
  courses: z.array(z.string().min(1)).min(1).optional(),
  catalog: z.boolean({ message: 'Must be true or false.' }).optional(),
});

const window: z.ZodType<RecordWindow> = z.strictObject({
  from: dateRef.optional(),
  to: dateRef.optional(),
  lookBack: z
    .strictObject({
      years: count.min(0).optional(),
      months: count.min(0).optional(),
      days: count.min(0).optional(),
    })
    .optional(),
});

const base = {
  id,
  title: label,
  description: z.string().max(2000).optional(),
  appliesTo: z.strictObject({ cohorts: z.array(id).min(1) }).optional(),
};

const requirement: z.ZodType<Requirement> = z.lazy(() =>
  z.discriminatedUnion(
    'type',
    [
      z.strictObject({
        ...base,
        type: z.literal('credits'),
        min: positive,
        noun: z.string().max(80).optional(),
        filter: filter.optional(),
        minimums: z
          .array(
            z.strictObject({
              id,
              label,
              min: positive,
              filter,
              per: z.literal('year', { message: 'Must be "year" (or leave it out).' }).optional(),
            }),
          )
          .optional(),
        caps: z
          .array(
            z.strictObject({
              id,
              label,
              max: nonNegative,
              filter,
              per: z
                .enum(['activity', 'year'], { message: 'Must be "activity" or "year" (or leave it out).' })
                .optional(),
            }),
          )
          .optional(),
        recordMin: z
          .strictObject({
            min: positive,
            filter: filter.optional(),
            label: z.string().trim().min(1).max(120).optional(),
          })
          .optional(),
        repeatedCourses: z.enum(['once', 'each'], { message: 'Must be once or each.' }).optional(),
        window: window.optional(),
        shareRecords: z.boolean().optional(),
        confirmedSeats: z
          .literal('provisional', { message: 'Must be "provisional" (or leave it out).' })
          .optional(),
      }),
      z.strictObject({
        ...base,
        type: z.literal('courses'),
        courses: z.array(z.string().min(1)).min(1).optional(),
        courseSet: id.optional(),
        count: count.min(1, { message: 'Must be at least 1.' }).optional(),
        inOrder: z.boolean().optional(),
        after: z.array(id).min(1).optional(),
        window: window.optional(),
        shareRecords: z.boolean().optional(),
        confirmedSeats: z
          .literal('provisional', { message: 'Must be "provisional" (or leave it out).' })
          .optional(),
      }),
      z.strictObject({
        ...base,
        type: z.literal('exam'),
        exam: id,
        minScore: nonNegative,
        window: window.optional(),
      }),
      z.strictObject({ ...base, type: z.literal('serviceYears'), minYears: positive }),
      z.strictObject({
        ...base,
        type: z.literal('attestation'),
        attestation: id,
        statement: z.string().max(2000).optional(),
        window: window.optional(),
      }),
      z.strictObject({
        ...base,
        type: z.enum(['allOf', 'anyOf']),
        items: z.array(requirement).min(1, { message: 'Needs at least one requirement.' }),
      }),
      z.strictObject({
        ...base,
        type: z.literal('nOf'),
        n: count.min(1, { message: 'Must be at least 1.' }),
        items: z.array(requirement).min(1, { message: 'Needs at least one requirement.' }),
      }),
      z.strictObject({ ...base, type: z.literal('deadline'), by: dateRef, item: requirement }),
    ],
    {
      error: (iss) =>
        iss.code === 'invalid_union'
          ? 'Unknown requirement type: use credits, courses, exam, serviceYears, attestation, allOf, anyOf, nOf or deadline.'
          : undefined,
    },
  ),
);

const monthDay = z
  .strictObject({ month: count.min(1).max(12), day: count.min(1).max(31) })
  .refine((v) => v.day <= daysInMonth(2024, v.month), { message: 'That day does not exist in that month.' });

const renewal = z.strictObject({
  cycleYears: count.min(1, { message: 'Must be 1 to 5 years.' }).max(5, { message: 'Must be 1 to 5 years.' }),
  expiryBasis: z.enum(['fixedAnchor', 'previousExpiry', 'completionDate'], {
    message: 'Must be fixedAnchor, previousExpiry or completionDate.',
  }),
  anchor: monthDay.optional(),
  remindDaysBefore: z
    .array(count.min(1, { message: 'Must be at least 1 day before the due date.' }))
    .default([]),
  graceDays: count.min(0, { message: 'Must be 0 or more.' }).default(0),
  reinstatement: z
    .strictObject({
      withinDays: count.min(1, { message: 'Must be at least 1 day.' }).optional(),
      within: z
        .strictObject({
          years: count.min(0, { message: 'Must be 0 or more.' }).optional(),
          months: count.min(0, { message: 'Must be 0 or more.' }).optional(),
          days: count.min(0, { message: 'Must be 0 or more.' }).optional(),
        })
        .refine((w) => (w.years ?? 0) + (w.months ?? 0) + (w.days ?? 0) > 0, {
          message: 'Give a window of at least 1 day, month or year.',
        })
        .optional(),
      requirement: requirement.optional(),
    })
    .superRefine((r, ctx) => {
      if (r.withinDays === undefined && r.within === undefined)
        ctx.addIssue({
          code: 'custom',
          message: 'Give the reinstatement window: withinDays, or within { years?, months?, days? }.',
        });
      if (r.withinDays !== undefined && r.within !== undefined)
        ctx.addIssue({ code: 'custom', path: ['within'], message: 'Give withinDays or within, not both.' });
    })
    .optional(),
  awardDayRecords: z.enum(['award', 'firstCycle'], { message: 'Must be award or firstCycle.' }).optional(),
  firstCycle: z
    .strictObject({
      endsOn: z.literal('firstAnchor', { message: 'Must be "firstAnchor" (or leave it out).' }).optional(),
      requirement: requirement.optional(),
      prorate: z
        .array(
          z.strictObject({
            requirement: id,
            perMonth: positive,
            months: z.enum(['whole', 'started'], { message: 'Must be whole or started.' }).optional(),
            rounding: z
              .enum(['nearest', 'up', 'down'], { message: 'Must be nearest, up or down.' })
              .optional(),
          }),
        )
        .min(1)
        .optional(),
    })
    .optional(),
  carryOver: z.strictObject({ max: positive, filter: filter.optional() }).optional(),
  requirement,
});

export const programSchema = z.strictObject({
  schemaVersion: z.literal(1, { message: 'Must be 1 (the only version of this format).' }),
  id,
  version: z.string().min(1).max(40),
  effectiveFrom: localDate,
  name: label,
  designation: label,
  issuingBody: z.strictObject({ name: label, contact: z.string().optional(), url: z.string().optional() }),
  timeZone: z
    .string()
    .refine(isValidTimeZone, { message: 'Must be an IANA time zone such as America/Chicago.' }),
  unit: z.strictObject({ singular: label, plural: label }).default({ singular: 'credit', plural: 'credits' }),
  sponsor: z.strictObject({ id, name: label, adjective: label }).optional(),
  categories: z.array(
    z.strictObject({ id, name: label, parent: id.optional(), description: z.string().optional() }),
  ),
  sourceTypes: z.array(z.strictObject({ id, name: label, evidence: z.string().optional() })),
  courses: z
    .array(
      z.strictObject({
        code: z.string().min(1).max(80),
        title: label,
        credits: nonNegative,
        category: id,
        sponsored: z.boolean().optional(),
        topics: z.array(z.string()).optional(),
        durationMinutes: positive.optional(),
      }),
    )
    .default([]),
  courseSets: z
    .array(
      z.strictObject({
        id,
        name: label,
        courses: z.array(z.string().min(1)).optional(),
        category: id.optional(),
      }),
    )
    .default([]),
  cohorts: z.array(z.strictObject({ id, name: label, description: z.string().optional() })).default([]),
  countingPolicy: z
    .enum(['exclusive', 'shared'], { message: 'Must be exclusive or shared.' })
    .default('exclusive'),
  personFacts: z
    .array(z.strictObject({ id, label, description: z.string().max(2000).optional() }))
    .optional(),
  initial: z.strictObject({
    requirement,
    deadlines: z
      .array(
        z.strictObject({
          id,
          label,
          by: dateRef,
          appliesTo: z.strictObject({ cohorts: z.array(id).min(1) }).optional(),
        }),
      )
      .default([]),
  }),
  award: z
    .strictObject({ ceremony: z.string().optional(), applicationDeadline: monthDay.optional() })
    .optional(),
  renewal: renewal.optional(),
  enrollment: z
    .strictObject({
      feeUsd: nonNegative.optional(),
      /** What the enrollment fee pays for, in a sentence the official reads before asking to enroll. */
      feeFor: z.string().min(1).max(500).optional(),
      /** How to pay it (where to send it, what to send with it). */
      howToPay: z.string().min(1).max(500).optional(),
    })
    .optional(),
  /**
   * A fee per credit on outside-credit claims, documented in the definition. It is charged only
   * when `enabled`; the amount in force is the program setting (`claimFeePerCreditCents`), which a
   * shipped program starts from only when enabled here.
   */
  claimFee: z
    .strictObject({ perCreditUsd: nonNegative, enabled: z.boolean(), note: z.string().max(500).optional() })
    .optional(),
  assumptions: z.array(z.string()).default([]),
});

export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out === '' ? String(key) : `.${String(key)}`;
  }
  return out === '' ? '(file)' : out;
}

/** Validates a parsed JSON value as a program definition, with every problem and its path. */
export function parseProgram(json: unknown): ParseProgramResult {
  const parsed = programSchema.safeParse(json);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => ({ path: formatPath(i.path), message: humanize(i, json) }));
    return { ok: false, issues: dedupe(issues) };
  }
  const program = parsed.data as ProgramDefinition;
  const issues = checkReferences(program);
  return issues.length > 0 ? { ok: false, issues } : { ok: true, program };
}

/** The value at a path in parsed JSON, or undefined. */
export function valueAt(json: unknown, path: readonly PropertyKey[]): unknown {
  let cur: unknown = json;
  for (const key of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<PropertyKey, unknown>)[key];
  }
  return cur;
}

/** Zod's message, except "Required." for a missing field and a plain list of unknown fields. */
export function humanize(issue: z.core.$ZodIssue, json: unknown): string {
  if (issue.code === 'unrecognized_keys') return `Unknown field(s): ${issue.keys.join(', ')}.`;
  if (issue.code === 'invalid_type' && issue.path.length > 0 && valueAt(json, issue.path) === undefined)
    return 'Required.';
  return issue.message;
}

function dedupe(issues: ProgramIssue[]): ProgramIssue[] {
  const seen = new Set<string>();
  return issues.filter((i) => {
    const key = `${i.path}\u0000${i.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

interface Visit {
  node: Requirement;
  path: string;
  tree: 'initial' | 'renewal' | 'reinstatement' | 'first renewal cycle';
  order: number;
  ancestors: string[];
}

function walk(node: Requirement, path: string, tree: Visit['tree'], ancestors: string[], out: Visit[]): void {
  out.push({ node, path, tree, order: out.length, ancestors });
  const inner = [...ancestors, node.id];
  if (node.type === 'allOf' || node.type === 'anyOf' || node.type === 'nOf') {
    node.items.forEach((child, i) => walk(child, `${path}.items[${i}]`, tree, inner, out));
  } else if (node.type === 'deadline') {
    walk(node.item, `${path}.item`, tree, inner, out);
  }
}

/** Cross-reference checks the schema cannot express. */
export function checkReferences(p: ProgramDefinition): ProgramIssue[] {
  const issues: ProgramIssue[] = [];
  const add = (path: string, message: string): void => {
    issues.push({ path, message });
  };
  const uniq = <T>(list: T[], key: (t: T) => string, path: string, what: string): Set<string> => {
    const seen = new Set<string>();
    list.forEach((item, i) => {
      const k = key(item);
      if (seen.has(k)) add(`${path}[${i}]`, `Duplicate ${what} "${k}".`);
      seen.add(k);
    });
    return seen;
  };
  const categories = uniq(p.categories, (c) => c.id, 'categories', 'category id');
  const sourceTypes = uniq(p.sourceTypes, (s) => s.id, 'sourceTypes', 'source type id');
  const courses = uniq(p.courses, (c) => c.code, 'courses', 'course code');
  const sets = uniq(p.courseSets, (s) => s.id, 'courseSets', 'course set id');
  const cohorts = uniq(p.cohorts, (c) => c.id, 'cohorts', 'cohort id');

  p.categories.forEach((c, i) => {
    if (c.parent !== undefined && !categories.has(c.parent))
      add(`categories[${i}].parent`, `No category "${c.parent}".`);
    // Detect cycles in the parent chain.
    const seen = new Set<string>([c.id]);
    let cur = c.parent;
    while (cur !== undefined) {
      if (seen.has(cur)) {
        add(`categories[${i}].parent`, `Category "${c.id}" is its own ancestor.`);
        break;
      }
      seen.add(cur);
      cur = p.categories.find((x) => x.id === cur)?.parent;
    }
  });
  p.courses.forEach((c, i) => {
    if (!categories.has(c.category)) add(`courses[${i}].category`, `No category "${c.category}".`);
  });
  p.courseSets.forEach((s, i) => {
    if (!s.courses && !s.category) add(`courseSets[${i}]`, 'Give either "courses" or "category".');
    if (s.courses && s.category)
      add(`courseSets[${i}]`, 'Give either "courses" or "category", not both: the listed courses would win.');
    if (s.courses?.length === 0)
      add(`courseSets[${i}].courses`, 'List at least one course code, or give "category" instead.');
    s.courses?.forEach((code, j) => {
      if (!courses.has(code)) add(`courseSets[${i}].courses[${j}]`, `No course with code "${code}".`);
    });
    if (s.category !== undefined && !categories.has(s.category))
      add(`courseSets[${i}].category`, `No category "${s.category}".`);
  });

  const usesSponsor = { value: false };
  const checkFilter = (f: RecordFilter | undefined, path: string): void => {
    if (!f) return;
    f.categories?.forEach((c, i) => {
      if (!categories.has(c)) add(`${path}.categories[${i}]`, `No category "${c}".`);
    });
    f.sourceTypes?.forEach((s, i) => {
      if (!sourceTypes.has(s)) add(`${path}.sourceTypes[${i}]`, `No source type "${s}".`);
    });
    f.courses?.forEach((c, i) => {
      if (!courses.has(c)) add(`${path}.courses[${i}]`, `No course with code "${c}".`);
    });
    if (f.catalog === false && f.courses)
      add(`${path}.catalog`, 'Cannot be false when "courses" lists catalog courses: no record would match.');
    if (f.sponsored !== undefined) usesSponsor.value = true;
  };
  const facts = uniq(p.personFacts ?? [], (f) => f.id, 'personFacts', 'person fact id');
  const checkDateRef = (ref: DateRef | undefined, path: string, tree: Visit['tree']): void => {
    if (ref === undefined || typeof ref === 'string') return;
    if ('earliest' in ref || 'latest' in ref) {
      const [key, list] = 'earliest' in ref ? ['earliest', ref.earliest] : ['latest', ref.latest];
      list.forEach((r, i) => checkDateRef(r, `${path}.${key}[${i}]`, tree));
      return;
    }
    if ((ref.anchor === 'cycleStart' || ref.anchor === 'cycleEnd') && tree === 'initial')
      add(`${path}.anchor`, `"${ref.anchor}" exists only in renewal requirements.`);
    if (ref.anchor === 'fact' && !facts.has(ref.fact))
      add(
        `${path}.fact`,
        `No person fact "${ref.fact}": declare it in personFacts (id and label) to measure from it.`,
      );
  };
  const checkWindow = (w: RecordWindow | undefined, path: string, tree: Visit['tree']): void => {
    if (!w) return;
    checkDateRef(w.from, `${path}.from`, tree);
    checkDateRef(w.to, `${path}.to`, tree);
    if (typeof w.from === 'string' && typeof w.to === 'string' && w.from > w.to)
      add(`${path}`, `The window starts (${w.from}) after it ends (${w.to}).`);
  };

  const visits: Visit[] = [];
  walk(p.initial.requirement, 'initial.requirement', 'initial', [], visits);
  if (p.renewal) {
    walk(p.renewal.requirement, 'renewal.requirement', 'renewal', [], visits);
    if (p.renewal.reinstatement?.requirement)
      walk(
        p.renewal.reinstatement.requirement,
        'renewal.reinstatement.requirement',
        'reinstatement',
        [],
        visits,
      );
  }
  // The first cycle's own requirement stands in for the renewal requirement: it may reuse its ids.
  if (p.renewal?.firstCycle?.requirement)
    walk(
      p.renewal.firstCycle.requirement,
      'renewal.firstCycle.requirement',
      'first renewal cycle',
      [],
      visits,
    );
  const firstById = new Map<string, Visit>();
  const firstOfFirstCycle = new Map<string, Visit>();
  for (const v of visits) {
    const seen = v.tree === 'first renewal cycle' ? firstOfFirstCycle : firstById;
    const prior = seen.get(v.node.id);
    if (prior) add(`${v.path}.id`, `Duplicate requirement id "${v.node.id}" (also at ${prior.path}).`);
    else seen.set(v.node.id, v);
  }
  for (const v of visits) {
    const n = v.node;
    n.appliesTo?.cohorts.forEach((c, i) => {
      if (!cohorts.has(c)) add(`${v.path}.appliesTo.cohorts[${i}]`, `No cohort "${c}".`);
    });
    switch (n.type) {
      case 'credits': {
        checkFilter(n.filter, `${v.path}.filter`);
        n.minimums?.forEach((m, i) => {
          checkFilter(m.filter, `${v.path}.minimums[${i}].filter`);
          if (m.min > n.min)
            add(
              `${v.path}.minimums[${i}].min`,
              `A minimum within the total (${m.min}) cannot exceed the total (${n.min}).`,
            );
        });
        n.caps?.forEach((c, i) => checkFilter(c.filter, `${v.path}.caps[${i}].filter`));
        // Years are counted from the period's start: a renewal cycle's, or the window's.
        const yearly = [
          ...(n.minimums ?? []).map((m, i) => ({ per: m.per, path: `${v.path}.minimums[${i}].per` })),
          ...(n.caps ?? []).map((c, i) => ({ per: c.per, path: `${v.path}.caps[${i}].per` })),
        ].filter((x) => x.per === 'year');
        if (v.tree === 'initial' && n.window?.from === undefined && n.window?.lookBack === undefined)
          for (const x of yearly)
            add(
              x.path,
              'Years are counted from the start of the period: outside renewal requirements, give this requirement window.from or window.lookBack.',
            );
        checkFilter(n.recordMin?.filter, `${v.path}.recordMin.filter`);
        checkWindow(n.window, `${v.path}.window`, v.tree);
        break;
      }
      case 'courses': {
        if (!n.courses && !n.courseSet) add(v.path, 'Give "courses" (codes) or "courseSet".');
        if (n.courses && n.courseSet) add(v.path, 'Give either "courses" or "courseSet", not both.');
        n.courses?.forEach((c, i) => {
          if (!courses.has(c)) add(`${v.path}.courses[${i}]`, `No course with code "${c}".`);
        });
        const set = n.courseSet === undefined ? undefined : p.courseSets.find((s) => s.id === n.courseSet);
        if (n.courseSet !== undefined && !sets.has(n.courseSet))
          add(`${v.path}.courseSet`, `No course set "${n.courseSet}".`);
        const listed = n.courses ?? set?.courses;
        if (listed && n.count !== undefined && n.count > listed.length)
          add(`${v.path}.count`, `Asks for ${n.count} courses but only ${listed.length} are listed.`);
        if (set && !set.courses && n.count === undefined)
          add(`${v.path}.count`, 'Required when the course set is a whole category.');
        if (n.inOrder && !listed) add(`${v.path}.inOrder`, 'Needs listed courses to have an order.');
        n.after?.forEach((ref, i) => {
          const target = (v.tree === 'first renewal cycle' ? firstOfFirstCycle : firstById).get(ref);
          if (!target) add(`${v.path}.after[${i}]`, `No requirement "${ref}".`);
          else if (target.tree !== v.tree)
            add(
              `${v.path}.after[${i}]`,
              `"${ref}" is in the ${target.tree} requirements, not the ${v.tree} ones.`,
            );
          else if (target.order >= v.order || v.ancestors.includes(ref))
            add(`${v.path}.after[${i}]`, `"${ref}" must come before this requirement and not contain it.`);
        });
        checkWindow(n.window, `${v.path}.window`, v.tree);
        break;
      }
      case 'exam':
      case 'attestation':
        checkWindow(n.window, `${v.path}.window`, v.tree);
        break;
      case 'nOf':
        if (n.n > n.items.length)
          add(`${v.path}.n`, `Asks for ${n.n} of only ${n.items.length} requirements.`);
        break;
      case 'deadline':
        checkDateRef(n.by, `${v.path}.by`, v.tree);
        break;
      default:
        break;
    }
  }
  p.initial.deadlines.forEach((d, i) => {
    checkDateRef(d.by, `initial.deadlines[${i}].by`, 'initial');
    d.appliesTo?.cohorts.forEach((c, j) => {
      if (!cohorts.has(c)) add(`initial.deadlines[${i}].appliesTo.cohorts[${j}]`, `No cohort "${c}".`);
    });
  });
  if (p.renewal) {
    if (p.renewal.expiryBasis === 'fixedAnchor' && !p.renewal.anchor)
      add('renewal.anchor', 'Required when expiryBasis is fixedAnchor (the month and day cycles end on).');
    checkFilter(p.renewal.carryOver?.filter, 'renewal.carryOver.filter');
    const fc = p.renewal.firstCycle;
    if (fc?.endsOn === 'firstAnchor' && p.renewal.expiryBasis !== 'fixedAnchor')
      add(
        'renewal.firstCycle.endsOn',
        'Only with expiryBasis fixedAnchor (cycles that end on an anchor date).',
      );
    const firstTree = fc?.requirement ? firstOfFirstCycle : firstById;
    fc?.prorate?.forEach((pr, i) => {
      const target = firstTree.get(pr.requirement);
      const inFirst = target && (fc.requirement ? true : target.tree === 'renewal');
      if (!target || !inFirst)
        add(
          `renewal.firstCycle.prorate[${i}].requirement`,
          `No requirement "${pr.requirement}" in the first cycle's requirement (${fc.requirement ? 'renewal.firstCycle.requirement' : 'renewal.requirement'}).`,
        );
      else if (target.node.type !== 'credits')
        add(
          `renewal.firstCycle.prorate[${i}].requirement`,
          `"${pr.requirement}" is a ${target.node.type} requirement; only a credits minimum can be prorated.`,
        );
    });
  }
  if (usesSponsor.value && !p.sponsor)
    add('sponsor', 'Required because a rule filters on sponsored credits.');
  return issues;
}
