/**
 * What the benches that run the real app code share: a number from the command line, figures
 * formatted for people, and an embedded PostgreSQL in a temporary folder, migrated, with the
 * production configuration and a mailer, stopped and removed afterwards.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { loadConfig, type Config } from '../src/server/config.js';
import { createDatabase, ensureDatabaseExists, type Db } from '../src/server/db/database.js';
import { startEmbeddedPostgres } from '../src/server/db/embedded.js';
import { SESSION_COOKIE } from '../src/server/modules/auth/auth.routes.js';
import { hashToken, newToken } from '../src/server/modules/auth/tokens.js';
import { createMailer } from '../src/server/modules/mail/mailer.js';
import { prepareDatabase } from '../src/server/runtime.js';

const args = process.argv.slice(2);

/** `--name N` from the command line, or the fallback. */
export function numberArg(name: string, fallback: string): number {
  const i = args.indexOf(`--${name}`);
  return Number(i >= 0 ? args[i + 1] : fallback);
}

/** `--name VALUE` from the command line, or undefined. */
export function stringArg(name: string): string | undefined {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
}

export const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');

export interface BenchApp {
  url: string;
  db: Db;
  config: Config;
  mailer: ReturnType<typeof createMailer>;
}

/**
 * Runs `body` against a fresh, migrated database named `name`; everything is removed afterwards.
 * With `keepDir`, the database lives in that folder instead and is kept (and reused, migrated,
 * on the next run with the same folder).
 */
export async function withBenchApp(
  name: string,
  body: (app: BenchApp) => Promise<void>,
  opts: { poolMax?: number; keepDir?: string } = {},
): Promise<void> {
  const dir = opts.keepDir ?? (await mkdtemp(path.join(os.tmpdir(), `civiccert-${name}-`)));
  const server = await startEmbeddedPostgres(dir);
  try {
    const url = server.url(name);
    await ensureDatabaseExists(url);
    const db = createDatabase(url, { poolMax: opts.poolMax ?? 4, statementTimeoutMs: 0 });
    await prepareDatabase(db, pino({ level: 'warn' }));
    const config = loadConfig({
      NODE_ENV: 'production',
      SECRETS_KEY: 'ab'.repeat(32),
      PUBLIC_URL: 'https://certification.example.gov',
      LOG_LEVEL: 'silent',
      DATABASE_URL: url,
      DEMO_DATA: 'false',
    });
    const mailer = createMailer(config, db, pino({ level: 'silent' }));
    try {
      await body({ url, db, config, mailer });
    } finally {
      mailer.close();
      await db.destroy();
    }
  } finally {
    await server.stop();
    if (!opts.keepDir) await rm(dir, { recursive: true, force: true });
  }
}

/** A signed-in session for the user, written directly (sign-in itself is not what benches time). */
export async function signedIn(db: Db, userId: string): Promise<{ cookie: string }> {
  const token = newToken();
  await db
    .insertInto('auth_session')
    .values({
      id: hashToken(token),
      user_id: userId,
      csrf_token: newToken(),
      expires_at: new Date(Date.now() + 86_400_000).toISOString(),
      ip: '127.0.0.1',
      user_agent: 'bench',
    })
    .execute();
  return { cookie: `${SESSION_COOKIE}=${token}` };
}
