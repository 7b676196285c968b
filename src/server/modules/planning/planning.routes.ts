import type { FastifyInstance } from 'fastify';
import { idParams, problemSchema } from '../../../contract/common.js';
import {
  planQuery,
  planRegistrationsBody,
  planRegistrationsResult,
  planSchema,
  shortfallQuery,
  shortfallSchema,
} from '../../../contract/planning.js';
import { DomainError } from '../../../domain/errors.js';
import type { Ctx } from '../../context.js';
import { defineRoute } from '../../http/route.js';
import { readPerson } from '../people/people.service.js';
import { planFor, registerForPlan, seatShortfall } from './planning.service.js';

const me = (ctx: Ctx) => {
  if (!ctx.actor) throw new DomainError('unauthenticated', 'Sign in to continue.');
  return ctx.actor.personId;
};

export function planningRoutes(app: FastifyInstance): void {
  const tags = ['Planning'];
  const errors = { 400: problemSchema, 404: problemSchema, 409: problemSchema };
  defineRoute(app, {
    method: 'GET',
    url: '/api/me/plan',
    action: 'plans.read.own',
    schema: {
      operationId: 'getMyPlan',
      description:
        'The plan to certification of the signed-in official in each program (or `programId`): the upcoming sessions that meet every remaining requirement soonest, judged by the rules engine; with `by`, only sessions on or before that day, and what is missing when no plan exists.',
      tags,
      summary: 'My plan to certification',
      querystring: planQuery,
      response: { 200: planSchema, ...errors },
    },
    handler: async (req) => planFor(req.ctx, me(req.ctx), req.query),
  });
  defineRoute(app, {
    method: 'GET',
    url: '/api/people/:id/plan',
    action: 'plans.read',
    schema: {
      operationId: 'getPersonPlan',
      description: "A person's plan to certification in each program (or `programId`), as for the official.",
      tags,
      summary: "A person's plan to certification",
      params: idParams,
      querystring: planQuery,
      response: { 200: planSchema, ...errors },
    },
    // readPerson: 404 for someone outside the actor's people scope.
    handler: async (req) => {
      await readPerson(req.ctx, req.params.id);
      return planFor(req.ctx, req.params.id, req.query);
    },
  });
  defineRoute(app, {
    method: 'POST',
    url: '/api/me/plan/registrations',
    action: 'registrations.create',
    schema: {
      operationId: 'registerForMyPlan',
      description:
        'Registers the signed-in official for each session given, one at a time through the normal registration (seat or waitlist), and reports each: confirmed, waitlisted (the session filled in the meantime) or refused with the reason.',
      tags,
      summary: 'Register for a whole plan',
      body: planRegistrationsBody,
      response: { 200: planRegistrationsResult, ...errors },
    },
    handler: async (req) => {
      me(req.ctx);
      return registerForPlan(req.ctx, req.body.sessionIds);
    },
  });
  defineRoute(app, {
    method: 'GET',
    url: '/api/reports/seat-shortfall',
    action: 'plans.shortfall.read',
    schema: {
      operationId: 'getSeatShortfall',
      description:
        'Courses for which more enrolled officials still need a seat (an unmet course requirement, no seat held) than there are free seats in sessions up to `by`: where to schedule more sessions.',
      tags,
      summary: 'Courses short of seats',
      querystring: shortfallQuery,
      response: { 200: shortfallSchema, ...errors },
    },
    handler: async (req) => seatShortfall(req.ctx, req.query.programId, req.query.by),
  });
}
