/**
 * Person facts: what a program measures an official by besides credits (the
 * taking-office date and other dated facts, exam results, waivers and
 * provisional approvals, per-person deadline extensions, attestations).
 *
 *   factTargets(program)   → what can be recorded for this program, with labels
 *   factsToContext(facts)  → the evaluation context those facts give the engine
 *   factLabel(program, f)  → how a fact reads in a sentence ("Taking office", "Year One (waived)")
 */
import type { LocalDate } from '../time/index.js';
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
 * Not to be confused with the program's declared `PersonFact`s (what a program measures from).
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
