import type { FastifyInstance } from 'fastify';
import {
  recoveryCodesResponse,
  secondFactorCodeBody,
  secondFactorSetup,
  secondFactorStatus,
} from '../../../contract/auth.js';
import { idParams, okSchema, problemSchema } from '../../../contract/common.js';
import { DomainError } from '../../../domain/errors.js';
import { defineRoute } from '../../http/route.js';
import {
  confirmSecondFactor,
  disableSecondFactor,
  ownSecondFactorStatus,
  resetSecondFactor,
  secondFactorStatus as statusOf,
  startSecondFactorSetup,
} from './second-factor.service.js';

export function secondFactorRoutes(app: FastifyInstance): void {
  const tags = ['Sign-in'];
  const errors = { 400: problemSchema, 401: problemSchema, 403: problemSchema, 409: problemSchema };

  defineRoute(app, {
    method: 'GET',
    url: '/api/profile/second-factor',
    action: 'profile.second-factor.read',
    schema: {
      operationId: 'getMySecondFactor',
      description: "Returns my account's two-step sign-in (authenticator app) status.",
      tags,
      summary: 'My two-step sign-in status',
      response: { 200: secondFactorStatus },
    },
    handler: (req) => ownSecondFactorStatus(req.ctx),
  });

  defineRoute(app, {
    method: 'POST',
    url: '/api/profile/second-factor/setup',
    action: 'profile.second-factor.setup',
    schema: {
      operationId: 'startMySecondFactorSetup',
      tags,
      summary: 'Start setting up an authenticator app',
      description:
        'Returns a new secret, its otpauth:// URI and a QR code (SVG). Nothing changes until a code from the app is confirmed.',
      response: { 200: secondFactorSetup, ...errors },
    },
    handler: (req) => startSecondFactorSetup(req.ctx),
  });

  defineRoute(app, {
    method: 'POST',
    url: '/api/profile/second-factor/confirm',
    action: 'profile.second-factor.confirm',
    schema: {
      operationId: 'confirmMySecondFactor',
      description:
        'Turns two-step sign-in on once a current code from the authenticator app is given. Returns ten single-use recovery codes, shown only this once.',
      tags,
      summary: 'Confirm the authenticator app',
      body: secondFactorCodeBody,
      response: { 200: recoveryCodesResponse, ...errors },
    },
    handler: (req) => confirmSecondFactor(req.ctx, req.body.code),
  });

  defineRoute(app, {
    method: 'POST',
    url: '/api/profile/second-factor/disable',
    action: 'profile.second-factor.disable',
    schema: {
      operationId: 'disableMySecondFactor',
      description:
        'Turns two-step sign-in off with a current code. Refused (403) for staff accounts while two-step sign-in is required for staff.',
      tags,
      summary: 'Turn two-step sign-in off',
      body: secondFactorCodeBody,
      response: { 200: okSchema, ...errors },
    },
    handler: async (req) => {
      await disableSecondFactor(req.ctx, req.body.code);
      return { ok: true as const };
    },
  });

  defineRoute(app, {
    method: 'GET',
    url: '/api/people/:id/second-factor',
    action: 'people.second-factor.read',
    schema: {
      operationId: 'getPersonSecondFactor',
      description: "Returns a person's two-step sign-in status.",
      tags,
      summary: "A person's two-step sign-in status",
      params: idParams,
      response: { 200: secondFactorStatus, 404: problemSchema },
    },
    handler: async (req) => {
      const person = await req.ctx.db
        .selectFrom('person as p')
        .leftJoin('user_account as u', 'u.person_id', 'p.id')
        .select('u.id as userId')
        .where('p.id', '=', req.params.id)
        .executeTakeFirst();
      if (!person) throw new DomainError('not_found', 'There is no such person.');
      if (!person.userId) return { enabled: false, enabledAt: null, recoveryCodesLeft: 0, required: false };
      return statusOf(req.ctx, person.userId);
    },
  });

  defineRoute(app, {
    method: 'POST',
    url: '/api/people/:id/second-factor/reset',
    action: 'people.second-factor.reset',
    schema: {
      operationId: 'resetPersonSecondFactor',
      description: "Turns a person's two-step sign-in off (a lost device) and ends all their sessions.",
      tags,
      summary: "Reset a person's two-step sign-in",
      params: idParams,
      response: { 200: okSchema, 404: problemSchema, 409: problemSchema },
    },
    handler: async (req) => {
      await resetSecondFactor(req.ctx, req.params.id);
      return { ok: true as const };
    },
  });
}
