/**
 * Certificate designs per program (issue 18 item 6): the default wording, saving versions, the
 * design an award keeps (re-issue takes the current one), the preview, hostile and bad images,
 * field errors and who may read or save a design.
 *
 * DESIGN_PDF_DIR=/some/dir keeps the PDFs drawn here (to look at them with pdftoppm).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientWithRoles, createTestApp, type Client, type TestApp } from '../../testing/harness.js';
import { readPdfStructure, structElements } from '../../testing/pdf-structure.js';
import {
  buildKansasCourses,
  buildEnrollment,
  factsChanged,
  programId,
  quickClient,
} from '../../testing/scheduling.js';
import { demoSeal } from './designs.demo.js';

let t: TestApp;
let admin: Client;
let official: Client & { email: string };
let ks: string;
let cpo: string;

/** POST or GET with the admin's session, answering the raw bytes (a PDF). */
async function raw(who: Client, method: 'GET' | 'POST', url: string, payload?: unknown) {
  const r = await t.app.inject({
    method,
    url,
    headers: { cookie: who.cookie, 'x-csrf-token': who.csrf },
    ...(payload ? { payload: payload as object } : {}),
  });
  return r;
}

async function pdfText(bytes: Buffer, name: string) {
  const dir = process.env.DESIGN_PDF_DIR;
  if (dir) {
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, name), bytes);
  }
  const s = await readPdfStructure(bytes);
  const all = structElements(s.root);
  return {
    h1: all.filter((e) => e.type === 'H1').map((e) => e.text),
    paragraphs: all.filter((e) => e.type === 'P').map((e) => e.text),
    figures: all.filter((e) => e.type === 'Figure').map((e) => e.alt ?? ''),
    unmarked: s.unmarkedOperators,
  };
}

async function certificate(awardId: string, name: string) {
  const r = await raw(official, 'GET', `/api/awards/${awardId}/certificate`);
  expect(r.statusCode, r.body).toBe(200);
  return pdfText(r.rawPayload, name);
}

const pngOf = (w: number, h: number) => {
  const p = new PNG({ width: w, height: h });
  p.data.fill(200);
  return PNG.sync.write(p);
};

const design = (over: Record<string, unknown> = {}) => ({
  heading: 'Certified County Election Official',
  introLine: 'This certifies that',
  metLine: 'has completed every course of the',
  designationLine: 'and is hereby designated a',
  primaryColor: '#1F3A68',
  accentColor: '#b08d2e',
  border: 'ornate',
  logo: null,
  seal: { png: demoSeal('#1f3a68', '#c9a43a') },
  signers: [
    {
      name: 'Jordan Ellis',
      title: 'Director of Elections',
      signature: { png: pngOf(120, 30).toString('base64') },
    },
  ],
  ...over,
});

beforeAll(async () => {
  t = await createTestApp();
  t.clock.now = new Date('2027-03-12T18:00:00Z');
  admin = await quickClient(t, ['administrator']);
  official = await quickClient(t, ['official'], {
    firstName: 'Dana',
    lastName: 'Kessler',
    jurisdictionFips: '20045',
  });
  ks = await programId(t.db);
  cpo = await programId(t.db, 'igo-cpo');
  await buildEnrollment(t.db, official.personId, undefined, '2026-01-15');
  await buildKansasCourses(t.db, official.personId);
  await factsChanged(t, official.personId);
});
afterAll(async () => t.close());

describe('default designs', () => {
  it('heads each program with its designation spelled out, version 0, no signers', async () => {
    const k = await admin.request('GET', `/api/programs/${ks}/certificate-design`);
    expect(k.status, k.body).toBe(200);
    expect(k.json).toMatchObject({
      version: 0,
      heading: 'Certified County Election Official',
      signers: [],
      logo: null,
    });
    const c = await admin.request('GET', `/api/programs/${cpo}/certificate-design`);
    expect(c.json).toMatchObject({
      version: 0,
      heading: 'Certified Public Official',
      designationLine: 'and is awarded the designation',
    });
  });
});

