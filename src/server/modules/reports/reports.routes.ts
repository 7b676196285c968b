/**
 * GET /api/reports/<report>?programId=…&asOf=… (JSON for the page) and
 * GET /api/reports/<report>/export?…&format=csv|xlsx (the same numbers as a
 * download), plus the county outlines for the coverage map.
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { problemSchema } from '../../../contract/common.js';
import {
  countyShapes as countyShapesSchema,
  countyShapesParams,
  prepareReportBody,
  reportOfficialsQuery,
  reportPreparedAnswer,
  reportPreparing,
  reportOfficialsResponses,
  reportQuery,
  reportResponses,
  type ReportName,
  type ReportOfficialsName,
} from '../../../contract/reports.js';
import { coordinatesProgram, coordinatorLimits } from '../../../domain/authz/index.js';
import { DomainError } from '../../../domain/errors.js';
import type { Ctx } from '../../context.js';
import { formatQuery, sendTable } from '../../export/routes.js';
import { defineRoute, fileResponse, mediaTypes } from '../../http/route.js';
import { countyShapes } from './county-shapes.js';
import { reportTables } from './reports.exports.js';
import { prepareReport, type Prepared } from './reports.prepared.js';
import {
  computeReports,
  defaultAsOf,
  pageReport,
  programInfo,
  reportOfficials,
  type ReportKey,
  type ReportParams,
} from './reports.service.js';

const keyOf = {
  coverage: 'coverage',
  cohorts: 'cohorts',
  funnel: 'funnel',
  'session-fill': 'sessionFill',
  renewal: 'renewal',
  turnaround: 'turnaround',
} as const;

/** Each report's name in operationIds: getCoverageReport, exportCoverageReport, … */
const operationNames: Record<ReportName, string> = {
  coverage: 'CoverageReport',
  cohorts: 'CohortReport',
  funnel: 'FunnelReport',
  'session-fill': 'SessionFillReport',
  renewal: 'RenewalReport',
  turnaround: 'TurnaroundReport',
};

/** What each report holds, for its description. */
const descriptions: Record<ReportName, string> = {
  coverage: "Per county, where the program's officials stand: certified, in progress or none.",
  cohorts: "Each pilot cohort's officials and where they stand against the cohort deadline.",
  funnel: "How many of the program's officials stand at each stage, from enrollment to award.",
  'session-fill': 'Per course: fill rates and waitlist demand across its sessions.',
  renewal: "The program's award holders by renewal state (current, renewal due, in grace, lapsed, reinstated).",
  turnaround: 'How long outside-credit claims took to be decided.',
};

const titles: Record<ReportName, string> = {
  coverage: 'Certification coverage by county',
  cohorts: 'Pilot cohort progress against its deadline',
  funnel: 'Program funnel',
  'session-fill': 'Session fill rates and waitlist demand by course',
  renewal: 'Renewal compliance',
  turnaround: 'Review turnaround for outside-credit claims',
};

/**
 * The program, the date (today in the program's zone unless given) and today. A coordinator
 * limited to other programs is refused the program's reports (403); an API token with
 * `reports:read` (no person) reads every program.
 */
async function paramsOf(ctx: Ctx, q: z.infer<typeof reportQuery>) {
  if (ctx.actor && !coordinatesProgram(ctx.actor, q.programId))
    throw new DomainError('forbidden', 'You coordinate other programs, not this one.');
  const today = await defaultAsOf(ctx.db, q.programId, ctx.now());
  return { programId: q.programId, asOf: q.asOf ?? today, today };
}

/** The reports that evaluate people: as of a day other than today, they read a prepared run. */
const PEOPLE_REPORTS: ReadonlySet<ReportKey> = new Set(['coverage', 'cohorts', 'funnel', 'renewal']);

const iso = (t: string) => new Date(t).toISOString();

/** What a response says of the run a report of another day was read from. */
function preparedOf(p: Extract<Prepared, { state: 'ready' }>) {
  return {
    startedAt: iso(p.run.started_at),
    finishedAt: iso(p.run.finished_at!),
    officials: p.run.total,
    changedSince: p.changedSince,
    ...(p.next ? { next: { startedAt: iso(p.next.started_at), done: p.next.done, total: p.next.total } } : {}),
  };
}

/** A failed preparation of the day, with nothing older to read: 409 naming what to do. */
function refuseFailed(p: Prepared): asserts p is Exclude<Prepared, { state: 'failed' }> {
  if (p.state === 'failed')
    throw new DomainError(
      'conflict',
      `Preparing the report as of ${p.run.as_of} failed (${p.run.failed}). Prepare it again; if it fails again, tell your system administrator.`,
    );
}

