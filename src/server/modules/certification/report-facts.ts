/**
 * What the people-based reports need to know about one official (issue 14): taken from an
 * evaluation by `reportFactsOf`, stored with the cached status by `recompute`, and read back by the
 * reports as of today, so a report of 100,000 officials is a read of the cache, not 100,000
 * evaluations. A report as of another day evaluates and takes the same figures from each result,
 * so both paths agree by construction.
 */
import type { RenewalState } from '../../../contract/reports.js';
import type {
  CertificationStatus,
  DeadlineResult,
  EvaluationResult,
} from '../../../domain/requirements/index.js';

export interface ReportFacts {
  /** Ever awarded in the program (the engine found an award chain). */
  awarded: boolean;
  /** Progress on the initial requirements. */
  initial: { have: number; need: number; metOn: string | null };
  deadlines: {
    id: string;
    label: string;
    date: string | null;
    state: DeadlineResult['state'];
    completedOn: string | null;
  }[];
  /** Renewal compliance, for people holding an award that can be renewed or lapse. */
  renewal: {
    state: RenewalState;
    cycleDue: string | null;
    graceEnds: string | null;
    lapsedOn: string | null;
  } | null;
  /** The due date of the cycle still to be completed (open, in grace or lapsed), else null. */
  openCycleDue: string | null;
  /**
   * That cycle as renewals due lists it (its award, due date, end of grace and what is still
   * missing), else null; absent from figures stored before migration 0037 (then evaluate).
   */
  openCycle?: { awardId: string; due: string; graceEnds: string; missing: string | null } | null;
}

/** Where a certified official stands on renewal, or null (never awarded, or revoked). */
export function renewalStateOf(r: {
  status: CertificationStatus;
  lifecycle?: EvaluationResult['lifecycle'];
}): RenewalState | null {
  const lc = r.lifecycle;
  if (!lc) return null;
  if (r.status === 'lapsed' || r.status === 'expired') return 'lapsed';
  if (r.status === 'revoked') return null;
  const cur = lc.current;
  if (cur?.state === 'grace') return 'in_grace';
  if (r.status === 'renewal_due') return 'renewal_due';
  const last = [...lc.cycles].reverse().find((c) => c.state !== 'future' && c.state !== 'open');
  if (cur?.state === 'reinstated' || (cur?.state !== 'renewed' && last?.state === 'reinstated'))
    return 'reinstated';
  return 'current';
}

export function reportFactsOf(r: EvaluationResult): ReportFacts {
  const state = renewalStateOf(r);
  const lc = r.lifecycle;
  const open = lc?.current && ['open', 'grace', 'lapsed'].includes(lc.current.state) ? lc.current : null;
  return {
    awarded: !!lc,
    initial: { have: r.initial.have, need: r.initial.need, metOn: r.initial.metOn ?? null },
    deadlines: r.deadlines.map((d) => ({
      id: d.id,
      label: d.label,
      date: d.date ?? null,
      state: d.state,
      completedOn: d.completedOn ?? null,
    })),
    renewal: state
      ? {
          state,
          cycleDue: lc?.current?.due ?? lc?.nextDue ?? null,
          graceEnds: lc?.current?.graceEnds ?? null,
          lapsedOn: lc?.lapsedOn ?? null,
        }
      : null,
    openCycleDue: open ? open.due : null,
    openCycle:
      lc && open
        ? {
            awardId: lc.award.id,
            due: open.due,
            graceEnds: open.graceEnds,
            missing: open.requirement?.missing ?? null,
          }
        : null,
  };
}
