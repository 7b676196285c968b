import { afterAll, beforeAll, expect, it } from 'vitest';
import { MAX_IMPORT_BYTES } from '../../../contract/imports.js';
import { clientWithRoles, createTestApp, type Client, type TestApp } from '../../testing/harness.js';
import { header, officialRows } from './testdata.js';
import { writeCsv } from './write.js';

let t: TestApp;
let admin: Client;
beforeAll(async () => {
  t = await createTestApp();
  admin = await clientWithRoles(t, ['administrator']);
});
afterAll(() => t.close());

function form(fields: Record<string, string>, file?: { name: string; bytes: Buffer | string }) {
  const boundary = '----civiccert-test-boundary';
  const parts: Buffer[] = [];
  for (const [k, v] of Object.entries(fields))
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  if (file)
    parts.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.name}"\r\nContent-Type: application/octet-stream\r\n\r\n`,
      ),
      Buffer.isBuffer(file.bytes) ? file.bytes : Buffer.from(file.bytes),
      Buffer.from('\r\n'),
    );
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: Buffer.concat(parts), type: `multipart/form-data; boundary=${boundary}` };
}

async function upload(
  c: Client,
  fields: Record<string, string>,
  file?: { name: string; bytes: Buffer | string },
) {
  const f = form(fields, file);
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/imports',
    headers: { cookie: c.cookie, 'x-csrf-token': c.csrf, 'content-type': f.type },
    payload: f.body,
  });
  return { status: res.statusCode, json: res.json(), type: res.headers['content-type'] };
}

it('a dry run lists the bad row; the fixed file imports and its progress reaches 100%', async () => {
  const rows = officialRows(30);
  rows[7]![4] = 'not-an-email';
  const dry = await upload(
    admin,
    { kind: 'officials', dryRun: 'true' },
    { name: 'officials.csv', bytes: writeCsv(header('officials'), rows) },
  );
  expect(dry.status).toBe(201);
  expect(dry.json).toMatchObject({ status: 'invalid', totalRows: 30, errorCount: 1 });
  expect(dry.json.errors).toEqual([
    { row: 9, column: 'email', message: 'Enter an e-mail address like name@example.gov.' },
  ]);

  const fixed = writeCsv(header('officials'), officialRows(30));
  const started = await upload(
    admin,
    { kind: 'officials', dryRun: 'false' },
    { name: 'officials.csv', bytes: fixed },
  );
  expect(started.status).toBe(202);
  let run = started.json;
  while (run.status === 'validating' || run.status === 'importing') {
    await new Promise((r) => setTimeout(r, 50));
    run = (await admin.request('GET', `/api/imports/${run.id}`)).json;
  }
  expect(run).toMatchObject({ status: 'succeeded', percent: 100, created: 30, updated: 0, unchanged: 0 });
  const list = await admin.request('GET', '/api/imports');
  expect(list.json.items.map((r: { status: string }) => r.status).sort()).toEqual(['invalid', 'succeeded']);
});

it('refuses bad uploads with a 4xx naming the problem, never a 500', async () => {
  const big = await upload(
    admin,
    { kind: 'credits', dryRun: 'true' },
    { name: 'big.csv', bytes: Buffer.alloc(MAX_IMPORT_BYTES + 10, 'a') },
  );
  expect(big.status).toBe(413);
  expect(big.type).toContain('application/problem+json');
  expect(big.json.detail).toMatch(/larger than 20 MB/);

  const pdf = await upload(
    admin,
    { kind: 'credits', dryRun: 'true' },
    { name: 'scan.pdf', bytes: '%PDF-1.4' },
  );
  expect(pdf.status).toBe(415);
  expect(pdf.json.errors).toEqual([{ field: 'file', message: 'Choose a .csv or .xlsx file.' }]);

  const kind = await upload(admin, { kind: 'badges', dryRun: 'maybe' }, { name: 'a.csv', bytes: 'x\n1\n' });
  expect(kind.status).toBe(400);
  expect(kind.json.errors.map((e: { field: string }) => e.field).sort()).toEqual(['dryRun', 'kind']);

  const none = await upload(admin, { kind: 'credits', dryRun: 'true' });
  expect(none.status).toBe(400);
  expect(none.json.errors).toEqual([{ field: 'file', message: 'Choose a .csv or .xlsx file to import.' }]);

  const program = await upload(
    admin,
    { kind: 'credits', dryRun: 'true', programId: 'no-such-program' },
    { name: 'a.csv', bytes: 'x\n1\n' },
  );
  expect(program.status).toBe(400);
  expect(program.json.errors).toEqual([
    { field: 'programId', message: 'There is no program "no-such-program".' },
  ]);

  const coordinator = await clientWithRoles(t, ['coordinator']);
  expect(
    (await upload(coordinator, { kind: 'credits', dryRun: 'true' }, { name: 'a.csv', bytes: 'x\n' })).status,
  ).toBe(403);
});

