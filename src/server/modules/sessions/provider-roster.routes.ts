import type { FastifyInstance } from 'fastify';
import { providerRosterBody, providerRosterResult } from '../../../contract/api-tokens.js';
import { idParams, problemSchema } from '../../../contract/common.js';
import { defineRoute } from '../../http/route.js';
import { recordProviderRoster } from './provider-roster.service.js';

/** A training provider posts a session's completion roster with its API token (issue 17). */
export function providerRosterRoutes(app: FastifyInstance): void {
  defineRoute(app, {
    method: 'POST',
    url: '/api/sessions/:id/roster',
    action: 'provider-rosters.submit',
    schema: {
      operationId: 'postProviderRoster',
      tags: ['Sessions'],
      summary: 'Post a completion roster',
      description:
        'The minutes each person attended, by `email` or `externalId`, recorded as on the attendance page (credits, status). Whole or nothing: any bad row answers 400 naming each row and field (`rows.<index>.<field>`) and nothing is recorded. A row that repeats what is recorded changes nothing; changed minutes replace the earlier ones (the credit is reversed and recorded again). A token limited to a provider posts only for its courses’ sessions (403).',
      params: idParams,
      body: providerRosterBody,
      response: { 200: providerRosterResult, 404: problemSchema, 409: problemSchema },
    },
    handler: async (req) => recordProviderRoster(req.ctx, req.params.id, req.body),
  });
}
