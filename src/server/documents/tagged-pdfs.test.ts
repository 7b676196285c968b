/**
 * Every PDF CivicCert hands out is an accessible tagged PDF (issue 16 item 1,
 * Section 508 / PDF/UA): a certificate, an official transcript, a sign-in
 * sheet, a plaque order list and a ceremony list, each downloaded through the
 * API and read back the way a screen reader or a validator reads it
 * (src/server/testing/pdf-structure.ts): marked as tagged, in English, its
 * title shown in the window and repeated in the XMP metadata, a structure tree
 * whose headings, paragraphs, tables with header cells and figures with
 * alternate text carry the document's words, and no content left untagged
 * (borders and signature lines are artifacts). Certificates and transcripts,
 * the records people keep, also declare PDF/A-2 level A.
 *
 * TAGGED_PDF_DIR=/some/dir keeps the five files there (docs/documents.md).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildPerson, createTestApp, type Client, type TestApp } from '../testing/harness.js';
import {
  readPdfStructure,
  structElements,
  xmpProperty,
  type PdfStructure,
  type StructNode,
} from '../testing/pdf-structure.js';
import {
  buildCredit,
  buildEnrollment,
  buildRegistration,
  buildSession,
  factsChanged,
  programId,
  quickClient,
} from '../testing/scheduling.js';

let t: TestApp;
let admin: Client;
let official: Client & { email: string };
let eventId: string;
let awardId: string;
let number: string;
let sessionId: string;

/** The bytes of a download (the harness's client decodes bodies as text). */
async function download(who: Client, url: string, name: string): Promise<Buffer> {
  const r = await t.app.inject({ method: 'GET', url, headers: { cookie: who.cookie } });
  expect(r.statusCode, r.body).toBe(200);
  expect(r.headers['content-type']).toBe('application/pdf');
  const dir = process.env.TAGGED_PDF_DIR;
  if (dir) {
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, name), r.rawPayload);
  }
  return r.rawPayload;
}

const ofType = (s: PdfStructure, type: string): StructNode[] =>
  structElements(s.root).filter((e) => e.type === type);

/** What every document kind carries, whatever its content. */
function expectTagged(s: PdfStructure, title: string) {
  expect(s.marked, '/MarkInfo /Marked true').toBe(true);
  expect(s.lang).toBe('en-US');
  expect(s.displayDocTitle, '/ViewerPreferences /DisplayDocTitle true').toBe(true);
  expect(s.info.title).toBe(title);
  expect(s.info.author).toBeTruthy();
  expect(s.info.subject).toBeTruthy();
  expect(s.version).toBe('1.7');
  // The XMP packet repeats the title, author and subject (escaped: titles may hold an ampersand).
  expect(s.xmp, 'an XMP /Metadata stream').toBeTruthy();
  expect(xmpProperty(s.xmp!, 'dc:title')).toBe(title);
  expect(xmpProperty(s.xmp!, 'dc:creator')).toBe(s.info.author);
  expect(xmpProperty(s.xmp!, 'dc:description')).toBe(s.info.subject);
  // One Document element holds everything; no painting operator outside the tags or artifacts.
  expect(s.root?.children.map((c) => c.type)).toEqual(['Document']);
  expect(s.unmarkedOperators, 'content outside any tag or artifact').toBe(0);
  expect(ofType(s, 'H1')).toHaveLength(1);
  for (const f of ofType(s, 'Figure')) expect(f.alt, 'every figure has alternate text').toBeTruthy();
}

/** The table's header row (TH with column scope) and the text of each body row. */
function tableOf(s: PdfStructure): { header: string[]; rows: string[][] } {
  const tables = ofType(s, 'Table');
  expect(tables).toHaveLength(1);
  const trs = tables[0]!.children;
  expect(trs.every((r) => r.type === 'TR')).toBe(true);
  const [head, ...body] = trs;
  expect(head!.children.every((c) => c.type === 'TH' && c.scope === 'Column')).toBe(true);
  for (const r of body) expect(r.children.every((c) => c.type === 'TD')).toBe(true);
  return { header: head!.children.map((c) => c.text), rows: body.map((r) => r.children.map((c) => c.text)) };
}

