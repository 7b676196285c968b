/**
 * Test helpers: a fresh database per test file (cloned from the migrated
 * template), the real app on it, real SMTP, and factories that create what
 * a test needs (buildPerson creates a county-less official unless told).
 */
import { randomBytes } from 'node:crypto';
import pino from 'pino';
import { inject } from 'vitest';
import type { Role } from '../../domain/authz/index.js';
import { buildApp, type AppInstance } from '../app.js';
import { loadConfig, type Config } from '../config.js';
import type { Deps } from '../context.js';
import { createDatabase, type Database } from '../db/database.js';
import { createMailer } from '../modules/mail/mailer.js';
import { impactRunsSettled } from '../modules/certification/impact.service.js';
import { reportRunsSettled } from '../modules/reports/reports.prepared.js';
import { hashPassword } from '../modules/auth/auth.service.js';
import { TEMPLATE_DB } from './global-setup.js';
import { startTestSmtp, type TestSmtp } from './smtp.js';
import pg from 'pg';

export const TEST_PASSWORD = 'correct horse battery staple';
let hashed: Promise<string> | null = null;

export async function createTestDatabase(): Promise<{
  db: Database;
  url: string;
  drop: () => Promise<void>;
}> {
  const adminUrl = inject('pgAdminUrl');
  const name = `t_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database ${name} template ${TEMPLATE_DB}`);
  await admin.end();
  const url = adminUrl.replace(/\/postgres$/, `/${name}`);
  const db = createDatabase(url, { poolMax: 20, statementTimeoutMs: 30_000 });
  return {
    db,
    url,
    drop: async () => {
      await db.destroy();
      const c = new pg.Client({ connectionString: adminUrl });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
}

export interface TestApp {
  app: AppInstance;
  db: Database;
  dbUrl: string;
  deps: Deps;
  config: Config;
  smtp: TestSmtp | null;
  clock: { now: Date };
  close: () => Promise<void>;
}

export async function createTestApp(
  opts: { smtp?: boolean; env?: Record<string, string>; listen?: boolean; webRoot?: string } = {},
): Promise<TestApp> {
  const { db, url, drop } = await createTestDatabase();
  const smtp = opts.smtp ? await startTestSmtp() : null;
  const config = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    DATABASE_URL: url,
    DEMO_DATA: 'false',
    PUBLIC_URL: 'http://localhost:3000',
    SECRETS_KEY: randomBytes(32).toString('hex'),
    ...(smtp ? { SMTP_HOST: '127.0.0.1', SMTP_PORT: String(smtp.port) } : {}),
    ...opts.env,
  });
  const clock = { now: new Date() };
  const mailer = createMailer(config, db, pino({ level: 'silent' }));
  const deps: Deps = { config, db, mailer, now: () => new Date(clock.now.getTime()) };
  const app = await buildApp(deps, { logger: false, webRoot: opts.webRoot ?? '/nonexistent' });
  await app.ready();
  return {
    app,
    db,
    dbUrl: url,
    deps,
    config,
    smtp,
    clock,
    close: async () => {
      await app.close();
      // A draft's impact check still going in the background ends before the database goes.
      await impactRunsSettled();
      await reportRunsSettled();
      mailer.close();
      await smtp?.close();
      await drop();
    },
  };
}

let seq = 0;
export interface PersonOverrides {
  firstName?: string;
  lastName?: string;
  email?: string;
  title?: string | null;
  jurisdictionFips?: string | null;
  roles?: Role[];
  password?: string | null;
}

/** Inserts a person with an account; by default an official with the test password. */
export async function buildPerson(
  db: Database,
  o: PersonOverrides = {},
): Promise<{ personId: string; userId: string; email: string }> {
  seq++;
  const email = o.email ?? `person${seq}.${randomBytes(3).toString('hex')}@example.gov`;
  const person = await db
    .insertInto('person')
    .values({
      first_name: o.firstName ?? 'Test',
      last_name: o.lastName ?? `Person${seq}`,
      email,
      title: o.title === undefined ? 'County Clerk' : o.title,
      jurisdiction_fips: o.jurisdictionFips === undefined ? '20045' : o.jurisdictionFips,
      external_id: null,
      preferred_name: null,
      phone: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const password = o.password === undefined ? TEST_PASSWORD : o.password;
  const user = await db
    .insertInto('user_account')
    .values({
      person_id: person.id,
      roles: o.roles ?? ['official'],
      password_hash:
        password === TEST_PASSWORD
          ? await (hashed ??= hashPassword(TEST_PASSWORD))
          : password
            ? await hashPassword(password)
            : null,
      password_changed_at: null,
      last_sign_in_at: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { personId: person.id, userId: user.id, email };
}

export interface Client {
  cookie: string;
  csrf: string;
  personId: string;
  request: (
    method: string,
    url: string,
    body?: unknown,
    headers?: Record<string, string>,
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read arbitrary JSON
  ) => Promise<{ status: number; json: any; headers: Record<string, unknown>; body: string }>;
}

/** Signs in through the API and returns a client that sends the cookie and CSRF token. */
export async function signInAs(
  t: TestApp,
  who: { email: string; personId?: string },
  password = TEST_PASSWORD,
): Promise<Client> {
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/session',
    payload: { email: who.email, password },
  });
  if (res.statusCode !== 200) throw new Error(`sign-in failed: ${res.statusCode} ${res.body}`);
  const cookie = String(res.headers['set-cookie']).split(';')[0] ?? '';
  const body = res.json() as { csrfToken: string; user: { personId: string } };
  const client: Client = {
    cookie,
    csrf: body.csrfToken,
    personId: body.user.personId,
    async request(method, url, payload, headers = {}) {
      const r = await t.app.inject({
        method: method as 'GET',
        url,
        headers: { cookie, 'x-csrf-token': body.csrfToken, ...headers },
        ...(payload === undefined
          ? {}
          : typeof payload === 'string'
            ? {
                payload,
                headers: {
                  cookie,
                  'x-csrf-token': body.csrfToken,
                  'content-type': 'application/json',
                  ...headers,
                },
              }
            : { payload: payload as object }),
      });
      let json: unknown = null;
      try {
        json = r.json();
      } catch {
        json = null;
      }
      return { status: r.statusCode, json, headers: r.headers, body: r.body };
    },
  };
  return client;
}

/** A signed-in client for a new person holding exactly these roles. */
export async function clientWithRoles(t: TestApp, roles: Role[], o: PersonOverrides = {}): Promise<Client> {
  const p = await buildPerson(t.db, { ...o, roles });
  return signInAs(t, p);
}
