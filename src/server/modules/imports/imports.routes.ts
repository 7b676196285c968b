import fastifyMultipart from '@fastify/multipart';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { idParams, problemSchema } from '../../../contract/common.js';
import {
  importKinds,
  importKindSchema,
  importListSchema,
  importRunSchema,
  MAX_IMPORT_BYTES,
  type ImportKind,
} from '../../../contract/imports.js';
import { DomainError } from '../../../domain/errors.js';
import { malformedFormError } from '../../http/multipart.js';
import { defineRoute, mediaTypes } from '../../http/route.js';
import { getImportRun, listImportRuns, startImport } from './imports.service.js';
import { formatOf } from './parse.js';
import { checkSheetLimits } from './sheet-limits.js';

const tags = ['Imports'];
const errors = { 400: problemSchema, 403: problemSchema, 404: problemSchema };
const limitMb = Math.round(MAX_IMPORT_BYTES / 1024 / 1024);

const multipartErrors: Record<
  string,
  [code: 'payload_too_large' | 'validation' | 'unsupported_media_type', string]
> = {
  FST_REQ_FILE_TOO_LARGE: [
    'payload_too_large',
    `The file is larger than ${limitMb} MB; import it in parts or with the civiccert command.`,
  ],
  FST_FILES_LIMIT: ['payload_too_large', 'Send one file per import.'],
  FST_PARTS_LIMIT: ['payload_too_large', 'The form has too many parts.'],
  FST_FIELDS_LIMIT: ['payload_too_large', 'The form has too many fields.'],
  FST_INVALID_MULTIPART_CONTENT_TYPE: [
    'unsupported_media_type',
    'Send the import as multipart/form-data with the fields "kind", "dryRun" and "file".',
  ],
  FST_PROTO_VIOLATION: ['validation', 'A form field name is not allowed.'],
  FST_MP_PREMATURE_CLOSE: ['validation', 'The upload was cut off; try again.'],
};

const formSchema = z.strictObject({
  kind: importKindSchema,
  dryRun: z.enum(['true', 'false'], { message: 'dryRun must be true or false.' }),
  programId: z
    .string()
    .trim()
    .min(1)
    .max(100, { message: 'Program must be at most 100 characters.' })
    .optional(),
});

interface ImportForm {
  kind: ImportKind;
  dryRun: boolean;
  programId: string | undefined;
  filename: string;
  bytes: Buffer;
}

async function readForm(req: FastifyRequest): Promise<ImportForm> {
  const fields: Record<string, string> = {};
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
        file = { filename: part.filename || 'upload', bytes: await part.toBuffer() };
      } else {
        fields[part.fieldname] = String(part.value);
      }
    }
  } catch (e) {
    const unreadable = malformedFormError(
      e,
      'Send multipart/form-data with the fields "kind", "dryRun" and "file".',
    );
    if (unreadable) throw unreadable;
    const known = multipartErrors[(e as { code?: string }).code ?? ''];
    if (!known) throw e;
    const field = known[0] === 'unsupported_media_type' ? '(body)' : 'file';
    throw new DomainError(known[0], known[1], { issues: [{ field, message: known[1] }] });
  }
  const parsed = formSchema.safeParse(fields);
  if (!parsed.success)
    throw new DomainError('validation', 'The import form has errors.', {
      issues: parsed.error.issues.map((i) => ({ field: String(i.path[0] ?? '(body)'), message: i.message })),
    });
  if (!file || file.bytes.length === 0)
    throw new DomainError('validation', 'Choose a .csv or .xlsx file to import.', {
      issues: [{ field: 'file', message: 'Choose a .csv or .xlsx file to import.' }],
    });
  return {
    kind: parsed.data.kind,
    dryRun: parsed.data.dryRun === 'true',
    programId: parsed.data.programId,
    filename: file.filename,
    bytes: file.bytes,
  };
}

export function importRoutes(app: FastifyInstance): void {
  defineRoute(app, {
    method: 'GET',
    url: '/api/imports',
    action: 'imports.read',
    schema: {
      operationId: 'listImports',
      description: 'The latest imports and dry runs, newest first, with their status and counts.',
      tags,
      summary: 'List imports',
      response: { 200: importListSchema, ...errors },
    },
    handler: async (req) => ({ items: await listImportRuns(req.ctx) }),
  });
  defineRoute(app, {
    method: 'GET',
    url: '/api/imports/:id',
    action: 'imports.read',
    schema: {
      operationId: 'getImport',
      description:
        'One import: its status, progress (poll while it runs), counts and every error by row and column.',
      tags,
      summary: 'One import',
      params: idParams,
      response: { 200: importRunSchema, ...errors },
    },
    handler: async (req) => getImportRun(req.ctx, req.params.id),
  });
  void app.register(async (scope) => {
    await scope.register(fastifyMultipart, {
      limits: { fileSize: MAX_IMPORT_BYTES, files: 1, fields: 5, parts: 6, fieldSize: 1024 },
    });
    defineRoute(scope, {
      method: 'POST',
      url: '/api/imports',
      action: 'imports.run',
      schema: {
        operationId: 'startImport',
        description:
          'Upload a CSV or XLSX file as multipart/form-data (fields `kind`, `dryRun`, optional `programId`, then `file`). A dry run checks every row and answers 201 with every error; a real import answers 202 at once: poll GET /api/imports/{id}.',
        tags,
        summary: 'Check or run an import',
        upload: {
          fields: {
            kind: { description: 'What the file holds', enum: importKinds },
            dryRun: {
              description: '"true" checks every row and writes nothing; "false" imports',
              enum: ['true', 'false'],
            },
            programId: { description: 'The program, by id or code, for kinds that need one (optional)' },
          },
          file: { name: 'file', description: 'The spreadsheet', mediaTypes: ['text/csv', mediaTypes.xlsx] },
          required: ['kind', 'dryRun', 'file'],
        },
        response: {
          201: importRunSchema,
          202: importRunSchema,
          ...errors,
          413: problemSchema,
          415: problemSchema,
        },
      },
      handler: async (req, reply) => {
        const form = await readForm(req);
        // Limits on what the file holds (unpacked size, rows, cell length), before any row is read.
        await checkSheetLimits(form.bytes, formatOf(form.filename, form.bytes));
        const { id, done } = await startImport(req.ctx, {
          kind: form.kind,
          filename: form.filename,
          input: form.bytes,
          dryRun: form.dryRun,
          program: form.programId,
        });
        if (form.dryRun) {
          reply.status(201);
          return done;
        }
        // The import carries on after the response; its row tells the page how far it is.
        done.catch((e: unknown) => req.log.error({ err: e, importRun: id }, 'import failed'));
        reply.status(202);
        return getImportRun(req.ctx, id);
      },
    });
  });
}
