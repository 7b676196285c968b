/**
 * Builders for tests of the rules engine: a small valid program around a
 * requirement, and credit records with sensible defaults. Not used at run time.
 */
import { parseProgram } from './schema.js';
import type { CreditRecord, ProgramDefinition, Requirement } from './types.js';

export const TEST_ZONE = 'America/Chicago';

/** A program definition read from JSON (e.g. a shipped program's file); throws naming its problems. */
export function loadProgram(json: unknown): ProgramDefinition {
  const r = parseProgram(json);
  if (!r.ok) throw new Error(JSON.stringify(r.issues));
  return r.program;
}

/** The JSON of the test program around a requirement, before parsing (for tests of the program check). */
export function testProgramJson(
  requirement: Requirement | Record<string, unknown>,
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    schemaVersion: 1,
    id: 'test-program',
    version: '1',
    effectiveFrom: '2020-01-01',
    name: 'Test Program',
    designation: 'TP',
    issuingBody: { name: 'Test Office' },
    timeZone: TEST_ZONE,
    sponsor: { id: 'assoc', name: 'Association', adjective: 'sponsored' },
    categories: [
      { id: 'mgmt', name: 'Management' },
      { id: 'mgmt-ethics', name: 'Ethics', parent: 'mgmt' },
      { id: 'job', name: 'Job specific' },
      { id: 'other', name: 'Other' },
      { id: 'renewal', name: 'Renewal courses' },
    ],
    sourceTypes: [
      { id: 'conf', name: 'Conference' },
      { id: 'work', name: 'Work experience' },
      { id: 'online', name: 'Online course' },
    ],
    courses: [
      { code: 'A', title: 'Course A', credits: 3, category: 'job' },
      { code: 'B', title: 'Course B', credits: 3, category: 'job' },
      { code: 'C', title: 'Course C', credits: 3, category: 'job' },
      { code: 'D', title: 'Course D', credits: 3, category: 'job' },
    ],
    courseSets: [
      { id: 'first', name: 'First', courses: ['A', 'B'] },
      { id: 'second', name: 'Second', courses: ['C', 'D'] },
      { id: 'renewal-courses', name: 'renewal', category: 'renewal' },
    ],
    cohorts: [{ id: 'pilot', name: 'Pilot' }],
    initial: { requirement },
    ...extra,
  };
}

export function testProgram(
  requirement: Requirement | Record<string, unknown>,
  extra: Record<string, unknown> = {},
): ProgramDefinition {
  const parsed = parseProgram(testProgramJson(requirement, extra));
  if (!parsed.ok) throw new Error(`test program invalid: ${JSON.stringify(parsed.issues)}`);
  return parsed.program;
}

let seq = 0;

export function rec(partial: Partial<CreditRecord> & { date: string }): CreditRecord {
  seq += 1;
  return {
    id: `r${String(seq).padStart(6, '0')}`,
    personId: 'p1',
    amount: 1,
    category: 'mgmt',
    sponsored: false,
    sourceType: 'conf',
    status: 'approved',
    ...partial,
  };
}

/** `n` one-credit records on a date (ids unique). */
export function many(n: number, partial: Partial<CreditRecord> & { date: string }): CreditRecord[] {
  return Array.from({ length: n }, () => rec(partial));
}

/** A credits requirement: `min` Management credits, of which `sponsoredMin` sponsored. */
export function mgmtTier(
  min: number,
  sponsoredMin?: number,
  extra: Record<string, unknown> = {},
): Requirement {
  return {
    id: 'mgmt-tier',
    type: 'credits',
    title: 'Management tier',
    noun: 'Management',
    min,
    filter: { categories: ['mgmt'] },
    ...(sponsoredMin === undefined
      ? {}
      : {
          minimums: [
            { id: 'mgmt-sponsored', label: 'sponsored', min: sponsoredMin, filter: { sponsored: true } },
          ],
        }),
    ...extra,
  } as Requirement;
}
