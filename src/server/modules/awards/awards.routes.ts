import type { FastifyInstance } from 'fastify';
import {
  awardList,
  awardListQuery,
  awardSchema,
  awardsSummary,
  bulkAwardBody,
  bulkAwardResult,
  createAwardBody,
  documentQuery,
  eligibleList,
  eligibleQuery,
  myCertification,
  plaqueBody,
  reissueBody,
  renewalList,
  renewalsQuery,
  revokeBody,
  verificationResult,
  verifyParams,
  verifyQuery,
} from '../../../contract/awards.js';
import { idParams, problemSchema } from '../../../contract/common.js';
import { DomainError } from '../../../domain/errors.js';
import { defineExport } from '../../export/routes.js';
import { attachment } from '../../export/tabular.js';
import { defineRoute } from '../../http/route.js';
import {
  bulkAward,
  createAward,
  eligibleList as eligible,
  getAward,
  listAwards,
  reissueAward,
  openAwardingEvents,
  revokeAward,
  setPlaqueState,
} from './awards.service.js';
import { awardsSummaryFor, myCertificationFor, renewalsDue } from './dashboards.service.js';
import { certificatePdf, eventDocument } from './documents.js';
import { verify } from './verification.service.js';

export function awardRoutes(app: FastifyInstance): void {
  const tags = ['Awards'];
  const errors = { 400: problemSchema, 403: problemSchema, 404: problemSchema, 409: problemSchema };

  defineRoute(app, {
    method: 'GET',
    url: '/api/awards/eligible',
    action: 'awards.eligible.list',
    schema: {
      tags,
      summary: 'Officials who meet a program’s requirements and await their award',
      querystring: eligibleQuery,
      response: { 200: eligibleList, ...errors },
    },
    handler: async (req) => ({
      items: await eligible(req.ctx, req.query.programId),
      events: await openAwardingEvents(req.ctx),
    }),
  });
  defineRoute(app, {
    method: 'GET',
    url: '/api/awards',
    action: 'awards.list',
    schema: {
      tags,
      summary: 'Awards (filter by person, program or event)',
      querystring: awardListQuery,
      response: { 200: awardList, ...errors },
    },
    handler: async (req) => ({ items: await listAwards(req.ctx, req.query) }),
  });
  // Exports of the award lists (same filters; these lists are not paged).
  defineExport(app, {
    url: '/api/awards/eligible/export',
    action: 'awards.eligible.list',
    tags,
    summary: 'Export officials awaiting their award (CSV or XLSX)',
    listQuery: eligibleQuery,
    base: 'eligible-for-award',
    fetchPage: async (ctx, q) => {
      const items = await eligible(ctx, q.programId);
      return { items, total: items.length };
    },
    columns: [
      { header: 'Name', value: (e) => e.person.displayName, width: 24 },
      { header: 'County', value: (e) => e.person.county, width: 16 },
      { header: 'Program', value: (e) => e.program.name, width: 32 },
      { header: 'Eligible on', value: (e) => e.eligibleOn, width: 12 },
      { header: 'Award year', value: (e) => e.awardYear },
      { header: 'Apply by', value: (e) => e.applyBy, width: 12 },
      { header: 'Ceremony', value: (e) => e.ceremony, width: 30 },
    ],
  });
  defineExport(app, {
    url: '/api/awards/export',
    action: 'awards.list',
    tags,
    summary: 'Export awards (CSV or XLSX)',
    listQuery: awardListQuery,
    base: 'awards',
    fetchPage: async (ctx, q) => {
      const { page: _p, pageSize: _s, ...filters } = q;
      const items = await listAwards(ctx, filters);
      return { items, total: items.length };
    },
    columns: [
      { header: 'Certificate number', value: (a) => a.certificateNumber, width: 18 },
      { header: 'Name on certificate', value: (a) => a.nameOnCertificate, width: 24 },
      { header: 'County', value: (a) => a.person.county, width: 16 },
      { header: 'Program', value: (a) => a.program.name, width: 32 },
      { header: 'Designation', value: (a) => a.designation, width: 28 },
      { header: 'Awarded on', value: (a) => a.awardedOn, width: 12 },
      { header: 'Expires on', value: (a) => a.expiresOn, width: 12 },
      { header: 'Event', value: (a) => a.event?.title ?? null, width: 28 },
      { header: 'Status', value: (a) => a.status },
      { header: 'Revoked on', value: (a) => a.revocation?.revokedOn ?? null, width: 12 },
    ],
  });
  defineExport(app, {
    url: '/api/renewals/due/export',
    action: 'awards.list',
    tags,
    summary: 'Export renewals coming due (CSV or XLSX)',
    listQuery: renewalsQuery,
    base: 'renewals-due',
    fetchPage: async (ctx, q) => {
      const items = await renewalsDue(ctx, q.withinDays);
      return { items, total: items.length };
    },
    columns: [
      { header: 'Name', value: (r) => r.person.displayName, width: 24 },
      { header: 'County', value: (r) => r.person.county, width: 16 },
      { header: 'Program', value: (r) => r.program.name, width: 32 },
      { header: 'Certificate number', value: (r) => r.certificateNumber, width: 18 },
      { header: 'Status', value: (r) => r.status },
      { header: 'Due on', value: (r) => r.dueOn, width: 12 },
      { header: 'Grace ends', value: (r) => r.graceEndsOn, width: 12 },
      { header: 'Still needed', value: (r) => r.missing.join(' '), width: 40 },
    ],
  });
  defineRoute(app, {
    method: 'POST',
    url: '/api/awards',
    action: 'awards.create',
    schema: {
      tags,
      summary: 'Award a certification to an eligible official',
      body: createAwardBody,
      response: { 201: awardSchema, ...errors },
    },
    handler: async (req, reply) => {
      const a = await createAward(req.ctx, req.body);
      reply.status(201);
      return a;
    },
  });
  defineRoute(app, {
    method: 'POST',
    url: '/api/awards/bulk',
    action: 'awards.create',
    schema: {
      tags,
      summary: 'Award many eligible officials at an event',
      body: bulkAwardBody,
      response: { 200: bulkAwardResult, ...errors },
    },
    handler: async (req) => bulkAward(req.ctx, req.body),
  });
  defineRoute(app, {
    method: 'GET',
    url: '/api/awards/summary',
    action: 'awards.list',
    schema: {
      tags,
      summary: 'Counts by certification status and renewals coming due',
      response: { 200: awardsSummary },
    },
    handler: async (req) => awardsSummaryFor(req.ctx),
  });
  defineRoute(app, {
    method: 'GET',
    url: '/api/renewals/due',
    action: 'awards.list',
    schema: {
      tags,
      summary: 'Renewals coming due (or in grace)',
      querystring: renewalsQuery,
      response: { 200: renewalList, ...errors },
    },
    handler: async (req) => ({ items: await renewalsDue(req.ctx, req.query.withinDays) }),
  });
  defineRoute(app, {
    method: 'GET',
    url: '/api/me/awards',
    action: 'awards.read.own',
    schema: { tags, summary: 'My awards', response: { 200: awardList } },
    handler: async (req) => {
      if (!req.ctx.actor) throw new DomainError('unauthenticated', 'Sign in to continue.');
      return { items: await listAwards(req.ctx, { personId: req.ctx.actor.personId }) };
    },
  });
  defineRoute(app, {
    method: 'GET',
    url: '/api/me/certification',
    action: 'awards.read.own',
    schema: {
      tags,
      summary: 'My certification dashboard: progress per requirement and sessions that would complete it',
      response: { 200: myCertification },
    },
    handler: async (req) => {
      if (!req.ctx.actor) throw new DomainError('unauthenticated', 'Sign in to continue.');
      return myCertificationFor(req.ctx, req.ctx.actor.personId);
    },
  });
  defineRoute(app, {
    method: 'GET',
    url: '/api/awards/:id',
    action: 'awards.read.own',
    schema: {
      tags,
      summary: 'One award (your own, or any for staff)',
      params: idParams,
      response: { 200: awardSchema, ...errors },
    },
    handler: async (req) => getAward(req.ctx, req.params.id),
  });
  defineRoute(app, {
    method: 'GET',
    url: '/api/awards/:id/certificate',
    action: 'awards.read.own',
    schema: { tags, summary: 'The certificate as PDF', params: idParams, response: { ...errors } },
    handler: async (req, reply) => {
      const { pdf, number } = await certificatePdf(req.ctx, req.params.id);
      return reply
        .type('application/pdf')
        .header('content-disposition', `attachment; filename="certificate-${number}.pdf"`)
        .header('cache-control', 'private, no-store')
        .send(pdf);
    },
  });
  defineRoute(app, {
    method: 'POST',
    url: '/api/awards/:id/reissue',
    action: 'awards.reissue',
    schema: {
      tags,
      summary: 'Re-issue a certificate (e.g. after a legal name change); the old one is kept, superseded',
      params: idParams,
      body: reissueBody,
      response: { 201: awardSchema, ...errors },
    },
    handler: async (req, reply) => {
      const a = await reissueAward(req.ctx, req.params.id, req.body);
      reply.status(201);
      return a;
    },
  });
  defineRoute(app, {
    method: 'POST',
    url: '/api/awards/:id/revoke',
    action: 'awards.revoke',
    schema: {
      tags,
      summary: 'Revoke an award, with a reason',
      params: idParams,
      body: revokeBody,
      response: { 200: awardSchema, ...errors },
    },
    handler: async (req) => revokeAward(req.ctx, req.params.id, req.body),
  });
  defineRoute(app, {
    method: 'PUT',
    url: '/api/awards/:id/plaque',
    action: 'awards.plaques.update',
    schema: {
      tags,
      summary: 'Move the plaque order of an award made at an event (to_order → ordered → delivered)',
      params: idParams,
      body: plaqueBody,
      response: { 200: awardSchema, ...errors },
    },
    handler: async (req) => setPlaqueState(req.ctx, req.params.id, req.body.state),
  });
  for (const kind of ['ceremony', 'plaques'] as const) {
    defineRoute(app, {
      method: 'GET',
      url: kind === 'ceremony' ? '/api/events/:id/ceremony-list' : '/api/events/:id/plaque-orders',
      action: 'awards.list',
      schema: {
        tags,
        summary:
          kind === 'ceremony'
            ? 'Ceremony list for an event (CSV, XLSX or PDF)'
            : 'Plaque order list for an event (CSV, XLSX or PDF)',
        params: idParams,
        querystring: documentQuery,
        response: { ...errors },
      },
      handler: async (req, reply) => {
        const d = await eventDocument(req.ctx, req.params.id, kind, req.query.format);
        // Names of the people recognized: never kept by a shared cache or the browser.
        return reply
          .type(d.contentType)
          .header('content-disposition', attachment(d.filename))
          .header('cache-control', 'private, no-store')
          .send(d.body);
      },
    });
  }
  defineRoute(app, {
    method: 'GET',
    url: '/api/verify',
    action: 'awards.verify',
    schema: {
      tags: ['Verification'],
      summary:
        'Public verification by certificate number (404 when no certificate has it), or by name and county',
      querystring: verifyQuery,
      response: { 200: verificationResult, 400: problemSchema, 404: problemSchema, 429: problemSchema },
    },
    handler: async (req) => ({ items: await verify(req.ctx, req.query) }),
  });
  defineRoute(app, {
    method: 'GET',
    url: '/api/verify/:number',
    action: 'awards.verify',
    schema: {
      tags: ['Verification'],
      summary: 'Public verification of one certificate number',
      params: verifyParams,
      response: { 200: verificationResult, 400: problemSchema, 404: problemSchema, 429: problemSchema },
    },
    handler: async (req) => ({ items: await verify(req.ctx, { certificateNumber: req.params.number }) }),
  });
}
