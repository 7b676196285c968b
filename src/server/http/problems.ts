/**
 * Maps every error to an RFC 9457 application/problem+json response. The table
 * of domain codes is a Record over ErrorCode, so the compiler fails when a
 * code is added without a mapping.
 */
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import { DomainError, type ErrorCode, type FieldIssue } from '../../domain/errors.js';

const problemTable: Record<ErrorCode, { status: number; title: string }> = {
  validation: { status: 400, title: 'Some information is missing or not valid' },
  unauthenticated: { status: 401, title: 'Sign-in required' },
  forbidden: { status: 403, title: 'Not allowed' },
  not_found: { status: 404, title: 'Not found' },
  conflict: { status: 409, title: 'Conflict' },
  gone: { status: 410, title: 'No longer available' },
  rate_limited: { status: 429, title: 'Too many attempts' },
  invalid_token: { status: 400, title: 'Link not valid' },
  invalid_credentials: { status: 401, title: 'Sign-in failed' },
  second_factor_required: { status: 401, title: 'Enter your sign-in code' },
  second_factor_setup_required: { status: 403, title: 'Set up two-step sign-in first' },
  payload_too_large: { status: 413, title: 'Request too large' },
  unsupported_media_type: { status: 415, title: 'Unsupported content type' },
  provider_unavailable: { status: 502, title: 'Sign-in provider unavailable' },
  unavailable: { status: 503, title: 'Service temporarily unavailable' },
};

export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance?: string;
  errors?: FieldIssue[];
}

export function problemFor(code: ErrorCode, detail: string, issues: FieldIssue[] = []): ProblemBody {
  const { status, title } = problemTable[code];
  return {
    type: `https://civiccert.dev/problems/${code.replace(/_/g, '-')}`,
    title,
    status,
    detail,
    ...(issues.length ? { errors: issues } : {}),
  };
}

export function sendProblem(reply: FastifyReply, body: ProblemBody, retryAfter?: number): FastifyReply {
  if (retryAfter) reply.header('retry-after', String(retryAfter));
  return reply.status(body.status).type('application/problem+json').send(body);
}

/** Seconds a client should wait before retrying while the database is unavailable. */
export const UNAVAILABLE_RETRY_AFTER = 5;

export function unavailableProblem(detail: string, title = 'Service temporarily unavailable'): ProblemBody {
  return { type: 'https://civiccert.dev/problems/unavailable', title, status: 503, detail };
}

// Connection failures (not query errors): refused/reset sockets, PostgreSQL shutting down or
// starting up (57P01-57P03), SQLSTATE class 08 (connection exception), and node-postgres's own.
const CONNECTION_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  '57P01',
  '57P02',
  '57P03',
]);
const CONNECTION_MESSAGES =
  /Connection terminated|timeout exceeded when trying to connect|connection error and is not queryable|Client was closed and is not queryable|Cannot use a pool after calling end/i;

/** True for errors that mean "the database cannot be reached right now", not "the query is wrong". */
export function isDatabaseUnavailable(error: unknown, depth = 0): boolean {
  if (!error || typeof error !== 'object' || depth > 3) return false;
  const e = error as { code?: unknown; message?: unknown; errors?: unknown; cause?: unknown };
  if (typeof e.code === 'string' && (CONNECTION_CODES.has(e.code) || /^08[0-9A-Z]{3}$/.test(e.code)))
    return true;
  if (typeof e.message === 'string' && CONNECTION_MESSAGES.test(e.message)) return true;
  // Node reports a refused connection to several addresses as an AggregateError.
  if (Array.isArray(e.errors) && e.errors.some((x) => isDatabaseUnavailable(x, depth + 1))) return true;
  return isDatabaseUnavailable(e.cause, depth + 1);
}

interface ValidationItem {
  instancePath?: string;
  message?: string;
  keyword?: string;
  params?: Record<string, unknown>;
}

