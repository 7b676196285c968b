import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateOpenApi } from '../../cli/main.js';
import { createTestApp, type TestApp } from '../testing/harness.js';

const committedPath = path.resolve('openapi.json');
const committed = readFileSync(committedPath, 'utf8');

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

describe('OpenAPI document', () => {
  it('the committed openapi.json matches the document generated from the contracts', async () => {
    const generated = await generateOpenApi();
    expect(
      generated,
      'openapi.json is out of date with the route contracts: run `npm run openapi` and commit openapi.json',
    ).toBe(committed);
  });

  it('is an OpenAPI 3 document that describes the API routes', () => {
    const doc = JSON.parse(committed) as { openapi: string; paths: Record<string, unknown> };
    expect(doc.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/api/session', '/api/people', '/api/people/{id}', '/api/jurisdictions']),
    );
  });

  it('gives every record the web acts on its abilities (resource policies, issue 17 item 4)', () => {
    const doc = JSON.parse(committed) as {
      components: { schemas: Record<string, { required?: string[]; properties?: Record<string, unknown> }> };
    };
    const records = [
      'Person',
      'Session',
      'RosterEntry',
      'Claim',
      'ProgramSummary',
      'Award',
      'AccountRequest',
      'Enrollment',
      'SessionUser',
    ];
    const without = records.filter((name) => !doc.components.schemas[name]?.required?.includes('abilities'));
    expect(without, 'schemas without a required abilities object').toEqual([]);
    const claim = doc.components.schemas.ClaimAbilities;
    expect(Object.keys(claim?.properties ?? {})).toEqual(expect.arrayContaining(['read', 'edit', 'decide']));
  });

  it('resolves every $ref to a schema in components (clients can generate types from it)', () => {
    const doc = JSON.parse(committed) as { components?: { schemas?: Record<string, unknown> } };
    const defined = new Set(Object.keys(doc.components?.schemas ?? {}));
    const refs = [...committed.matchAll(/"\$ref": "#\/components\/schemas\/([^"]+)"/g)].map((m) => m[1]);
    expect(refs.length).toBeGreaterThan(0);
    expect([...new Set(refs)].filter((r) => !defined.has(r!))).toEqual([]);
    expect(defined).toContain('Problem');
    expect(defined).toContain('Person');
  });

  type Operation = {
    operationId?: string;
    summary?: string;
    description?: string;
    security?: Record<string, string[]>[];
    responses: Record<string, { content?: Record<string, { schema?: unknown }> }>;
  };
  const operations = () => {
    const doc = JSON.parse(committed) as { paths: Record<string, Record<string, Operation>> };
    return Object.entries(doc.paths).flatMap(([p, ops]) =>
      Object.entries(ops).map(([method, op]) => ({
        route: `${method.toUpperCase()} ${p}`,
        method,
        path: p,
        op,
      })),
    );
  };

  it('gives every operation a unique camelCase operationId, a summary and a description saying who may call it', () => {
    const ops = operations();
    expect(ops.length).toBeGreaterThan(100);
    const incomplete = ops
      .filter(
        ({ op }) =>
          !/^[a-z][a-zA-Z0-9]*$/.test(op.operationId ?? '') ||
          !op.summary ||
          !/\*\*Who may call it:\*\* \S/.test(op.description ?? ''),
      )
      .map((o) => o.route);
    expect(incomplete).toEqual([]);
    const ids = ops.map((o) => o.op.operationId);
    expect(ids.filter((id, i) => ids.indexOf(id) !== i)).toEqual([]);
    expect(ops.find((o) => o.route === 'POST /api/session')?.op.operationId).toBe('signIn');
    expect(ops.find((o) => o.route === 'GET /api/people/{id}')?.op.operationId).toBe('getPerson');
  });

  it('declares the session cookie and CSRF header, and what each operation needs of them', () => {
    const doc = JSON.parse(committed) as {
      servers?: { url: string }[];
      components: { securitySchemes: Record<string, { type: string; in: string; name: string }> };
    };
    expect(doc.servers?.length).toBeGreaterThan(0);
    expect(doc.components.securitySchemes.session).toMatchObject({
      type: 'apiKey',
      in: 'cookie',
      name: 'cc_session',
    });
    expect(doc.components.securitySchemes.csrf).toMatchObject({
      type: 'apiKey',
      in: 'header',
      name: 'x-csrf-token',
    });
    const security = (route: string) => operations().find((o) => o.route === route)?.op.security;
    expect(security('GET /healthz')).toEqual([]);
    expect(security('GET /api/verify/{number}')).toEqual([]);
    // Signing in needs nothing, but a request carrying a session cookie is checked for the CSRF header.
    expect(security('POST /api/session')).toEqual([{}, { session: [], csrf: [] }]);
    expect(security('GET /api/people/{id}')).toEqual([{ session: [] }]);
    expect(security('PATCH /api/people/{id}')).toEqual([{ session: [], csrf: [] }]);
    expect(
      operations()
        .filter((o) => o.op.security === undefined)
        .map((o) => o.route),
    ).toEqual([]);
  });

  it('declares errors as application/problem+json and downloads with their media types', () => {
    const ops = operations();
    const errorTypes = new Set(
      ops.flatMap(({ op }) =>
        Object.entries(op.responses)
          .filter(([status]) => Number(status) >= 400)
          .flatMap(([, r]) => Object.keys(r.content ?? {})),
      ),
    );
    expect([...errorTypes]).toEqual(['application/problem+json']);
    const okTypes = (route: string) =>
      Object.keys(ops.find((o) => o.route === route)?.op.responses['200']?.content ?? {});
    expect(okTypes('GET /api/sessions/{id}/calendar.ics')).toEqual(['text/calendar']);
    expect(okTypes('GET /api/awards/{id}/certificate')).toEqual(['application/pdf']);
    expect(okTypes('GET /api/people/export')).toEqual([
      'text/csv',
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    ]);
    expect(
      ops.find((o) => o.route === 'GET /api/transcripts/{id}/pdf')?.op.responses['200']?.content,
    ).toEqual({
      'application/pdf': { schema: { type: 'string', format: 'binary' } },
    });
    // Every operation declares a success response: 2xx, or a redirect where a browser is sent on
    // (the single sign-on start and callback, which answer only 302 when they succeed).
    const redirects = ops.filter(({ op }) => !Object.keys(op.responses).some((s) => s.startsWith('2')));
    expect(redirects.map((o) => o.route)).toEqual([
      'GET /api/oidc/{provider}/start',
      'GET /api/oidc/{provider}/callback',
    ]);
    for (const { op } of redirects) expect(Object.keys(op.responses)).toContain('302');
  });

  it('describes the two uploads as multipart forms a generated client can send', () => {
    const doc = JSON.parse(committed) as {
      paths: Record<
        string,
        Record<
          string,
          {
            requestBody?: {
              required?: boolean;
              content: Record<
                string,
                {
                  schema: {
                    properties: Record<string, { format?: string; enum?: string[] }>;
                    required: string[];
                  };
                }
              >;
            };
          }
        >
      >;
    };
    const form = (path: string) => doc.paths[path]!.post!.requestBody;
    const imports = form('/api/imports')!;
    expect(imports.required).toBe(true);
    const importForm = imports.content['multipart/form-data']!.schema;
    expect(Object.keys(importForm.properties)).toEqual(['kind', 'dryRun', 'programId', 'file']);
    expect(importForm.properties.file!.format).toBe('binary');
    expect(importForm.properties.kind!.enum).toEqual(['officials', 'credits', 'awards', 'facts']);
    expect(importForm.required).toEqual(['kind', 'dryRun', 'file']);
    const evidence = form('/api/claims/{id}/documents')!.content['multipart/form-data']!.schema;
    expect(Object.keys(evidence.properties)).toEqual(['kind', 'file']);
    expect(evidence.required).toEqual(['kind', 'file']);
  });

  it('GET /api/openapi.json serves the same document, signed out', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/openapi.json' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/application\/json/);
    expect(res.json()).toEqual(JSON.parse(committed));
  });

  it('GET /api/docs/ serves the interactive docs as HTML', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/docs/' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/text\/html/);
    expect(res.body).toMatch(/swagger-ui/i);
  });
});