it('person facts go through the same upload: a dry run names the bad row and column, the fixed file imports', async () => {
  // The 30 officials above, enrolled in the Kansas program; the page's program fills `program`.
  const rows = [
    [
      'FH-1',
      'OFF-00001',
      null,
      null,
      'date',
      'Taking office (appointment date)',
      '2024-01-08',
      null,
      null,
      'Oath',
    ],
    [
      'FH-2',
      'OFF-00002',
      null,
      null,
      'waiver',
      'year-one',
      '2024-02-01',
      null,
      '2023-12-31',
      'Medical leave',
    ],
  ];
  const dry = await upload(
    admin,
    { kind: 'facts', dryRun: 'true', programId: 'ks-county-election-official' },
    { name: 'facts.csv', bytes: writeCsv(header('facts'), rows) },
  );
  expect(dry.status).toBe(201);
  expect(dry.json.errors).toEqual([
    { row: 3, column: 'until', message: 'Until must be on or after the date granted.' },
  ]);
  rows[1]![8] = '2024-12-31';
  const started = await upload(
    admin,
    { kind: 'facts', dryRun: 'false', programId: 'ks-county-election-official' },
    { name: 'facts.csv', bytes: writeCsv(header('facts'), rows) },
  );
  expect(started.status).toBe(202);
  let run = started.json;
  while (run.status === 'validating' || run.status === 'importing') {
    await new Promise((r) => setTimeout(r, 50));
    run = (await admin.request('GET', `/api/imports/${run.id}`)).json;
  }
  expect(run).toMatchObject({ status: 'succeeded', percent: 100, created: 2 });
  const facts = await t.db.selectFrom('person_fact').select(['kind', 'key']).orderBy('created_at').execute();
  expect(facts).toEqual([
    { kind: 'date', key: 'appointment' },
    { kind: 'waiver', key: 'year-one' },
  ]);
});

it('a picture or a wrongly encoded file renamed .csv is refused with a 4xx naming the problem; no run is recorded', async () => {
  const before = (await admin.request('GET', '/api/imports')).json.items.length;
  // A real PNG's first bytes, then binary data holding quotes, commas and line breaks.
  const png = Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52]),
    Buffer.from(Array.from({ length: 600 }, (_, i) => (i * 37) % 256)),
  ]);
  const picture = await upload(
    admin,
    { kind: 'officials', dryRun: 'true' },
    { name: 'roster.csv', bytes: png },
  );
  expect(picture.status).toBe(415);
  expect(picture.type).toContain('application/problem+json');
  expect(picture.json.errors).toEqual([
    {
      field: 'file',
      message:
        'The file is a PNG image, not a CSV file. Choose the spreadsheet saved as .csv (UTF-8) or .xlsx.',
    },
  ]);

  // Excel's plain "CSV (Comma delimited)" writes Windows-1252: é is the single byte 0xE9.
  const latin1 = Buffer.from(
    `${header('officials').join(',')}\nOFF-1,Ren\u00e9e,Lee,,renee@example.gov\n`,
    'latin1',
  );
  const l1 = await upload(
    admin,
    { kind: 'officials', dryRun: 'false' },
    { name: 'roster.csv', bytes: latin1 },
  );
  expect(l1.status).toBe(400);
  expect(l1.type).toContain('application/problem+json');
  expect(l1.json.errors).toHaveLength(1);
  expect(l1.json.errors[0].field).toBe('file');
  expect(l1.json.errors[0].message).toMatch(
    /^The file is not UTF-8 text: line 2 has a byte \(0xE9\) that is not UTF-8\. It was probably saved as Latin-1 or Windows-1252/,
  );
  expect(l1.json.errors[0].message).toContain('"CSV UTF-8 (Comma delimited)"');

  // UTF-16 without its byte-order mark.
  const utf16 = Buffer.from(`${header('officials').join(',')}\nOFF-1,Ann,Lee,,ann@example.gov\n`, 'utf16le');
  const u16 = await upload(
    admin,
    { kind: 'officials', dryRun: 'true' },
    { name: 'roster.csv', bytes: utf16 },
  );
  expect(u16.status).toBe(400);
  expect(u16.json.errors[0].message).toMatch(/^The file is UTF-16 text without a byte-order mark/);

  // Nothing was started: no "errors found, 0 errors" in the history.
  expect((await admin.request('GET', '/api/imports')).json.items).toHaveLength(before);
  expect(
    await t.db.selectFrom('person').select('id').where('email', '=', 'renee@example.gov').execute(),
  ).toEqual([]);
});

it('UTF-16 with its byte-order mark (Excel\'s "Unicode" text) is read as the text it is', async () => {
  const text = `${header('officials').join(',')}\nOFF-U16,Ren\u00e9e,Lee,,renee16@example.gov\n`;
  const bytes = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
  const started = await upload(admin, { kind: 'officials', dryRun: 'false' }, { name: 'roster.csv', bytes });
  expect(started.status).toBe(202);
  let run = started.json;
  while (run.status === 'validating' || run.status === 'importing') {
    await new Promise((r) => setTimeout(r, 50));
    run = (await admin.request('GET', `/api/imports/${run.id}`)).json;
  }
  expect(run).toMatchObject({ status: 'succeeded', created: 1 });
  const p = await t.db
    .selectFrom('person')
    .select('first_name')
    .where('email', '=', 'renee16@example.gov')
    .executeTakeFirstOrThrow();
  expect(p.first_name).toBe('Ren\u00e9e');
});
