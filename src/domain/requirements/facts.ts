/**
 * Person facts: what a program measures an official by besides credits (the
 * taking-office date and other dated facts, exam results, waivers and
 * provisional approvals, per-person deadline extensions, attestations).
 *
 *   factTargets(program)   → what can be recorded for this program, with labels
 *   factsToContext(facts)  → the evaluation context those facts give the engine
 *   factLabel(program, f)  → how a fact reads in a sentence ("Taking office", "Year One (waived)")
 */
import { formatLongDate, type LocalDate } from '../time/index.js';
import type {
  Attestation,
  DeadlineExtension,
  EvaluationContext,
  ExamResult,
  ProgramDefinition,
  Requirement,
  Waiver,
} from './types.js';

export const personFactKinds = ['date', 'exam', 'waiver', 'provisional', 'extension', 'attestation'] as const;
export type PersonFactKind = (typeof personFactKinds)[number];

/**
 * One fact recorded about a person, as the server stores it (withdrawn facts are not passed in).
 * Not to be confused with the program's declared `RecordedFact`s (what a program measures from).
 */
export interface RecordedFact {
  kind: PersonFactKind;
  /** date: `appointment` or a declared person fact; exam: exam id; waiver, provisional, extension: requirement id; attestation: attestation id. */
  key: string;
  /** The fact's date: the dated fact itself, the exam's date, when a waiver or extension was granted, when an attestation was signed. */
  date: LocalDate;
  score?: number | null;
  /** waiver and provisional: when it ends (if it does); extension: the person's deadline. */
  until?: LocalDate | null;
  reason: string;
  /** Who recorded it, as a sentence names them ("Dana Ruiz, coordinator"). */
  recordedBy?: string | null;
}

export interface FactTarget {
  key: string;
  label: string;
}

export interface FactTargets {
  /** Dated facts the program can measure from; `appointment` (taking office) always. */
  dates: FactTarget[];
  exams: FactTarget[];
  /** Every requirement that can be waived or provisionally approved. */
  requirements: FactTarget[];
  /** Deadline requirements, which can be extended for one person. */
  deadlines: FactTarget[];
  attestations: FactTarget[];
}

export const APPOINTMENT_FACT = 'appointment';
const APPOINTMENT_LABEL = 'Taking office (appointment date)';

/** Dated person facts a program declares, beyond the built-in taking-office date. */
function declaredDates(program: ProgramDefinition): FactTarget[] {
  return (program.personFacts ?? []).map((f) => ({ key: f.id, label: f.label }));
}

function walk(node: Requirement, visit: (n: Requirement) => void): void {
  visit(node);
  if (node.type === 'allOf' || node.type === 'anyOf' || node.type === 'nOf')
    for (const c of node.items) walk(c, visit);
  if (node.type === 'deadline') walk(node.item, visit);
}

function addOnce(list: FactTarget[], t: FactTarget): void {
  if (!list.some((x) => x.key === t.key)) list.push(t);
}

/** What staff can record for a person in this program, in the order the rules mention it. */
export function factTargets(program: ProgramDefinition): FactTargets {
  const out: FactTargets = {
    dates: [{ key: APPOINTMENT_FACT, label: APPOINTMENT_LABEL }, ...declaredDates(program)],
    exams: [],
    requirements: [],
    deadlines: [],
    attestations: [],
  };
  const roots: [Requirement, string][] = [[program.initial.requirement, '']];
  if (program.renewal) roots.push([program.renewal.requirement, 'Renewal: ']);
  if (program.renewal?.reinstatement?.requirement)
    roots.push([program.renewal.reinstatement.requirement, 'Reinstatement: ']);
  for (const [root, prefix] of roots)
    walk(root, (n) => {
      addOnce(out.requirements, { key: n.id, label: `${prefix}${n.title}` });
      if (n.type === 'deadline') addOnce(out.deadlines, { key: n.id, label: `${prefix}${n.title}` });
      if (n.type === 'exam') addOnce(out.exams, { key: n.exam, label: n.title });
      if (n.type === 'attestation') addOnce(out.attestations, { key: n.attestation, label: n.title });
    });
  return out;
}

/** The list of targets a fact of this kind may name. */
export function targetsFor(targets: FactTargets, kind: PersonFactKind): FactTarget[] {
  switch (kind) {
    case 'date':
      return targets.dates;
    case 'exam':
      return targets.exams;
    case 'waiver':
    case 'provisional':
      return targets.requirements;
    case 'extension':
      return targets.deadlines;
    case 'attestation':
      return targets.attestations;
  }
}

/** The name of what a fact is about ("Taking office (appointment date)", "Year One"), or its key. */
export function factLabel(targets: FactTargets, fact: Pick<RecordedFact, 'kind' | 'key'>): string {
  return targetsFor(targets, fact.kind).find((t) => t.key === fact.key)?.label ?? fact.key;
}

/** A fact as staff (or a spreadsheet row) enter it, before it is stored. */
export interface FactEntry {
  kind: PersonFactKind;
  key: string;
  date: LocalDate;
  score?: number | null;
  until?: LocalDate | null;
}

/** A problem with a fact entry, naming the field (`key`, `date`, `score`, `until`). */
export interface FactEntryIssue {
  field: 'key' | 'date' | 'score' | 'until';
  message: string;
}

