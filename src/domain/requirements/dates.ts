/**
 * Dates in rules (`DateRef`): resolving one against a person's anchors and dated facts, and
 * saying in words how it is measured ("6 months after taking office"). Pure; no Intl.
 */
import { addOffset, maxDate, minDate, type LocalDate } from '../time/index.js';
import { joinAnd, joinOr, longDate, plural } from './explain.js';
import type { DateAnchor, DateRef, DeadlineExtension, ProgramDefinition } from './types.js';

/** What a date reference can be resolved against. */
export interface DateScope {
  anchors: Partial<Record<DateAnchor, LocalDate>>;
  /** Dated person facts by id (`context.factDates`). */
  facts?: Readonly<Record<string, LocalDate>>;
}

/** The date a reference gives, or undefined when a date it depends on is not known. */
export function resolveDate(ref: DateRef | undefined, scope: DateScope): LocalDate | undefined {
  if (ref === undefined) return undefined;
  if (typeof ref === 'string') return ref;
  if ('earliest' in ref || 'latest' in ref) {
    const earliest = 'earliest' in ref;
    let out: LocalDate | undefined;
    for (const r of earliest ? ref.earliest : ref.latest) {
      const d = resolveDate(r, scope);
      if (d === undefined) continue;
      out = out === undefined ? d : earliest ? minDate(out, d) : maxDate(out, d);
    }
    return out;
  }
  const base = ref.anchor === 'fact' ? scope.facts?.[ref.fact] : scope.anchors[ref.anchor];
  return base === undefined ? undefined : addOffset(base, ref);
}

const ANCHOR_WORDS: Record<DateAnchor, string> = {
  asOf: 'today',
  enrollment: 'enrollment',
  appointment: 'appointment',
  award: 'the award',
  cycleStart: 'the start of the renewal cycle',
  cycleEnd: 'the end of the renewal cycle',
};

function anchorWords(
  ref: Exclude<DateRef, string | { earliest: DateRef[] } | { latest: DateRef[] }>,
  p: ProgramDefinition,
): string {
  if (ref.anchor === 'fact') return p.personFacts?.find((f) => f.id === ref.fact)?.label ?? ref.fact;
  return ANCHOR_WORDS[ref.anchor];
}

/**
 * How a reference is measured, as words that follow "due": "by March 1, 2027", "6 months after
 * taking office", "by first serving", "6 months after taking office or by first serving, whichever
 * is sooner".
 */
export function describeDate(ref: DateRef, p: ProgramDefinition): string {
  if (typeof ref === 'string') return `by ${longDate(ref)}`;
  if ('earliest' in ref) return `${joinOr(ref.earliest.map((r) => describeDate(r, p)))}, whichever is sooner`;
  if ('latest' in ref) return `${joinOr(ref.latest.map((r) => describeDate(r, p)))}, whichever is later`;
  const what = anchorWords(ref, p);
  const parts: string[] = [];
  const y = ref.years ?? 0;
  const m = ref.months ?? 0;
  const d = ref.days ?? 0;
  if (y !== 0) parts.push(`${Math.abs(y)} ${plural(Math.abs(y), 'year')}`);
  if (m !== 0) parts.push(`${Math.abs(m)} ${plural(Math.abs(m), 'month')}`);
  if (d !== 0) parts.push(`${Math.abs(d)} ${plural(Math.abs(d), 'day')}`);
  if (parts.length === 0) return `by ${what}`;
  const before = (y || m || d) < 0;
  return `${joinAnd(parts)} ${before ? 'before' : 'after'} ${what}`;
}

/** Labels of the person facts (and anchors) a reference needs whose date is not known. */
export function unknownDates(ref: DateRef | undefined, scope: DateScope, p: ProgramDefinition): string[] {
  if (ref === undefined || typeof ref === 'string') return [];
  if ('earliest' in ref || 'latest' in ref) {
    const list = 'earliest' in ref ? ref.earliest : ref.latest;
    return [...new Set(list.flatMap((r) => unknownDates(r, scope, p)))];
  }
  const known = ref.anchor === 'fact' ? scope.facts?.[ref.fact] : scope.anchors[ref.anchor];
  return known === undefined ? [anchorWords(ref, p)] : [];
}

/** Every person fact id a reference names (for the format's reference check). */
export function factsOf(ref: DateRef | undefined): string[] {
  if (ref === undefined || typeof ref === 'string') return [];
  if ('earliest' in ref) return ref.earliest.flatMap(factsOf);
  if ('latest' in ref) return ref.latest.flatMap(factsOf);
  return ref.anchor === 'fact' ? [ref.fact] : [];
}

/** Anchors a reference names (cycle anchors are checked against the tree they are used in). */
export function anchorsOf(ref: DateRef | undefined): DateAnchor[] {
  if (ref === undefined || typeof ref === 'string') return [];
  if ('earliest' in ref) return ref.earliest.flatMap(anchorsOf);
  if ('latest' in ref) return ref.latest.flatMap(anchorsOf);
  return ref.anchor === 'fact' ? [] : [ref.anchor];
}

/** A deadline resolved for one person: the program's date, and the extension that replaces it. */
export interface ResolvedDeadline {
  /** The effective date (the extension's, when there is one). */
  date: LocalDate | undefined;
  programDate: LocalDate | undefined;
  extension: DeadlineExtension | undefined;
  /** "due ..." words, and the labels of dates not recorded yet. */
  rule: string;
  unknown: string[];
}

export function resolveDeadline(
  id: string,
  ref: DateRef,
  scope: DateScope,
  extensions: ReadonlyMap<string, DeadlineExtension> | undefined,
  p: ProgramDefinition,
): ResolvedDeadline {
  const programDate = resolveDate(ref, scope);
  const extension = extensions?.get(id);
  return {
    date: extension ? extension.until : programDate,
    programDate,
    extension,
    rule: describeDate(ref, p),
    unknown: unknownDates(ref, scope, p),
  };
}

/**
 * What a sentence adds after a deadline's date, or '' when nothing: " (extended from December 1,
 * 2026: medical leave)", or " (due 6 months after taking office or by first serving, whichever is
 * sooner; first serving is not recorded yet)".
 */
export function deadlineNote(d: ResolvedDeadline): string {
  if (d.extension) {
    const from = d.programDate === undefined ? '' : ` from ${longDate(d.programDate)}`;
    const who = d.extension.grantedBy ? `, granted by ${d.extension.grantedBy}` : '';
    return ` (extended${from}: ${d.extension.reason}${who})`;
  }
  if (d.date !== undefined && d.unknown.length > 0)
    return ` (due ${d.rule}; ${joinAnd(d.unknown)} ${d.unknown.length === 1 ? 'is' : 'are'} not recorded yet)`;
  return '';
}

/**
 * One sentence about a deadline's date: "Due by March 1, 2027 (extended from December 1, 2026:
 * medical leave).", or "Due 6 months after taking office (date not recorded yet)."
 */
export function deadlineDetail(d: ResolvedDeadline): string {
  if (d.date === undefined) return `Due ${d.rule} (date not recorded yet).`;
  return `Due by ${longDate(d.date)}${deadlineNote(d)}.`;
}

/** The extensions of a context by deadline id (the last one listed for an id wins). */
export function extensionMap(list: readonly DeadlineExtension[] | undefined): Map<string, DeadlineExtension> {
  return new Map((list ?? []).map((e) => [e.requirementId, e]));
}
