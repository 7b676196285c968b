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

  it('resolves every $ref to a schema in components (clients can generate types from it)', () => {
    const doc = JSON.parse(committed) as { components?: { schemas?: Record<string, unknown> } };
    const defined = new Set(Object.keys(doc.components?.schemas ?? {}));
    const refs = [...committed.matchAll(/"\$ref": "#\/components\/schemas\/([^"]+)"/g)].map((m) => m[1]);
    expect(refs.length).toBeGreaterThan(0);
    expect([...new Set(refs)].filter((r) => !defined.has(r!))).toEqual([]);
    expect(defined).toContain('Problem');
    expect(defined).toContain('Person');
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
