/**
 * The program rules engine: public API. See docs/rules-engine.md.
 *
 *   parseProgram(json)                      → { ok, program } | { ok: false, issues: {path, message}[] }
 *   evaluate(program, records, context)     → EvaluationResult (status + explained requirement tree)
 *   parseRecordsCsv(text) / parseRecordsJson(json) → records (+ people) or every problem with its line/path
 *   selectProgramVersion(versions, enrollmentDate, pinned?) → the version an official is judged by
 *   formatEvaluationText(program, result)   → the result as plain text
 */
export type * from './types.js';
export { recordStatuses, certificationStatuses } from './types.js';
export { parseProgram, programSchema, checkReferences, formatPath } from './schema.js';
export type { ProgramIssue, ParseProgramResult } from './schema.js';
export { evaluate, currentAward, collectMissing, statusLabel, EvaluationInputError } from './evaluate.js';
export {
  parseRecordsCsv,
  parseRecordsJson,
  parsePeopleJson,
  splitCsv,
  creditRecordSchema,
  personContextSchema,
} from './records.js';
export type { RecordIssue, ParseRecordsResult, PersonContext } from './records.js';
export { selectProgramVersion } from './versions.js';
export { nextTransitionOn, movesDaily } from './transitions.js';
export type { TransitionInputs } from './transitions.js';
export { formatEvaluationText } from './format.js';
export { describeCountingRules } from './describe.js';
export { requirementsServedBy } from './serves.js';
export type { ServedRequirement } from './serves.js';
export type { TextOptions } from './format.js';
export {
  factTargets,
  factsToContext,
  factLabel,
  targetsFor,
  personFactKinds,
  APPOINTMENT_FACT,
  factEntryIssues,
  resolveFactKey,
} from './facts.js';
export type {
  RecordedFact,
  PersonFactKind,
  FactTargets,
  FactTarget,
  FactContext,
  FactEntry,
  FactEntryIssue,
} from './facts.js';
