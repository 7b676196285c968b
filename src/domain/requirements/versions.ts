/**
 * Program versions. An official is judged by the version in force when they
 * enrolled, unless an administrator deliberately moves them to another one.
 */
import type { LocalDate, ProgramDefinition } from './types.js';

/**
 * Picks the version of a program that applies to an official.
 * - `pinnedVersion` (a deliberate move) wins when it exists;
 * - otherwise the latest version whose effectiveFrom is on or before the enrollment date;
 * - an official who enrolled before the first version gets the earliest one.
 */
export function selectProgramVersion(
  versions: readonly ProgramDefinition[],
  enrollmentDate: LocalDate,
  pinnedVersion?: string,
): ProgramDefinition | undefined {
  if (pinnedVersion !== undefined) {
    const pinned = versions.find((v) => v.version === pinnedVersion);
    if (pinned) return pinned;
  }
  const sorted = [...versions].sort((a, b) =>
    a.effectiveFrom < b.effectiveFrom
      ? -1
      : a.effectiveFrom > b.effectiveFrom
        ? 1
        : a.version < b.version
          ? -1
          : 1,
  );
  let chosen = sorted[0];
  for (const v of sorted) if (v.effectiveFrom <= enrollmentDate) chosen = v;
  return chosen;
}
