import type { FastifyInstance } from 'fastify';
import { idParams, problemSchema } from '../../../contract/common.js';
import {
  createEnrollmentBody,
  createProgramBody,
  declineEnrollmentBody,
  draftBody,
  enrollmentList,
  enrollmentQuery,
  enrollmentRequestQuery,
  enrollmentSchema,
  myEnrollments as myEnrollmentsSchema,
  programDetailSchema,
  programList,
  programSettingsBody,
  updateEnrollmentBody,
  type Enrollment,
} from '../../../contract/programs.js';
import { defineExport } from '../../export/routes.js';
import { defineRoute, paged } from '../../http/route.js';
import {
  approveEnrollmentRequest,
  declineEnrollmentRequest,
  listEnrollmentRequests,
} from './enrollment-requests.service.js';
import {
  createProgram,
  enrollPerson,
  getProgram,
  listEnrollments,
  listPrograms,
  myEnrollments,
  publishDraft,
  requestEnrollment,
  saveDraft,
  updateEnrollment,
  updateProgramSettings,
} from './programs.service.js';

export function programRoutes(app: FastifyInstance): void {
  const tags = ['Programs'];
  const errors = { 400: problemSchema, 404: problemSchema, 409: problemSchema };

  defineRoute(app, {
    method: 'GET',
    url: '/api/programs',
    action: 'programs.list',
    schema: {
      operationId: 'listPrograms',
      description:
        'Returns the certification programs with their current published version. Administrators also see programs that only have a draft.',
      tags,
      summary: 'List programs',
      response: { 200: programList },
    },
    handler: async (req) => ({ items: await listPrograms(req.ctx) }),
  });

  defineRoute(app, {
    method: 'POST',
    url: '/api/programs',
    action: 'programs.create',
    schema: {
      operationId: 'createProgram',
      tags,
      summary: 'Create a program (as a draft)',
      description:
        'The definition is validated by the rules engine; every problem is listed in errors[] with its path (definition.<path>).',
      body: createProgramBody,
      response: { 201: programDetailSchema, ...errors },
    },
    handler: async (req, reply) => {
      const program = await createProgram(req.ctx, req.body);
      reply.status(201);
      return program;
    },
  });

  defineRoute(app, {
    method: 'GET',
    url: '/api/programs/:id',
    action: 'programs.read',
    schema: {
      operationId: 'getProgram',
      description:
        'Returns the program with its settings, its versions (published and draft) and the definition the rules engine evaluates.',
      tags,
      summary: 'One program with its versions and definition',
      params: idParams,
      response: { 200: programDetailSchema, ...errors },
    },
    handler: async (req) => getProgram(req.ctx, req.params.id),
  });

  defineRoute(app, {
    method: 'PATCH',
    url: '/api/programs/:id',
    action: 'programs.settings.update',
    schema: {
      operationId: 'updateProgramSettings',
      description:
        "Changes the program's enrollment fee and partial-credit settings and returns the program.",
      tags,
      summary: 'Change fee and partial-credit settings',
      params: idParams,
      body: programSettingsBody,
      response: { 200: programDetailSchema, ...errors },
    },
    handler: async (req) => updateProgramSettings(req.ctx, req.params.id, req.body),
  });

  defineRoute(app, {
    method: 'PUT',
    url: '/api/programs/:id/draft',
    action: 'programs.draft.update',
    schema: {
      operationId: 'saveProgramDraft',
      description:
        "Creates or replaces the program's draft version from a definition; the rules engine validates it and lists every problem with its path (400). Returns the program.",
      tags,
      summary: 'Create or replace the draft version',
      params: idParams,
      body: draftBody,
      response: { 200: programDetailSchema, ...errors },
    },
    handler: async (req) => saveDraft(req.ctx, req.params.id, req.body.definition),
  });

  defineRoute(app, {
    method: 'POST',
    url: '/api/programs/:id/publish',
    action: 'programs.publish',
    schema: {
      operationId: 'publishProgram',
      description:
        "Makes the draft the program's current version; officials are evaluated against it from now on. Returns the program.",
      tags,
      summary: 'Publish the draft version',
      params: idParams,
      response: { 200: programDetailSchema, ...errors },
    },
    handler: async (req) => publishDraft(req.ctx, req.params.id),
  });

  defineRoute(app, {
    method: 'GET',
    url: '/api/programs/:id/enrollments',
    action: 'enrollments.list',
    schema: {
      operationId: 'listProgramEnrollments',
      description: "Returns one page of the program's enrollments with the official, state and fee.",
      tags: ['Enrollment'],
      summary: "A program's enrollments",
      params: idParams,
      querystring: enrollmentQuery,
      response: { 200: enrollmentList, ...errors },
    },
    handler: async (req) => {
      const { items, total } = await listEnrollments(req.ctx, req.params.id, req.query);
      return paged(items, total, req.query);
    },
  });

  defineExport<typeof enrollmentQuery, Enrollment>(app, {
    url: '/api/programs/:id/enrollments/export',
    action: 'enrollments.list',
    tags: ['Enrollment'],
    operationId: 'exportProgramEnrollments',
    summary: "Export a program's enrollments",
    params: idParams,
    listQuery: enrollmentQuery,
    base: 'enrollments',
    columns: [
      { header: 'Official', value: (e) => e.person.displayName, width: 24 },
      { header: 'E-mail', value: (e) => e.person.email, width: 30 },
      { header: 'Program', value: (e) => e.program.code, width: 16 },
      { header: 'Status', value: (e) => e.status },
      { header: 'Enrolled on', value: (e) => e.enrolledOn, width: 12 },
      { header: 'Requested at', value: (e) => e.requestedAt, width: 24 },
      { header: 'Rules version', value: (e) => e.pinnedVersion },
      { header: 'Cohorts', value: (e) => e.cohorts.join('; '), width: 16 },
      { header: 'Fee ($)', value: (e) => e.fee.amountCents / 100 },
      { header: 'Fee status', value: (e) => e.fee.status },
      { header: 'Paid by', value: (e) => e.fee.method },
      { header: 'Receipt', value: (e) => e.fee.receiptNumber, width: 16 },
    ],
    fetchPage: (ctx, q, params) => listEnrollments(ctx, params.id!, q),
  });

  defineRoute(app, {
    method: 'POST',
    url: '/api/programs/:id/enrollments',
    action: 'enrollments.create',
    schema: {
      operationId: 'enrollInProgram',
      description:
        'Enrolls an official in the program, or approves their pending request, recording the fee. Returns the enrollment (201).',
      tags: ['Enrollment'],
      summary: 'Enroll an official',
      params: idParams,
      body: createEnrollmentBody,
      response: { 201: enrollmentSchema, ...errors },
    },
    handler: async (req, reply) => {
      const e = await enrollPerson(req.ctx, req.params.id, req.body);
      reply.status(201);
      return e;
    },
  });

  defineRoute(app, {
    method: 'POST',
    url: '/api/programs/:id/enrollment-request',
    action: 'enrollments.request',
    schema: {
      operationId: 'requestEnrollment',
      description:
        'The signed-in official asks to be enrolled in the program; a coordinator approves it. Returns the enrollment request (201).',
      tags: ['Enrollment'],
      summary: 'Ask to enroll in a program',
      params: idParams,
      response: { 201: enrollmentSchema, ...errors },
    },
    handler: async (req, reply) => {
      const e = await requestEnrollment(req.ctx, req.params.id);
      reply.status(201);
      return e;
    },
  });

  defineRoute(app, {
    method: 'GET',
    url: '/api/enrollment-requests',
    action: 'enrollments.list',
    schema: {
      operationId: 'listEnrollmentRequests',
      description:
        'One page of enrollment requests in every program, by status: waiting ones oldest first, approved and declined ones newest first.',
      tags: ['Enrollment'],
      summary: 'The enrollment request queue',
      querystring: enrollmentRequestQuery,
      response: { 200: enrollmentList, ...errors },
    },
    handler: async (req) => {
      const { items, total } = await listEnrollmentRequests(req.ctx, req.query);
      return paged(items, total, req.query);
    },
  });

  defineRoute(app, {
    method: 'POST',
    url: '/api/enrollments/:id/approve',
    action: 'enrollments.update',
    schema: {
      operationId: 'approveEnrollmentRequest',
      description:
        "Approves a waiting request: the official is enrolled from today in the program's zone, on the fee terms of the request, and e-mailed. 409 when it was already decided.",
      tags: ['Enrollment'],
      summary: 'Approve an enrollment request',
      params: idParams,
      response: { 200: enrollmentSchema, ...errors },
    },
    handler: async (req) => approveEnrollmentRequest(req.ctx, req.params.id),
  });

  defineRoute(app, {
    method: 'POST',
    url: '/api/enrollments/:id/decline',
    action: 'enrollments.update',
    schema: {
      operationId: 'declineEnrollmentRequest',
      description:
        'Declines a waiting request with a reason, which is e-mailed to the official; they may ask again. 409 when it was already decided.',
      tags: ['Enrollment'],
      summary: 'Decline an enrollment request',
      params: idParams,
      body: declineEnrollmentBody,
      response: { 200: enrollmentSchema, ...errors },
    },
    handler: async (req) => declineEnrollmentRequest(req.ctx, req.params.id, req.body.reason),
  });

  defineRoute(app, {
    method: 'PATCH',
    url: '/api/enrollments/:id',
    action: 'enrollments.update',
    schema: {
      operationId: 'updateEnrollment',
      description: 'Approves, withdraws or records the fee of an enrollment and returns it.',
      tags: ['Enrollment'],
      summary: 'Change an enrollment',
      params: idParams,
      body: updateEnrollmentBody,
      response: { 200: enrollmentSchema, ...errors },
    },
    handler: async (req) => updateEnrollment(req.ctx, req.params.id, req.body),
  });

  defineRoute(app, {
    method: 'GET',
    url: '/api/me/enrollments',
    action: 'enrollments.read.own',
    schema: {
      operationId: 'listMyEnrollments',
      description: "Returns the signed-in official's enrollments (and pending requests) in every program.",
      tags: ['Enrollment'],
      summary: 'My programs',
      response: { 200: myEnrollmentsSchema },
    },
    handler: async (req) => ({ items: await myEnrollments(req.ctx) }),
  });
}
