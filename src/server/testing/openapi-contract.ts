/**
 * Checks live responses against the committed API document (openapi.json):
 * each response's operation is found by method and path template, and its
 * status, media type and (for JSON) body must be what the document declares
 * for that status. The document is OpenAPI 3.1, so its schemas are JSON Schema
 * 2020-12 and are compiled with ajv's 2020 build.
 *
 *   const contract = loadContract();
 *   const admin = contract.client(await quickClient(t, ['administrator']));
 *   await admin.request('GET', '/api/people'); // throws when the answer does not fit
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import type { Client } from './harness.js';

// ajv-formats is CommonJS; its default export arrives wrapped under ESM.
const addFormats = ((addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ??
  addFormatsModule) as typeof addFormatsModule;

interface MediaObject {
  schema?: unknown;
}
interface Operation {
  operationId?: string;
  responses: Record<string, { content?: Record<string, MediaObject> }>;
}
interface Document {
  openapi: string;
  paths: Record<string, Record<string, Operation>>;
}

/** The response as a check needs it (what the harness clients and `inject` return). */
export interface Answer {
  status: number;
  headers: Record<string, unknown>;
  body: string;
}

const DOC_ID = 'https://civiccert.dev/openapi.json';
const pointer = (parts: string[]) =>
  '#/' + parts.map((p) => encodeURIComponent(p.replace(/~/g, '~0').replace(/\//g, '~1'))).join('/');

export interface Contract {
  /** Problems with this answer to METHOD url (an empty list when it fits the document). */
  check: (method: string, url: string, answer: Answer) => string[];
  /** Throws, naming every problem, when the answer does not fit the document. */
  assert: (method: string, url: string, answer: Answer) => void;
  /** The same client, each of whose answers is asserted against the document. */
  client: <C extends Client>(client: C) => C;
  /** The operationIds answered so far (by `assert` and checked clients). */
  covered: Set<string>;
}

export function loadContract(file = path.resolve('openapi.json')): Contract {
  const doc = JSON.parse(readFileSync(file, 'utf8')) as Document;
  if (!doc.openapi.startsWith('3.1'))
    throw new Error(`openapi.json is OpenAPI ${doc.openapi}; this check compiles JSON Schema 2020-12 (3.1)`);
  const ajv = new Ajv2020({ strict: false, allErrors: true, validateSchema: false });
  addFormats(ajv);
  ajv.addFormat('binary', true);
  // The whole document is one schema resource, so `#/components/schemas/…` resolves inside it.
  ajv.addSchema({ ...doc, $id: DOC_ID });

  // Literal segments first, so /api/sessions/below-minimum wins over /api/sessions/{id}.
  const templates = Object.keys(doc.paths)
    .map((template) => ({
      template,
      params: (template.match(/\{[^}]+\}/g) ?? []).length,
      re: new RegExp(
        '^' +
          template
            .split(/\{[^}]+\}/)
            .map((s) => s.replace(/[.*+?^$()|[\]\\]/g, '\\$&'))
            .join('[^/]+') +
          '$',
      ),
    }))
    .sort((a, b) => a.params - b.params);

  const validators = new Map<string, ValidateFunction>();
  const validator = (parts: string[]) => {
    const ref = DOC_ID + pointer(parts);
    let v = validators.get(ref);
    if (!v) validators.set(ref, (v = ajv.compile({ $ref: ref })));
    return v;
  };
  const describe = (errors: ErrorObject[] | null | undefined) =>
    (errors ?? []).map((e) => {
      const at = e.instancePath || '(body)';
      const extra =
        e.keyword === 'additionalProperties'
          ? ` "${String((e.params as { additionalProperty: string }).additionalProperty)}"`
          : e.keyword === 'enum'
            ? ` ${JSON.stringify((e.params as { allowedValues: unknown }).allowedValues)}`
            : '';
      return `${at} ${e.message ?? e.keyword}${extra}`;
    });

  const covered = new Set<string>();

  function check(method: string, url: string, answer: Answer): string[] {
    const m = method.toLowerCase();
    const urlPath = url.split('?')[0] ?? url;
    const found = templates.find((t) => t.re.test(urlPath) && doc.paths[t.template]?.[m]);
    const route = `${method.toUpperCase()} ${urlPath}`;
    if (!found) return [`${route}: no operation in openapi.json has this method and path`];
    const op = doc.paths[found.template]![m]!;
    const where = `${method.toUpperCase()} ${found.template} (${op.operationId ?? 'no operationId'})`;
    covered.add(op.operationId ?? where);
    const status = String(answer.status);
    const statusKey = [status, `${status[0]}XX`, 'default'].find((k) => op.responses[k]);
    if (!statusKey)
      return [
        `${where} answered ${status}, which the document does not declare (declared: ${Object.keys(op.responses).join(', ')})`,
      ];
    const content = op.responses[statusKey]!.content;
    const header = answer.headers['content-type'];
    const mediaType = typeof header === 'string' ? (header.split(';')[0] ?? '').trim().toLowerCase() : '';
    if (!content)
      return answer.body ? [`${where} ${status}: the document declares no body, one was sent`] : [];
    if (!content[mediaType])
      return [
        `${where} ${status}: answered as "${mediaType || '(no content type)'}", the document declares ${Object.keys(content).join(', ')}`,
      ];
    if (!/[/+]json$/.test(mediaType)) return [];
    let body: unknown;
    try {
      body = JSON.parse(answer.body);
    } catch {
      return [`${where} ${status}: the body is not JSON`];
    }
    const validate = validator([
      'paths',
      found.template,
      m,
      'responses',
      statusKey,
      'content',
      mediaType,
      'schema',
    ]);
    if (validate(body)) return [];
    return describe(validate.errors).map((e) => `${where} ${status} ${mediaType}: ${e}`);
  }

  function assert(method: string, url: string, answer: Answer): void {
    const problems = check(method, url, answer);
    if (problems.length) throw new Error(`The answer does not fit openapi.json:\n  ${problems.join('\n  ')}`);
  }

  return {
    check,
    assert,
    covered,
    client: (client) => ({
      ...client,
      async request(method, url, payload, headers) {
        const res = await client.request(method, url, payload, headers);
        assert(method, url, res);
        return res;
      },
    }),
  };
}
