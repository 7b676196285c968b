import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { auditList, auditQuery, dashboardSchema, outboxList, outboxQuery } from '../../../contract/admin.js';
import { jurisdictionList, jurisdictionQuery, jurisdictionSchema } from '../../../contract/jurisdictions.js';
import { problemSchema } from '../../../contract/common.js';
import { defineExport } from '../../export/routes.js';
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
      operationId: 'listAuditEvents',
      description: 'Returns one page of the audit log, filtered by action, entity, actor or dates.',
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
      operationId: 'listOutbox',
      description: 'Returns one page of the e-mails the system queued and sent.',
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

  defineExport(app, {
    url: '/api/audit/export',
    operationId: 'exportAuditEvents',
    action: 'audit.read',
    tags: ['Administration'],
    summary: 'Export the audit log (CSV or XLSX)',
    listQuery: auditQuery,
    base: 'audit-log',
    columns: [
      { header: 'At', value: (e) => e.at, width: 26 },
      { header: 'Actor', value: (e) => e.actorLabel, width: 24 },
      { header: 'Action', value: (e) => e.action, width: 24 },
      { header: 'Entity type', value: (e) => e.entityType, width: 16 },
      { header: 'Entity id', value: (e) => e.entityId, width: 38 },
      { header: 'About', value: (e) => e.entityLabel, width: 24 },
      { header: 'Before', value: (e) => (e.before == null ? null : JSON.stringify(e.before)), width: 40 },
      { header: 'After', value: (e) => (e.after == null ? null : JSON.stringify(e.after)), width: 40 },
      { header: 'Request id', value: (e) => e.requestId, width: 20 },
    ],
    fetchPage: listAudit,
  });

  defineExport(app, {
    url: '/api/outbox/export',
    operationId: 'exportOutbox',
    action: 'outbox.read',
    tags: ['Administration'],
    summary: 'Export the e-mail outbox (CSV or XLSX)',
    listQuery: outboxQuery,
    base: 'outbox',
    columns: [
      { header: 'Created', value: (m) => m.createdAt, width: 26 },
      { header: 'To', value: (m) => m.to, width: 32 },
      { header: 'Subject', value: (m) => m.subject, width: 40 },
      { header: 'Status', value: (m) => m.status },
      { header: 'Sent', value: (m) => m.sentAt, width: 26 },
      { header: 'Error', value: (m) => m.error, width: 30 },
    ],
    fetchPage: listOutbox,
  });

  defineRoute(app, {
    method: 'GET',
    url: '/api/dashboard',
    action: 'dashboard.read',
    schema: {
      operationId: 'getDashboard',
      description:
        "Returns the staff dashboard's figures: one section for each staff role the caller holds (reviewer, instructor, coordinator, administrator).",
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
      operationId: 'listJurisdictions',
      description:
        'Returns one page of US states and counties with their FIPS codes, searched by name and filtered by state or kind.',
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

  defineExport(app, {
    url: '/api/jurisdictions/export',
    operationId: 'exportJurisdictions',
    action: 'jurisdictions.search',
    tags: ['Jurisdictions'],
    summary: 'Export states and counties (CSV or XLSX)',
    listQuery: jurisdictionQuery,
    base: 'jurisdictions',
    audit: false, // public reference data
    columns: [
      { header: 'FIPS', value: (j) => j.fips },
      { header: 'Kind', value: (j) => j.kind },
      { header: 'Name', value: (j) => j.name, width: 24 },
      { header: 'State', value: (j) => j.stateCode },
      { header: 'State name', value: (j) => j.stateName, width: 20 },
    ],
    fetchPage: searchJurisdictions,
  });

  defineRoute(app, {
    method: 'GET',
    url: '/api/jurisdictions/:fips',
    action: 'jurisdictions.search',
    schema: {
      operationId: 'getJurisdiction',
      description: 'Returns the state (2-digit FIPS) or county (5-digit FIPS) with that code.',
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
