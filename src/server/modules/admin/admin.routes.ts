import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import {
  auditList,
  auditQuery,
  dashboardSchema,
  outboxAttachmentParams,
  outboxList,
  outboxQuery,
} from '../../../contract/admin.js';
import { jurisdictionList, jurisdictionQuery, jurisdictionSchema } from '../../../contract/jurisdictions.js';
import { idParams, problemSchema } from '../../../contract/common.js';
import { defineExport } from '../../export/routes.js';
import { defineRoute, fileResponse, mediaTypes, paged } from '../../http/route.js';
import { listAudit } from '../audit/audit.service.js';
import { getJurisdiction, searchJurisdictions } from '../jurisdictions/jurisdictions.service.js';
import { dashboard, listOutbox, outboxAttachment, outboxEml, outboxHtml } from './admin.service.js';

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

  defineRoute(app, {
    method: 'GET',
    url: '/api/outbox/:id/html',
    action: 'outbox.read',
    schema: {
      operationId: 'getOutboxMessageHtml',
      tags: ['Administration'],
      summary: 'The HTML part of an outbox e-mail',
      description:
        'As the recipient sees it, with the secrets of its links hidden. Sent under a Content-Security-Policy that runs no script and loads nothing (sandbox); the outbox page opens it in a new tab.',
      params: idParams,
      response: { 200: fileResponse('The HTML part', mediaTypes.html), 404: problemSchema },
    },
    handler: async (req, reply) => {
      const html = await outboxHtml(req.ctx, req.params.id);
      return reply
        .type('text/html; charset=utf-8')
        .header(
          'content-security-policy',
          "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'self'; form-action 'none'; base-uri 'none'; sandbox",
        )
        .header('x-frame-options', 'SAMEORIGIN')
        .header('cache-control', 'private, no-store')
        .send(html);
    },
  });

  defineRoute(app, {
    method: 'GET',
    url: '/api/outbox/:id/attachments/:index',
    action: 'outbox.read',
    schema: {
      operationId: 'downloadOutboxAttachment',
      tags: ['Administration'],
      summary: 'Download a file an outbox e-mail carried',
      description:
        'The attachment as it was sent (e.g. a calendar invitation), with its content type; index counts from 0 in the order of the message’s attachments.',
      params: outboxAttachmentParams,
      response: {
        200: fileResponse(
          'The attachment, with the content type it was sent with',
          mediaTypes.ics,
          mediaTypes.binary,
        ),
        400: problemSchema,
        404: problemSchema,
      },
    },
    handler: async (req, reply) => {
      const file = await outboxAttachment(req.ctx, req.params.id, req.params.index);
      const name = file.filename.replace(/[^\w.-]+/g, '_') || 'attachment';
      return reply
        .type(file.contentType)
        .header('content-disposition', `attachment; filename="${name}"`)
        .header('x-content-type-options', 'nosniff')
        .header('cache-control', 'private, no-store')
        .send(file.content);
    },
  });

  defineRoute(app, {
    method: 'GET',
    url: '/api/outbox/:id/eml',
    action: 'outbox.read',
    schema: {
      operationId: 'downloadOutboxMessage',
      tags: ['Administration'],
      summary: 'Download an outbox e-mail as an .eml file',
      description:
        'The whole message (headers, text and HTML parts, calendar part and attachments) as it is sent, with the secrets of its links hidden; opens in any mail client.',
      params: idParams,
      response: { 200: fileResponse('The message', mediaTypes.eml), 404: problemSchema },
    },
    handler: async (req, reply) => {
      const eml = await outboxEml(req.ctx, req.params.id);
      return reply
        .type('message/rfc822')
        .header('content-disposition', `attachment; filename="message-${req.params.id}.eml"`)
        .header('cache-control', 'private, no-store')
        .send(eml);
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
