/**
 * What a catalog course counts toward: the requirements of a program definition (initial
 * certification and renewal) that a completion of the course could fill. Shown on the session page
 * so an official sees, before registering, whether the session helps them.
 */
import { compileProgram } from './compile.js';
import type { ProgramDefinition, Requirement } from './types.js';

export interface CourseCredits {
  code: string;
  credits: { category: string; amount: number }[];
  sponsored?: boolean;
}

export interface ServedRequirement {
  id: string;
  title: string;
  /** True for a renewal requirement, false for initial certification. */
  renewal: boolean;
}

/** The leaf requirements (courses and credits) the course counts toward, in tree order. */
export function requirementsServedBy(program: ProgramDefinition, course: CourseCredits): ServedRequirement[] {
  const compiled = compileProgram(program);
  const lineage = new Set(
    course.credits
      .filter((c) => c.amount > 0)
      .flatMap((c) => compiled.lineage.get(c.category) ?? [c.category]),
  );
  const hasCredit = course.credits.some((c) => c.amount > 0);
  const out: ServedRequirement[] = [];
  const seen = new Set<string>();
  const walk = (n: Requirement, renewal: boolean): void => {
    if ('items' in n) for (const c of n.items) walk(c, renewal);
    else if (n.type === 'deadline') walk(n.item, renewal);
    else if (serves(n) && !seen.has(`${renewal}|${n.id}`)) {
      seen.add(`${renewal}|${n.id}`);
      out.push({ id: n.id, title: n.title, renewal });
    }
  };
  const serves = (n: Requirement): boolean => {
    if (n.type === 'courses') {
      if (n.courses) return n.courses.includes(course.code);
      const set = n.courseSet === undefined ? undefined : compiled.setById.get(n.courseSet);
      if (!set) return false;
      if (set.courses) return set.courses.includes(course.code);
      return set.category !== undefined && lineage.has(set.category);
    }
    if (n.type === 'credits') {
      if (!hasCredit) return false;
      const f = n.filter;
      if (f?.categories && !f.categories.some((c) => lineage.has(c))) return false;
      if (f?.courses && !f.courses.includes(course.code)) return false;
      if (f?.sponsored !== undefined && course.sponsored !== undefined && f.sponsored !== course.sponsored)
        return false;
      return true;
    }
    return false;
  };
  walk(program.initial.requirement, false);
  if (program.renewal) walk(program.renewal.requirement, true);
  return out;
}
