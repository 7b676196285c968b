/**
 * Prometheus metrics for GET /metrics. One registry per app (tests build many).
 * HTTP series are labelled by the route pattern (/api/people/:id), never the raw
 * URL, so their number stays bounded. Database-backed gauges (job queue depth,
 * e-mail failures) are read at scrape time and left out while the database is down.
 */
import { sql } from 'kysely';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { poolStats, type Database } from './db/database.js';

export interface Metrics {
  registry: Registry;
  observeRequest: (method: string, route: string, status: number, seconds: number) => void;
}

export function createMetrics(db: Database): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });

  const requests = new Counter({
    name: 'civiccert_http_requests_total',
    help: 'HTTP requests answered, by method, route pattern and status code',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'civiccert_http_request_duration_seconds',
    help: 'Time to answer an HTTP request, by method and route pattern',
    labelNames: ['method', 'route'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });

  new Gauge({
    name: 'civiccert_db_pool_connections',
    help: 'Database pool connections: total (open), idle, and waiting (requests queued for one)',
    labelNames: ['state'] as const,
    registers: [registry],
    collect() {
      const s = poolStats(db);
      if (!s) return;
      this.set({ state: 'total' }, s.total);
      this.set({ state: 'idle' }, s.idle);
      this.set({ state: 'waiting' }, s.waiting);
    },
  });

  new Gauge({
    name: 'civiccert_job_queue_jobs',
    help: 'Background jobs not finished yet, by queue and state (created, retry, active)',
    labelNames: ['queue', 'state'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      const rows = await sql<{ name: string; state: string; n: number }>`
        select name, state::text as state, count(*)::int as n from pgboss.job
        where state in ('created', 'retry', 'active') group by 1, 2`
        .execute(db)
        .then((r) => r.rows)
        .catch(() => []);
      for (const r of rows) this.set({ queue: r.name, state: r.state }, r.n);
    },
  });

  new Gauge({
    name: 'civiccert_email_messages',
    help: 'E-mail messages waiting to be sent (queued), being retried after a failed attempt (retrying) or given up on after repeated failures (failed)',
    labelNames: ['status'] as const,
    registers: [registry],
    async collect() {
      const row = await sql<{ queued: number; retrying: number; failed: number }>`
        select count(*) filter (where status = 'queued')::int as queued,
               count(*) filter (where status = 'queued' and attempts > 0)::int as retrying,
               count(*) filter (where status = 'failed')::int as failed
        from email_message where status in ('queued', 'failed')`
        .execute(db)
        .then((r) => r.rows[0])
        .catch(() => undefined);
      if (!row) return;
      for (const status of ['queued', 'retrying', 'failed'] as const) this.set({ status }, row[status]);
    },
  });

  return {
    registry,
    observeRequest: (method, route, status, seconds) => {
      requests.inc({ method, route, status: String(status) });
      duration.observe({ method, route }, seconds);
    },
  };
}
