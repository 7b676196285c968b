import type { FastifyInstance } from 'fastify';
import { idParams, problemSchema } from '../../../contract/common.js';
import {
  courseList,
  courseQuery,
  courseSchema,
  createCourseBody,
  updateCourseBody,
} from '../../../contract/catalog.js';
import { defineExport } from '../../export/routes.js';
import { defineRoute, paged } from '../../http/route.js';
import { createCourse, getCourse, listCourses, updateCourse } from './catalog.service.js';

export function catalogRoutes(app: FastifyInstance): void {
  const tags = ['Catalog'];
  const errors = { 400: problemSchema, 404: problemSchema, 409: problemSchema };

  defineRoute(app, {
    method: 'GET',
    url: '/api/courses',
    action: 'courses.list',
    schema: {
      operationId: 'listCourses',
      description:
        'Returns one page of catalog courses, searched by text and filtered by program, format, renewal or sponsorship.',
      tags,
      summary: 'Search the course catalog',
      querystring: courseQuery,
      response: { 200: courseList, 400: problemSchema },
    },
    handler: async (req) => {
      const { items, total } = await listCourses(req.ctx, req.query);
      return paged(items, total, req.query);
    },
  });

  defineExport(app, {
    url: '/api/courses/export',
    operationId: 'exportCourses',
    action: 'courses.list',
    tags,
    summary: 'Export the course catalog (CSV or XLSX)',
    listQuery: courseQuery,
    base: 'courses',
    columns: [
      { header: 'Code', value: (c) => c.code, width: 12 },
      { header: 'Title', value: (c) => c.title, width: 40 },
      { header: 'Program', value: (c) => c.programCode, width: 14 },
      { header: 'Format', value: (c) => c.format },
      { header: 'Minutes', value: (c) => c.durationMinutes },
      {
        header: 'Credits',
        value: (c) => c.credits.map((k) => `${k.amount} ${k.categoryName}`).join('; '),
        width: 24,
      },
      { header: 'Sponsored', value: (c) => (c.sponsored ? 'yes' : 'no') },
      { header: 'Renewal course', value: (c) => (c.renewal ? 'yes' : 'no') },
      { header: 'Completion (% of minutes)', value: (c) => c.completionMinPercent },
      { header: 'Prerequisites', value: (c) => c.prerequisites.join('; '), width: 20 },
      { header: 'Requirements served', value: (c) => c.requirementIds.join('; '), width: 24 },
      { header: 'Topics', value: (c) => c.topics.join('; '), width: 30 },
      { header: 'Description', value: (c) => c.description, width: 60 },
    ],
    fetchPage: listCourses,
  });

  defineRoute(app, {
    method: 'POST',
    url: '/api/courses',
    action: 'courses.create',
    schema: {
      operationId: 'createCourse',
      description: 'Adds a course to the catalog. Returns the course (201).',
      tags,
      summary: 'Add a course to the catalog',
      body: createCourseBody,
      response: { 201: courseSchema, ...errors },
    },
    handler: async (req, reply) => {
      const c = await createCourse(req.ctx, req.body);
      reply.status(201);
      return c;
    },
  });

  defineRoute(app, {
    method: 'GET',
    url: '/api/courses/:id',
    action: 'courses.read',
    schema: {
      operationId: 'getCourse',
      description: 'Returns one catalog course.',
      tags,
      summary: 'One course',
      params: idParams,
      response: { 200: courseSchema, ...errors },
    },
    handler: async (req) => getCourse(req.ctx, req.params.id, req.ctx.db),
  });

  defineRoute(app, {
    method: 'PATCH',
    url: '/api/courses/:id',
    action: 'courses.update',
    schema: {
      operationId: 'updateCourse',
      description: 'Changes the course and returns it.',
      tags,
      summary: 'Change a course',
      params: idParams,
      body: updateCourseBody,
      response: { 200: courseSchema, ...errors },
    },
    handler: async (req) => updateCourse(req.ctx, req.params.id, req.body),
  });
}
