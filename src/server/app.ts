/**
 * Composition root for HTTP: plugins, the authentication and authorization
 * hooks, the problem+json error handler, the routes and the web app.
 */
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import fastifyCookie from '@fastify/cookie';
import fastifyHelmet, { type FastifyHelmetOptions } from '@fastify/helmet';
import fastifyStatic from '@fastify/static';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import {
  allowedBeforeSecondFactor,
  can,
  isPublic,
  tokenRefusal,
  type Action,
} from '../domain/authz/index.js';
import { DomainError, type FieldIssue } from '../domain/errors.js';
import type { Deps } from './context.js';
import { problemFor, sendProblem, toProblem } from './http/problems.js';
import { openApiOptions } from './http/openapi.js';
import { createMetrics } from './metrics.js';
import { redactUrl } from './http/redact.js';
import { adminRoutes } from './modules/admin/admin.routes.js';
import { authRoutes, SESSION_COOKIE } from './modules/auth/auth.routes.js';
import { secondFactorRoutes } from './modules/auth/second-factor.routes.js';
import { oidcRoutes } from './modules/sso/oidc.routes.js';
import { providerSignOutUrl } from './modules/sso/oidc.service.js';
import { resolveSession, type SessionUser } from './modules/auth/auth.service.js';
import { emailConfirmRoutes, peopleRoutes } from './modules/people/people.routes.js';
import { notificationRoutes } from './modules/people/notifications.routes.js';
import { accountRequestRoutes } from './modules/account-requests/account-requests.routes.js';
import { programRoutes } from './modules/programs/programs.routes.js';
import { impactRoutes } from './modules/certification/impact.routes.js';
import { catalogRoutes } from './modules/catalog/catalog.routes.js';
import { sessionRoutes } from './modules/sessions/sessions.routes.js';
import { creditRoutes } from './modules/credits/credits.routes.js';
import { claimRoutes } from './modules/claims/claims.routes.js';
import { transcriptRoutes } from './modules/transcripts/transcripts.routes.js';
import { awardRoutes } from './modules/awards/awards.routes.js';
import { credentialRoutes } from './modules/credentials/credentials.routes.js';
import { issuerRoutes } from './modules/issuers/issuers.routes.js';
import { designRoutes } from './modules/designs/designs.routes.js';
import { cycleRoutes } from './modules/certification/cycles.routes.js';
import { factRoutes } from './modules/certification/facts.routes.js';
import { planningRoutes } from './modules/planning/planning.routes.js';
import { reportRoutes } from './modules/reports/reports.routes.js';
import { officialExportRoutes } from './export/official.js';
import { importRoutes } from './modules/imports/imports.routes.js';
import { systemRoutes } from './modules/system/system.routes.js';
import { apiTokenRoutes } from './modules/api-tokens/api-tokens.routes.js';
import {
  bearerOf,
  recordTokenUse,
  resolveApiToken,
  TOKEN_PREFIX,
} from './modules/api-tokens/api-tokens.service.js';
import { providerRosterRoutes } from './modules/sessions/provider-roster.routes.js';
import { webhookRoutes } from './modules/webhooks/webhooks.routes.js';
import { isNoindex, isWebPage } from '../contract/web-paths.js';

declare module 'fastify' {
  interface FastifyRequest {
    sessionUser: SessionUser | null;
    /** The API token the request presented, when it names one we know (every use is recorded). */
    apiTokenId: string | null;
  }
}

export interface RegisteredRoute {
  method: string;
  url: string;
  action: Action;
}