beforeAll(async () => {
  t = await createTestApp();
  t.clock.now = new Date('2027-03-12T18:00:00Z');
  admin = await quickClient(t, ['administrator']);
  official = await quickClient(t, ['official'], {
    firstName: 'Dana',
    lastName: 'Kessler',
    jurisdictionFips: '20045',
  });
  const ks = await programId(t.db);
  await buildEnrollment(t.db, official.personId, undefined, '2026-01-15');
  for (const [y, category, earnedOn] of [
    [1, 'year-one', '2026-04-10'],
    [2, 'year-two', '2026-09-10'],
    [3, 'year-three', '2027-03-10'],
  ] as const)
    for (const i of [1, 2, 3])
      await buildCredit(t.db, official.personId, { category, courseCode: `KS-Y${y}-0${i}`, earnedOn });
  await factsChanged(t, official.personId);
  // An ampersand in the title: the XMP packet must escape it.
  const ev = await admin.request('POST', '/api/events', {
    title: 'Clerks & Election Officials recognition ceremony 2027',
    kind: 'ceremony',
    heldOn: '2027-03-12',
  });
  expect(ev.status, ev.body).toBe(201);
  eventId = ev.json.id;
  const r = await admin.request('POST', '/api/awards/bulk', {
    programId: ks,
    eventId,
    personIds: [official.personId],
    awardedOn: '2027-03-12',
  });
  expect(r.status, r.body).toBe(200);
  awardId = r.json.awarded[0].id;
  number = r.json.awarded[0].certificateNumber;
  // A session with 26 confirmed officials: the sign-in sheet runs to a second page.
  const session = await buildSession(t.db, {
    course: { code: 'KS-Y1-01', title: 'Planning for an Election' },
    startsAt: new Date('2027-04-12T14:00:00Z'),
  });
  sessionId = session.id;
  await buildRegistration(t.db, sessionId, official.personId);
  for (let i = 1; i <= 25; i++) {
    const p = await buildPerson(t.db, { firstName: 'Signer', lastName: `Number${i}`, password: null });
    await buildRegistration(t.db, sessionId, p.personId);
  }
});
afterAll(async () => t.close());

