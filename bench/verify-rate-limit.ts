/**
 * The shared PostgreSQL rate limiter (src/server/http/rate-limit.ts) under
 * load: two app instances on one embedded PostgreSQL, as behind a load
 * balancer, answering public transcript verifications and certificate lookups.
 *
 *   npx tsx bench/verify-rate-limit.ts [--n 4000] [--ips 100] [--concurrency 20] [--burst 300]
 *
 * 1. Throughput: N verifications of real transcripts (`codes` transcripts
 *    issued up front for one official, so each answers 200 with what the
 *    transcript states) from `ips` addresses, alternating instances,
 *    `concurrency` at a time;
 *    prints requests per second and p50/p95/p99 latency. Each address stays
 *    under its limit, so every request pays the full limiter path (lock,
 *    count, insert, prune).
 *    In the same run, the baseline: the verification service alone (no HTTP,
 *    no limiter), the same N calls at the same concurrency.
 * 2. Certificates: the same N lookups of real certificate numbers
 *    (`/api/verify/:number`, `codes` certificates written up front for the
 *    same official, as the award service numbers them) from twice as many
 *    addresses (that limit is 30 a minute), each answering 200 with the
 *    certificate and its status from the rules engine; in the same run the
 *    service alone (its limiter included, no HTTP) makes the same N lookups.
 * 3. Exactness: `burst` simultaneous requests from one address split over
 *    both instances; the limit is 60 a minute, so exactly 60 must pass.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import pino from 'pino';
import { buildApp } from '../src/server/app.js';
import { loadConfig } from '../src/server/config.js';
import type { Deps } from '../src/server/context.js';
import { createDatabase, ensureDatabaseExists } from '../src/server/db/database.js';
import { startEmbeddedPostgres } from '../src/server/db/embedded.js';
import { createMailer } from '../src/server/modules/mail/mailer.js';
import { runCertificationSweep } from '../src/server/modules/certification/evaluation.js';
import { prepareDatabase } from '../src/server/runtime.js';
import { createPerson } from '../src/server/modules/people/people.service.js';
import { issueTranscript, verifyTranscript } from '../src/server/modules/transcripts/transcripts.service.js';
import { systemCtx } from '../src/server/context.js';
import { verify as verifyCertificate } from '../src/server/modules/awards/verification.service.js';
import { definitionFor } from '../src/server/modules/programs/programs.service.js';

const args = process.argv.slice(2);
const arg = (name: string, fallback: number) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const N = arg('n', 4000);
const IPS = arg('ips', 100);
const CONCURRENCY = arg('concurrency', 20);
const BURST = arg('burst', 300);
const CODES = arg('codes', 20);

const dir = await mkdtemp(path.join(os.tmpdir(), 'civiccert-ratelimit-'));
const server = await startEmbeddedPostgres(dir);
try {
  const url = server.url('ratelimit');
  await ensureDatabaseExists(url);
  const db = createDatabase(url, { poolMax: 20, statementTimeoutMs: 0 });
  await prepareDatabase(db, pino({ level: 'warn' }));
  const config = loadConfig({
    NODE_ENV: 'production',
    SECRETS_KEY: 'ab'.repeat(32),
    LOG_LEVEL: 'silent',
    DATABASE_URL: url,
    DEMO_DATA: 'false',
    PUBLIC_URL: 'http://localhost:3000',
  });
  const deps: Deps = {
    config,
    db,
    mailer: createMailer(config, db, pino({ level: 'silent' })),
    now: () => new Date(),
  };
  const apps = [
    await buildApp(deps, { logger: false, webRoot: '/nonexistent' }),
    await buildApp(deps, { logger: false, webRoot: '/nonexistent' }),
  ];
  for (const a of apps) await a.ready();
  // Real transcripts to verify (the PDF is rendered once per code, before timing).
  const ctx = systemCtx(deps, 'bench');
  const official = await createPerson(ctx, {
    firstName: 'Avery',
    lastName: 'Lindqvist',
    preferredName: null,
    email: 'avery.lindqvist@example.org',
    phone: null,
    title: 'County Clerk',
    jurisdictionFips: null,
    roles: ['official'],
    sendInvite: false,
  });
  const codes: string[] = [];
  for (let i = 0; i < CODES; i++) codes.push((await issueTranscript(ctx, official.id)).code);
  const verify = (i: number, ip: string) =>
    apps[i % 2]!.inject({
      method: 'GET',
      url: `/api/verify/transcript/${codes[i % codes.length]!}`,
      remoteAddress: ip,
    });

  // Warm-up.
  for (let i = 0; i < 50; i++) await verify(i, '198.51.100.250');

  const latencies: number[] = [];
  const statuses = new Map<number, number>();
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < N) {
        const i = next++;
        const t0 = performance.now();
        const res = await verify(i, `10.1.${Math.floor((i % IPS) / 250)}.${(i % IPS) % 250}`);
        latencies.push(performance.now() - t0);
        statuses.set(res.statusCode, (statuses.get(res.statusCode) ?? 0) + 1);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))]!;
  console.log(
    `throughput: ${N} verifications from ${IPS} addresses over 2 instances, ${CONCURRENCY} at a time: ` +
      `${(N / seconds).toFixed(0)} requests/s (${seconds.toFixed(2)} s); latency p50 ${pct(0.5).toFixed(1)} ms, ` +
      `p95 ${pct(0.95).toFixed(1)} ms, p99 ${pct(0.99).toFixed(1)} ms; statuses ${JSON.stringify(Object.fromEntries(statuses))}`,
  );

  let done = 0;
  const baseStart = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (done < N) {
        await verifyTranscript(ctx, codes[done++ % codes.length]!);
      }
    }),
  );
  const baseSeconds = (performance.now() - baseStart) / 1000;
  console.log(
    `baseline: the verification service alone, same ${N} calls: ${(N / baseSeconds).toFixed(0)} calls/s ` +
      `(${baseSeconds.toFixed(2)} s); with HTTP and the limiter ${(seconds / baseSeconds).toFixed(1)}× the time`,
  );

  // Certificates: real numbers, as insertAward numbers them, for the same official.
  const program = await db
    .selectFrom('program')
    .select(['id', 'code'])
    .where('code', '=', 'ks-county-election-official')
    .executeTakeFirstOrThrow();
  const def = (await definitionFor(db, program.id))!;
  const today = new Date().toISOString().slice(0, 10);
  const certificates: string[] = [];
  for (let i = 0; i < CODES; i++) {
    const n = (await sql<{ n: string }>`select nextval('award_certificate_seq') as n`.execute(db)).rows[0]!;
    const number = `KS-${today.slice(0, 4)}-${String(n.n).padStart(6, '0')}`;
    await db
      .insertInto('award')
      .values({
        program_id: program.id,
        person_id: official.id,
        awarded_on: today,
        number,
        certificate_number: number,
        revoked_on: null,
        revoked_reason: null,
        program_version: def.version,
        designation: def.designation,
        event_id: null,
        name_on_certificate: 'Avery Lindqvist',
        issued_on: today,
        expires_on: null,
        supersedes_id: null,
        reason: null,
        issued_by: null,
      })
      .execute();
    certificates.push(number);
  }
  // As the award service does after every award: the holder's cached status is brought current,
  // which is what a lookup reads (ADR 0036).
  await runCertificationSweep(deps, { everyone: true });
  const certificateIps = IPS * 2;
  const certificateIp = (i: number) =>
    `10.2.${Math.floor((i % certificateIps) / 250)}.${(i % certificateIps) % 250}`;
  const certLatencies: number[] = [];
  const certStatuses = new Map<number, number>();
  let nextCert = 0;
  const certStarted = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (nextCert < N) {
        const i = nextCert++;
        const t0 = performance.now();
        const res = await apps[i % 2]!.inject({
          method: 'GET',
          url: `/api/verify/${certificates[i % certificates.length]!}`,
          remoteAddress: certificateIp(i),
        });
        certLatencies.push(performance.now() - t0);
        certStatuses.set(res.statusCode, (certStatuses.get(res.statusCode) ?? 0) + 1);
      }
    }),
  );
  const certSeconds = (performance.now() - certStarted) / 1000;
  certLatencies.sort((a, b) => a - b);
  const certPct = (p: number) =>
    certLatencies[Math.min(certLatencies.length - 1, Math.floor(certLatencies.length * p))]!;
  console.log(
    `certificates: ${N} lookups of ${certificates.length} real certificate numbers from ${certificateIps} addresses over 2 instances, ${CONCURRENCY} at a time: ` +
      `${(N / certSeconds).toFixed(0)} requests/s (${certSeconds.toFixed(2)} s); latency p50 ${certPct(0.5).toFixed(1)} ms, ` +
      `p95 ${certPct(0.95).toFixed(1)} ms, p99 ${certPct(0.99).toFixed(1)} ms; statuses ${JSON.stringify(Object.fromEntries(certStatuses))}`,
  );
  // The same lookups through the service alone (it applies the limiter itself), from other addresses.
  let certDone = 0;
  let certFound = 0;
  const certBaseStart = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (certDone < N) {
        const i = certDone++;
        const items = await verifyCertificate(
          { ...ctx, ip: certificateIp(i).replace(/^10\.2\./, '10.3.') },
          { certificateNumber: certificates[i % certificates.length]! },
        );
        certFound += items.length;
      }
    }),
  );
  const certBaseSeconds = (performance.now() - certBaseStart) / 1000;
  console.log(
    `baseline: the certificate service alone (with its limiter), same ${N} lookups: ${(N / certBaseSeconds).toFixed(0)} calls/s ` +
      `(${certBaseSeconds.toFixed(2)} s, ${certFound} certificates found); with HTTP ${(certSeconds / certBaseSeconds).toFixed(1)}× the time`,
  );

  const burst = await Promise.all(
    Array.from({ length: BURST }, (_, i) => verify(i, '203.0.113.77').then((r) => r.statusCode)),
  );
  const passed = burst.filter((s) => s !== 429).length;
  console.log(
    `exactness: ${BURST} simultaneous requests from one address over 2 instances: ${passed} passed, ` +
      `${burst.length - passed} refused with 429 (limit 60 a minute)`,
  );
  for (const a of apps) await a.close();
  deps.mailer.close();
  await db.destroy();
} finally {
  await server.stop();
  await rm(dir, { recursive: true, force: true });
}
