import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { auditList, auditQuery, dashboardSchema, outboxList, outboxQuery } from '../../../contract/admin.js';
import { jurisdictionList, jurisdictionQuery, jurisdictionSchema } from '../../../contract/jurisdictions.js';
import { problemSchema } from '../../../contract/common.js';
import { defineRoute, paged } from '../../http/route.js';
import { listAudit } from '../audit/audit.service.js';
import { getJurisdiction, searchJurisdictions } from '../jurisdictions/jurisdictions.service.js';
import { dashboard, listOutbox } from './admin.service.js';

export function adminRoutes(app: FastifyInstance): void {
  defineRoute(app, {
    method: 'GET',
    url: '/api/audit',
    action: 'audit.read',
    schema: {
      tags: ['Administration'],
      summary: 'Browse the audit log',
      querystring: auditQuery,
      response: { 200: auditList },
    },
    handler: async (req) => {
      const { items, total } = await listAudit(req.ctx, req.query);
      return paged(items, total, req.query);
    },
  });

  defineRoute(app, {
    method: 'GET',
    url: '/api/outbox',
    action: 'outbox.read',
    schema: {
      tags: ['Administration'],
      summary: 'E-mail outbox',
      querystring: outboxQuery,
      response: { 200: outboxList },
    },
    handler: async (req) => {
      const { items, total } = await listOutbox(req.ctx, req.query);
      return paged(items, total, req.query);
    },
  });

  defineRoute(app, {
    method: 'GET',
    url: '/api/dashboard',
    action: 'dashboard.read',
    schema: {
      tags: ['Administration'],
      summary: 'Staff dashboard figures',
      response: { 200: dashboardSchema },
    },
    handler: async (req) => dashboard(req.ctx),
  });

  defineRoute(app, {
    method: 'GET',
    url: '/api/jurisdictions',
    action: 'jurisdictions.search',
    schema: {
      tags: ['Jurisdictions'],
      summary: 'Search US states and counties',
      querystring: jurisdictionQuery,
      response: { 200: jurisdictionList },
    },
    handler: async (req) => {
      const { items, total } = await searchJurisdictions(req.ctx, req.query);
      return paged(items, total, req.query);
    },
  });

  defineRoute(app, {
    method: 'GET',
    url: '/api/jurisdictions/:fips',
    action: 'jurisdictions.search',
    schema: {
      tags: ['Jurisdictions'],
      summary: 'One state or county by FIPS code',
      params: z.strictObject({
        fips: z.string().regex(/^\d{2}(\d{3})?$/, { message: 'FIPS code must be 2 or 5 digits.' }),
      }),
      response: { 200: jurisdictionSchema, 404: problemSchema },
    },
    handler: async (req) => getJurisdiction(req.ctx, req.params.fips),
  });
}
