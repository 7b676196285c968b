/**
 * Every HTTP route is declared through `defineRoute`, which requires an
 * authorization action from the one table in src/domain/authz. The app's
 * preHandler checks it before the handler runs (deny by default), and the
 * role-matrix test enumerates the routes registered here.
 *
 * `defineRoute` also makes the API document complete: every route must name an
 * `operationId` (camelCase, unique), a short `summary` and a `description`; who
 * may call it, its security requirement and the problems the app's hooks answer
 * (400, 401, 403) are derived here from the action, so they cannot drift.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest, FastifySchema, RouteOptions } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { isPublic, isTokenOnly, policy, tokenPolicy, type Action } from '../../domain/authz/index.js';
import { problemSchema } from '../../contract/common.js';
import type { Ctx } from '../context.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    action?: Action;
    /** The upload form the API document describes (see UploadForm). */
    upload?: UploadForm;
  }
  interface FastifyRequest {
    ctx: Ctx;
    sessionId: string | null;
    csrfToken: string | null;
  }
}

/** Media types of the files the API sends. */
export const mediaTypes = {
  csv: 'text/csv',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  pdf: 'application/pdf',
  ics: 'text/calendar',
  png: 'image/png',
  jpeg: 'image/jpeg',
  html: 'text/html',
  eml: 'message/rfc822',
  binary: 'application/octet-stream',
} as const;
export type MediaType = (typeof mediaTypes)[keyof typeof mediaTypes];

/** A response that is a file, not JSON: its media types, each a binary string. */
export interface FileResponse {
  description: string;
  content: Partial<Record<MediaType, { schema: z.ZodType }>>;
}

const binary = z.string().meta({ format: 'binary' });

/** Declares a file response (a download) in the API document. */
export function fileResponse(description: string, ...types: MediaType[]): FileResponse {
  return { description, content: Object.fromEntries(types.map((t) => [t, { schema: binary }])) };
}

/**
 * A multipart/form-data upload, for the API document only: the handler reads the stream itself
 * (fastify never validates it), so the form is described here and added as the operation's
 * requestBody by the document's transform (openapi.ts).
 */
export interface UploadForm {
  /** The text fields, in the order the handler reads them (before the file). */
  fields: Record<string, { description: string; enum?: readonly string[]; format?: 'uuid' }>;
  /** The file part's name and what it may be. */
  file: { name: string; description: string; mediaTypes: readonly string[] };
  required: readonly string[];
}

type Schema = {
  /** Stable, unique, camelCase: client generators name their methods after it. */
  operationId: string;
  /** A few words, shown in lists of operations. */
  summary: string;
  /** One or two sentences a client author needs: what it does and returns. Who may call it is added. */
  description: string;
  tags: string[];
  params?: z.ZodType;
  querystring?: z.ZodType;
  body?: z.ZodType;
  /** A multipart upload the handler reads itself (documented, never validated by fastify). */
  upload?: UploadForm;
  response?: Record<number, z.ZodType | FileResponse>;
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

/** The names of the security schemes in the API document (see buildApp). */
export const SECURITY_SESSION = 'session';
export const SECURITY_CSRF = 'csrf';
/** An integration's API token, `Authorization: Bearer cct_…` (issue 17). */
export const SECURITY_BEARER = 'apiToken';

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * The security requirement of an operation. Signed-in operations need the session cookie, and
 * the CSRF header as well when they change something. Public ones need nothing; a public change
 * (signing in) made while a session cookie is present is checked for the CSRF header too.
 */
export function securityFor(method: string, action: Action): Record<string, string[]>[] {
  const unsafe = !SAFE.has(method);
  const session: Record<string, string[]> = unsafe
    ? { [SECURITY_SESSION]: [], [SECURITY_CSRF]: [] }
    : { [SECURITY_SESSION]: [] };
  // Actions open to API tokens take the bearer token instead (without the CSRF header); an action
  // no role may call (a provider's roster) takes it only.
  const bearer = tokenPolicy[action] ? [{ [SECURITY_BEARER]: [] }] : [];
  if (isTokenOnly(action)) return bearer;
  if (!isPublic(action)) return [session, ...bearer];
  return unsafe ? [{}, session] : [];
}

/** Who may call an action, in words, for the operation's description. */
export function audienceOf(action: Action): string {
  const audience = policy[action] as string | readonly string[];
  if (audience === 'public') return 'Anyone, signed in or not.';
  if (audience === 'signed-in') return 'Any signed-in account.';
  const scope = tokenPolicy[action];
  const token = scope ? `API tokens with the scope \`${scope}\`.` : '';
  if (audience.length === 0) return token;
  return [`Signed-in accounts with the role ${[...audience].join(', ')}.`, token].filter(Boolean).join(' ');
}

const operationIdPattern = /^[a-z][a-zA-Z0-9]*$/;
// Keyed by the HTTP server, which an app and its encapsulated plugin scopes share.
const operationIds = new WeakMap<object, Set<string>>();

export function defineRoute<S extends Schema>(app: FastifyInstance, def: RouteDef<S>): void {
  const { operationId, summary, description } = def.schema;
  if (!operationIdPattern.test(operationId))
    throw new Error(`Route ${def.method} ${def.url}: operationId "${operationId}" is not camelCase`);
  const seen = operationIds.get(app.server) ?? new Set<string>();
  operationIds.set(app.server, seen);
  if (seen.has(operationId))
    throw new Error(`Route ${def.method} ${def.url}: operationId "${operationId}" is already used`);
  seen.add(operationId);
  if (!summary.trim() || !description.trim())
    throw new Error(`Route ${def.method} ${def.url}: summary and description are required`);

  // The problems every route can answer before its handler runs (see the app's preValidation hook).
  const response: Record<number, z.ZodType | FileResponse> = { ...def.schema.response };
  const { upload, ...s }: Schema = def.schema;
  if (s.params || s.querystring || s.body || upload) response[400] ??= problemSchema;
  if (!isPublic(def.action)) {
    response[401] ??= problemSchema;
    response[403] ??= problemSchema;
  } else if (!SAFE.has(def.method)) response[403] ??= problemSchema; // a stale CSRF header

  app.withTypeProvider<ZodTypeProvider>().route({
    method: def.method,
    url: def.url,
    schema: {
      ...s,
      description: `${description.trim()}\n\n**Who may call it:** ${audienceOf(def.action)}`,
      response,
      security: securityFor(def.method, def.action),
    } as FastifySchema,
    config: { action: def.action, upload },
    bodyLimit: def.bodyLimit,
    handler: def.handler as unknown as RouteOptions['handler'],
  });
}

/** Builds a page envelope for list responses. */
export const paged = <T>(items: T[], total: number, q: { page: number; pageSize: number }) => ({
  items,
  page: { page: q.page, pageSize: q.pageSize, total },
});