/** The 202 answer while a day's run is being prepared: its progress. */
async function preparingOf(ctx: Ctx, p: Extract<Prepared, { state: 'preparing' }>) {
  return {
    program: await programInfo(ctx.db, p.run.program_id),
    asOf: p.run.as_of,
    preparing: { startedAt: iso(p.run.started_at), done: p.run.done, total: p.run.total },
  };
}

/**
 * As of today, or for a report that evaluates nobody, the parameters as they are. As of another
 * day, the day's prepared run (started when there is none): its id in the parameters when ready.
 */
async function withRun(
  ctx: Ctx,
  params: ReportParams,
  key: ReportKey,
): Promise<{ params: ReportParams; prepared?: Exclude<Prepared, { state: 'failed' }> }> {
  if (params.asOf === params.today || !PEOPLE_REPORTS.has(key)) return { params };
  const prepared = await prepareReport(ctx, params.programId, params.asOf);
  refuseFailed(prepared);
  return prepared.state === 'ready' ? { params: { ...params, runId: prepared.run.id }, prepared } : { params, prepared };
}

/** The report with every official listed: what the downloads hold. */
async function loadInFull(ctx: Ctx, name: ReportName, q: z.infer<typeof reportQuery>) {
  refuseCountyLimited(ctx, 'Report downloads list every official of the program');
  const key = keyOf[name];
  const { params, prepared } = await withRun(ctx, await paramsOf(ctx, q), key);
  if (prepared?.state === 'preparing')
    throw new DomainError(
      'conflict',
      `The report as of ${params.asOf} is being prepared (${prepared.run.done} of ${prepared.run.total} officials); download it once it is ready.`,
    );
  const r = await computeReports(ctx.db, params, [key]);
  return { program: r.program, asOf: r.asOf, report: r[key] };
}

/**
 * A coordinator limited to counties reads a program's figures, and the names behind them only in
 * their counties: the lists that name officials across the state are refused (403).
 */
function refuseCountyLimited(ctx: Ctx, what: string): void {
  if (coordinatorLimits(ctx.actor)?.counties.length)
    throw new DomainError(
      'forbidden',
      `${what}; you coordinate some counties only. Open a county of yours on the coverage report for its officials.`,
    );
}

/** Each list of officials behind a report, for its description. */
const officialsDescriptions: Record<ReportOfficialsName, string> = {
  coverage: "One page of a county's officials (`county`, its FIPS code) with their certification status",
  cohorts: "One page of a pilot cohort's members (`cohort`) with where each stands against its deadline",
  renewal: 'One page of the certified officials with their renewal cycle, optionally in one `renewalState`',
};
const officialsNames: Record<ReportOfficialsName, string> = {
  coverage: 'CoverageOfficials',
  cohorts: 'CohortOfficials',
  renewal: 'RenewalOfficials',
};

