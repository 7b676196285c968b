/**
 * Starting and stopping the whole server: database (embedded or external),
 * migrations, demo data, mail delivery and HTTP. Used by `civiccert serve`
 * (and so `npm start`) and by the end-to-end tests.
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { sql } from 'kysely';
import pino from 'pino';
import type { Config } from './config.js';
import type { Deps } from './context.js';
import { createDatabase, ensureDatabaseExists, type Database } from './db/database.js';
import { startEmbeddedPostgres, type EmbeddedServer } from './db/embedded.js';
import { acquireDataDirLock, stopLeftoverPostgres } from './db/data-dir-lock.js';
import { migrateToLatest } from './db/migrate.js';
import { buildApp } from './app.js';
import { sealStoredTotpSecrets } from './modules/auth/second-factor.service.js';
import { secretsKeyOf, withSecretsKey } from './secrets.js';
import { createMailer } from './modules/mail/mailer.js';
import { loadDemoData, type DemoResult } from './modules/demo/demo.service.js';
import { loadJurisdictions } from './modules/jurisdictions/jurisdictions.service.js';
import { loadShippedPrograms } from './modules/programs/programs.service.js';
import { sendDueReminders } from './modules/sessions/messages.js';
import { startCertificationJobs } from './jobs/certification.jobs.js';
import { startWebhookJobs } from './jobs/webhook.jobs.js';

export interface DatabaseHandle {
  db: Database;
  url: string;
  embedded: EmbeddedServer | null;
  /** Closes the pool, stops the embedded server; bounded by `budgetMs` (default 3 s). */
  close: (budgetMs?: number) => Promise<void>;
}

/** Connects to DATABASE_URL, or starts the embedded server when it is unset. */
export async function openDatabase(config: Config, log: pino.Logger): Promise<DatabaseHandle> {
  let embedded: EmbeddedServer | null = null;
  let url = config.databaseUrl;
  let releaseLock = () => {};
  if (!url) {
    log.info({ dataDir: config.dataDir }, 'starting embedded PostgreSQL');
    // One app per data directory; then stop a PostgreSQL that a killed app left running on it.
    await mkdir(config.dataDir, { recursive: true });
    releaseLock = acquireDataDirLock(config.dataDir, (msg) => log.warn(msg)).release;
    try {
      await stopLeftoverPostgres(path.join(config.dataDir, 'postgres'), (msg) => log.warn(msg));
      embedded = await startEmbeddedPostgres(config.dataDir, (line) => log.debug({ postgres: line }), {
        maxRestarts: config.embeddedPgMaxRestarts,
        onEvent: (msg) => log.error(msg),
      });
    } catch (e) {
      releaseLock();
      throw e;
    }
    url = embedded.url('civiccert');
    log.info({ port: embedded.port }, 'embedded PostgreSQL is up');
  }
  try {
    await ensureDatabaseExists(url);
  } catch (e) {
    await embedded?.stop();
    releaseLock();
    throw e;
  }
  const db = createDatabase(url, config.db);
  return {
    db,
    url,
    embedded,
    close: async (budgetMs = 3_000) => {
      try {
        const end = Date.now() + budgetMs;
        await withTimeout(db.destroy(), Math.min(1_000, budgetMs * 0.3), 'closing the connection pool').catch(
          (err: unknown) => log.warn({ err }, 'shutdown step cut short'),
        );
        const rest = Math.max(end - Date.now(), 100);
        if (embedded) await withTimeout(embedded.stop(), rest, 'stopping the embedded PostgreSQL');
      } finally {
        releaseLock();
      }
    },
  };
}

/** `work`, or an error naming the step once `ms` have passed (the work is left behind). */
export async function withTimeout<T>(work: Promise<T>, ms: number, step: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      work,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`${step} took longer than ${Math.round(ms)} ms`)), ms);
        timer.unref();
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

// "CIVR": arbitrary, shared by every CivicCert instance (migrations use "CIVC").
const REFERENCE_DATA_LOCK_KEY = 0x43495652;