describe('accessible tagged PDFs', () => {
  it('a certificate: headings and paragraphs in reading order, the QR code a figure, PDF/A-2a', async () => {
    const s = await readPdfStructure(
      await download(official, `/api/awards/${awardId}/certificate`, 'certificate.pdf'),
    );
    expectTagged(s, 'Certified County Election Official: Dana Kessler');
    expect(s.pdfa).toEqual({ part: '2', conformance: 'A' });
    // The default design heads the certificate with the designation (issue 18 item 6).
    expect(ofType(s, 'H1')[0]!.text).toBe('Certified County Election Official');
    const paragraphs = ofType(s, 'P').map((p) => p.text);
    expect(paragraphs).toEqual(
      expect.arrayContaining([
        'This certifies that',
        'Dana Kessler',
        'Certified County Election Official',
        `Certificate number ${number}`,
        'Program administrator',
      ]),
    );
    // Reading order follows the certificate's sentence.
    const doc = s.root!.children[0]!.text;
    expect(doc.indexOf('This certifies that')).toBeLessThan(doc.indexOf('Dana Kessler'));
    expect(doc.indexOf('Dana Kessler')).toBeLessThan(doc.indexOf('and is hereby designated a'));
    const [qr] = ofType(s, 'Figure');
    expect(qr!.alt).toContain(`/verify/${number}`);
    // The double border and the signature lines are artifacts, not content.
    expect(s.artifactOperators).toBeGreaterThanOrEqual(4);
  });

  it('an official transcript: H1, a heading per program, lists of totals, the QR figure, PDF/A-2a', async () => {
    const issued = await official.request('POST', '/api/me/transcripts');
    expect(issued.status, issued.body).toBe(201);
    const s = await readPdfStructure(await download(official, issued.json.pdfUrl, 'transcript.pdf'));
    expectTagged(s, 'Official transcript: Dana Kessler');
    expect(s.pdfa).toEqual({ part: '2', conformance: 'A' });
    expect(ofType(s, 'H1')[0]!.text).toBe('Official transcript');
    expect(ofType(s, 'H2').map((h) => h.text)).toContain('Kansas County Election Official Certification');
    expect(ofType(s, 'H3').map((h) => h.text)).toContain('Requirements');
    const items = ofType(s, 'LI').map((l) => l.text);
    expect(items).toContain('Met: Year Three (3 of 3)');
    for (const li of ofType(s, 'LI')) expect(li.children.map((c) => c.type)).toEqual(['LBody']);
    const [qr] = ofType(s, 'Figure');
    expect(qr!.alt).toContain(issued.json.verifyUrl);
    expect(ofType(s, 'P').map((p) => p.text)).toContain(`Verification code: ${issued.json.code}`);
  });

  it('a sign-in sheet over two pages: one table with column headers, repeated headings as artifacts', async () => {
    const s = await readPdfStructure(
      await download(admin, `/api/sessions/${sessionId}/sign-in-sheet`, 'sign-in-sheet.pdf'),
    );
    expectTagged(s, 'Sign-in sheet: KS-Y1-01 Planning for an Election');
    expect(s.pdfa).toBeNull();
    expect(s.pages).toBe(2);
    expect(ofType(s, 'H1')[0]!.text).toBe('Sign-in sheet');
    expect(ofType(s, 'H2').map((h) => h.text)).toEqual(['KS-Y1-01: Planning for an Election']);
    const { header, rows } = tableOf(s);
    expect(header).toEqual(['#', 'Name', 'County / title', 'Signature', 'Minutes']);
    // Every confirmed official once, with an empty cell to sign in: the heading repeated on page 2
    // is not read twice.
    expect(rows).toHaveLength(26);
    expect(rows.map((r) => r[1])).toContain('Dana Kessler');
    expect(rows.every((r) => r.length === 5 && r[3] === '' && r[4] === '')).toBe(true);
    expect(s.root!.text.match(/Sign-in sheet/g)).toHaveLength(1);
  });

  it('a plaque order list and a ceremony list: a table with column headers', async () => {
    const plaques = await readPdfStructure(
      await download(admin, `/api/events/${eventId}/plaque-orders?format=pdf`, 'plaque-orders.pdf'),
    );
    const ceremony = await readPdfStructure(
      await download(admin, `/api/events/${eventId}/ceremony-list?format=pdf`, 'ceremony-list.pdf'),
    );
    const plaqueTitle = 'Plaque order list: Clerks & Election Officials recognition ceremony 2027';
    expectTagged(plaques, plaqueTitle);
    expect(plaques.pdfa).toBeNull();
    expect(ofType(plaques, 'H1')[0]!.text).toBe(plaqueTitle);
    const p = tableOf(plaques);
    expect(p.header).toEqual(['#', 'Name on plaque', 'Designation', 'County', 'Certificate number', 'State']);
    expect(p.rows).toEqual([
      ['1', 'Dana Kessler', 'Certified County Election Official', 'Douglas County', number, 'To order'],
    ]);

    expectTagged(ceremony, 'Ceremony list: Clerks & Election Officials recognition ceremony 2027');
    const c = tableOf(ceremony);
    expect(c.header).toEqual(['#', 'Name', 'County', 'Designation', 'Certificate number', 'Awarded on']);
    expect(c.rows[0]).toEqual([
      '1',
      'Dana Kessler',
      'Douglas County',
      'Certified County Election Official',
      number,
      '2027-03-12',
    ]);
  });
});
