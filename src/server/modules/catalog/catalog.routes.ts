import type { FastifyInstance } from 'fastify';
import { idParams, problemSchema } from '../../../contract/common.js';
import {
  courseList,
  courseQuery,
  courseSchema,
  createCourseBody,
  updateCourseBody,
} from '../../../contract/catalog.js';
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

  defineRoute(app, {
    method: 'POST',
    url: '/api/courses',
    action: 'courses.create',
    schema: {
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
    schema: { tags, summary: 'One course', params: idParams, response: { 200: courseSchema, ...errors } },
    handler: async (req) => getCourse(req.ctx, req.params.id, req.ctx.db),
  });

  defineRoute(app, {
    method: 'PATCH',
    url: '/api/courses/:id',
    action: 'courses.update',
    schema: {
      tags,
      summary: 'Change a course',
      params: idParams,
      body: updateCourseBody,
      response: { 200: courseSchema, ...errors },
    },
    handler: async (req) => updateCourse(req.ctx, req.params.id, req.body),
  });
}
