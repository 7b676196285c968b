import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { Registry } from 'prom-client';
import { z } from 'zod';
import { problemSchema } from '../../../contract/common.js';
import type { Database } from '../../db/database.js';
import { ping } from '../../db/database.js';
import { isMigrated } from '../../db/migrate.js';
import { defineRoute } from '../../http/route.js';
import { problemFor, sendProblem, unavailableProblem, UNAVAILABLE_RETRY_AFTER } from '../../http/problems.js';

export interface SystemOptions {
  /** /healthz fails once the database has been unreachable for longer than this. */
  healthDbGraceSeconds: number;
  /** GET /metrics needs `Authorization: Bearer <token>`; without a token there is no /metrics. */
  metricsToken: string | null;
  registry: Registry | null;
}

function sameToken(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

export function systemRoutes(app: FastifyInstance, db: Database, opts: SystemOptions): void {
  let migrated = false;
  // When the database last answered (start-up counts): /healthz turns 503 after the grace period,
  // so a supervisor restarts an app whose pool cannot reconnect; a short outage only fails /readyz.
  let lastDbOk = Date.now();
  defineRoute(app, {
    method: 'GET',
    url: '/healthz',
    action: 'system.health',
    schema: {
      operationId: 'getHealth',
      description:
        'Answers 200 while the process is up and the database answered within HEALTH_DB_GRACE_SECONDS; 503 (problem) once it has been unreachable for longer. For load balancers and orchestrators.',
      tags: ['System'],
      summary: 'Liveness check',
      response: { 200: z.object({ status: z.literal('ok') }), 503: problemSchema },
    },
    handler: async (_req, reply) => {
      try {
        await ping(db);
        lastDbOk = Date.now();
      } catch {
        const downFor = (Date.now() - lastDbOk) / 1000;
        if (downFor > opts.healthDbGraceSeconds) {
          return sendProblem(
            reply,
            unavailableProblem(
              `The database has not answered for ${Math.round(downFor)} s (more than HEALTH_DB_GRACE_SECONDS=${opts.healthDbGraceSeconds}).`,
            ),
            UNAVAILABLE_RETRY_AFTER,
          );
        }
      }
      return { status: 'ok' as const };
    },
  });
  defineRoute(app, {
    method: 'GET',
    url: '/readyz',
    action: 'system.health',
    schema: {
      operationId: 'getReadiness',
      description:
        'Answers 200 when the database is reachable and migrated, 503 (problem) otherwise. For load balancers: send traffic only when ready.',
      tags: ['System'],
      summary: 'Readiness check',
      response: { 200: z.object({ status: z.literal('ready') }), 503: problemSchema },
    },
    handler: async (_req, reply) => {
      try {
        await ping(db);
        lastDbOk = Date.now();
        migrated ||= await isMigrated(db);
      } catch {
        migrated = false;
      }
      if (!migrated) {
        return sendProblem(
          reply,
          unavailableProblem('The database is not reachable or not migrated yet.', 'Not ready'),
          UNAVAILABLE_RETRY_AFTER,
        );
      }
      return { status: 'ready' as const };
    },
  });

  const { registry, metricsToken } = opts;
  if (!registry || !metricsToken) return; // no token configured: /metrics does not exist (404)
  app.get('/metrics', { config: { action: 'system.health' }, schema: { hide: true } }, async (req, reply) => {
    const auth = req.headers.authorization ?? '';
    const given = /^Bearer (\S+)$/i.exec(auth)?.[1];
    if (!given || !sameToken(given, metricsToken)) {
      reply.header('www-authenticate', 'Bearer realm="metrics"');
      return sendProblem(reply, {
        ...problemFor(
          'unauthenticated',
          'Send the metrics token as "Authorization: Bearer <METRICS_TOKEN>".',
        ),
        instance: '/metrics',
      });
    }
    const text = await registry.metrics();
    return reply.header('cache-control', 'no-store').type(registry.contentType).send(text);
  });
}
