/**
 * The `civiccert` command line. Server commands share the services the HTTP
 * API uses; rules commands (program check, evaluate) need no server at all.
 */
import { writeFileSync, readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import pino from 'pino';
import { z } from 'zod';
import { roles } from '../domain/authz/index.js';
import { DomainError } from '../domain/errors.js';
import { createPersonBody } from '../contract/people.js';
import { ConfigError, loadConfig, type Config } from '../server/config.js';
import { systemCtx } from '../server/context.js';
import { migrationStatus } from '../server/db/migrate.js';
import { createMailer } from '../server/modules/mail/mailer.js';
import { DEMO_PASSWORD, loadDemoData } from '../server/modules/demo/demo.service.js';
import { createPerson } from '../server/modules/people/people.service.js';
import { hashPassword } from '../server/modules/auth/auth.service.js';
import { openDatabase, prepareDatabase, startServer, type DatabaseHandle } from '../server/runtime.js';
import { registerRulesCommands } from './commands/rules.js';
import { registerBackupCommands } from './commands/backup.js';
import { registerExportCommand } from './commands/export.js';
import { registerImportCommand } from './commands/import.js';
import { registerStatusCommands } from './commands/status.js';
import { registerIssuerCommands } from './commands/issuer.js';

const log = () => pino({ level: process.env.LOG_LEVEL ?? 'warn' });

function config(): Config {
  return loadConfig();
}

/** Opens (and migrates) the database for one command, then closes it, embedded server included. */
async function withDatabase<T>(
  fn: (h: DatabaseHandle, cfg: Config) => Promise<T>,
  migrate = true,
): Promise<T> {
  const cfg = config();
  const handle = await openDatabase(cfg, log());
  try {
    if (migrate) await prepareDatabase(handle.db, log());
    return await fn(handle, cfg);
  } finally {
    await handle.close(30_000);
  }
}

export function buildCli(): Command {
  const cli = new Command('civiccert')
    .description('CivicCert: certification and continuing-education programs for public officials')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();

  cli
    .command('serve')
    .description('Start the web app and API (starts the embedded PostgreSQL unless DATABASE_URL is set)')
    .action(async () => {
      const cfg = config();
      const server = await startServer(cfg);
      const lines = [`CivicCert is ready at ${cfg.publicUrl} (listening on ${server.url})`];
      if (server.demo?.accounts.length) {
        lines.push(`Demo sign-ins (password for all: ${DEMO_PASSWORD}):`);
        for (const a of server.demo.accounts) lines.push(`  ${a.role.padEnd(14)} ${a.email}`);
      }
      console.log(lines.join('\n'));
      // Logged at start-up too; repeated here, after the banner, where a person reading it sees it.
      for (const w of cfg.warnings) console.error(`WARNING: ${w}`);
      let stopping = false;
      const stop = async (signal: string) => {
        if (stopping) return;
        stopping = true;
        console.log(`\n${signal}: shutting down…`);
        // Never hang on shutdown: every step is bounded; this is the last resort.
        setTimeout(() => {
          console.error(`Shutdown did not finish within ${cfg.shutdownTimeoutSeconds} s; exiting.`);
          process.exit(1);
        }, cfg.shutdownTimeoutSeconds * 1000).unref();
        try {
          await server.close();
          process.exit(0);
        } catch (e) {
          console.error(e);
          process.exit(1);
        }
      };
      // A promise rejected with nobody listening is logged, not fatal: pg-boss does not await its
      // own bookkeeping queries (complete/fail of a job), so losing the database in the middle of a
      // sweep rejects one of them, and the app must stay up to answer 503 and recover (issue 11).
      process.on('unhandledRejection', (reason) => {
        const message = reason instanceof Error ? reason.message : String(reason);
        console.error(`Unhandled rejection, logged and ignored: ${message}`);
      });
      process.on('SIGINT', () => void stop('SIGINT'));
      process.on('SIGTERM', () => void stop('SIGTERM'));
      process.on('SIGHUP', () => void stop('SIGHUP'));
    });

  const db = cli.command('db').description('Database maintenance');
  db.command('migrate')
    .description('Apply pending migrations (under an advisory lock) and load reference data')
    .action(() =>
      withDatabase(async (h) => {
        const status = await migrationStatus(h.db);
        console.log(
          `Database is at migration ${status.at(-1)?.name ?? '(none)'} (${status.length} applied).`,
        );
      }),
    );
  db.command('status')
    .description('List migrations and whether each has run')
    .action(() =>
      withDatabase(async (h) => {
        for (const m of await migrationStatus(h.db)) {
          console.log(`${m.executedAt ? 'applied ' + m.executedAt : 'pending'.padEnd(32)}  ${m.name}`);
        }
      }, false),
    );

  cli
    .command('user')
    .description('User accounts')
    .command('create')
    .description('Create a person with a user account and (optionally) a password')
    .requiredOption('--email <email>', 'e-mail address (the sign-in name)')
    .requiredOption('--first-name <name>', 'first name')
    .requiredOption('--last-name <name>', 'last name')
    .option('--role <role...>', `one or more of: ${roles.join(', ')}`, ['official'])
    .option('--title <title>', 'job title, e.g. "County Clerk"')
    .option('--county <fips>', 'county FIPS code, e.g. 20177')
    .option('--password-stdin', 'read the password from standard input instead of e-mailing a link')
    .action(
      async (o: {
        email: string;
        firstName: string;
        lastName: string;
        role: string[];
        title?: string;
        county?: string;
        passwordStdin?: boolean;
      }) => {
        const parsed = createPersonBody.safeParse({
          firstName: o.firstName,
          lastName: o.lastName,
          email: o.email,
          title: o.title,
          jurisdictionFips: o.county,
          roles: o.role,
          sendInvite: !o.passwordStdin,
        });
        if (!parsed.success)
          throw new UsageError(parsed.error.issues.map((i) => `--${flag(i.path)}: ${i.message}`).join('\n'));
        const password = o.passwordStdin ? readFileSync(0, 'utf8').trim() : null;
        if (password !== null && password.length < 12)
          throw new UsageError('The password must be at least 12 characters.');
        await withDatabase(async (h, cfg) => {
          const mailer = createMailer(cfg, h.db, log());
          // The CLI runs with the operator's own database access: no signed-in actor, audited as "cli".
          const ctx = systemCtx({ config: cfg, db: h.db, mailer, now: () => new Date() }, 'cli');
          const person = await createPerson(ctx, parsed.data);
          if (password) {
            await h.db
              .updateTable('user_account')
              .set({ password_hash: await hashPassword(password) })
              .where('person_id', '=', person.id)
              .execute();
          }
          await mailer.flush();
          mailer.close();
          console.log(
            `Created ${person.displayName} <${person.email}> with roles ${person.roles.join(', ')} (id ${person.id}).`,
          );
          if (!password)
            console.log(
              'A password-set link was e-mailed (see the e-mail outbox when SMTP is not configured).',
            );
        });
      },
    );

  cli
    .command('demo')
    .description('Demo data')
    .command('load')
    .description('Load the demo data set (idempotent: people already there are left alone)')
    .action(() =>
      withDatabase(async (h, cfg) => {
        const mailer = createMailer(cfg, h.db, log());
        const result = await loadDemoData(
          { config: cfg, db: h.db, mailer, now: () => new Date() },
          { force: true },
        );
        console.log(
          `Demo data: ${result.people} new people. Sign in with any of these (password ${DEMO_PASSWORD}):`,
        );
        for (const a of result.accounts) console.log(`  ${a.role.padEnd(14)} ${a.email}`);
      }),
    );

  cli
    .command('openapi')
    .description('Print the OpenAPI document generated from the contracts')
    .option('--write <file>', 'write it to a file instead')
    .action(async (o: { write?: string }) => {
      const doc = await generateOpenApi();
      if (o.write) writeFileSync(o.write, doc);
      else process.stdout.write(doc);
    });

  registerRulesCommands(cli);
  registerImportCommand(cli, withDatabase);
  registerExportCommand(cli, withDatabase);
  registerBackupCommands(cli, withDatabase);
  registerStatusCommands(cli, withDatabase);
  registerIssuerCommands(cli, withDatabase);
  return cli;
}

/** The OpenAPI document, built from the route contracts without a database. */
export async function generateOpenApi(): Promise<string> {
  const { buildApp } = await import('../server/app.js');
  const cfg = loadConfig({});
  const app = await buildApp(
    { config: cfg, db: null as never, mailer: null as never, now: () => new Date(0) },
    { logger: false, webRoot: '/nonexistent' },
  );
  await app.ready();
  const doc = JSON.stringify(app.swagger(), null, 2) + '\n';
  await app.close();
  return doc;
}

class UsageError extends Error {}

/** Never "Error: undefined": a non-Error or an empty message still says something useful. */
function describeError(e: unknown): string {
  if (e instanceof Error && e.message) return e.message;
  if (e instanceof Error) return `${e.name} (no message)${e.stack ? `\n${e.stack}` : ''}`;
  if (e === undefined || e === null)
    return 'an unknown failure (no details were given). Run again with LOG_LEVEL=debug.';
  return typeof e === 'string' ? e : JSON.stringify(e);
}

const flag = (path: PropertyKey[]) =>
  String(path[0] ?? '')
    .replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)
    .replace('jurisdiction-fips', 'county');

async function main(argv: string[]): Promise<number> {
  try {
    await buildCli().parseAsync(argv);
    return Number(process.exitCode ?? 0);
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode;
    if (e instanceof ConfigError) console.error(e.message);
    else if (e instanceof UsageError) console.error(`Error: ${e.message}`);
    else if (e instanceof DomainError) {
      console.error(`Error: ${e.message}`);
      for (const i of e.issues) console.error(`  ${i.field}: ${i.message}`);
    } else if (e instanceof z.ZodError) console.error(`Error: ${e.issues.map((i) => i.message).join('; ')}`);
    else console.error(`Error: ${describeError(e)}`);
    return 1;
  }
}

const isEntry =
  process.argv[1] &&
  import.meta.url.endsWith(process.argv[1].replace(/\\/g, '/').split('/').slice(-3).join('/'));
if (isEntry) {
  main(process.argv).then((code) => {
    // `serve` keeps running; everything else exits with its code.
    if (process.argv[2] !== 'serve' || code !== 0) process.exit(code);
  });
}
