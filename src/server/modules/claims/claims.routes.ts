import fastifyMultipart from '@fastify/multipart';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import {
  claimDocumentSchema,
  claimFeeBody,
  claimFeeList,
  claimFeeQuery,
  claimList,
  claimSchema,
  createClaimBody,
  decisionBody,
  manualCreditBody,
  reviewersBody,
  reviewersSchema,
  reviewQueue,
  reviewQueueQuery,
  submitClaimBody,
  updateClaimBody,
} from '../../../contract/claims.js';
import { idParams, okSchema, problemSchema } from '../../../contract/common.js';
import { creditRecordSchema } from '../../../contract/credits.js';
import { MAX_DOCUMENT_BYTES, documentKinds } from '../../../domain/claims/index.js';
import { DomainError } from '../../../domain/errors.js';
import type { ClaimDto } from '../../../contract/claims.js';
import { defineExport } from '../../export/routes.js';
import type { Column } from '../../export/tabular.js';
import { malformedFormError } from '../../http/multipart.js';
import { defineRoute, fileResponse, mediaTypes, paged } from '../../http/route.js';
import { listCredits } from '../credits/credits.service.js';
import {
  addDocument,
  addManualCredit,
  createClaim,
  decideClaim,
  deleteClaim,
  getClaim,
  getDocument,
  listClaimFees,
  listMyClaims,
  listReviewers,
  removeDocument,
  reviewQueue as queue,
  setClaimFee,
  setReviewers,
  submitClaim,
  updateClaim,
  type Upload,
} from './claims.service.js';

const tags = ['Claims'];
const errors = { 400: problemSchema, 403: problemSchema, 404: problemSchema, 409: problemSchema };

const multipartErrors: Record<
  string,
  [code: 'payload_too_large' | 'validation' | 'unsupported_media_type', string]
> = {
  FST_REQ_FILE_TOO_LARGE: ['payload_too_large', 'The file is larger than 10 MB.'],
  FST_FILES_LIMIT: ['payload_too_large', 'Send one file per request.'],
  FST_PARTS_LIMIT: ['payload_too_large', 'The form has too many parts: send a kind and one file.'],
  FST_FIELDS_LIMIT: ['payload_too_large', 'The form has too many fields: send a kind and one file.'],
  FST_INVALID_MULTIPART_CONTENT_TYPE: [
    'unsupported_media_type',
    'Send the document as multipart/form-data with the fields "kind" and "file".',
  ],
  FST_PROTO_VIOLATION: ['validation', 'A form field name is not allowed.'],
  FST_MP_PREMATURE_CLOSE: ['validation', 'The upload was cut off; try again.'],
};

/** Reads the form (the field "kind" and one file "file") into memory, within the limits. */
async function readUpload(req: FastifyRequest): Promise<Upload> {
  let kind: string | undefined;
  let file: { filename: string; bytes: Buffer } | undefined;
  try {
    for await (const part of req.parts()) {
      if (part.type === 'file') {
        if (part.fieldname !== 'file' || file) {
          await part.toBuffer();
          throw new DomainError('validation', 'Send one file, in the field "file".', {
            issues: [{ field: 'file', message: 'Send exactly one file, in the field "file".' }],
          });
        }
        file = { filename: part.filename, bytes: await part.toBuffer() };
      } else if (part.fieldname === 'kind') {
        kind = String(part.value);
      }
    }
  } catch (e) {
    const unreadable = malformedFormError(e, 'Send multipart/form-data with the fields "kind" and "file".');
    if (unreadable) throw unreadable;
    const known = multipartErrors[(e as { code?: string }).code ?? ''];
    if (!known) throw e;
    const field = known[0] === 'unsupported_media_type' ? '(body)' : 'file';
    throw new DomainError(known[0], known[1], { issues: [{ field, message: known[1] }] });
  }
  if (!file)
    throw new DomainError('validation', 'Choose a file to upload.', {
      issues: [{ field: 'file', message: 'Choose a file to upload.' }],
    });
  return { kind, filename: file.filename, bytes: file.bytes };
}

