/**
 * `defineExport`: a sibling `/export` route for a list. It takes the list's own
 * query schema (minus paging) plus `format=csv|xlsx`, fetches every page
 * through the list's own service (so filters and permissions are the list's),
 * and sends the file as an attachment.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import type { Action } from '../../domain/authz/index.js';
import { DomainError } from '../../domain/errors.js';
import type { Ctx } from '../context.js';
import { problemSchema } from '../../contract/common.js';
import { defineRoute, fileResponse, mediaTypes } from '../http/route.js';
import { recordAudit } from '../modules/audit/audit.service.js';
import { localToday } from '../modules/certification/queries.js';
import { attachment, exportFormats, renderTable, type Column, type ExportFormat } from './tabular.js';

export const formatQuery = {
  format: z.enum(exportFormats, { message: 'Format must be csv or xlsx.' }).default('csv'),
};

/** The most rows one export writes; larger lists are narrowed with filters first. */
export const MAX_EXPORT_ROWS = 100_000;
const PAGE = 200;

/** Fetches every page of a paged list service. */
export async function allPages<T, Q>(
  fetchPage: (q: Q & { page: number; pageSize: number }) => Promise<{ items: T[]; total: number }>,
  q: Q,
): Promise<T[]> {
  const out: T[] = [];
  for (let page = 1; ; page++) {
    const { items, total } = await fetchPage({ ...q, page, pageSize: PAGE });
    out.push(...items);
    if (total > MAX_EXPORT_ROWS)
      throw new DomainError(
        'validation',
        `This list has ${total} rows; exports hold at most ${MAX_EXPORT_ROWS}. Narrow it with filters first.`,
      );
    if (items.length < PAGE || out.length >= total) return out;
  }
}

/** Sends a table as a CSV or XLSX download named `<base>-<yyyy-mm-dd>.<format>`. */
export async function sendTable<T>(
  reply: FastifyReply,
  ctx: Ctx,
  o: { format: ExportFormat; base: string; sheet?: string; columns: Column<T>[]; rows: T[] },
): Promise<FastifyReply> {
  const { body, contentType } = await renderTable(o.format, {
    columns: o.columns,
    rows: o.rows,
    sheet: o.sheet ?? o.base,
  });
  const day = await localToday(ctx.db, ctx.now());
  return reply
    .type(contentType)
    .header('content-disposition', attachment(`${o.base}-${day}.${o.format}`))
    .header('cache-control', 'no-store')
    .send(body);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any zod object schema
type AnyObject = z.ZodObject<any>;

/**
 * Registers GET `<url>` returning the whole list as CSV or XLSX.
 * `listQuery` is the list route's query schema; its page and pageSize are dropped.
 */
export function defineExport<Q extends AnyObject, T>(
  app: FastifyInstance,
  def: {
    url: string;
    action: Action;
    tags: string[];
    /** Stable, unique, camelCase (see defineRoute). */
    operationId: string;
    summary: string;
    /** What the rows are, when the summary does not say; the columns and format are described here. */
    description?: string;
    listQuery: Q;
    base: string;
    sheet?: string;
    columns: Column<T>[];
    /**
     * Whether each download is written to the audit log (who took which rows out, with which
     * filters). On by default; off for public reference data such as jurisdictions.
     */
    audit?: boolean;
    /** Path parameters of a list that belongs to something, e.g. `{ id }` of a program's enrollments. */
    params?: AnyObject;
    fetchPage: (
      ctx: Ctx,
      q: z.infer<Q> & { page: number; pageSize: number },
      params: Record<string, string>,
    ) => Promise<{ items: T[]; total: number }>;
  },
): void {
  const shape = { ...def.listQuery.shape } as Record<string, z.ZodType>;
  delete shape.page;
  delete shape.pageSize;
  const querystring = z.strictObject({ ...shape, ...formatQuery });
  defineRoute(app, {
    method: 'GET',
    url: def.url,
    action: def.action,
    schema: {
      tags: def.tags,
      operationId: def.operationId,
      summary: def.summary,
      description: [
        def.description,
        `The whole list (every page, at most ${MAX_EXPORT_ROWS} rows) with the same filters, as an attachment: CSV (\`format=csv\`, the default) or XLSX (\`format=xlsx\`). Columns: ${def.columns.map((c) => c.header).join(', ')}.`,
      ]
        .filter(Boolean)
        .join(' '),
      querystring,
      ...(def.params ? { params: def.params } : {}),
      response: {
        200: fileResponse('The list as a file', mediaTypes.csv, mediaTypes.xlsx),
        400: problemSchema,
        403: problemSchema,
        404: problemSchema,
      },
    },
    handler: async (req, reply) => {
      const { format, ...filters } = req.query as { format: ExportFormat } & Record<string, unknown>;
      const params = (req.params ?? {}) as Record<string, string>;
      const rows = await allPages((q) => def.fetchPage(req.ctx, q as never, params), filters);
      if (def.audit !== false && req.ctx.actor)
        await recordAudit(req.ctx.db, req.ctx, {
          action: 'list.export',
          entityType: def.base,
          entityId: params.id ?? null,
          after: { format, filters, rows: rows.length },
        });
      return sendTable(reply, req.ctx, {
        format,
        base: def.base,
        ...(def.sheet ? { sheet: def.sheet } : {}),
        columns: def.columns,
        rows,
      });
    },
  });
}
