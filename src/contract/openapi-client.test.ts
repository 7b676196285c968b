/**
 * A client author's first step works: openapi-typescript generates types from
 * the committed openapi.json, and code written against them (sign in, read a
 * person, by operationId) compiles with no diagnostics, while a field the API
 * does not have is a compile error (the types are real, not `any`).
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { readFileSync } from 'node:fs';
import openapiTS, { astToString } from 'openapi-typescript';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'civiccert-openapi-client-'));
  const doc = JSON.parse(readFileSync(path.resolve('openapi.json'), 'utf8')) as Parameters<
    typeof openapiTS
  >[0];
  await writeFile(path.join(dir, 'api.ts'), astToString(await openapiTS(doc)));
}, 60_000);
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** Type-checks one usage file against the generated api.ts; the diagnostics as "file:line message". */
async function compile(name: string, source: string): Promise<string[]> {
  const file = path.join(dir, name);
  await writeFile(file, source);
  const program = ts.createProgram([file], {
    strict: true,
    noEmit: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    lib: ['lib.es2022.d.ts'],
    types: [],
  });
  return ts.getPreEmitDiagnostics(program).map((d) => {
    const where = d.file
      ? `${path.basename(d.file.fileName)}:${d.file.getLineAndCharacterOfPosition(d.start ?? 0).line + 1}`
      : '';
    return `${where} TS${d.code} ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
  });
}

const prelude = `
import type { components, operations, paths } from './api';

type JsonBody<Op> = Op extends { requestBody: { content: { 'application/json': infer B } } } ? B : never;
type Ok<Op> = Op extends { responses: { 200: { content: { 'application/json': infer R } } } } ? R : never;
declare function send(method: string, url: string, init: { body?: unknown; headers?: Record<string, string> }): Promise<unknown>;

/** A typed call: the body and the answer are those of the operation. */
async function call<Op>(method: string, url: string, body?: JsonBody<Op>, csrf?: string): Promise<Ok<Op>> {
  return (await send(method, url, { body, headers: csrf ? { 'x-csrf-token': csrf } : {} })) as Ok<Op>;
}
`;

describe('a client generated from openapi.json with openapi-typescript', () => {
  it('compiles typed calls to sign in and read a person, with no diagnostics', async () => {
    const diagnostics = await compile(
      'usage.ts',
      `${prelude}
export async function main(): Promise<string> {
  const session = await call<operations['signIn']>('POST', '/api/session', {
    email: 'dana.kessler@example.gov',
    password: 'correct horse battery staple',
  });
  const csrf: string | null = session.csrfToken;
  const roles: string[] = session.user?.roles ?? [];

  type PersonPath = paths['/api/people/{id}']['get']['parameters']['path'];
  const params: PersonPath = { id: '5f0c9a43-1d2e-4f5a-9b6c-7d8e9f0a1b2c' };
  const person = await call<operations['getPerson']>('GET', \`/api/people/\${params.id}\`);
  const same: components['schemas']['Person'] = person;
  const county: string | undefined = person.jurisdiction?.name;

  await call<operations['updatePerson']>('PATCH', \`/api/people/\${params.id}\`, { phone: '785-555-0100' }, csrf ?? undefined);
  return [person.displayName, same.email, county ?? '', roles.join(' ')].join(', ');
}
`,
    );
    expect(diagnostics).toEqual([]);
  }, 60_000);

  it('rejects a field the API does not have and a sign-in without its password', async () => {
    const diagnostics = await compile(
      'misuse.ts',
      `${prelude}
export async function main(): Promise<void> {
  const person = await call<operations['getPerson']>('GET', '/api/people/x');
  person.fullName;
  await call<operations['signIn']>('POST', '/api/session', { email: 'dana.kessler@example.gov' });
}
`,
    );
    expect(diagnostics).toEqual([
      expect.stringMatching(/^misuse\.ts:\d+ TS2339 Property 'fullName' does not exist/),
      expect.stringMatching(/^misuse\.ts:\d+ TS2345 .*password/s),
    ]);
  }, 60_000);
});
