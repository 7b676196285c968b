import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Database } from '../../db/database.js';
import { ping } from '../../db/database.js';
import { isMigrated } from '../../db/migrate.js';
import { defineRoute } from '../../http/route.js';
import { sendProblem, problemFor } from '../../http/problems.js';

export function systemRoutes(app: FastifyInstance, db: Database): void {
  let migrated = false;
  defineRoute(app, {
    method: 'GET',
    url: '/healthz',
    action: 'system.health',
    schema: {
      tags: ['System'],
      summary: 'Liveness: the process is up',
      response: { 200: z.object({ status: z.literal('ok') }) },
    },
    handler: async () => ({ status: 'ok' as const }),
  });
  defineRoute(app, {
    method: 'GET',
    url: '/readyz',
    action: 'system.health',
    schema: {
      tags: ['System'],
      summary: 'Readiness: the database is reachable and migrated',
      response: { 200: z.object({ status: z.literal('ready') }) },
    },
    handler: async (_req, reply) => {
      try {
        await ping(db);
        migrated ||= await isMigrated(db);
      } catch {
        migrated = false;
      }
      if (!migrated) {
        return sendProblem(reply, {
          ...problemFor('conflict', 'The database is not reachable or not migrated yet.'),
          status: 503,
          title: 'Not ready',
        });
      }
      return { status: 'ready' as const };
    },
  });
}