export function claimRoutes(app: FastifyInstance): void {
  defineRoute(app, {
    method: 'GET',
    url: '/api/me/claims',
    action: 'claims.read.own',
    schema: {
      operationId: 'listMyClaims',
      description:
        "Returns the signed-in official's claims for outside credit, newest first, with their state.",
      tags,
      summary: 'My claims',
      response: { 200: claimList },
    },
    handler: async (req) => ({ items: await listMyClaims(req.ctx) }),
  });
  defineRoute(app, {
    method: 'POST',
    url: '/api/claims',
    action: 'claims.create',
    schema: {
      operationId: 'createClaim',
      description:
        'Starts a claim for credit earned elsewhere, saved as a draft: add documents, then submit it. Returns the claim (201).',
      tags,
      summary: 'Start a claim',
      body: createClaimBody,
      response: { 201: claimSchema, ...errors },
    },
    handler: async (req, reply) => {
      const c = await createClaim(req.ctx, req.body);
      reply.status(201);
      return c;
    },
  });
  defineRoute(app, {
    method: 'GET',
    url: '/api/claims/:id',
    action: 'claims.read',
    schema: {
      operationId: 'getClaim',
      description:
        "Returns the claim with its documents and history. Visible to its official, administrators, coordinators and the program's reviewers.",
      tags,
      summary: 'One claim',
      params: idParams,
      response: { 200: claimSchema, ...errors },
    },
    handler: async (req) => getClaim(req.ctx, req.params.id),
  });
  defineRoute(app, {
    method: 'PATCH',
    url: '/api/claims/:id',
    action: 'claims.update',
    schema: {
      operationId: 'updateClaim',
      description: 'Changes a draft claim, or one that needs information, and returns it.',
      tags,
      summary: 'Change a claim',
      params: idParams,
      body: updateClaimBody,
      response: { 200: claimSchema, ...errors },
    },
    handler: async (req) => updateClaim(req.ctx, req.params.id, req.body),
  });
  defineRoute(app, {
    method: 'DELETE',
    url: '/api/claims/:id',
    action: 'claims.update',
    schema: {
      operationId: 'deleteClaim',
      description: 'Deletes a draft claim with its documents. Only its official may.',
      tags,
      summary: 'Delete a draft claim',
      params: idParams,
      response: { 200: okSchema, ...errors },
    },
    handler: async (req) => {
      await deleteClaim(req.ctx, req.params.id);
      return { ok: true as const };
    },
  });
  defineRoute(app, {
    method: 'POST',
    url: '/api/claims/:id/submit',
    action: 'claims.submit',
    schema: {
      operationId: 'submitClaim',
      description:
        'Submits the claim for review (or answers a request for information). Without the evidence its program requires it is refused (409 naming the missing documents) and nothing changes.',
      tags,
      summary: 'Submit a claim',
      params: idParams,
      body: submitClaimBody,
      response: { 200: claimSchema, ...errors },
    },
    handler: async (req) => submitClaim(req.ctx, req.params.id, req.body.response),
  });
  defineRoute(app, {
    method: 'POST',
    url: '/api/claims/:id/decision',
    action: 'claims.review',
    schema: {
      operationId: 'decideClaim',
      description:
        'A reviewer approves (optionally with another amount or category, writing the credit), rejects with a reason, or asks for information. Returns the claim.',
      tags,
      summary: 'Decide a claim',
      params: idParams,
      body: decisionBody,
      response: { 200: claimSchema, ...errors },
    },
    handler: async (req) => decideClaim(req.ctx, req.params.id, req.body),
  });
  defineRoute(app, {
    method: 'PATCH',
    url: '/api/claims/:id/fee',
    action: 'claims.fee.update',
    schema: {
      operationId: 'recordClaimFee',
      description: "Records the payment of the claim's credit fee and returns the claim.",
      tags,
      summary: "Record a claim's fee payment",
      params: idParams,
      body: claimFeeBody,
      response: { 200: claimSchema, ...errors },
    },
    handler: async (req) => setClaimFee(req.ctx, req.params.id, req.body),
  });
  defineRoute(app, {
    method: 'GET',
    url: '/api/claim-fees',
    action: 'claims.fee.list',
    schema: {
      operationId: 'listClaimFees',
      description:
        'Claims that carry a credit fee, oldest first, with their payment state and the total still owed.',
      tags,
      summary: 'Claims with a credit fee',
      querystring: claimFeeQuery,
      response: { 200: claimFeeList, 400: problemSchema },
    },
    handler: async (req) => {
      const { items, total, owedCents } = await listClaimFees(req.ctx, req.query);
      return { ...paged(items, total, req.query), owedCents };
    },
  });
  defineExport(app, {
    url: '/api/claim-fees/export',
    operationId: 'exportClaimFees',
    action: 'claims.fee.list',
    tags,
    summary: 'Export the claims that carry a credit fee (CSV or XLSX)',
    listQuery: claimFeeQuery,
    base: 'claim-fees',
    columns: [
      ...claimColumns,
      { header: 'Fee ($)', value: (c) => c.fee.cents / 100 },
      { header: 'Fee status', value: (c) => c.fee.status },
      { header: 'Paid by', value: (c) => c.fee.method },
      { header: 'Receipt or invoice', value: (c) => c.fee.receipt, width: 18 },
    ],
    fetchPage: listClaimFees,
  });
  defineExport(app, {
    url: '/api/review/claims/export',
    operationId: 'exportReviewQueue',
    action: 'claims.review',
    tags,
    summary: 'Export the review queue',
    listQuery: reviewQueueQuery,
    base: 'review-queue',
    columns: [...claimColumns, { header: 'Days waiting', value: (c) => c.waitingDays }],
    fetchPage: queue,
  });
  defineRoute(app, {
    method: 'GET',
    url: '/api/review/claims',
    action: 'claims.review',
    schema: {
      operationId: 'listReviewQueue',
      description:
        'Submitted claims waiting for review, oldest first; a reviewer sees only the programs they review.',
      tags,
      summary: 'The claim review queue',
      querystring: reviewQueueQuery,
      response: { 200: reviewQueue, 400: problemSchema },
    },
    handler: async (req) => {
      const { items, total } = await queue(req.ctx, req.query);
      return paged(items, total, req.query);
    },
  });
  defineRoute(app, {
    method: 'GET',
    url: '/api/claim-documents/:id',
    action: 'claims.read',
    schema: {
      operationId: 'downloadClaimDocument',
      description:
        'Sends the evidence document as an attachment with its real type (PDF, PNG or JPEG), to whoever may see its claim.',
      tags,
      summary: 'Download an evidence document',
      params: idParams,
      response: {
        200: fileResponse('The document, with its own type', mediaTypes.pdf, mediaTypes.png, mediaTypes.jpeg),
        403: problemSchema,
        404: problemSchema,
      },
    },
    handler: async (req, reply) =>
      sendDocument(reply, await getDocument(req.ctx, req.params.id), 'attachment'),
  });
  defineRoute(app, {
    method: 'GET',
    url: '/api/claim-documents/:id/view',
    action: 'claims.read',
    schema: {
      operationId: 'viewClaimDocument',
      description:
        'Sends the evidence document inline (PDF or image), for a frame of this site only; no script runs in it.',
      tags,
      summary: 'Show an evidence document',
      params: idParams,
      response: {
        200: fileResponse('The document, with its own type', mediaTypes.pdf, mediaTypes.png, mediaTypes.jpeg),
        403: problemSchema,
        404: problemSchema,
      },
    },
    handler: async (req, reply) => sendDocument(reply, await getDocument(req.ctx, req.params.id), 'inline'),
  });
  defineRoute(app, {
    method: 'DELETE',
    url: '/api/claim-documents/:id',
    action: 'claims.update',
    schema: {
      operationId: 'deleteClaimDocument',
      description: 'Removes a document from a draft claim.',
      tags,
      summary: 'Remove a document from a draft claim',
      params: idParams,
      response: { 200: okSchema, ...errors },
    },
    handler: async (req) => {
      await removeDocument(req.ctx, req.params.id);
      return { ok: true as const };
    },
  });
  defineRoute(app, {
    method: 'GET',
    url: '/api/programs/:id/reviewers',
    action: 'reviewers.manage',
    schema: {
      operationId: 'listProgramReviewers',
      description: "Returns the people who review this program's claims.",
      tags,
      summary: "The program's claim reviewers",
      params: idParams,
      response: { 200: reviewersSchema, 404: problemSchema },
    },
    handler: async (req) => listReviewers(req.ctx, req.params.id),
  });
  defineRoute(app, {
    method: 'PUT',
    url: '/api/programs/:id/reviewers',
    action: 'reviewers.manage',
    schema: {
      operationId: 'setProgramReviewers',
      description:
        "Replaces the program's claim reviewers with the people given, who must hold the reviewer role. Returns the new list.",
      tags,
      summary: "Set the program's claim reviewers",
      params: idParams,
      body: reviewersBody,
      response: { 200: reviewersSchema, ...errors },
    },
    handler: async (req) => setReviewers(req.ctx, req.params.id, req.body.personIds),
  });
  defineRoute(app, {
    method: 'POST',
    url: '/api/people/:id/credits',
    action: 'credits.create',
    schema: {
      operationId: 'createManualCredit',
      description:
        'Adds a credit record by hand (e.g. from a paper record) with the reason; the person is re-evaluated. Returns the record (201).',
      tags: ['Credits'],
      summary: 'Enter credit by hand',
      params: idParams,
      body: manualCreditBody,
      response: { 201: creditRecordSchema, ...errors },
    },
    handler: async (req, reply) => {
      const id = await addManualCredit(req.ctx, req.params.id, req.body);
      const record = (await listCredits(req.ctx, req.params.id)).find((c) => c.id === id)!;
      reply.status(201);
      return record;
    },
  });

  // Uploads: multipart only here, one file of at most 10 MB per request.
  void app.register(async (scope) => {
    await scope.register(fastifyMultipart, {
      limits: { fileSize: MAX_DOCUMENT_BYTES, files: 1, fields: 4, parts: 5, fieldSize: 1024 },
    });
    defineRoute(scope, {
      method: 'POST',
      url: '/api/claims/:id/documents',
      action: 'claims.update',
      schema: {
        operationId: 'addClaimDocument',
        description:
          'Upload an evidence document as multipart/form-data (field `kind`, then `file`): PDF, PNG or JPEG, checked by content. Returns the document (201).',
        tags,
        summary: 'Add an evidence document',
        params: idParams,
        upload: {
          fields: { kind: { description: 'What the document shows', enum: documentKinds } },
          file: {
            name: 'file',
            description: `The document, at most ${MAX_DOCUMENT_BYTES / 1024 / 1024} MB`,
            mediaTypes: [mediaTypes.pdf, mediaTypes.png, mediaTypes.jpeg],
          },
          required: ['kind', 'file'],
        },
        response: { 201: claimDocumentSchema, ...errors, 413: problemSchema, 415: problemSchema },
      },
      handler: async (req, reply) => {
        await getClaim(req.ctx, req.params.id); // a claim the caller cannot see is not found, before any upload
        const upload = await readUpload(req);
        const doc = await addDocument(req.ctx, req.params.id, upload);
        reply.status(201);
        return doc;
      },
    });
  });
}

