import type { FastifyInstance } from 'fastify';
import { emailConfirmBody, emailConfirmResponse } from '../../../contract/auth.js';
import { idParams, okSchema, problemSchema } from '../../../contract/common.js';
import {
  createPersonBody,
  peopleList,
  peopleQuery,
  personSchema,
  profileUpdateBody,
  rolesBody,
  updatePersonBody,
} from '../../../contract/people.js';
import { defineExport } from '../../export/routes.js';
import { defineRoute, paged } from '../../http/route.js';
import {
  createPerson,
  getProfile,
  invitePerson,
  listPeople,
  readPerson,
  setRoles,
  updatePerson,
  updateProfile,
} from './people.service.js';
import { confirmEmailChange } from './email-change.service.js';

/**
 * Confirming a new sign-in address (a sign-in matter, listed with sign-in in
 * the API document). Registered with the people routes because the e-mail
 * change lives here: the auth module does not depend on people.
 */
export function emailConfirmRoutes(app: FastifyInstance): void {
  defineRoute(app, {
    method: 'POST',
    url: '/api/email/confirm',
    action: 'auth.email.confirm',
    schema: {
      operationId: 'confirmEmailChange',
      description:
        "Follows the single-use link sent to a new sign-in address: the address becomes the account's e-mail. Returns the confirmed address.",
      tags: ['Sign-in'],
      summary: 'Confirm a new sign-in e-mail address',
      body: emailConfirmBody,
      response: { 200: emailConfirmResponse, 400: problemSchema, 409: problemSchema },
    },
    handler: async (req) => confirmEmailChange(req.ctx, req.body.token),
  });
}

export function peopleRoutes(app: FastifyInstance): void {
  const tags = ['People'];
  const errors = { 400: problemSchema, 404: problemSchema };

  defineRoute(app, {
    method: 'GET',
    url: '/api/people',
    action: 'people.list',
    schema: {
      operationId: 'listPeople',
      description:
        'Returns one page of people with their jurisdiction and roles, searched by name or e-mail and filtered by county or role.',
      tags,
      summary: 'Search people',
      querystring: peopleQuery,
      response: { 200: peopleList },
    },
    handler: async (req) => {
      const { items, total } = await listPeople(req.ctx, req.query);
      return paged(items, total, req.query);
    },
  });

  defineExport(app, {
    url: '/api/people/export',
    operationId: 'exportPeople',
    action: 'people.list',
    tags,
    summary: 'Export the people list (CSV or XLSX)',
    listQuery: peopleQuery,
    base: 'people',
    columns: [
      { header: 'Last name', value: (p) => p.lastName, width: 18 },
      { header: 'First name', value: (p) => p.firstName, width: 16 },
      { header: 'Preferred name', value: (p) => p.preferredName },
      { header: 'E-mail', value: (p) => p.email, width: 32 },
      { header: 'Phone', value: (p) => p.phone, width: 16 },
      { header: 'Title', value: (p) => p.title, width: 24 },
      { header: 'County or state', value: (p) => p.jurisdiction?.name ?? null, width: 18 },
      { header: 'FIPS', value: (p) => p.jurisdiction?.fips ?? null },
      { header: 'Roles', value: (p) => p.roles.join(' '), width: 24 },
      { header: 'Created', value: (p) => p.createdAt, width: 26 },
    ],
    fetchPage: listPeople,
  });

  defineRoute(app, {
    method: 'POST',
    url: '/api/people',
    action: 'people.create',
    schema: {
      operationId: 'createPerson',
      description:
        'Creates the person and their user account, with the roles given, and by default e-mails them a link to set a password. Returns the new person (201).',
      tags,
      summary: 'Create a person with a user account',
      body: createPersonBody,
      response: { 201: personSchema, ...errors },
    },
    handler: async (req, reply) => {
      const person = await createPerson(req.ctx, req.body);
      reply.status(201);
      return person;
    },
  });

  defineRoute(app, {
    method: 'GET',
    url: '/api/people/:id',
    action: 'people.read',
    schema: {
      operationId: 'getPerson',
      description:
        "Returns the person's record: names, contact details, jurisdiction, roles and whether a password is set.",
      tags,
      summary: 'One person',
      params: idParams,
      response: { 200: personSchema, ...errors },
    },
    handler: async (req) => readPerson(req.ctx, req.params.id),
  });

  defineRoute(app, {
    method: 'PATCH',
    url: '/api/people/:id',
    action: 'people.update',
    schema: {
      operationId: 'updatePerson',
      tags,
      summary: 'Change a person',
      description:
        'A new `email` does not take effect at once: a single-use confirmation link goes to the new address (shown as `pendingEmail` until followed, via POST /api/email/confirm) and a notice to the old one. Only administrators change e-mails (an administrator’s by another administrator); nobody changes a person whose role stands above theirs (403).',
      params: idParams,
      body: updatePersonBody,
      response: { 200: personSchema, ...errors },
    },
    handler: async (req) => updatePerson(req.ctx, req.params.id, req.body),
  });

  defineRoute(app, {
    method: 'PUT',
    url: '/api/people/:id/roles',
    action: 'people.roles.update',
    schema: {
      operationId: 'setPersonRoles',
      description: "Replaces the person's roles with the list given (audited) and returns the person.",
      tags,
      summary: "Replace a person's roles",
      params: idParams,
      body: rolesBody,
      response: { 200: personSchema, ...errors },
    },
    handler: async (req) =>
      setRoles(req.ctx, req.params.id, req.body.roles, req.body.counties, req.body.programs),
  });

  defineRoute(app, {
    method: 'POST',
    url: '/api/people/:id/invite',
    action: 'people.invite',
    schema: {
      operationId: 'invitePerson',
      tags,
      summary: 'E-mail a password-set link',
      description:
        'Voids the person’s earlier links. Refused (403) for a person whose role stands above the caller’s.',
      params: idParams,
      response: { 200: okSchema, ...errors },
    },
    handler: async (req) => {
      await invitePerson(req.ctx, req.params.id);
      return { ok: true as const };
    },
  });

  defineRoute(app, {
    method: 'GET',
    url: '/api/profile',
    action: 'profile.read',
    schema: {
      operationId: 'getMyProfile',
      description: "Returns the signed-in person's own record.",
      tags: ['My profile'],
      summary: 'My own person record',
      response: { 200: personSchema },
    },
    handler: async (req) => getProfile(req.ctx),
  });

  defineRoute(app, {
    method: 'PATCH',
    url: '/api/profile',
    action: 'profile.update',
    schema: {
      operationId: 'updateMyProfile',
      description:
        "Changes the signed-in person's preferred name or phone and returns the record. Other fields are changed by a coordinator or administrator.",
      tags: ['My profile'],
      summary: 'Change my preferred name or phone',
      body: profileUpdateBody,
      response: { 200: personSchema, 400: problemSchema },
    },
    handler: async (req) => updateProfile(req.ctx, req.body),
  });
}
