/**
 * Every HTTP route is declared through `defineRoute`, which requires an
 * authorization action from the one table in src/domain/authz. The app's
 * preHandler checks it before the handler runs (deny by default), and the
 * role-matrix test enumerates the routes registered here.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest, RouteOptions } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { z } from 'zod';
import type { Action } from '../../domain/authz/index.js';
import type { Ctx } from '../context.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    action?: Action;
  }
  interface FastifyRequest {
    ctx: Ctx;
    sessionId: string | null;
    csrfToken: string | null;
  }
}

type Schema = {
  params?: z.ZodType;
  querystring?: z.ZodType;
  body?: z.ZodType;
  response?: Record<number, z.ZodType>;
  summary?: string;
  tags?: string[];
  description?: string;
};

type Infer<T> = T extends z.ZodType ? z.infer<T> : undefined;

export interface RouteDef<S extends Schema> {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  url: string;
  action: Action;
  schema: S;
  bodyLimit?: number;
  handler: (
    req: FastifyRequest & {
      body: Infer<S['body']>;
      query: Infer<S['querystring']>;
      params: Infer<S['params']>;
    },
    reply: FastifyReply,
  ) => Promise<unknown>;
}

export function defineRoute<S extends Schema>(app: FastifyInstance, def: RouteDef<S>): void {
  app.withTypeProvider<ZodTypeProvider>().route({
    method: def.method,
    url: def.url,
    schema: def.schema,
    config: { action: def.action },
    bodyLimit: def.bodyLimit,
    handler: def.handler as unknown as RouteOptions['handler'],
  });
}

/** Builds a page envelope for list responses. */
export const paged = <T>(items: T[], total: number, q: { page: number; pageSize: number }) => ({
  items,
  page: { page: q.page, pageSize: q.pageSize, total },
});
