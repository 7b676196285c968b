import type { FastifyInstance } from 'fastify';
import { idParams, okSchema, problemSchema } from '../../../contract/common.js';
import {
  webhookDeliveryList,
  webhookDeliveryQuery,
  webhookDeliverySchema,
  webhookEndpointCreateBody,
  webhookEndpointList,
  webhookEndpointSchema,
  webhookEndpointUpdateBody,
  webhookEndpointWithSecret,
} from '../../../contract/webhooks.js';
import { defineRoute, paged } from '../../http/route.js';
import {
  createEndpoint,
  deleteEndpoint,
  listDeliveries,
  listEndpoints,
  resendDelivery,
  rotateSecret,
  updateEndpoint,
} from './webhooks.service.js';

/** Webhook endpoints and the delivery log, for administrators (issue 17, item 6; docs/webhooks.md). */
export function webhookRoutes(app: FastifyInstance): void {
  const tags = ['Webhooks'];
  const errors = { 400: problemSchema, 404: problemSchema };

  defineRoute(app, {
    method: 'GET',
    url: '/api/webhooks/endpoints',
    action: 'webhooks.read',
    schema: {
      operationId: 'listWebhookEndpoints',
      tags,
      summary: 'Webhook endpoints',
      description:
        'Every registered endpoint with its events and how many deliveries wait, went through or failed.',
      response: { 200: webhookEndpointList },
    },
    handler: async (req) => ({ items: await listEndpoints(req.ctx) }),
  });

  defineRoute(app, {
    method: 'POST',
    url: '/api/webhooks/endpoints',
    action: 'webhooks.manage',
    schema: {
      operationId: 'createWebhookEndpoint',
      tags,
      summary: 'Register a webhook endpoint',
      description:
        'Registers an http(s) URL for the events named. The answer carries the signing secret, shown this once. Private and loopback addresses are refused unless the deployment allows them.',
      body: webhookEndpointCreateBody,
      response: { 201: webhookEndpointWithSecret, 400: problemSchema },
    },
    handler: async (req, reply) => {
      const endpoint = await createEndpoint(req.ctx, req.body);
      reply.status(201);
      return endpoint;
    },
  });

  defineRoute(app, {
    method: 'PATCH',
    url: '/api/webhooks/endpoints/:id',
    action: 'webhooks.manage',
    schema: {
      operationId: 'updateWebhookEndpoint',
      tags,
      summary: 'Change a webhook endpoint',
      description:
        'Changes the URL, events or description, or turns the endpoint off (enabled: false) or on. A turned-off endpoint gets no new deliveries.',
      params: idParams,
      body: webhookEndpointUpdateBody,
      response: { 200: webhookEndpointSchema, ...errors },
    },
    handler: async (req) => updateEndpoint(req.ctx, req.params.id, req.body),
  });

  defineRoute(app, {
    method: 'POST',
    url: '/api/webhooks/endpoints/:id/rotate-secret',
    action: 'webhooks.manage',
    schema: {
      operationId: 'rotateWebhookSecret',
      tags,
      summary: 'Make a new signing secret',
      description:
        'Replaces the signing secret; the answer carries the new one, shown this once. Attempts from now on are signed with it.',
      params: idParams,
      response: { 200: webhookEndpointWithSecret, ...errors },
    },
    handler: async (req) => rotateSecret(req.ctx, req.params.id),
  });

  defineRoute(app, {
    method: 'DELETE',
    url: '/api/webhooks/endpoints/:id',
    action: 'webhooks.manage',
    schema: {
      operationId: 'deleteWebhookEndpoint',
      tags,
      summary: 'Delete a webhook endpoint',
      description: 'Deletes the endpoint and its delivery log.',
      params: idParams,
      response: { 200: okSchema, ...errors },
    },
    handler: async (req) => {
      await deleteEndpoint(req.ctx, req.params.id);
      return { ok: true as const };
    },
  });

  defineRoute(app, {
    method: 'GET',
    url: '/api/webhooks/deliveries',
    action: 'webhooks.read',
    schema: {
      operationId: 'listWebhookDeliveries',
      tags,
      summary: 'The webhook delivery log',
      description:
        'One page of deliveries, newest first, each with every attempt (time, status code or error, duration); filtered by endpoint or status.',
      querystring: webhookDeliveryQuery,
      response: { 200: webhookDeliveryList, 400: problemSchema },
    },
    handler: async (req) => {
      const { items, total } = await listDeliveries(req.ctx, req.query);
      return paged(items, total, req.query);
    },
  });

  defineRoute(app, {
    method: 'POST',
    url: '/api/webhooks/deliveries/:id/resend',
    action: 'webhooks.manage',
    schema: {
      operationId: 'resendWebhookDelivery',
      tags,
      summary: 'Resend a webhook delivery',
      description:
        'Sends the delivery again now, with the same CivicCert-Delivery id and body and a fresh signature, and answers with the delivery and its attempts.',
      params: idParams,
      response: { 200: webhookDeliverySchema, ...errors },
    },
    handler: async (req) => resendDelivery(req.ctx, req.params.id),
  });
}
