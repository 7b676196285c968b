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
import { defineRoute, fileResponse, mediaTypes } from '../../http/route.js';
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
      operationId: 'listEligibleForAward',
      description:
        "Officials who meet a program's requirements and have not yet received its award, to award singly or in bulk.",
      tags,
      summary: 'Officials awaiting their award',
      querystring: eligibleQuery,
      response: { 200: eligibleList, ...errors },
    },
    handler: async (req) => {
      const { page, pageSize } = req.query;
      const { items, total } = await eligible(req.ctx, req.query);
      return { items, page: { page, pageSize, total }, events: await openAwardingEvents(req.ctx) };
    },
  });
  defineRoute(app, {
    method: 'GET',
    url: '/api/awards',
    action: 'awards.list',
    schema: {
      operationId: 'listAwards',
      description: 'Returns one page of awards, filtered by person, program or event.',
      tags,
      summary: 'List awards',
      querystring: awardListQuery,
      response: { 200: awardList, ...errors },
    },
    handler: async (req) => ({ items: await listAwards(req.ctx, req.query) }),
  });
  // Exports of the award lists (same filters, every page).
  defineExport(app, {
    url: '/api/awards/eligible/export',
    operationId: 'exportEligibleForAward',
    action: 'awards.eligible.list',
    tags,
    summary: 'Export officials awaiting their award (CSV or XLSX)',
    listQuery: eligibleQuery,
    base: 'eligible-for-award',
    fetchPage: (ctx, q) => eligible(ctx, q),
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
    operationId: 'exportAwards',
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
    operationId: 'exportRenewalsDue',
    action: 'awards.list',
    tags,
    summary: 'Export renewals coming due (CSV or XLSX)',
    listQuery: renewalsQuery,
    base: 'renewals-due',
    fetchPage: (ctx, q) => renewalsDue(ctx, q),
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
      operationId: 'createAward',
      description:
        "Awards the program's certification to an official who meets its requirements (409 otherwise), issuing a certificate number. Returns the award (201).",
      tags,
      summary: 'Award a certification',
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
      operationId: 'createAwardsInBulk',
      description:
        "Awards the program's certification to many eligible officials at once, at an event. Returns the awards made and, for each person refused, why.",
      tags,
      summary: 'Award many officials at an event',
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
      operationId: 'getAwardsSummary',
      description: 'Counts of awards by certification status, and renewals coming due.',
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
      operationId: 'listRenewalsDue',
      description:
        "Awards whose renewal is coming due, or in its grace period, with the holder's progress toward renewal.",
      tags,
      summary: 'Renewals coming due (or in grace)',
      querystring: renewalsQuery,
      response: { 200: renewalList, ...errors },
    },
    handler: async (req) => {
      const { items, total } = await renewalsDue(req.ctx, req.query);
      return { items, page: { page: req.query.page, pageSize: req.query.pageSize, total } };
    },
  });
  defineRoute(app, {
    method: 'GET',
    url: '/api/me/awards',
    action: 'awards.read.own',
    schema: {
      operationId: 'listMyAwards',
      description: "Returns the signed-in official's awards with their status and certificate numbers.",
      tags,
      summary: 'My awards',
      response: { 200: awardList },
    },
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
      operationId: 'getMyCertification',
      description:
        "The signed-in official's certification dashboard: progress per requirement in each program (the sessions that would complete it: GET /api/me/plan).",
      tags,
      summary: 'My certification dashboard',
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
      operationId: 'getAward',
      description: 'Returns one award: officials see their own, staff any.',
      tags,
      summary: 'One award',
      params: idParams,
      response: { 200: awardSchema, ...errors },
    },
    handler: async (req) => getAward(req.ctx, req.params.id),
  });
  defineRoute(app, {
    method: 'GET',
    url: '/api/awards/:id/certificate',
    action: 'awards.read.own',
    schema: {
      operationId: 'getAwardCertificate',
      description: "Sends the award's certificate as a PDF attachment.",
      tags,
      summary: 'The certificate as PDF',
      params: idParams,
      response: { 200: fileResponse('The certificate', mediaTypes.pdf), ...errors },
    },
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
      operationId: 'reissueAward',
      description:
        'Issues a new certificate for the award (e.g. after a legal name change); the old one is kept, marked superseded. Returns the new award (201).',
      tags,
      summary: 'Re-issue a certificate',
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
      operationId: 'revokeAward',
      description: 'Revokes the award with a reason (audited). Returns the award.',
      tags,
      summary: 'Revoke an award',
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
      operationId: 'setPlaqueState',
      description:
        'Moves the plaque order of an award made at an event: to_order, ordered, delivered. Returns the award.',
      tags,
      summary: 'Move a plaque order',
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
        operationId: kind === 'ceremony' ? 'getCeremonyList' : 'getPlaqueOrders',
        summary:
          kind === 'ceremony'
            ? 'Ceremony list for an event (CSV, XLSX or PDF)'
            : 'Plaque order list for an event (CSV, XLSX or PDF)',
        description:
          kind === 'ceremony'
            ? 'The officials awarded at the event, sorted by the name on the certificate, as an attachment in the `format` asked for.'
            : 'The plaques to order for the awards made at the event, as an attachment in the `format` asked for.',
        params: idParams,
        querystring: documentQuery,
        response: {
          200: fileResponse('The list as a file', mediaTypes.csv, mediaTypes.xlsx, mediaTypes.pdf),
          ...errors,
        },
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
      operationId: 'verifyCertificates',
      description:
        'Public verification of certifications, by certificate number (404 when no certificate has it) or by name and county. Rate-limited per caller address.',
      tags: ['Verification'],
      summary: 'Verify certifications',
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
      operationId: 'verifyCertificate',
      description:
        'Public verification of one certificate number: who holds it, for which program, and whether it is current. Rate-limited per caller address.',
      tags: ['Verification'],
      summary: 'Verify a certificate number',
      params: verifyParams,
      response: { 200: verificationResult, 400: problemSchema, 404: problemSchema, 429: problemSchema },
    },
    handler: async (req) => ({ items: await verify(req.ctx, { certificateNumber: req.params.number }) }),
  });
}
