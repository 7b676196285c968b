import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import {
  externalIdentitiesResponse,
  externalIdentityBody,
  oidcCallbackQuery,
  oidcProviderParams,
  oidcStartQuery,
  secondFactorCodeBody,
  sessionResponse,
} from '../../../contract/auth.js';
import { idParams, problemSchema, uuidSchema } from '../../../contract/common.js';
import { DomainError } from '../../../domain/errors.js';
import type { Config } from '../../config.js';
import { toProblem } from '../../http/problems.js';
import { defineRoute } from '../../http/route.js';
import { sessionAnswer, setSessionCookie } from '../auth/auth.routes.js';
import {
  finishOidcSignIn,
  finishOidcWithCode,
  linkExternalIdentity,
  listExternalIdentities,
  OIDC_COOKIE,
  startOidcSignIn,
  unlinkExternalIdentity,
} from './oidc.service.js';

const redirect = z.null().meta({ description: 'A redirect (Location header); no body.' });

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/**
 * A browser that lands on the callback with a refused sign-in reads why on a plain page with the
 * problem's status (4xx); other clients get problem+json.
 */
function refusalPage(error: unknown, req: FastifyRequest, reply: FastifyReply): unknown {
  if (!(error instanceof DomainError) || !(req.headers.accept ?? '').includes('text/html')) throw error;
  const { body } = toProblem(error, req);
  return reply
    .code(body.status)
    .type('text/html; charset=utf-8')
    .send(
      `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Sign-in not completed · CivicCert</title></head><body><main><h1>Sign-in not completed</h1><p>${escapeHtml(body.detail)}</p><p><a href="/sign-in">Back to the sign-in page</a></p></main></body></html>`,
    );
}

export function oidcRoutes(app: FastifyInstance, config: Config): void {
  const tags = ['Sign-in'];
  const stateCookie = {
    path: '/api/oidc',
    httpOnly: true,
    sameSite: 'lax' as const,
    secure: config.cookieSecure,
  };

  defineRoute(app, {
    method: 'GET',
    url: '/api/oidc/:provider/start',
    action: 'auth.oidc.start',
    schema: {
      operationId: 'startProviderSignIn',
      tags,
      summary: 'Sign in with an OpenID provider',
      description:
        "Redirects the browser to the provider's sign-in (authorization code with PKCE S256, state and nonce kept on the server, `acr_values` when configured). `next`: the page to open afterwards.",
      params: oidcProviderParams,
      querystring: oidcStartQuery,
      response: { 302: redirect, 404: problemSchema, 502: problemSchema },
    },
    handler: async (req, reply) => {
      const { url, state } = await startOidcSignIn(req.ctx, req.params.provider, req.query.next);
      reply.setCookie(OIDC_COOKIE, state, { ...stateCookie, maxAge: 15 * 60 });
      return reply.redirect(url, 302);
    },
  });

  defineRoute(app, {
    method: 'GET',
    url: '/api/oidc/:provider/callback',
    action: 'auth.oidc.callback',
    schema: {
      operationId: 'finishProviderSignIn',
      tags,
      summary: 'Return from an OpenID provider',
      description:
        'The redirect URI to register with the provider. Exchanges the code, checks the ID token, finds the account (existing link, verified e-mail, or just-in-time creation when configured), opens the session and redirects to the page asked for; or to the sign-in page for the authenticator code when the provider did not assert two-step sign-in and the account has one. A refused, replayed or foreign sign-in answers 4xx (an HTML page to browsers).',
      params: oidcProviderParams,
      querystring: oidcCallbackQuery,
      response: { 302: redirect, 403: problemSchema, 404: problemSchema, 502: problemSchema },
    },
    handler: async (req, reply) => {
      try {
        const outcome = await finishOidcSignIn(
          req.ctx,
          req.params.provider,
          req.query,
          req.cookies[OIDC_COOKIE],
          req.headers['user-agent'] ?? null,
        );
        if (outcome.kind === 'code-required')
          return reply.redirect(`/sign-in?step=code&next=${encodeURIComponent(outcome.returnTo)}`, 302);
        reply.clearCookie(OIDC_COOKIE, stateCookie);
        setSessionCookie(reply, config, outcome.token);
        return reply.redirect(outcome.returnTo, 302);
      } catch (e) {
        reply.clearCookie(OIDC_COOKIE, stateCookie);
        return refusalPage(e, req, reply);
      }
    },
  });

  defineRoute(app, {
    method: 'POST',
    url: '/api/oidc/code',
    action: 'auth.oidc.code',
    schema: {
      operationId: 'finishProviderSignInWithCode',
      tags,
      summary: 'Give the authenticator code after a provider sign-in',
      description:
        'When the provider did not assert two-step sign-in and the account has an authenticator, the sign-in finishes here with its code (or a recovery code), rate-limited like a password sign-in.',
      body: secondFactorCodeBody,
      response: { 200: sessionResponse, 401: problemSchema, 429: problemSchema },
    },
    handler: async (req, reply) => {
      const { token, session } = await finishOidcWithCode(
        req.ctx,
        req.cookies[OIDC_COOKIE],
        req.body.code,
        req.headers['user-agent'] ?? null,
      );
      reply.clearCookie(OIDC_COOKIE, stateCookie);
      setSessionCookie(reply, config, token);
      return sessionAnswer(config, session.user, session.csrfToken);
    },
  });

  defineRoute(app, {
    method: 'GET',
    url: '/api/people/:id/external-identities',
    action: 'people.identities.read',
    schema: {
      operationId: 'listExternalIdentities',
      tags: ['People'],
      summary: "A person's linked sign-ins",
      description: "The OpenID providers' identities (provider and subject) linked to the person's account.",
      params: idParams,
      response: { 200: externalIdentitiesResponse, 404: problemSchema },
    },
    handler: async (req) => ({ items: await listExternalIdentities(req.ctx, req.params.id) }),
  });

  defineRoute(app, {
    method: 'POST',
    url: '/api/people/:id/external-identities',
    action: 'people.identities.manage',
    schema: {
      operationId: 'linkExternalIdentity',
      tags: ['People'],
      summary: 'Link a sign-in by hand',
      description:
        "Links a provider's subject (`sub`) to the person's account, for someone whose e-mail the provider does not confirm. One link per provider per account; a subject links to one account (409 otherwise).",
      params: idParams,
      body: externalIdentityBody,
      response: { 200: externalIdentitiesResponse, 404: problemSchema, 409: problemSchema },
    },
    handler: async (req) => ({ items: await linkExternalIdentity(req.ctx, req.params.id, req.body) }),
  });

  defineRoute(app, {
    method: 'DELETE',
    url: '/api/people/:id/external-identities/:identityId',
    action: 'people.identities.manage',
    schema: {
      operationId: 'unlinkExternalIdentity',
      tags: ['People'],
      summary: 'Unlink a sign-in',
      description:
        "Removes the link; the provider's sign-in no longer opens this account (a verified e-mail links it again on the next sign-in).",
      params: z.strictObject({ id: uuidSchema, identityId: uuidSchema }),
      response: { 200: externalIdentitiesResponse, 404: problemSchema },
    },
    handler: async (req) => ({
      items: await unlinkExternalIdentity(req.ctx, req.params.id, req.params.identityId),
    }),
  });
}
