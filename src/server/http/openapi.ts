/**
 * How the API document is generated from the route contracts: @fastify/swagger
 * with the zod transforms, plus what a client generator needs and the zod
 * transform does not say — the security schemes, a server, error responses as
 * application/problem+json, and a description for each response.
 */
import type { FastifyDynamicSwaggerOptions, SwaggerTransform } from '@fastify/swagger';
import { jsonSchemaTransform, jsonSchemaTransformObject } from 'fastify-type-provider-zod';
import { SECURITY_BEARER, SECURITY_CSRF, SECURITY_SESSION, type UploadForm } from './route.js';

/** The media type of every error response (RFC 9457), as problems.ts sends it. */
export const PROBLEM_MEDIA_TYPE = 'application/problem+json';

const statusText: Record<string, string> = {
  '200': 'OK',
  '201': 'Created',
  '202': 'Accepted: the work goes on in the background',
  '400': 'The request is not valid; `errors` names each field',
  '401': 'Sign-in required, or the sign-in failed',
  '403': 'Not allowed for this account (or the CSRF header is missing or wrong)',
  '404': 'Not found (or not visible to this account)',
  '409': 'Conflicts with the current state; `detail` says why',
  '413': 'The request body is too large',
  '415': 'Unsupported content type',
  '429': 'Too many attempts: wait for Retry-After seconds',
  '503': 'The database is unavailable: retry after Retry-After seconds',
};

type JsonResponse = { description?: string; content?: Record<string, unknown> } & Record<string, unknown>;

/** An upload form as the JSON schema of a multipart/form-data request body. */
function uploadBody(form: UploadForm): Record<string, unknown> {
  const properties: Record<string, unknown> = {};
  for (const [name, f] of Object.entries(form.fields)) {
    properties[name] = {
      type: 'string',
      description: f.description,
      ...(f.enum ? { enum: f.enum } : {}),
      ...(f.format ? { format: f.format } : {}),
    };
  }
  properties[form.file.name] = {
    type: 'string',
    format: 'binary',
    description: `${form.file.description} (${form.file.mediaTypes.join(', ')})`,
  };
  return { type: 'object', properties, required: [...form.required] };
}

/**
 * Wraps the zod transform: error responses become application/problem+json, each response gets a
 * description, and an upload the handler reads itself is documented as its multipart form.
 */
const transform: SwaggerTransform = (input) => {
  const out = jsonSchemaTransform(input);
  const upload = input.route.config?.upload;
  if (upload && out.schema) {
    Object.assign(out.schema, { body: uploadBody(upload), consumes: ['multipart/form-data'] });
  }
  const schema = out.schema as { response?: Record<string, JsonResponse> } | undefined;
  if (!schema?.response) return out;
  const response: Record<string, JsonResponse> = {};
  for (const [status, r] of Object.entries(schema.response)) {
    const description = r.description ?? statusText[status] ?? 'Response';
    if (r.content) response[status] = { ...r, description };
    else if (Number(status) >= 400)
      response[status] = { description, content: { [PROBLEM_MEDIA_TYPE]: { schema: r } } };
    else response[status] = { ...r, description };
  }
  return { ...out, schema: { ...schema, response } } as typeof out;
};

/**
 * Keeps only the component schemas the operations use (directly or through other schemas): the
 * zod registry also holds input-side variants and schemas no route names.
 */
const usedSchemasOnly: FastifyDynamicSwaggerOptions['transformObject'] = (input) => {
  const doc = jsonSchemaTransformObject(input) as {
    paths?: unknown;
    components?: { schemas?: Record<string, unknown> };
  };
  const schemas = doc.components?.schemas;
  if (!schemas) return doc as never;
  const used = new Set<string>();
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) return value.forEach(visit);
    if (!value || typeof value !== 'object') return;
    for (const [key, v] of Object.entries(value)) {
      const name =
        key === '$ref' && typeof v === 'string' ? /^#\/components\/schemas\/(.+)$/.exec(v)?.[1] : undefined;
      if (name && !used.has(name)) {
        used.add(name);
        visit(schemas[name]);
      } else visit(v);
    }
  };
  visit(doc.paths);
  const kept = Object.fromEntries(Object.entries(schemas).filter(([name]) => used.has(name)));
  return { ...doc, components: { ...doc.components, schemas: kept } } as never;
};

export function openApiOptions(sessionCookie: string): FastifyDynamicSwaggerOptions {
  return {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'CivicCert API',
        version: '1.0.0',
        description:
          'Certification and continuing-education programs for public officials. Errors are application/problem+json (RFC 9457). Sign in with POST /api/session: it sets the session cookie; changes (POST, PUT, PATCH, DELETE) made with the cookie also need the `x-csrf-token` header, whose value GET /api/session and POST /api/session return as `csrfToken`. Integrations call the operations that allow it with an API token (`Authorization: Bearer cct_…`) instead.',
      },
      servers: [{ url: '/', description: 'The server that serves this document' }],
      components: {
        securitySchemes: {
          [SECURITY_SESSION]: {
            type: 'apiKey',
            in: 'cookie',
            name: sessionCookie,
            description: 'The session cookie set by POST /api/session (HttpOnly).',
          },
          [SECURITY_CSRF]: {
            type: 'apiKey',
            in: 'header',
            name: 'x-csrf-token',
            description:
              'The `csrfToken` of the session (from GET or POST /api/session), required on every change made with the session cookie.',
          },
          [SECURITY_BEARER]: {
            type: 'http',
            scheme: 'bearer',
            bearerFormat: 'cct_ followed by 43 base64url characters',
            description:
              'An API token an administrator created for an integration (`Authorization: Bearer cct_…`). It opens only the operations that name it, each needing one scope (`credits:write`, `reports:read`); expired or revoked tokens get 401. See docs/integrations.md.',
          },
        },
      },
    },
    transform,
    // Fills components.schemas with the contracts named by .meta({ id }), so every $ref resolves.
    transformObject: usedSchemasOnly,
  };
}
