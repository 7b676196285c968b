import type { FastifyInstance } from 'fastify';
import { idParams, problemSchema } from '../../../contract/common.js';
import { designBody, designSchema } from '../../../contract/designs.js';
import { defineRoute, fileResponse, mediaTypes } from '../../http/route.js';
import { getDesign, previewDesign, saveDesign } from './designs.service.js';

/** Four images of at most 512 KB as base64, and the words: well under 4 MB. */
export const DESIGN_BODY_LIMIT = 4 * 1024 * 1024;

export function designRoutes(app: FastifyInstance): void {
  const tags = ['Certificates'];
  const errors = { 400: problemSchema, 403: problemSchema, 404: problemSchema };
  defineRoute(app, {
    method: 'GET',
    url: '/api/programs/:id/certificate-design',
    action: 'designs.read',
    schema: {
      operationId: 'getCertificateDesign',
      description:
        "The program's current certificate design (version 0 is the default, before any save): wording, colours, border, logo, seal and signers with their images as data URLs, and the saved versions.",
      tags,
      summary: "A program's certificate design",
      params: idParams,
      response: { 200: designSchema, ...errors },
    },
    handler: async (req) => getDesign(req.ctx, req.params.id),
  });
  defineRoute(app, {
    method: 'PUT',
    url: '/api/programs/:id/certificate-design',
    action: 'designs.update',
    bodyLimit: DESIGN_BODY_LIMIT,
    schema: {
      operationId: 'saveCertificateDesign',
      description:
        'Saves the design as the next version. Images are PNGs sent as base64 (`{ "png": … }`, at most 512 KB, checked by decoding; SVG is refused) or kept by id (`{ "id": … }`). Certificates issued from now on, and re-issues, use it; those issued before keep theirs. Audited.',
      tags,
      summary: "Save a program's certificate design",
      params: idParams,
      body: designBody,
      response: { 200: designSchema, ...errors },
    },
    handler: async (req) => saveDesign(req.ctx, req.params.id, req.body),
  });
  defineRoute(app, {
    method: 'POST',
    url: '/api/programs/:id/certificate-design/preview',
    action: 'designs.preview',
    bodyLimit: DESIGN_BODY_LIMIT,
    schema: {
      operationId: 'previewCertificateDesign',
      description:
        'Draws the design in the body (not saved) as a certificate PDF for a sample official, checking its images as a save would. Nothing is stored.',
      tags,
      summary: 'Preview a certificate design',
      params: idParams,
      body: designBody,
      response: { 200: fileResponse('The sample certificate', mediaTypes.pdf), ...errors },
    },
    handler: async (req, reply) => {
      const pdf = await previewDesign(req.ctx, req.params.id, req.body);
      return reply
        .type('application/pdf')
        .header('content-disposition', 'attachment; filename="certificate-preview.pdf"')
        .header('cache-control', 'private, no-store')
        .send(pdf);
    },
  });
}