describe('versions: an award keeps its design, a re-issue takes the current one', () => {
  let firstAward: string;
  it('draws an award made before any save with the default design and two unnamed lines', async () => {
    const r = await admin.request('POST', '/api/awards', {
      personId: official.personId,
      programId: ks,
      awardedOn: '2027-03-12',
    });
    expect(r.status, r.body).toBe(201);
    firstAward = r.json.id;
    const pdf = await certificate(firstAward, 'default.pdf');
    expect(pdf.h1).toEqual(['Certified County Election Official']);
    expect(pdf.paragraphs).toEqual(
      expect.arrayContaining(['Program administrator', 'For Kansas Secretary of State, Elections Division']),
    );
    expect(pdf.figures.some((f) => f.startsWith('Seal of'))).toBe(false);
  });

  it('saves a design as version 1 (audited); the earlier award still shows the default', async () => {
    const r = await admin.request(
      'PUT',
      `/api/programs/${ks}/certificate-design`,
      design({ heading: 'Kansas Certified Election Official' }),
    );
    expect(r.status, r.body).toBe(200);
    expect(r.json.version).toBe(1);
    expect(r.json.primaryColor).toBe('#1f3a68');
    expect(r.json.seal).toMatchObject({ width: 300, height: 300 });
    expect(r.json.seal.dataUrl).toMatch(/^data:image\/png;base64,/);
    expect(r.json.versions.map((v: { version: number }) => v.version)).toEqual([1]);
    const audit = await t.db
      .selectFrom('audit_log')
      .select(['action', 'after'])
      .where('action', '=', 'certificate_design.save')
      .execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]!.after).toMatchObject({ version: 1, heading: 'Kansas Certified Election Official' });
    const old = await certificate(firstAward, 'default-after-save.pdf');
    expect(old.h1).toEqual(['Certified County Election Official']);
  });

  it('re-issues with the current design: heading, seal, the signer and the signature', async () => {
    const r = await admin.request('POST', `/api/awards/${firstAward}/reissue`, {
      nameOnCertificate: 'Dana R. Kessler',
      reason: 'Name spelled in full',
    });
    expect(r.status, r.body).toBe(201);
    const pdf = await certificate(r.json.id, 'reissued-v1.pdf');
    expect(pdf.h1).toEqual(['Kansas Certified Election Official']);
    expect(pdf.paragraphs).toEqual(
      expect.arrayContaining(['has completed every course of the', 'Jordan Ellis', 'Director of Elections']),
    );
    expect(pdf.paragraphs).not.toContain('Program administrator');
    expect(pdf.figures).toEqual(
      expect.arrayContaining([
        'Seal of Kansas Secretary of State, Elections Division',
        'Signature of Jordan Ellis',
      ]),
    );
    expect(pdf.unmarked).toBe(0);
    // Version 2 changes the heading and keeps the seal by id; the version-1 certificate keeps its own.
    const current = await admin.request('GET', `/api/programs/${ks}/certificate-design`);
    const v2 = await admin.request(
      'PUT',
      `/api/programs/${ks}/certificate-design`,
      design({
        heading: 'Certified County Election Official',
        seal: { id: current.json.seal.id },
        signers: [],
      }),
    );
    expect(v2.status, v2.body).toBe(200);
    expect(v2.json).toMatchObject({ version: 2, seal: { id: current.json.seal.id }, signers: [] });
    expect((await certificate(r.json.id, 'reissued-v1-after-v2.pdf')).h1).toEqual([
      'Kansas Certified Election Official',
    ]);
  });
});

describe('preview', () => {
  it('draws the design in the body with a sample official, saving nothing', async () => {
    const before = await admin.request('GET', `/api/programs/${cpo}/certificate-design`);
    const r = await raw(admin, 'POST', `/api/programs/${cpo}/certificate-design/preview`, {
      ...design({
        heading: 'Certified Public Official',
        designationLine: 'and is awarded the designation',
        border: 'double',
      }),
      logo: { png: demoSeal('#5c1a1b', '#2e6b4f') },
      seal: null,
      signers: [
        { name: 'Pat Morgan', title: 'President, iGO', signature: null },
        { name: 'Lee Carter', title: 'Chair, Certification Committee', signature: null },
      ],
    });
    expect(r.statusCode, r.body).toBe(200);
    expect(r.headers['content-type']).toBe('application/pdf');
    const pdf = await pdfText(r.rawPayload, 'preview-cpo.pdf');
    expect(pdf.h1).toEqual(['Certified Public Official']);
    expect(pdf.paragraphs).toEqual(
      expect.arrayContaining(['Sample Official', 'CPO', 'Pat Morgan', 'Chair, Certification Committee']),
    );
    expect(pdf.figures).toContain('Logo of International Association of Government Officials (iGO)');
    const after = await admin.request('GET', `/api/programs/${cpo}/certificate-design`);
    expect(after.json.version).toBe(before.json.version);
    expect(
      await t.db.selectFrom('certificate_image').select('id').where('program_id', '=', cpo).execute(),
    ).toEqual([]);
  });
});

