import type { FastifyInstance } from 'fastify';
import { idParams, problemSchema } from '../../../contract/common.js';
import {
  creditList,
  creditRecordSchema,
  progressQuery,
  progressSchema,
  reverseCreditBody,
} from '../../../contract/credits.js';
import { DomainError } from '../../../domain/errors.js';
import type { Ctx } from '../../context.js';
import { defineRoute } from '../../http/route.js';
import { progressFor } from '../certification/progress.js';
import { readPerson } from '../people/people.service.js';
import { listCredits, reverseCredit } from './credits.service.js';

const me = (ctx: Ctx) => {
  if (!ctx.actor) throw new DomainError('unauthenticated', 'Sign in to continue.');
  return ctx.actor.personId;
};

export function creditRoutes(app: FastifyInstance): void {
  const tags = ['Credits'];
  const errors = { 400: problemSchema, 404: problemSchema, 409: problemSchema };

  defineRoute(app, {
    method: 'GET',
    url: '/api/me/credits',
    action: 'credits.read.own',
    schema: {
      operationId: 'listMyCredits',
      description:
        "Returns the signed-in official's credit ledger: every record, reversals included, newest first.",
      tags,
      summary: 'My credit ledger',
      response: { 200: creditList },
    },
    handler: async (req) => ({ items: await listCredits(req.ctx, me(req.ctx)) }),
  });
  defineRoute(app, {
    method: 'GET',
    url: '/api/people/:id/credits',
    action: 'credits.read',
    schema: {
      operationId: 'listPersonCredits',
      description: "Returns the person's credit ledger: every record, reversals included, newest first.",
      tags,
      summary: "A person's credit ledger",
      params: idParams,
      response: { 200: creditList, ...errors },
    },
    handler: async (req) => ({ items: await listCredits(req.ctx, req.params.id) }),
  });
  defineRoute(app, {
    method: 'POST',
    url: '/api/credits/:id/reverse',
    action: 'credits.reverse',
    schema: {
      operationId: 'reverseCredit',
      description:
        'Credit records are never changed or deleted: this adds a reversing record with the reason. Returns the reversing record (201).',
      tags,
      summary: 'Reverse a credit record',
      params: idParams,
      body: reverseCreditBody,
      response: { 201: creditRecordSchema, ...errors },
    },
    handler: async (req, reply) => {
      const r = await reverseCredit(req.ctx, req.params.id, req.body.reason);
      reply.status(201);
      return r;
    },
  });
  defineRoute(app, {
    method: 'GET',
    url: '/api/me/progress',
    action: 'progress.read.own',
    schema: {
      operationId: 'getMyProgress',
      description:
        "The rules engine's evaluation of the signed-in official in every program, as of today or `asOf`: each requirement, met or not, with what is missing.",
      tags,
      summary: 'My progress',
      querystring: progressQuery,
      response: { 200: progressSchema, 400: problemSchema },
    },
    handler: async (req) => progressFor(req.ctx, me(req.ctx), req.query.asOf),
  });
  defineRoute(app, {
    method: 'GET',
    url: '/api/people/:id/progress',
    action: 'progress.read',
    schema: {
      operationId: 'getPersonProgress',
      description:
        "The rules engine's evaluation of the person in every program, as of today or `asOf`: each requirement, met or not, with what is missing.",
      tags,
      summary: "A person's progress in every program",
      params: idParams,
      querystring: progressQuery,
      response: { 200: progressSchema, ...errors },
    },
    // readPerson: 404 for someone outside the actor's people scope (a reviewer's claimants).
    handler: async (req) => {
      await readPerson(req.ctx, req.params.id);
      return progressFor(req.ctx, req.params.id, req.query.asOf);
    },
  });
}
