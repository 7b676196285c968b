import type { FastifyInstance } from 'fastify';
import { problemSchema } from '../../../contract/common.js';
import {
  notificationPreferences,
  notificationPreferencesBody,
  unsubscribeQuery,
  unsubscribeResult,
} from '../../../contract/notifications.js';
import { defineRoute } from '../../http/route.js';
import {
  myNotificationPreferences,
  unsubscribe,
  updateMyNotificationPreferences,
} from './notifications.service.js';

/** Notification preferences on the profile, and the one-click unsubscribe of bulk notices. */
export async function notificationRoutes(app: FastifyInstance): Promise<void> {
  defineRoute(app, {
    method: 'GET',
    url: '/api/profile/notifications',
    action: 'profile.read',
    schema: {
      operationId: 'getMyNotificationPreferences',
      tags: ['My profile'],
      summary: 'Which e-mail notices I get',
      description:
        'One entry per kind of bulk notice (renewal reminders, certification status notices, session reminders): true when it is e-mailed. Sign-in links, e-mail changes, awards and registration changes are always sent.',
      response: { 200: notificationPreferences },
    },
    handler: async (req) => myNotificationPreferences(req.ctx),
  });

  defineRoute(app, {
    method: 'PUT',
    url: '/api/profile/notifications',
    action: 'profile.update',
    schema: {
      operationId: 'updateMyNotificationPreferences',
      tags: ['My profile'],
      summary: 'Turn kinds of e-mail notice on or off',
      description: 'Kinds left out of the body stay as they are. Answers with every kind as it now is.',
      body: notificationPreferencesBody,
      response: { 200: notificationPreferences, 400: problemSchema },
    },
    handler: async (req) => updateMyNotificationPreferences(req.ctx, req.body),
  });

  // Mail providers send the one-click POST as a form (`List-Unsubscribe=One-Click`, RFC 8058):
  // this route, alone, reads form bodies (and ignores them: the signed token says everything).
  await app.register(async (scope) => {
    scope.addContentTypeParser(
      'application/x-www-form-urlencoded',
      { parseAs: 'string', bodyLimit: 1024 },
      (_req, _body, done) => done(null, undefined),
    );
    defineRoute(scope, {
      method: 'POST',
      url: '/api/unsubscribe',
      action: 'notifications.unsubscribe',
      schema: {
        operationId: 'unsubscribeFromNotice',
        tags: ['My profile'],
        summary: 'One-click unsubscribe from a kind of e-mail notice',
        description:
          'The List-Unsubscribe address of a bulk notice (RFC 8058): the signed token names the person and the kind of notice, so no sign-in is needed. Idempotent: answers 200 however often it is called. A malformed or forged token is refused (400).',
        querystring: unsubscribeQuery,
        response: { 200: unsubscribeResult, 400: problemSchema },
      },
      handler: async (req) => unsubscribe(req.ctx, req.query.token),
    });
  });
}