/**
 * An evidence document with its real type, never sniffed. As an attachment
 * it runs in a sandbox; inline (a reviewer reading it on the claim's page) it
 * may be framed by this site only, and its policy allows no script, no
 * requests and no forms; the checks on upload already refused active PDF
 * content.
 */
function sendDocument(
  reply: FastifyReply,
  d: { filename: string; contentType: string; content: Buffer },
  disposition: 'attachment' | 'inline',
) {
  const ascii = d.filename.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  return reply
    .type(d.contentType)
    .header(
      'content-disposition',
      `${disposition}; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(d.filename)}`,
    )
    .header('x-content-type-options', 'nosniff')
    .header(
      'content-security-policy',
      disposition === 'attachment'
        ? "sandbox; default-src 'none'"
        : "default-src 'none'; script-src 'none'; img-src 'self'; style-src 'unsafe-inline'; form-action 'none'; frame-ancestors 'self'",
    )
    .header('x-frame-options', 'SAMEORIGIN')
    .header('cache-control', 'private, no-store')
    .send(d.content);
}

/** The columns every claim export starts with. */
const claimColumns: Column<ClaimDto>[] = [
  { header: 'Official', value: (c) => c.person.name, width: 24 },
  { header: 'Program', value: (c) => c.program.code, width: 12 },
  { header: 'Type', value: (c) => c.typeLabel, width: 22 },
  { header: 'Activity', value: (c) => c.title, width: 36 },
  { header: 'Provider', value: (c) => c.provider, width: 24 },
  { header: 'From', value: (c) => c.startDate, width: 11 },
  { header: 'To', value: (c) => c.endDate, width: 11 },
  { header: 'Hours', value: (c) => c.hours },
  { header: 'Category', value: (c) => c.categoryName, width: 18 },
  { header: 'Status', value: (c) => c.status },
  { header: 'Submitted', value: (c) => c.submittedAt, width: 24 },
  { header: 'Decided', value: (c) => c.decidedAt, width: 24 },
  { header: 'Approved amount', value: (c) => c.approvedAmount },
];
