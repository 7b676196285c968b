/**
 * What an API token costs per request (issue 17): the same report read
 * (`GET /api/reports/session-fill`) by an administrator's session cookie and by a `reports:read`
 * API token, alternating (cookie, token, cookie, token), `--connections` requests in flight for
 * `--seconds` each, on one embedded PostgreSQL. The token side also writes its use (the token's
 * last use and an audit row, in one transaction) on every request; the ratio of the two in the same
 * run is what that costs.
 *
 *   npx tsx bench/api-token.ts [--connections 16] [--seconds 8]
 */
import { buildApp } from '../src/server/app.js';
import type { Deps } from '../src/server/context.js';
import { hashToken, newToken } from '../src/server/modules/auth/tokens.js';
import { fmt, numberArg, signedIn, withBenchApp } from './app-database.js';

const CONNECTIONS = numberArg('connections', '16');
const SECONDS = numberArg('seconds', '8');

async function load(url: string, headers: Record<string, string>) {
  let done = 0;
  let errors = 0;
  const until = performance.now() + SECONDS * 1000;
  await Promise.all(
    Array.from({ length: CONNECTIONS }, async () => {
      while (performance.now() < until) {
        const res = await fetch(url, { headers });
        await res.arrayBuffer();
        if (res.status === 200) done++;
        else errors++;
      }
    }),
  );
  return { rps: done / SECONDS, errors };
}

await withBenchApp(
  'apitoken',
  async ({ db, config, mailer }) => {
    const program = await db
      .selectFrom('program')
      .select('id')
      .where('code', '=', 'ks-county-election-official')
      .executeTakeFirstOrThrow();
    const person = await db
      .insertInto('person')
      .values({
        first_name: 'Bench',
        last_name: 'Admin',
        email: 'bench.admin@example.gov',
        external_id: null,
        preferred_name: null,
        phone: null,
        title: null,
        jurisdiction_fips: null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const user = await db
      .insertInto('user_account')
      .values({
        person_id: person.id,
        roles: ['administrator'],
        password_hash: null,
        password_changed_at: null,
        last_sign_in_at: null,
        totp_secret: 'bench-not-checked',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const { cookie } = await signedIn(db, user.id);
    const secret = `cct_${newToken()}`;
    await db
      .insertInto('api_token')
      .values({
        name: 'Bench',
        token_hash: hashToken(secret),
        hint: secret.slice(0, 8),
        scopes: ['reports:read'],
        provider_id: null,
        expires_at: new Date(Date.now() + 86_400_000).toISOString(),
        created_by: null,
        revoked_at: null,
        revoked_by: null,
        last_used_at: null,
        last_used_ip: null,
      })
      .execute();
    const deps: Deps = { config, db, mailer, now: () => new Date() };
    const app = await buildApp(deps, { logger: false, webRoot: '/nonexistent' });
    const url = `${await app.listen({ port: 0, host: '127.0.0.1' })}/api/reports/session-fill?programId=${program.id}`;
    const sides = { cookie: { cookie }, token: { authorization: `Bearer ${secret}` } };
    for (const [name, headers] of Object.entries(sides)) {
      const res = await fetch(url, { headers });
      if (res.status !== 200) throw new Error(`${name}: ${res.status} ${await res.text()}`);
    }
    const rounds: Record<string, number[]> = { cookie: [], token: [] };
    for (let i = 0; i < 2; i++)
      for (const [name, headers] of Object.entries(sides)) {
        const r = await load(url, headers);
        if (r.errors) throw new Error(`${name}: ${r.errors} errors`);
        rounds[name]!.push(r.rps);
        console.log(`${name} round ${i + 1}: ${fmt(r.rps)} requests/s`);
      }
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    const uses = await db
      .selectFrom('audit_log')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('action', '=', 'api-token.use')
      .executeTakeFirstOrThrow();
    console.log(
      `token / cookie throughput: ${(mean(rounds.token!) / mean(rounds.cookie!)).toFixed(2)}× (${fmt(Number(uses.n))} audited token uses)`,
    );
    await app.close();
  },
  { poolMax: 10 },
);
