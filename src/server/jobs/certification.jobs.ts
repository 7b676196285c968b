/**
 * pg-boss wiring for certification status: a scheduled job every minute evaluates the people
 * queued for it and those whose next date-driven transition has come in the program's zone (lapse
 * at the end of the last grace day, renewal reminders, deadlines; certification_status
 * .next_transition_on).
 * The work itself is `runCertificationSweep`, which tests call directly with a given clock. Every
 * change to a person's facts also recomputes at once, in its own transaction.
 */
import PgBoss from 'pg-boss';
import type { Logger } from 'pino';
import type { Deps } from '../context.js';
import { runCertificationSweep } from '../modules/certification/evaluation.js';
import { resumeImpactRuns } from '../modules/certification/impact.service.js';
import { resumeReportRuns } from '../modules/reports/reports.prepared.js';

export const CERTIFICATION_QUEUE = 'certification-sweep';

export interface JobRunner {
  /** Queues a sweep now (the schedule does it every minute). */
  runNow: () => Promise<void>;
  stop: () => Promise<void>;
}

export async function startCertificationJobs(
  deps: Deps,
  connectionString: string,
  log: Logger,
): Promise<JobRunner> {
  const boss = new PgBoss({ connectionString, max: 2, application_name: 'civiccert-jobs' });
  // Logged, never thrown: while the database is away pg-boss reports every failed poll here and
  // carries on; its workers resume when the database is back. (The error's client is left out.)
  boss.on('error', (err: unknown) => {
    const e = err as { message?: string; code?: string };
    log.warn({ err: { message: e?.message ?? String(err), code: e?.code } }, 'pg-boss error');
  });
  await boss.start();
  await boss.createQueue(CERTIFICATION_QUEUE, { name: CERTIFICATION_QUEUE, policy: 'singleton' });
  await boss.schedule(CERTIFICATION_QUEUE, '* * * * *', {}, { tz: 'UTC' });
  await boss.work(CERTIFICATION_QUEUE, async () => {
    const r = await runCertificationSweep(deps);
    log.debug(r, 'certification sweep');
    // An impact check of a draft left unfinished (a restart) carries on here (ADR 0029).
    const impact = await resumeImpactRuns(deps);
    if (impact > 0) log.debug({ evaluated: impact }, 'draft impact');
    // So does a report of another day being prepared (ADR 0039).
    const reports = await resumeReportRuns(deps);
    if (reports > 0) log.debug({ evaluated: reports }, 'reports prepared');
  });
  return {
    runNow: async () => {
      await boss.send(CERTIFICATION_QUEUE, {});
    },
    // Graceful: stop fetching, let a running sweep finish (the caller bounds the wait), then close.
    stop: async () => {
      await boss.stop({ graceful: true, close: true, wait: true, timeout: 2_500 });
    },
  };
}