const kindWords: Record<PersonFactKind, string> = {
  date: 'dated fact',
  exam: 'exam',
  waiver: 'requirement',
  provisional: 'requirement',
  extension: 'deadline',
  attestation: 'attestation',
};

/**
 * The rules of entry for a person fact, the one place they are written (the
 * API body, the person page and spreadsheet imports all use them):
 * - an exam result needs its score, and only an exam result has one;
 * - an extension needs its new deadline (`until`); only a waiver, a provisional
 *   approval or an extension has an end date, and a waiver's or approval's end
 *   is on or after the day it was granted;
 * with `program` (the program version the person is judged by, and today in
 * its zone), also:
 * - the key is something this program has for the kind (its exams, its
 *   requirements, its deadlines, its attestations, taking office and its
 *   declared dated facts);
 * - only a dated fact (taking office next month) may lie in the future.
 */
export function factEntryIssues(
  entry: FactEntry,
  program?: { name: string; targets: FactTargets; today: LocalDate },
): FactEntryIssue[] {
  const issues: FactEntryIssue[] = [];
  const hasScore = entry.score !== undefined && entry.score !== null;
  if (entry.kind === 'exam' && !hasScore)
    issues.push({ field: 'score', message: 'An exam result needs its score.' });
  if (entry.kind !== 'exam' && hasScore)
    issues.push({ field: 'score', message: 'Only an exam result has a score.' });
  if (entry.kind === 'extension' && !entry.until)
    issues.push({ field: 'until', message: 'An extension needs the new deadline.' });
  if (entry.until && !['waiver', 'provisional', 'extension'].includes(entry.kind))
    issues.push({
      field: 'until',
      message: 'Only a waiver, a provisional approval or an extension has an end date.',
    });
  else if (entry.until && entry.kind !== 'extension' && entry.until < entry.date)
    issues.push({ field: 'until', message: 'Until must be on or after the date granted.' });
  if (!program) return issues;
  const allowed = targetsFor(program.targets, entry.kind);
  if (!allowed.some((t) => t.key === entry.key))
    issues.push({
      field: 'key',
      message:
        allowed.length === 0
          ? `${program.name} has no ${kindWords[entry.kind]} that ${/^[aeiou]/.test(entry.kind) ? 'an' : 'a'} ${entry.kind} fact could be about.`
          : `${program.name} has no ${kindWords[entry.kind]} "${entry.key}". Choose one of: ${allowed
              .map((t) => `${t.label} (${t.key})`)
              .join(', ')}.`,
    });
  // Only a dated fact (such as taking office next month) may lie ahead; results, grants and
  // signatures are things that have happened.
  if (entry.kind !== 'date' && entry.date > program.today)
    issues.push({
      field: 'date',
      message: `The date can't be after today (${formatLongDate(program.today)}).`,
    });
  return issues;
}

/**
 * The key a person typed for a fact of this kind: the id itself, or what the
 * program calls it (its label, not case-sensitive) when exactly one target has
 * that label. Unknown text is returned as it is (factEntryIssues then names it).
 */
export function resolveFactKey(targets: FactTargets, kind: PersonFactKind, text: string): string {
  const list = targetsFor(targets, kind);
  if (list.some((t) => t.key === text)) return text;
  const wanted = text.trim().toLowerCase();
  const byLabel = [...new Set(list.filter((t) => t.label.toLowerCase() === wanted).map((t) => t.key))];
  return byLabel.length === 1 ? byLabel[0]! : text;
}

/** The parts of an evaluation context that stored person facts give. */
export interface FactContext {
  appointmentDate?: LocalDate;
  factDates?: Record<string, LocalDate>;
  examResults?: ExamResult[];
  waivers?: Waiver[];
  extensions?: DeadlineExtension[];
  attestations?: Attestation[];
}

/**
 * Maps stored facts to the engine's context. Of two current dated facts or
 * extensions with one key (the store keeps one, a records file may not), the
 * later-recorded one, i.e. the later in the list, wins.
 */
export function factsToContext(facts: readonly RecordedFact[]): FactContext & Partial<EvaluationContext> {
  const out: FactContext = {};
  const dates: Record<string, LocalDate> = {};
  const extensions = new Map<string, DeadlineExtension>();
  for (const f of facts) {
    const by = f.recordedBy ?? 'program staff';
    switch (f.kind) {
      case 'date':
        if (f.key === APPOINTMENT_FACT) out.appointmentDate = f.date;
        else dates[f.key] = f.date;
        break;
      case 'exam':
        (out.examResults ??= []).push({ exam: f.key, score: f.score ?? 0, date: f.date });
        break;
      case 'waiver':
      case 'provisional':
        (out.waivers ??= []).push({
          requirementId: f.key,
          kind: f.kind,
          grantedBy: by,
          reason: f.reason,
          grantedOn: f.date,
          ...(f.until ? { expiresOn: f.until } : {}),
        });
        break;
      case 'extension':
        if (f.until)
          extensions.set(f.key, { requirementId: f.key, until: f.until, reason: f.reason, grantedBy: by });
        break;
      case 'attestation':
        (out.attestations ??= []).push({ attestation: f.key, date: f.date });
        break;
    }
  }
  if (Object.keys(dates).length > 0) out.factDates = dates;
  if (extensions.size > 0) out.extensions = [...extensions.values()];
  return out;
}
