import type { FastifyInstance, FastifyReply } from 'fastify';

import {
  passwordRequestBody,
  passwordSetBody,
  sessionResponse,
  signInBody,
  signOutResponse,
} from '../../../contract/auth.js';
import { okSchema, problemSchema } from '../../../contract/common.js';
import type { Config } from '../../config.js';
import type { Ctx } from '../../context.js';
import { defineRoute } from '../../http/route.js';
import { signedInAbilities } from '../../../domain/authz/policies.js';
import { requestPasswordReset, setPassword, signIn, signOut, type SessionUser } from './auth.service.js';

export const SESSION_COOKIE = 'cc_session';

/** The session answer: who is signed in, the CSRF token, the organization and how to sign in. */
export const sessionAnswer = (config: Config, user: SessionUser | null, csrfToken: string | null) => ({
  user: user && { ...user, abilities: signedInAbilities(user) },
  csrfToken,
  organization: config.organization,
  signIn: {
    passwords: config.oidc.localPasswords,
    providers: config.oidc.providers.map((p) => ({ id: p.id, name: p.name })),
  },
});

/** The session cookie, the same for a password and a provider sign-in. */
export function setSessionCookie(reply: FastifyReply, config: Config, token: string): void {
  reply.setCookie(SESSION_COOKIE, token, {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    secure: config.cookieSecure,
    maxAge: config.sessionTtlHours * 3600,
  });
}

/**
 * `providerSignOutUrl`: where to send the browser after a session an OpenID provider opened has
 * ended (the sso module's, given by the composition root so auth does not depend on it).
 */
export function authRoutes(
  app: FastifyInstance,
  config: Config,
  providerSignOutUrl: (
    ctx: Ctx,
    ended: { provider: string; idToken: string | null } | null,
  ) => Promise<string | null> = async () => null,
): void {
  const tags = ['Sign-in'];
  const present = (user: SessionUser | null, csrfToken: string | null) =>
    sessionAnswer(config, user, csrfToken);

  defineRoute(app, {
    method: 'GET',
    url: '/api/session',
    action: 'auth.session.read',
    schema: {
      operationId: 'getSignInSession',
      description:
        "Returns the signed-in user with their roles, the session's `csrfToken` (send it as `x-csrf-token` on every change) and the organization; `user` and `csrfToken` are null when no one is signed in.",
      tags,
      summary: 'Who is signed in',
      response: { 200: sessionResponse },
    },
    handler: async (req) =>
      present(
        req.ctx.actor
          ? {
              userId: req.ctx.actor.userId,
              personId: req.ctx.actor.personId,
              roles: [...req.ctx.actor.roles],
              email: req.sessionUser?.email ?? '',
              displayName: req.sessionUser?.displayName ?? '',
              secondFactor: req.sessionUser?.secondFactor ?? { enabled: false, setupRequired: false },
            }
          : null,
        req.csrfToken,
      ),
  });

  defineRoute(app, {
    method: 'POST',
    url: '/api/session',
    action: 'auth.sign-in',
    schema: {
      operationId: 'signIn',
      tags,
      summary: 'Sign in with e-mail and password',
      body: signInBody,
      description:
        'When two-step sign-in is on, a right password without `code` answers 401 second-factor-required naming the field `code`; send the authenticator code (or a recovery code) with the password again.',
      response: { 200: sessionResponse, 401: problemSchema, 429: problemSchema },
    },
    handler: async (req, reply) => {
      const { token, session } = await signIn(req.ctx, {
        ...req.body,
        userAgent: req.headers['user-agent'] ?? null,
      });
      setSessionCookie(reply, config, token);
      return present(session.user, session.csrfToken);
    },
  });

  defineRoute(app, {
    method: 'DELETE',
    url: '/api/session',
    action: 'auth.sign-out',
    schema: {
      operationId: 'signOut',
      description:
        'Ends the current session and clears the session cookie. When an OpenID provider opened the session and offers RP-initiated logout, `redirectTo` is its end-session address (with `id_token_hint`); open it to sign out there too.',
      tags,
      summary: 'Sign out',
      response: { 200: signOutResponse },
    },
    handler: async (req, reply) => {
      const ended = req.sessionId ? await signOut(req.ctx.db, req.sessionId) : null;
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return { ok: true as const, redirectTo: await providerSignOutUrl(req.ctx, ended) };
    },
  });

  defineRoute(app, {
    method: 'POST',
    url: '/api/password/request',
    action: 'auth.password.request',
    schema: {
      operationId: 'requestPasswordReset',
      tags,
      summary: 'E-mail a password reset link',
      description:
        'Answers 202 after the same time whether or not the address has an account. A new link voids the older ones. Rate-limited per caller address and per e-mail address asked about (429 with Retry-After).',
      body: passwordRequestBody,
      response: { 202: okSchema, 429: problemSchema },
    },
    handler: async (req, reply) => {
      await requestPasswordReset(req.ctx, req.body.email);
      reply.status(202);
      return { ok: true as const };
    },
  });

  defineRoute(app, {
    method: 'POST',
    url: '/api/password/set',
    action: 'auth.password.set',
    schema: {
      operationId: 'setPassword',
      description: 'Sets the password of the account the e-mailed link belongs to and voids the link.',
      tags,
      summary: 'Set a password with a single-use e-mailed link',
      body: passwordSetBody,
      response: { 200: okSchema, 400: problemSchema },
    },
    handler: async (req) => {
      await setPassword(req.ctx, req.body);
      return { ok: true as const };
    },
  });
}