export function reportRoutes(app: FastifyInstance): void {
  const tags = ['Reports'];
  const errors = { 400: problemSchema, 403: problemSchema, 404: problemSchema };
  for (const name of Object.keys(keyOf) as ReportName[]) {
    defineRoute(app, {
      method: 'GET',
      url: `/api/reports/${name}`,
      action: 'reports.read',
      schema: {
        tags,
        operationId: `get${operationNames[name]}`,
        summary: titles[name],
        description: `${descriptions[name]} For one program (\`programId\`), as of today or \`asOf\`.${
          PEOPLE_REPORTS.has(keyOf[name])
            ? ' As of another day the officials are evaluated once in the background and kept (`prepared`); until then the answer is 202 with the progress. Ask again to read it.'
            : ''
        }`,
        querystring: reportQuery,
        response: PEOPLE_REPORTS.has(keyOf[name])
          ? { 200: reportResponses[name], 202: reportPreparing, 409: problemSchema, ...errors }
          : { 200: reportResponses[name], ...errors },
      },
      handler: async (req, reply) => {
        const { params, prepared } = await withRun(req.ctx, await paramsOf(req.ctx, req.query), keyOf[name]);
        if (prepared?.state === 'preparing') {
          reply.status(202);
          return preparingOf(req.ctx, prepared);
        }
        const r = await pageReport(req.ctx.db, params, keyOf[name]);
        return prepared ? { ...r, prepared: preparedOf(prepared) } : r;
      },
    });
    defineRoute(app, {
      method: 'GET',
      url: `/api/reports/${name}/export`,
      action: 'reports.read',
      schema: {
        tags,
        operationId: `export${operationNames[name]}`,
        summary: `${titles[name]} (CSV or XLSX)`,
        description: `The same figures as GET /api/reports/${name}, as an attachment: CSV (\`format=csv\`, the default) or XLSX (\`format=xlsx\`).`,
        querystring: reportQuery.extend(formatQuery),
        response: PEOPLE_REPORTS.has(keyOf[name])
          ? { 200: fileResponse('The report as a file', mediaTypes.csv, mediaTypes.xlsx), 409: problemSchema, ...errors }
          : { 200: fileResponse('The report as a file', mediaTypes.csv, mediaTypes.xlsx), ...errors },
      },
      handler: async (req, reply) => {
        const { format, ...q } = req.query;
        const r = await loadInFull(req.ctx, name, q);
        const table = reportTables[name](r.report as never);
        return sendTable(reply, req.ctx, {
          format,
          base: `${name}-${r.program.code}-as-of-${r.asOf}`,
          sheet: name,
          ...table,
        });
      },
    });
  }
  for (const name of Object.keys(officialsNames) as ReportOfficialsName[]) {
    defineRoute(app, {
      method: 'GET',
      url: `/api/reports/${name}/officials`,
      action: 'reports.read',
      schema: {
        tags,
        operationId: `list${officialsNames[name]}`,
        summary: `${titles[name]}: officials, one page at a time`,
        description: `${officialsDescriptions[name]}, ordered by name, with the total. For one program (\`programId\`), as of today or \`asOf\` (another day: read from its prepared run, 202 with the progress while it is prepared).`,
        querystring: reportOfficialsQuery[name],
        response: { 200: reportOfficialsResponses[name], 202: reportPreparing, 409: problemSchema, ...errors },
      },
      handler: async (req, reply) => {
        const { programId, asOf, page, pageSize, ...filter } = req.query;
        const limits = coordinatorLimits(req.ctx.actor);
        if (name !== 'coverage') refuseCountyLimited(req.ctx, 'This list names officials across the program');
        else if (limits?.counties.length && !limits.counties.includes((filter as { county: string }).county))
          throw new DomainError('forbidden', 'This county is not one you coordinate.');
        const { params, prepared } = await withRun(req.ctx, await paramsOf(req.ctx, { programId, asOf }), name);
        if (prepared?.state === 'preparing') {
          reply.status(202);
          return preparingOf(req.ctx, prepared);
        }
        return reportOfficials(req.ctx.db, params, name, filter as never, { page, pageSize });
      },
    });
  }
  defineRoute(app, {
    method: 'POST',
    url: '/api/reports/prepare',
    action: 'reports.prepare',
    schema: {
      tags,
      operationId: 'prepareReports',
      summary: 'Prepare the reports of a day again',
      description:
        "Evaluates the program's officials as of a day other than today again, replacing the day's prepared run (the coverage, cohort, funnel and renewal reports of that day, their lists and downloads read it). A small program is prepared within the request (200); a large one in the background (202 with the progress, or 200 with the finished run and the new one's progress as `prepared.next`; readers keep the finished run until the new one is done). 400 naming `asOf` for today, whose reports read the status cache; 409 when the preparation failed.",
      body: prepareReportBody,
      response: { 200: reportPreparedAnswer, 202: reportPreparing, 409: problemSchema, ...errors },
    },
    handler: async (req, reply) => {
      const params = await paramsOf(req.ctx, req.body);
      if (params.asOf === params.today)
        throw new DomainError('validation', 'Reports as of today read the status cache; there is nothing to prepare.', {
          issues: [{ field: 'body.asOf', message: 'Choose a day other than today: reports as of today need no preparing.' }],
        });
      const prepared = await prepareReport(req.ctx, params.programId, params.asOf, { again: true });
      refuseFailed(prepared);
      if (prepared.state === 'preparing') {
        reply.status(202);
        return preparingOf(req.ctx, prepared);
      }
      return { program: await programInfo(req.ctx.db, params.programId), asOf: params.asOf, prepared: preparedOf(prepared) };
    },
  });
  defineRoute(app, {
    method: 'GET',
    url: '/api/reports/county-shapes/:stateFips',
    action: 'reports.read',
    schema: { operationId: 'getCountyShapes', description: 'County outlines of one state as SVG paths, for drawing the coverage map.', 
      tags,
      summary: 'County outlines of a state',
      params: countyShapesParams,
      response: { 200: countyShapesSchema, ...errors },
    },
    handler: async (req, reply) => {
      reply.header('cache-control', 'private, max-age=86400');
      return countyShapes(req.params.stateFips);
    },
  });
}