describe('hostile and bad images: a 400 naming the field, nothing saved', () => {
  const b64 = (s: string | Buffer) => Buffer.from(s).toString('base64');
  const cases: [string, Record<string, unknown>, RegExp, RegExp][] = [
    [
      'an SVG with a script',
      {
        logo: {
          png: b64(
            '<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
          ),
        },
      },
      /^logo/,
      /SVG/,
    ],
    [
      'a JPEG sent as a PNG',
      { seal: { png: b64(Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 16, 74, 70, 73, 70])) } },
      /^seal/,
      /not a PNG/,
    ],
    ['text with a PNG name', { seal: { png: b64('hello, I am seal.png') } }, /^seal/, /not a PNG/],
    [
      'a PNG cut short (right signature, broken body)',
      { logo: { png: pngOf(40, 40).subarray(0, 60).toString('base64') } },
      /^logo/,
      /not a readable/,
    ],
    [
      'a file over 512 KB',
      { logo: { png: Buffer.alloc(600 * 1024, 1).toString('base64') } },
      /^logo/,
      /512 KB/,
    ],
    [
      'a signature in SVG',
      { signers: [{ name: 'A B', title: 'Clerk', signature: { png: b64('<svg onload="x()"></svg>') } }] },
      /^signers\.0\.signature/,
      /SVG/,
    ],
    [
      'an image of another program',
      { seal: { id: '00000000-0000-4000-8000-000000000001' } },
      /^seal/,
      /does not have/,
    ],
  ];
  for (const [what, over, field, message] of cases)
    it(`refuses ${what}`, async () => {
      for (const url of [
        `/api/programs/${ks}/certificate-design`,
        `/api/programs/${ks}/certificate-design/preview`,
      ]) {
        const r = await admin.request(url.endsWith('preview') ? 'POST' : 'PUT', url, design(over));
        expect(r.status, r.body).toBe(400);
        expect(r.headers['content-type']).toMatch(/application\/problem\+json/);
        const errors = r.json.errors as { field: string; message: string }[];
        expect(
          errors.some((e) => field.test(e.field) && message.test(e.message)),
          r.body,
        ).toBe(true);
      }
      const now = await admin.request('GET', `/api/programs/${ks}/certificate-design`);
      expect(now.json.version).toBe(2);
    });

  it('names each wrong field: colour, border, empty heading, three signers', async () => {
    const r = await admin.request(
      'PUT',
      `/api/programs/${ks}/certificate-design`,
      design({
        primaryColor: 'blue',
        border: 'wavy',
        heading: ' ',
        signers: [1, 2, 3].map((i) => ({ name: `S${i}`, title: 'T', signature: null })),
      }),
    );
    expect(r.status).toBe(400);
    const fields = (r.json.errors as { field: string }[]).map((e) => e.field);
    expect(fields).toEqual(expect.arrayContaining(['primaryColor', 'border', 'heading', 'signers']));
  });
});

describe('who may read and save a design', () => {
  it('lets the coordinators of the program read it, no one else; only administrators save and preview', async () => {
    const coordinator = await clientWithRoles(t, ['coordinator']);
    expect((await coordinator.request('GET', `/api/programs/${ks}/certificate-design`)).status).toBe(200);
    expect(
      (await coordinator.request('PUT', `/api/programs/${ks}/certificate-design`, design())).status,
    ).toBe(403);
    expect(
      (await coordinator.request('POST', `/api/programs/${ks}/certificate-design/preview`, design())).status,
    ).toBe(403);
    // A coordinator limited to the CPO program does not see the Kansas design.
    const scoped = await clientWithRoles(t, ['coordinator']);
    const account = await t.db
      .selectFrom('user_account')
      .select('id')
      .where('person_id', '=', scoped.personId)
      .executeTakeFirstOrThrow();
    await t.db.insertInto('coordinator_program').values({ user_id: account.id, program_id: cpo }).execute();
    expect((await scoped.request('GET', `/api/programs/${ks}/certificate-design`)).status).toBe(403);
    expect((await scoped.request('GET', `/api/programs/${cpo}/certificate-design`)).status).toBe(200);
    expect((await official.request('GET', `/api/programs/${ks}/certificate-design`)).status).toBe(403);
    const abilities = (await scoped.request('GET', `/api/programs/${cpo}`)).json.abilities;
    expect(abilities).toMatchObject({ readDesign: true, updateDesign: false });
  });
});
