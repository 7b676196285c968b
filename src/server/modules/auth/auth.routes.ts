import type { FastifyInstance } from 'fastify';

import { passwordRequestBody, passwordSetBody, sessionResponse, signInBody } from '../../../contract/auth.js';
import { okSchema, problemSchema } from '../../../contract/common.js';
import type { Config } from '../../config.js';
import { defineRoute } from '../../http/route.js';
import { signedInAbilities } from '../../../domain/authz/policies.js';
import { requestPasswordReset, setPassword, signIn, signOut, type SessionUser } from './auth.service.js';

export const SESSION_COOKIE = 'cc_session';

export function authRoutes(app: FastifyInstance, config: Config): void {
  const tags = ['Sign-in'];
  const present = (user: SessionUser | null, csrfToken: string | null) => ({
    user: user && { ...user, abilities: signedInAbilities(user) },
    csrfToken,
    organization: config.organization,
  });

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
      reply.setCookie(SESSION_COOKIE, token, {
        path: '/',
        httpOnly: true,
        sameSite: 'lax',
        secure: config.cookieSecure,
        maxAge: config.sessionTtlHours * 3600,
      });
      return present(session.user, session.csrfToken);
    },
  });

  defineRoute(app, {
    method: 'DELETE',
    url: '/api/session',
    action: 'auth.sign-out',
    schema: {
      operationId: 'signOut',
      description: 'Ends the current session and clears the session cookie.',
      tags,
      summary: 'Sign out',
      response: { 200: okSchema },
    },
    handler: async (req, reply) => {
      if (req.sessionId) await signOut(req.ctx.db, req.sessionId);
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return { ok: true as const };
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
