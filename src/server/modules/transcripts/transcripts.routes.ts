import type { FastifyInstance } from 'fastify';
import { idParams, problemSchema } from '../../../contract/common.js';
import {
  codeParams,
  issuedTranscriptList,
  issuedTranscriptSchema,
  transcriptSchema,
  transcriptVerificationSchema,
} from '../../../contract/transcripts.js';
import { DomainError } from '../../../domain/errors.js';
import type { Ctx } from '../../context.js';
import { enforceRateLimit, type RateLimit } from '../../http/rate-limit.js';
import { defineRoute, fileResponse, mediaTypes } from '../../http/route.js';
import {
  issuedPdf,
  issueTranscript,
  listIssued,
  transcriptFor,
  transcriptForStaff,
  verifyTranscript,
} from './transcripts.service.js';

const me = (ctx: Ctx) => {
  if (!ctx.actor) throw new DomainError('unauthenticated', 'Sign in to continue.');
  return ctx.actor.personId;
};

/** Public transcript checks per address: 60 a minute, across all app instances. */
export const TRANSCRIPT_VERIFY_LIMIT: RateLimit = {
  bucket: 'verify.transcript',
  limit: 60,
  windowSeconds: 60,
  message: 'Too many transcript checks from this address. Try again in a minute.',
};

export function transcriptRoutes(app: FastifyInstance): void {
  const tags = ['Transcripts'];
  defineRoute(app, {
    method: 'GET',
    url: '/api/me/transcript',
    action: 'transcripts.read.own',
    schema: {
      operationId: 'getMyTranscript',
      description: "Returns the signed-in official's whole record across programs.",
      tags,
      summary: 'My whole record across programs',
      response: { 200: transcriptSchema },
    },
    handler: async (req) => transcriptFor(req.ctx, me(req.ctx)),
  });
  defineRoute(app, {
    method: 'GET',
    url: '/api/people/:id/transcript',
    action: 'transcripts.read',
    schema: {
      operationId: 'getPersonTranscript',
      description: "Returns the person's whole record across programs.",
      tags,
      summary: "A person's whole record across programs",
      params: idParams,
      response: { 200: transcriptSchema, 404: problemSchema },
    },
    handler: async (req) => transcriptForStaff(req.ctx, req.params.id),
  });
  defineRoute(app, {
    method: 'GET',
    url: '/api/me/transcripts',
    action: 'transcripts.read.own',
    schema: {
      operationId: 'listMyIssuedTranscripts',
      description:
        'Returns the official transcripts issued to the signed-in person, with their verification codes.',
      tags,
      summary: 'Official transcripts issued to me',
      response: { 200: issuedTranscriptList },
    },
    handler: async (req) => listIssued(req.ctx, me(req.ctx)),
  });
  defineRoute(app, {
    method: 'POST',
    url: '/api/me/transcripts',
    action: 'transcripts.issue',
    schema: {
      operationId: 'issueMyTranscript',
      description:
        "Issues an official PDF transcript of the signed-in person's record as of now, with a verification code; each is a new record that never changes. Returns it (201).",
      tags,
      summary: 'Issue an official transcript',
      response: { 201: issuedTranscriptSchema },
    },
    handler: async (req, reply) => {
      const r = await issueTranscript(req.ctx, me(req.ctx));
      reply.status(201);
      return r;
    },
  });
  defineRoute(app, {
    method: 'GET',
    url: '/api/transcripts/:id/pdf',
    action: 'transcripts.download',
    schema: {
      operationId: 'getTranscriptPdf',
      description: 'Sends the issued transcript as a PDF, to its owner and staff.',
      tags,
      summary: 'The issued transcript PDF',
      params: idParams,
      response: { 200: fileResponse('The transcript', mediaTypes.pdf), 404: problemSchema },
    },
    handler: async (req, reply) => {
      const t = await issuedPdf(req.ctx, req.params.id);
      return reply
        .type('application/pdf')
        .header('content-disposition', `attachment; filename="transcript-${t.code}.pdf"`)
        .header('x-content-type-options', 'nosniff')
        .header('cache-control', 'private, no-store')
        .send(t.pdf);
    },
  });

  // Public and without sign-in, so limited per address by the shared PostgreSQL limiter.
  defineRoute(app, {
    method: 'GET',
    url: '/api/verify/transcript/:code',
    action: 'transcripts.verify',
    schema: {
      operationId: 'verifyTranscript',
      description:
        'Confirms a transcript is authentic by its verification code and returns what it certifies, program by program. Rate-limited per caller address.',
      tags,
      summary: 'Verify a transcript',
      params: codeParams,
      response: {
        200: transcriptVerificationSchema,
        400: problemSchema,
        404: problemSchema,
        429: problemSchema,
      },
    },
    handler: async (req) => {
      await enforceRateLimit(req.ctx, TRANSCRIPT_VERIFY_LIMIT);
      return verifyTranscript(req.ctx, req.params.code);
    },
  });
}
