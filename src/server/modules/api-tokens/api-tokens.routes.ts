import type { FastifyInstance } from 'fastify';
import {
  apiTokenList,
  apiTokenSchema,
  createApiTokenBody,
  createdApiToken,
  providerList,
} from '../../../contract/api-tokens.js';
import { idParams, problemSchema } from '../../../contract/common.js';
import { defineRoute } from '../../http/route.js';
import { createApiToken, listApiTokens, listProviders, revokeApiToken } from './api-tokens.service.js';

/** Administrators' API tokens for integrations, and the training providers (issue 17). */
export function apiTokenRoutes(app: FastifyInstance): void {
  const tags = ['API tokens'];

  defineRoute(app, {
    method: 'GET',
    url: '/api/api-tokens',
    action: 'tokens.list',
    schema: {
      operationId: 'listApiTokens',
      tags,
      summary: 'API tokens',
      description:
        'Every API token, newest first: name, scopes, provider, expiry, who created it and its last use. Never the secret.',
      response: { 200: apiTokenList },
    },
    handler: async (req) => listApiTokens(req.ctx),
  });

  defineRoute(app, {
    method: 'POST',
    url: '/api/api-tokens',
    action: 'tokens.create',
    schema: {
      operationId: 'createApiToken',
      tags,
      summary: 'Create an API token',
      description:
        'Creates a token with scopes, an expiry in days and optionally one training provider. The answer carries the secret (`cct_…`) this once; only its hash is kept.',
      body: createApiTokenBody,
      response: { 201: createdApiToken, 400: problemSchema },
    },
    handler: async (req, reply) => {
      const created = await createApiToken(req.ctx, req.body);
      reply.status(201);
      return created;
    },
  });

  defineRoute(app, {
    method: 'POST',
    url: '/api/api-tokens/:id/revoke',
    action: 'tokens.revoke',
    schema: {
      operationId: 'revokeApiToken',
      tags,
      summary: 'Revoke an API token',
      description: 'Revokes the token at once: its next use gets 401. 409 when it was already revoked.',
      params: idParams,
      response: { 200: apiTokenSchema, 404: problemSchema, 409: problemSchema },
    },
    handler: async (req) => revokeApiToken(req.ctx, req.params.id),
  });

  defineRoute(app, {
    method: 'GET',
    url: '/api/providers',
    action: 'providers.list',
    schema: {
      operationId: 'listProviders',
      tags,
      summary: 'Training providers',
      description: 'The organisations that give sponsored courses, by name (a token may be limited to one).',
      response: { 200: providerList },
    },
    handler: async (req) => listProviders(req.ctx),
  });
}
