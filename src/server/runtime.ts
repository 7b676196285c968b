/**
 * Starting and stopping the whole server: database (embedded or external),
 * migrations, demo data, mail delivery and HTTP. Used by `civiccert serve`
 * (and so `npm start`) and by the end-to-end tests.
 */
import { sql } from 'kysely';
import pino from 'pino';
import type { Config } from './config.js';
import type { Deps } from './context.js';
import { createDatabase, ensureDatabaseExists, type Database } from './db/database.js';
import { startEmbeddedPostgres, type EmbeddedServer } from './db/embedded.js';
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

export interface DatabaseHandle {
  db: Database;
  url: string;
  embedded: EmbeddedServer | null;
  close: () => Promise<void>;
}

/** Connects to DATABASE_URL, or starts the embedded server when it is unset. */
export async function openDatabase(config: Config, log: pino.Logger): Promise<DatabaseHandle> {
  let embedded: EmbeddedServer | null = null;
  let url = config.databaseUrl;
  if (!url) {
    log.info({ dataDir: config.dataDir }, 'starting embedded PostgreSQL');
    embedded = await startEmbeddedPostgres(config.dataDir, (line) => log.debug({ postgres: line }));
    url = embedded.url('civiccert');
    log.info({ port: embedded.port }, 'embedded PostgreSQL is up');
  }
  await ensureDatabaseExists(url);
  const db = createDatabase(url, config.db);
  return {
    db,
    url,
    embedded,
    close: async () => {
      await db.destroy();
      if (embedded) await embedded.stop();
    },
  };
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
    const address = await app.listen({ port: config.port, host: config.host }).catch(async (e: unknown) => {
      await jobs.stop();
      throw e;
    });
    const flushTimer = setInterval(() => void mailer.flush().catch(() => {}), 5_000);
    flushTimer.unref();
    void mailer.flush();
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
      close: async () => {
        clearInterval(flushTimer);
        clearInterval(reminderTimer);
        await app.close(); // stops accepting, lets in-flight requests finish
        mailer.close();
        if (!opts.database) await handle.close();
        // Last, and not awaited: awaiting pg-boss's stop during a signal-driven shutdown ended
        // the process with 143 before the CLI's exit(0) (see docs/awards.md).
        void jobs.stop().catch(() => {});
      },
    };
  } catch (e) {
    if (!opts.database) await handle.close().catch(() => {});
    throw e;
  }
}