/** Migrations (under an advisory lock) and the reference data every install needs. */
export async function prepareDatabase(db: Database, log: pino.Logger): Promise<void> {
  const { applied } = await migrateToLatest(db);
  if (applied.length) log.info({ applied }, 'migrations applied');
  // One transaction under a lock, so an instance starting alongside never sees half the list
  // (and builds the demo data from it): it waits, then finds the list complete.
  await db.transaction().execute(async (tx) => {
    await sql`select pg_advisory_xact_lock(${REFERENCE_DATA_LOCK_KEY})`.execute(tx);
    const count = await tx
      .selectFrom('jurisdiction')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    if (Number(count.n) === 0)
      log.info({ jurisdictions: await loadJurisdictions(tx) }, 'jurisdictions loaded');
    // The shipped program definitions (programs/*.json) that are not in the database yet.
    const programs = await loadShippedPrograms(tx);
    if (programs.length) log.info({ programs }, 'shipped programs loaded');
  });
}

export interface RunningServer {
  url: string;
  deps: Deps;
  demo: DemoResult | null;
  close: () => Promise<void>;
}

export async function startServer(
  configured: Config,
  opts: { now?: () => Date; logger?: boolean; database?: DatabaseHandle } = {},
): Promise<RunningServer> {
  // SECRETS_KEY, or outside production the generated key in the data folder.
  const config = await withSecretsKey(configured);
  const log = pino({ level: config.logLevel });
  for (const warning of config.warnings) log.warn(warning);
  const handle = opts.database ?? (await openDatabase(config, log));
  try {
    await prepareDatabase(handle.db, log);
    // Seals two-step secrets stored before sealing existed; a wrong key stops start-up here.
    const { sealed } = await sealStoredTotpSecrets(handle.db, secretsKeyOf(config));
    if (sealed) log.info({ sealed }, 'two-step sign-in secrets encrypted with SECRETS_KEY');
    const mailer = createMailer(config, handle.db, log);
    const deps: Deps = { config, db: handle.db, mailer, now: opts.now ?? (() => new Date()) };
    const demo = config.demoData ? await loadDemoData(deps) : null;
    const app = await buildApp(deps, { logger: opts.logger ?? { level: config.logLevel } });
    // Scheduled jobs in PostgreSQL (pg-boss): certification status, reminders and lapses.
    // Started before listening, so "ready" means the whole server is up.
    const jobs = await startCertificationJobs(deps, handle.url, log);
    // Webhook deliveries: the outbox's rows become pg-boss jobs, retried with backoff (ADR 0021).
    const webhooks = await startWebhookJobs(deps, handle.url, log);
    const address = await app.listen({ port: config.port, host: config.host }).catch(async (e: unknown) => {
      await jobs.stop();
      await webhooks.stop();
      throw e;
    });
    const flushTimer = setInterval(() => void mailer.flush().catch(() => {}), 5_000);
    flushTimer.unref();
    void mailer.flush().catch(() => {});
    // Session reminders: a cheap query every 15 minutes; rows are claimed with SKIP LOCKED.
    const remind = () =>
      void sendDueReminders(deps).catch((err: unknown) => log.warn({ err }, 'reminders failed'));
    const reminderTimer = setInterval(remind, 15 * 60_000);
    reminderTimer.unref();
    remind();
    return {
      url: address.replace('[::1]', 'localhost'),
      deps,
      demo,
      // Every step is bounded, so a dead database cannot stall the shutdown: together they take
      // at most 90% of SHUTDOWN_TIMEOUT_SECONDS (the CLI exits at 100% whatever happens).
      close: async () => {
        clearInterval(flushTimer);
        clearInterval(reminderTimer);
        const budget = config.shutdownTimeoutSeconds * 1000 * 0.9;
        const deadline = Date.now() + budget;
        const left = () => Math.max(deadline - Date.now(), 100);
        // Each step gets at most its share, and never more than what is left.
        const step = (work: Promise<unknown>, share: number, what: string) =>
          withTimeout(work, Math.min(budget * share, left()), what).catch((err: unknown) =>
            log.warn({ err }, 'shutdown step cut short'),
          );
        // Stop accepting; in-flight requests finish (idle keep-alive connections are closed).
        await step(app.close(), 0.4, 'finishing in-flight requests');
        // No new jobs are fetched; a running sweep finishes.
        await step(Promise.all([jobs.stop(), webhooks.stop()]), 0.3, 'finishing running jobs');
        // The e-mails of the last requests (a registration's waits for calls to pause, flushSoon).
        await step(mailer.flush(), 0.2, 'sending the last e-mails');
        mailer.close();
        // The rest of the time: closing the pool and stopping the embedded PostgreSQL.
        if (!opts.database) await step(handle.close(left()), 1, 'closing the database');
      },
    };
  } catch (e) {
    if (!opts.database) await handle.close().catch(() => {});
    throw e;
  }
}
