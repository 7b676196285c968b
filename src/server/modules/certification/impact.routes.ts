import type { FastifyInstance } from 'fastify';
import { idParams, problemSchema } from '../../../contract/common.js';
import {
  impactBody,
  impactChangeList,
  impactChangesQuery,
  impactResponse,
  impactSchema,
  type ImpactChange,
} from '../../../contract/impact.js';
import { defineExport } from '../../export/routes.js';
import { defineRoute, paged } from '../../http/route.js';
import { getImpact, listImpactChanges, startImpact } from './impact.service.js';

const statusLabel = (s: string) => s.replace(/_/g, ' ');

/** The impact of a rule change, checked on the draft before publishing (issue 19, ADR 0029). */
export function impactRoutes(app: FastifyInstance): void {
  const tags = ['Programs'];
  const errors = { 400: problemSchema, 404: problemSchema, 409: problemSchema };

  defineRoute(app, {
    method: 'POST',
    url: '/api/programs/:id/draft/impact',
    action: 'programs.impact.check',
    schema: {
      operationId: 'checkDraftImpact',
      description:
        "Starts checking the draft's impact as of a day in the program's time zone: every official with an active enrollment is evaluated under the rules in force and under the rules as they would be once the draft is published, in batches in the background. Replaces the last check. Returns the check as it starts (202); its progress and counts are read with getDraftImpact. 409 when there is no draft.",
      tags,
      summary: "Check the draft's impact before publishing",
      params: idParams,
      body: impactBody,
      response: { 202: impactSchema, ...errors },
    },
    handler: async (req, reply) => {
      const impact = await startImpact(req.ctx, req.params.id, req.body.asOf);
      reply.status(202);
      return impact;
    },
  });

  defineRoute(app, {
    method: 'GET',
    url: '/api/programs/:id/draft/impact',
    action: 'programs.impact.read',
    schema: {
      operationId: 'getDraftImpact',
      description:
        "The last impact check of the program's draft: the draft version and edit it checked, the day, when it ran, its progress, whether it is stale (the draft was saved since), and how many officials would change, by kind. `impact` is null when the current draft has not been checked.",
      tags,
      summary: "The draft's impact check",
      params: idParams,
      response: { 200: impactResponse, ...errors },
    },
    handler: async (req) => getImpact(req.ctx, req.params.id),
  });

  defineRoute(app, {
    method: 'GET',
    url: '/api/programs/:id/draft/impact/changes',
    action: 'programs.impact.read',
    schema: {
      operationId: 'listDraftImpactChanges',
      description:
        "One page of the officials whose status or next due date the draft would change, by last name, with their county and the status and next due date before and after; `kind` keeps one kind of change. 404 when the draft's impact has not been checked.",
      tags,
      summary: 'Officials the draft would change',
      params: idParams,
      querystring: impactChangesQuery,
      response: { 200: impactChangeList, ...errors },
    },
    handler: async (req) => {
      const { items, total } = await listImpactChanges(req.ctx, req.params.id, req.query);
      return paged(items, total, req.query);
    },
  });

  defineExport<typeof impactChangesQuery, ImpactChange>(app, {
    url: '/api/programs/:id/draft/impact/changes/export',
    action: 'programs.impact.read',
    tags,
    operationId: 'exportDraftImpactChanges',
    summary: 'Export the officials the draft would change',
    params: idParams,
    listQuery: impactChangesQuery,
    base: 'draft-impact',
    columns: [
      { header: 'Official', value: (c) => c.name, width: 24 },
      { header: 'County', value: (c) => c.county, width: 16 },
      { header: 'Change', value: (c) => c.kind, width: 18 },
      { header: 'Status before', value: (c) => statusLabel(c.before.status), width: 14 },
      { header: 'Status after', value: (c) => statusLabel(c.after.status), width: 14 },
      { header: 'Next due before', value: (c) => c.before.nextDue, width: 12 },
      { header: 'Next due after', value: (c) => c.after.nextDue, width: 12 },
    ],
    fetchPage: (ctx, q, params) => listImpactChanges(ctx, params.id!, q),
  });
}
