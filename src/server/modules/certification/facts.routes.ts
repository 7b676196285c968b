import type { FastifyInstance } from 'fastify';
import { idParams, problemSchema } from '../../../contract/common.js';
import {
  personFactList,
  personFactSchema,
  recordFactBody,
  withdrawFactBody,
  withdrawnFactSchema,
} from '../../../contract/facts.js';
import { defineRoute } from '../../http/route.js';
import { listFacts, recordFact, withdrawFact } from './facts.js';

/** Person facts (issue 13): what a program measures an official by besides credits. */
export function factRoutes(app: FastifyInstance): void {
  const tags = ['Credits'];
  const errors = { 400: problemSchema, 403: problemSchema, 404: problemSchema, 409: problemSchema };
  defineRoute(app, {
    method: 'GET',
    url: '/api/people/:id/facts',
    action: 'facts.read',
    schema: {
      operationId: 'listPersonFacts',
      description:
        "The person's facts (taking office, exams, waivers, extensions, attestations), withdrawn ones too, and which facts can be recorded in each of their programs.",
      tags,
      summary: "A person's facts",
      params: idParams,
      response: { 200: personFactList, 404: problemSchema },
    },
    handler: async (req) => listFacts(req.ctx, req.params.id),
  });
  defineRoute(app, {
    method: 'POST',
    url: '/api/people/:id/facts',
    action: 'facts.record',
    schema: {
      operationId: 'recordPersonFact',
      description:
        'Records a fact with a reason (audited) and re-evaluates the person at once; a new date or extension replaces the current one. Returns the fact (201).',
      tags,
      summary: 'Record a fact',
      params: idParams,
      body: recordFactBody,
      response: { 201: personFactSchema, ...errors },
    },
    handler: async (req, reply) => {
      const fact = await recordFact(req.ctx, req.params.id, req.body);
      reply.status(201);
      return fact;
    },
  });
  defineRoute(app, {
    method: 'POST',
    url: '/api/person-facts/:id/withdraw',
    action: 'facts.withdraw',
    schema: {
      operationId: 'withdrawPersonFact',
      description:
        'Withdraws a fact with a reason (audited): it stays as history and the person is re-evaluated at once. Returns the withdrawn fact.',
      tags,
      summary: 'Withdraw a fact',
      params: idParams,
      body: withdrawFactBody,
      response: { 200: withdrawnFactSchema, ...errors },
    },
    handler: async (req) => withdrawFact(req.ctx, req.params.id, req.body.reason),
  });
}
