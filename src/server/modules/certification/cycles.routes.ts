import type { FastifyInstance } from 'fastify';
import { idParams, problemSchema } from '../../../contract/common.js';
import { reopenCycleBody, reopenCycleResult } from '../../../contract/credits.js';
import { defineRoute } from '../../http/route.js';
import { reopenCycle } from './reopen.js';

/** Closed renewal cycles: staff reopen one with a reason (issue 13). */
export function cycleRoutes(app: FastifyInstance): void {
  defineRoute(app, {
    method: 'POST',
    url: '/api/renewal-cycles/:id/reopen',
    action: 'cycles.reopen',
    schema: {
      operationId: 'reopenRenewalCycle',
      description:
        "Reopens a closed renewal cycle with a reason: it is recomputed from the credit ledger and closed again (audited). Returns the cycle's id and new status.",
      tags: ['Awards'],
      summary: 'Reopen a renewal cycle',
      params: idParams,
      body: reopenCycleBody,
      response: {
        200: reopenCycleResult,
        400: problemSchema,
        403: problemSchema,
        404: problemSchema,
        409: problemSchema,
      },
    },
    handler: async (req) => reopenCycle(req.ctx, req.params.id, req.body.reason),
  });
}