function fieldIssues(context: string | undefined, items: ValidationItem[]): FieldIssue[] {
  const prefix = context && context !== 'body' ? `${context === 'querystring' ? 'query' : context}.` : '';
  return items.flatMap((v) => {
    const base = (v.instancePath ?? '').replace(/^\//, '').split('/').filter(Boolean).join('.');
    if (v.keyword === 'unrecognized_keys' && Array.isArray(v.params?.keys)) {
      return (v.params.keys as string[]).map((k) => ({
        field: prefix + (base ? `${base}.${k}` : k),
        message: `Unknown field "${k}". Remove it and try again.`,
      }));
    }
    return [
      {
        field: prefix + (base || (context === 'body' ? '(body)' : (context ?? '(request)'))),
        message: v.message ?? 'Not valid.',
      },
    ];
  });
}

function describe(issues: FieldIssue[]): string {
  const first = issues[0];
  if (!first) return 'The request is not valid.';
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more)` : '';
  return `${first.field}: ${first.message}${more}`;
}

export function toProblem(
  error: unknown,
  request: FastifyRequest,
): { body: ProblemBody; retryAfter?: number } {
  if (error instanceof DomainError) {
    const body = problemFor(error.code, error.message, error.issues);
    return { body, retryAfter: error.retryAfterSeconds };
  }
  if (hasZodFastifySchemaValidationErrors(error)) {
    const issues = fieldIssues((error as { validationContext?: string }).validationContext, error.validation);
    return { body: problemFor('validation', describe(issues), issues) };
  }
  const fe = error as FastifyError & { validation?: ValidationItem[]; validationContext?: string };
  if (Array.isArray(fe.validation)) {
    const issues = fieldIssues(fe.validationContext, fe.validation);
    return { body: problemFor('validation', describe(issues), issues) };
  }
  switch (fe.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return {
        body: problemFor('payload_too_large', 'The request body is larger than this endpoint accepts.'),
      };
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return {
        body: problemFor('unsupported_media_type', 'Send the request body as application/json.', [
          { field: '(body)', message: 'Content-Type must be application/json.' },
        ]),
      };
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return {
        body: problemFor('validation', 'The request body is empty; send a JSON object.', [
          { field: '(body)', message: 'A JSON body is required.' },
        ]),
      };
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return {
        body: problemFor('validation', 'The request body is not valid JSON.', [
          { field: '(body)', message: 'Not valid JSON.' },
        ]),
      };
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return { body: problemFor('validation', 'The Content-Length header does not match the body.') };
    case 'FST_ERR_RATE_LIMIT_EXCEEDED':
      return { body: problemFor('rate_limited', 'Too many requests. Wait a minute and try again.') };
  }
  if (fe instanceof SyntaxError && (fe as { statusCode?: number }).statusCode === 400) {
    return {
      body: problemFor('validation', 'The request body is not valid JSON.', [
        { field: '(body)', message: 'Not valid JSON.' },
      ]),
    };
  }
  if (isDatabaseUnavailable(error)) {
    request.log.warn({ err: error }, 'database unavailable');
    return {
      body: unavailableProblem(
        'The database is not reachable at the moment (it may be restarting). Try again in a few seconds.',
      ),
      retryAfter: UNAVAILABLE_RETRY_AFTER,
    };
  }
  const status = typeof fe.statusCode === 'number' ? fe.statusCode : 500;
  if (status >= 400 && status < 500 && !isResponseSerializationError(fe)) {
    return {
      body: {
        type: 'about:blank',
        title: 'Bad request',
        status,
        detail: fe.message || 'The request was not accepted.',
      },
    };
  }
  request.log.error({ err: error }, 'unhandled error');
  return {
    body: {
      type: 'about:blank',
      title: 'Internal server error',
      status: 500,
      detail: `Something went wrong on our side. Quote request id ${request.id} if you contact support.`,
    },
  };
}
