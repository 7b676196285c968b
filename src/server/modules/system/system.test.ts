/**
 * Operations endpoints: /metrics behind its token, and what callers and
 * supervisors see while the database cannot be reached (503 + Retry-After,
 * never 500; /healthz fails after HEALTH_DB_GRACE_SECONDS).
 */
import pino from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../app.js';
import { loadConfig } from '../../config.js';
import { createDatabase } from '../../db/database.js';
import { freePort } from '../../db/embedded.js';
import { createMailer } from '../mail/mailer.js';
import { buildPerson, clientWithRoles, createTestApp, type TestApp } from '../../testing/harness.js';

const TOKEN = 'metrics-token-0123456789abcdef';
const opened: TestApp[] = [];
const closers: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const t of opened) await t.close();
  for (const c of closers) await c();
});

describe('GET /metrics', () => {
  it('answers only with the bearer token; series are labelled by route pattern and include the pool', async () => {
    const t = await createTestApp({ env: { METRICS_TOKEN: TOKEN } });
    opened.push(t);
    const admin = await clientWithRoles(t, ['administrator']);
    const someone = await buildPerson(t.db);
    expect((await admin.request('GET', `/api/people/${someone.personId}`)).status).toBe(200);
    await t.app.inject({ method: 'GET', url: '/healthz' });

    const none = await t.app.inject({ method: 'GET', url: '/metrics' });
    expect(none.statusCode).toBe(401);
    expect(none.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(none.body).not.toMatch(/civiccert_http/);
    const wrong = await t.app.inject({
      method: 'GET',
      url: '/metrics',
      headers: { authorization: `Bearer ${TOKEN.slice(0, -1)}x` },
    });
    expect(wrong.statusCode).toBe(401);

    const ok = await t.app.inject({
      method: 'GET',
      url: '/metrics',
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    expect(ok.statusCode).toBe(200);
    expect(ok.headers['content-type']).toMatch(/^text\/plain/);
    const text = ok.body;
    expect(text).toMatch(
      /civiccert_http_requests_total\{method="GET",route="\/api\/people\/:id",status="200"\} 1/,
    );
    expect(text).not.toContain(someone.personId); // the raw URL never becomes a label
    expect(text).toMatch(/civiccert_http_request_duration_seconds_bucket\{[^}]*route="\/healthz"/);
    expect(text).toMatch(/civiccert_db_pool_connections\{state="total"\} \d+/);
    expect(text).toMatch(/civiccert_db_pool_connections\{state="waiting"\} 0/);
    expect(text).toMatch(/civiccert_email_messages\{status="failed"\} 0/);
    expect(text).toMatch(/# TYPE civiccert_job_queue_jobs gauge/);
    expect(text).toMatch(/process_cpu_user_seconds_total/);
  });

  it('does not exist (404) when METRICS_TOKEN is not set', async () => {
    const t = await createTestApp();
    opened.push(t);
    const res = await t.app.inject({
      method: 'GET',
      url: '/metrics',
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    expect(res.statusCode).toBe(404);
  });
});

describe('with the database unreachable', () => {
  async function appWithoutDatabase(env: Record<string, string>) {
    // A real connection to a port where nothing listens: ECONNREFUSED, as when PostgreSQL is down.
    const url = `postgres://postgres:x@127.0.0.1:${await freePort()}/civiccert`;
    const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', DATABASE_URL: url, ...env });
    const db = createDatabase(url, config.db);
    const mailer = createMailer(config, db, pino({ level: 'silent' }));
    const app = await buildApp(
      { config, db, mailer, now: () => new Date() },
      { logger: false, webRoot: '/none' },
    );
    closers.push(async () => {
      await app.close();
      mailer.close();
      await db.destroy();
    });
    return app;
  }

  it('API calls answer 503 problem+json with Retry-After; /readyz is 503; /healthz only after the grace period', async () => {
    const app = await appWithoutDatabase({ HEALTH_DB_GRACE_SECONDS: '0' });
    const signIn = await app.inject({
      method: 'POST',
      url: '/api/session',
      payload: { email: 'someone@example.gov', password: 'whatever-password' },
    });
    expect(signIn.statusCode).toBe(503);
    expect(signIn.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(Number(signIn.headers['retry-after'])).toBeGreaterThan(0);
    expect(signIn.json()).toMatchObject({ status: 503, type: 'https://civiccert.dev/problems/unavailable' });

    const ready = await app.inject({ method: 'GET', url: '/readyz' });
    expect(ready.statusCode).toBe(503);
    expect(Number(ready.headers['retry-after'])).toBeGreaterThan(0);
    expect((await app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(503);

    const patient = await appWithoutDatabase({ HEALTH_DB_GRACE_SECONDS: '600' });
    expect((await patient.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
    expect((await patient.inject({ method: 'GET', url: '/readyz' })).statusCode).toBe(503);
  });
});
