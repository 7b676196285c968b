import type { FastifyInstance } from 'fastify';
import {
  accountRequestBody,
  accountRequestList,
  accountRequestQuery,
  accountRequestReceived,
  accountRequestSchema,
  declineAccountRequestBody,
} from '../../../contract/account-requests.js';
import { idParams, problemSchema } from '../../../contract/common.js';
import { defineRoute, paged } from '../../http/route.js';
import {
  approveAccountRequest,
  declineAccountRequest,
  listAccountRequests,
  RECEIVED_MESSAGE,
  submitAccountRequest,
} from './account-requests.service.js';

/** Asking for an account from the public pages, and the coordinators' queue (issue 17). */
export function accountRequestRoutes(app: FastifyInstance): void {
  const tags = ['Account requests'];
  const errors = { 400: problemSchema, 403: problemSchema, 404: problemSchema, 409: problemSchema };

  defineRoute(app, {
    method: 'POST',
    url: '/api/account-requests',
    action: 'account-requests.create',
    schema: {
      operationId: 'requestAccount',
      tags,
      summary: 'Ask for an account',
      description:
        'No sign-in. Records the request for a coordinator to approve or decline, and e-mails the address. The answer (202) is the same whether the address is new, already waiting, or already has an account (then it is e-mailed how to sign in). Limited per caller address and per e-mail address (429).',
      body: accountRequestBody,
      response: { 202: accountRequestReceived, 400: problemSchema, 429: problemSchema },
    },
    handler: async (req, reply) => {
      await submitAccountRequest(req.ctx, req.body);
      reply.status(202);
      return { received: true as const, message: RECEIVED_MESSAGE };
    },
  });

  defineRoute(app, {
    method: 'GET',
    url: '/api/account-requests',
    action: 'account-requests.list',
    schema: {
      operationId: 'listAccountRequests',
      tags,
      summary: 'The account request queue',
      description:
        'One page of account requests by status: waiting ones oldest first, decided ones newest first.',
      querystring: accountRequestQuery,
      response: { 200: accountRequestList, 400: problemSchema },
    },
    handler: async (req) => {
      const { items, total } = await listAccountRequests(req.ctx, req.query);
      return paged(items, total, req.query);
    },
  });

  defineRoute(app, {
    method: 'POST',
    url: '/api/account-requests/:id/approve',
    action: 'account-requests.decide',
    schema: {
      operationId: 'approveAccountRequest',
      tags,
      summary: 'Approve an account request',
      description:
        "Creates an official's account with the request's name, e-mail, county and position, and e-mails the set-password link. 409 when the request was already decided or the address now has an account.",
      params: idParams,
      response: { 200: accountRequestSchema, ...errors },
    },
    handler: async (req) => approveAccountRequest(req.ctx, req.params.id),
  });

  defineRoute(app, {
    method: 'POST',
    url: '/api/account-requests/:id/decline',
    action: 'account-requests.decide',
    schema: {
      operationId: 'declineAccountRequest',
      tags,
      summary: 'Decline an account request',
      description:
        'Declines with a reason, which is e-mailed to the person. 409 when it was already decided.',
      params: idParams,
      body: declineAccountRequestBody,
      response: { 200: accountRequestSchema, ...errors },
    },
    handler: async (req) => declineAccountRequest(req.ctx, req.params.id, req.body.reason),
  });
}