export interface AppOptions {
  logger?: boolean | object;
  /** Serve the built web app from this folder when it exists. */
  webRoot?: string;
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export type AppInstance = FastifyInstance & { registeredRoutes: RegisteredRoute[] };

/** Fields (dotted paths) whose text contains the NUL character. */
function nulIssues(value: unknown, path: string, depth = 0, out: FieldIssue[] = []): FieldIssue[] {
  if (typeof value === 'string') {
    if (value.includes('\u0000'))
      out.push({
        field: path || '(body)',
        message: 'Remove the NUL character (\\u0000); text cannot contain it.',
      });
  } else if (value && typeof value === 'object' && depth < 20) {
    for (const [k, v] of Object.entries(value)) nulIssues(v, path ? `${path}.${k}` : k, depth + 1, out);
  }
  return out;
}

/** A hop count as Fastify applies it (its types omit the number form): the nearest `hops` are proxies. */
const trustHops =
  (hops: number) =>
  (_address: string, hop: number): boolean =>
    hop < hops;

/** Request logs name the URL with its secrets hidden (password links, calendar feeds). */
function withRedactedUrls(logger: boolean | object): boolean | object {
  if (typeof logger !== 'object') return logger;
  const options = logger as { serializers?: Record<string, unknown> };
  return {
    ...options,
    serializers: {
      ...options.serializers,
      req: (req: FastifyRequest) => ({
        method: req.method,
        url: redactUrl(req.url),
        host: req.host,
        remoteAddress: req.ip,
        remotePort: req.socket?.remotePort,
      }),
    },
  };
}

/**
 * The headers helmet adds with these options, found once by answering one request with and one
 * without it on throwaway instances (they depend on the options only, never on the request).
 */
export async function securityHeaders(options: FastifyHelmetOptions): Promise<Record<string, string>> {
  const answer = async (withHelmet: boolean) => {
    const probe = Fastify({ logger: false });
    if (withHelmet) await probe.register(fastifyHelmet, options);
    probe.get('/', async () => ({}));
    const res = await probe.inject({ method: 'GET', url: '/' });
    await probe.close();
    return res.headers;
  };
  const [plain, secured] = await Promise.all([answer(false), answer(true)]);
  return Object.fromEntries(
    Object.entries(secured).flatMap(([name, value]) =>
      name in plain || value === undefined ? [] : [[name, String(value)]],
    ),
  );
}

export async function buildApp(deps: Deps, opts: AppOptions = {}): Promise<AppInstance> {
  const app = Fastify({
    logger: withRedactedUrls(opts.logger ?? { level: deps.config.logLevel }),
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && /^[\w-]{1,64}$/.test(given) ? given : randomUUID();
    },
    bodyLimit: 256 * 1024,
    // Only the configured proxies may name the client (X-Forwarded-For); see docs/operations.md.
    trustProxy:
      typeof deps.config.trustProxy === 'number' ? trustHops(deps.config.trustProxy) : deps.config.trustProxy,
    routerOptions: { maxParamLength: 200 },
    // The router's own rejections (a bad %-escape, an over-long path segment) answer as problems too.
    frameworkErrors: (error, req, reply) => {
      const tooLong = error.code === 'FST_ERR_MAX_PARAM_LENGTH';
      if (!tooLong && error.code !== 'FST_ERR_BAD_URL') return sendProblem(reply, toProblem(error, req).body);
      const message = tooLong ? 'Part of the address is too long.' : 'The address is not valid.';
      return sendProblem(reply, {
        ...problemFor('validation', message, [{ field: '(path)', message }]),
        ...(tooLong ? { status: 414, title: 'Address too long' } : {}),
        instance: req.url.split('?')[0],
      });
    },
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);

  const registeredRoutes: RegisteredRoute[] = [];
  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    // Routes added by plugins (API docs, static files) are public by nature.
    const action: Action | undefined =
      route.config?.action ??
      (route.url.startsWith('/api/docs')
        ? 'system.docs'
        : route.url.startsWith('/api/')
          ? undefined
          : 'system.web');
    if (!action) throw new Error(`Route ${methods.join(',')} ${route.url} has no authorization action`);
    route.config = { ...(route.config ?? {}), action };
    for (const m of methods) if (m !== 'HEAD') registeredRoutes.push({ method: m, url: route.url, action });
  });

  await app.register(fastifyCookie);
  // The security headers (helmet) are the same on every answer: worked out once at start-up and
  // set by one hook. @fastify/helmet alone rebuilds them, parsing the policy, on every request.
  const helmetOptions: FastifyHelmetOptions = {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        frameAncestors: ["'none'"],
        formAction: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        upgradeInsecureRequests: deps.config.publicUrl.startsWith('https://') ? [] : null,
      },
    },
    strictTransportSecurity: deps.config.publicUrl.startsWith('https://'),
    crossOriginEmbedderPolicy: false,
  };
  // Registered, not global: `reply.helmet()` stays available; the headers come from the hook below.
  await app.register(fastifyHelmet, { ...helmetOptions, global: false });
  const headers = await securityHeaders(helmetOptions);
  app.addHook('onRequest', (_req, reply, done) => {
    reply.headers(headers);
    done();
  });

  await app.register(fastifySwagger, openApiOptions(SESSION_COOKIE));
  await app.register(fastifySwaggerUi, { routePrefix: '/api/docs', staticCSP: true });

  // Public verification shows officials' names: ask search engines not to index it (page and API).
  app.addHook('onRequest', async (req, reply) => {
    if (isNoindex(req.url.split('?')[0] ?? '')) reply.header('x-robots-tag', 'noindex');
  });

  // Authentication: resolve the session cookie into the request's context.
  app.decorateRequest('ctx', null as never);
  app.decorateRequest('sessionId', null);
  app.decorateRequest('csrfToken', null);
  app.decorateRequest('sessionUser', null);
  app.decorateRequest('apiTokenId', null);
  app.addHook('onRequest', async (req, reply) => {
    // An integration's API token (issue 17): the request is the token's, never a person's, so a
    // session cookie sent beside it is ignored. Unknown, expired or revoked: 401. A token opens
    // no web page; what it may call is the one table's tokenPolicy (checked below). The metrics
    // token (GET /metrics, not `cct_…`) is the metrics route's own business.
    const bearer = bearerOf(req.headers.authorization);
    if (bearer !== null && (bearer.startsWith(TOKEN_PREFIX) || req.url.startsWith('/api/'))) {
      const found = await resolveApiToken(deps.db, bearer, deps.now());
      req.apiTokenId = found.ok ? found.token.tokenId : found.tokenId;
      req.ctx = {
        ...deps,
        actor: null,
        token: found.ok ? found.token : null,
        actorLabel: found.label,
        requestId: String(req.id),
        ip: req.ip,
      };
      const url = req.url.split('?')[0] ?? '';
      if (!found.ok)
        return sendProblem(reply.header('www-authenticate', 'Bearer error="invalid_token"'), {
          ...problemFor('unauthenticated', found.reason),
          instance: url,
        });
      // The API document's pages are web pages too (and answer from a plugin's own scope).
      if (!url.startsWith('/api/') || url.startsWith('/api/docs'))
        return sendProblem(reply, {
          ...problemFor('forbidden', 'API tokens open no web page. Sign in as a person instead.'),
          instance: url,
        });
      return;
    }
    const token = req.cookies[SESSION_COOKIE];
    const session = token ? await resolveSession(deps.db, token, deps.now(), deps.config.staffTotp) : null;
    req.sessionId = session?.sessionId ?? null;
    req.csrfToken = session?.csrfToken ?? null;
    req.sessionUser = session?.user ?? null;
    req.ctx = {
      ...deps,
      actor: session?.actor ?? null,
      actorLabel: session ? `${session.user.displayName} <${session.user.email}>` : 'anonymous',
      ...(session && { actorName: session.user.displayName }),
      requestId: String(req.id),
      ip: req.ip,
    };
  });

  // Authorization: every route names an action; deny by default. Then CSRF.
  // preValidation: a caller without access learns nothing from validation messages.
  app.addHook('preValidation', async (req: FastifyRequest, reply: FastifyReply) => {
    if (req.is404) return; // the not-found handler answers for itself
    const action = req.routeOptions.config.action;
    if (!action) throw new DomainError('forbidden', 'This route is not open to anyone.');
    if (req.ctx.token) {
      const refusal = tokenRefusal(req.ctx.token, action);
      if (refusal) throw new DomainError('forbidden', refusal);
    } else if (!can(req.ctx.actor, action)) {
      if (!req.ctx.actor) throw new DomainError('unauthenticated', 'Sign in to continue.');
      throw new DomainError('forbidden', "Your account's roles do not allow this.");
    }
    if (
      req.sessionUser?.secondFactor.setupRequired &&
      !isPublic(action) &&
      !allowedBeforeSecondFactor.has(action)
    ) {
      throw new DomainError(
        'second_factor_setup_required',
        'Staff accounts must set up two-step sign-in before anything else. Open your profile to set up an authenticator app.',
      );
    }
    if (req.sessionId && !SAFE_METHODS.has(req.method) && req.headers['x-csrf-token'] !== req.csrfToken) {
      return sendProblem(
        reply,
        problemFor(
          'forbidden',
          'The form is out of date (missing or wrong CSRF token). Reload the page and try again.',
          [{ field: 'x-csrf-token', message: 'Missing or wrong CSRF token header.' }],
        ),
      );
    }
    // PostgreSQL text cannot hold NUL: refuse it here, naming the field, instead of failing in the database.
    const nul = [
      ...nulIssues(req.body, ''),
      ...nulIssues(req.query, 'query'),
      ...nulIssues(req.params, 'params'),
    ];
    if (nul.length)
      throw new DomainError('validation', `${nul[0]!.field}: ${nul[0]!.message}`, { issues: nul });
  });

  // Every use of a known API token, allowed or refused, is audited with its answer's status, and
  // the token's last use is kept (issue 17). Before the answer leaves, so a client that reads the
  // audit log straight after sees it.
  app.addHook('onSend', async (req, reply, payload) => {
    if (req.apiTokenId)
      await recordTokenUse(req.ctx, req.apiTokenId, {
        method: req.method,
        route: req.routeOptions.url ?? req.url.split('?')[0] ?? '',
        status: reply.statusCode,
      });
    return payload;
  });

  // Metrics (only when METRICS_TOKEN is set): every answer, labelled by its route pattern.
  const metrics = deps.config.metricsToken ? createMetrics(deps.db) : null;
  if (metrics) {
    app.addHook('onResponse', async (req, reply) => {
      const route = req.routeOptions.url ?? '(no route)';
      metrics.observeRequest(req.method, route, reply.statusCode, reply.elapsedTime / 1000);
    });
  }

  app.setErrorHandler((error, req, reply) => {
    const { body, retryAfter } = toProblem(error, req);
    body.instance = req.url.split('?')[0];
    return sendProblem(reply, body, retryAfter);
  });

  systemRoutes(app, deps.db, {
    healthDbGraceSeconds: deps.config.healthDbGraceSeconds,
    metricsToken: deps.config.metricsToken,
    registry: metrics?.registry ?? null,
  });
  authRoutes(app, deps.config, providerSignOutUrl);
  emailConfirmRoutes(app);
  secondFactorRoutes(app);
  oidcRoutes(app, deps.config);
  peopleRoutes(app);
  await notificationRoutes(app);
  accountRequestRoutes(app);
  adminRoutes(app);
  programRoutes(app);
  impactRoutes(app);
  catalogRoutes(app);
  sessionRoutes(app);
  creditRoutes(app);
  claimRoutes(app);
  transcriptRoutes(app);
  awardRoutes(app);
  issuerRoutes(app);
  designRoutes(app);
  credentialRoutes(app);
  cycleRoutes(app);
  factRoutes(app);
  reportRoutes(app);
  planningRoutes(app);
  officialExportRoutes(app);
  importRoutes(app);
  apiTokenRoutes(app);
  providerRosterRoutes(app);
  webhookRoutes(app);

  app.get('/api/openapi.json', { config: { action: 'system.docs' }, schema: { hide: true } }, async () =>
    app.swagger(),
  );

  const webRoot = opts.webRoot ?? deps.config.webRoot;
  const hasWeb = existsSync(path.join(webRoot, 'index.html'));
  if (hasWeb) {
    await app.register(fastifyStatic, { root: webRoot, prefix: '/', wildcard: false, index: false });
  }
  app.setNotFoundHandler((req, reply) => {
    const url = req.url.split('?')[0] ?? '';
    if (
      (req.method === 'GET' || req.method === 'HEAD') &&
      hasWeb &&
      !url.startsWith('/api/') &&
      !path.extname(url)
    ) {
      // The web app draws its pages on the client; an address that is none of them gets the
      // app's not-found page with a real 404.
      return reply
        .code(isWebPage(url) ? 200 : 404)
        .header('cache-control', 'no-cache')
        .sendFile('index.html');
    }
    return sendProblem(reply, {
      ...problemFor('not_found', `There is nothing at ${req.method} ${url}.`),
      instance: url,
    });
  });

  return Object.assign(app, { registeredRoutes }) as unknown as AppInstance;
}
