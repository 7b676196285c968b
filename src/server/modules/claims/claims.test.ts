/**
 * Outside credit: drafts with evidence checked by content, submission
 * against the evidence rules, the review queue per program, decisions that
 * write the ledger (and audit and e-mail), staff entries, fees, and who may
 * see what.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildClaim,
  jpegImage,
  multipart,
  pdfFlateBomb,
  pdfHtmlPolyglot,
  pdfWithAsciiHexFlateJavaScript,
  pdfWithAsciiHexJavaScript,
  pdfWithEmbeddedFile,
  pdfWithHiddenJavaScript,
  pdfWithLaunch,
  pdfWithXfa,
  PNG_1x1,
  pngHundredMegapixels,
  pngWithGarbageBody,
  tinyPdf,
  truncatedJpeg,
} from '../../testing/claims.js';
import { createTestApp, type Client, type TestApp } from '../../testing/harness.js';
import { buildEnrollment, programId, quickClient } from '../../testing/scheduling.js';

let t: TestApp;
let official: Client & { email: string };
let other: Client & { email: string };
let reviewer: Client & { email: string };
let ksReviewer: Client & { email: string };
let admin: Client;
let coordinator: Client;
let igo: string;
let ks: string;

const claimBody = (o: Record<string, unknown> = {}) => ({
  programId: igo,
  type: 'webinar',
  title: 'Records retention in the digital age',
  provider: 'State Archives',
  startDate: '2027-02-10',
  endDate: '2027-02-10',
  hours: 3,
  category: 'records-management',
  ...o,
});

async function upload(who: Client, claimId: string, kind: string, filename: string, data: Buffer, n = 1) {
  const form = multipart([
    { name: 'kind', data: kind },
    ...Array.from({ length: n }, () => ({ name: 'file', filename, contentType: 'application/pdf', data })),
  ]);
  return who.request('POST', `/api/claims/${claimId}/documents`, form.payload, form.headers);
}

const documentCount = async () =>
  Number(
    (
      await t.db
        .selectFrom('claim_document')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );

const igoProgress = async (who: Client) => {
  const res = await who.request('GET', '/api/me/progress');
  return res.json.programs.find((p: { program: { code: string } }) => p.program.code === 'igo-cpo');
};

beforeAll(async () => {
  t = await createTestApp({ smtp: true });
  t.clock.now = new Date('2027-03-01T15:00:00Z');
  official = await quickClient(t, ['official'], { firstName: 'Rosa', lastName: 'Delgado' });
  other = await quickClient(t, ['official'], { firstName: 'Otto', lastName: 'Other' });
  reviewer = await quickClient(t, ['reviewer'], { firstName: 'Rita', lastName: 'Reviewer' });
  ksReviewer = await quickClient(t, ['reviewer'], { firstName: 'Kurt', lastName: 'Kansas' });
  admin = await quickClient(t, ['administrator']);
  coordinator = await quickClient(t, ['coordinator']);
  igo = await programId(t.db, 'igo-cpo');
  ks = await programId(t.db);
  await buildEnrollment(t.db, official.personId, 'igo-cpo');
  await buildEnrollment(t.db, other.personId, 'igo-cpo');
  expect(
    (await admin.request('PUT', `/api/programs/${ks}/reviewers`, { personIds: [ksReviewer.personId] }))
      .status,
  ).toBe(200);
});
afterAll(async () => {
  await t.deps.mailer.flush();
  await t.close();
});

describe('drafts', () => {
  it('saves a draft and names the wrong field when the claim does not fit the program', async () => {
    const ok = await official.request('POST', '/api/claims', claimBody());
    expect(ok.status, ok.body).toBe(201);
    expect(ok.json).toMatchObject({ status: 'draft', hours: 3, type: 'webinar', documents: [] });
    expect(ok.json.requiredEvidence).toHaveLength(2);

    const wrongCategory = await official.request('POST', '/api/claims', claimBody({ category: 'year-one' }));
    expect(wrongCategory.status).toBe(400);
    expect(wrongCategory.json.errors[0].field).toBe('category');
    const backwards = await official.request('POST', '/api/claims', claimBody({ endDate: '2027-02-01' }));
    expect(backwards.json.errors[0].field).toBe('endDate');
    const future = await official.request(
      'POST',
      '/api/claims',
      claimBody({ startDate: '2027-05-01', endDate: '2027-05-01' }),
    );
    expect(future.json.errors[0].field).toBe('startDate');
    const endsLater = await official.request('POST', '/api/claims', claimBody({ endDate: '2027-05-01' }));
    expect(endsLater.json.errors[0].field).toBe('endDate');
    const notEnrolled = await official.request(
      'POST',
      '/api/claims',
      claimBody({ programId: ks, category: 'year-one' }),
    );
    expect(notEnrolled.status).toBe(400);
    expect(notEnrolled.json.errors[0].field).toBe('programId');
    const badType = await official.request('POST', '/api/claims', claimBody({ type: 'vacation' }));
    expect(badType.json.errors[0].field).toBe('type');

    const edited = await official.request('PATCH', `/api/claims/${ok.json.id}`, {
      hours: 2.5,
      title: 'Records retention',
    });
    expect(edited.json).toMatchObject({ hours: 2.5, title: 'Records retention' });
  });
});

describe('changing a draft', () => {
  it('changes each field on its own and keeps the others; a cleared end date becomes the start date', async () => {
    const id = (await official.request('POST', '/api/claims', claimBody({ notes: 'First notes' }))).json.id;
    const patch = async (body: Record<string, unknown>) => {
      const res = await official.request('PATCH', `/api/claims/${id}`, body);
      expect(res.status, res.body).toBe(200);
      return res.json;
    };
    const kept = {
      title: 'Records retention in the digital age',
      hours: 3,
    };
    expect(await patch({ type: 'online-course' })).toMatchObject({
      ...kept,
      type: 'online-course',
      provider: 'State Archives',
    });
    expect(await patch({ provider: 'County Records Association' })).toMatchObject({
      ...kept,
      type: 'online-course',
      provider: 'County Records Association',
      category: 'records-management',
    });
    expect(await patch({ startDate: '2027-02-08' })).toMatchObject({
      startDate: '2027-02-08',
      endDate: '2027-02-10',
    });
    expect(await patch({ endDate: '2027-02-12' })).toMatchObject({
      startDate: '2027-02-08',
      endDate: '2027-02-12',
    });
    expect(await patch({ endDate: null })).toMatchObject({ startDate: '2027-02-08', endDate: '2027-02-08' });
    expect(await patch({ category: 'elections' })).toMatchObject({
      ...kept,
      category: 'elections',
      notes: 'First notes',
    });
    expect(await patch({ notes: 'Slides attached' })).toMatchObject({
      ...kept,
      category: 'elections',
      notes: 'Slides attached',
      provider: 'County Records Association',
      startDate: '2027-02-08',
      endDate: '2027-02-08',
    });
  });
});

describe('evidence uploads', () => {
  let claimId: string;
  beforeAll(async () => {
    claimId = (await official.request('POST', '/api/claims', claimBody())).json.id;
  });

  it('stores a PDF under a safe name and serves it back only as an attachment with its real type', async () => {
    const pdf = tinyPdf();
    const res = await upload(official, claimId, 'certificate', '../../x.pdf', pdf);
    expect(res.status, res.body).toBe(201);
    expect(res.json).toMatchObject({
      filename: 'x.pdf',
      contentType: 'application/pdf',
      kind: 'certificate',
      sizeBytes: pdf.length,
    });
    const got = await official.request('GET', `/api/claim-documents/${res.json.id}`);
    expect(got.status).toBe(200);
    expect(got.headers['content-type']).toBe('application/pdf');
    expect(got.headers['content-disposition']).toMatch(/^attachment; filename="x\.pdf"/);
    expect(got.headers['x-content-type-options']).toBe('nosniff');
    expect(Buffer.from(got.body, 'latin1').equals(pdf)).toBe(true);

    // A PNG named .pdf is stored and served as the PNG it is.
    const png = await upload(official, claimId, 'registration', 'confirmation.pdf', PNG_1x1);
    expect(png.json).toMatchObject({ contentType: 'image/png', filename: 'confirmation.png' });
    const served = await official.request('GET', `/api/claim-documents/${png.json.id}`);
    expect(served.headers['content-type']).toBe('image/png');

    const jpg = await upload(official, claimId, 'registration', 'receipt.jpeg', jpegImage());
    expect(jpg.status, jpg.body).toBe(201);
    expect(jpg.json).toMatchObject({ contentType: 'image/jpeg', filename: 'receipt.jpg' });
  });

  it.each([
    [
      'wrong magic bytes',
      'certificate',
      'cert.pdf',
      Buffer.from('<html><script>alert(1)</script></html>'),
      1,
      415,
      /not a PDF, PNG or JPEG/,
    ],
    ['an empty file', 'certificate', 'empty.pdf', Buffer.alloc(0), 1, 400, /empty/],
    [
      'a file over 10 MB',
      'certificate',
      'big.pdf',
      Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(10 * 1024 * 1024)]),
      1,
      413,
      /larger than 10 MB/,
    ],
    [
      'a PDF with JavaScript',
      'certificate',
      'js.pdf',
      tinyPdf('x', '<< /Type /Action /S /JavaScript /JS (app.alert(1)) >>'),
      1,
      400,
      /JavaScript/,
    ],
    [
      'a PDF with JavaScript inside a compressed stream',
      'certificate',
      'js2.pdf',
      pdfWithHiddenJavaScript(),
      1,
      400,
      /JavaScript/,
    ],
    [
      'JavaScript in an ASCIIHex-encoded object stream',
      'certificate',
      'hex.pdf',
      pdfWithAsciiHexJavaScript(),
      1,
      400,
      /contains JavaScript/,
    ],
    [
      'JavaScript in an object stream encoded ASCIIHex over Flate',
      'certificate',
      'hexflate.pdf',
      pdfWithAsciiHexFlateJavaScript(),
      1,
      400,
      /contains JavaScript/,
    ],
    ['a PDF that launches a program', 'certificate', 'launch.pdf', pdfWithLaunch(), 1, 400, /launch action/],
    [
      'a PDF carrying an embedded file',
      'certificate',
      'ef.pdf',
      pdfWithEmbeddedFile(),
      1,
      400,
      /embedded file/,
    ],
    ['a PDF with an XFA form', 'certificate', 'xfa.pdf', pdfWithXfa(), 1, 400, /XFA form/],
    ['a file that is a PDF and a web page', 'certificate', 'poly.pdf', pdfHtmlPolyglot(), 1, 400, /web page/],
    [
      'a PDF whose stream inflates to 80 MB',
      'certificate',
      'bomb.pdf',
      pdfFlateBomb(),
      1,
      400,
      /more than 64 MB when its streams are decompressed/,
    ],
    [
      'a file that starts like a PDF but is none',
      'certificate',
      'fake.pdf',
      Buffer.from('%PDF-1.7\nthis is not a document\n%%EOF\n'),
      1,
      400,
      /not a readable PDF/,
    ],
    [
      'a PNG signature before garbage',
      'certificate',
      'fake.png',
      pngWithGarbageBody(),
      1,
      400,
      /starts like a PNG image but is not a readable one/,
    ],
    [
      'a PNG of 100 megapixels',
      'certificate',
      'huge.png',
      pngHundredMegapixels(),
      1,
      400,
      /larger than 40 megapixels/,
    ],
    [
      'a JPEG cut off in the middle',
      'certificate',
      'cut.jpg',
      truncatedJpeg(),
      1,
      400,
      /starts like a JPEG image but is not a readable one/,
    ],
    ['a request with 50 files', 'certificate', 'many.pdf', tinyPdf(), 50, 413, /one file/],
    ['an unknown kind of document', 'passport', 'id.pdf', tinyPdf(), 1, 400, /Say what the document is/],
  ])('refuses %s with a clear 4xx and stores nothing', async (_, kind, name, data, n, status, message) => {
    const before = await documentCount();
    const res = await upload(official, claimId, kind, name, data, n);
    expect(res.status, res.body).toBe(status);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.json.detail).toMatch(message);
    expect(res.json.errors[0].field).toMatch(/^(file|kind)$/);
    expect(await documentCount()).toBe(before);
  });

  it.each([
    ['without a boundary', 'multipart/form-data', (body: Buffer) => body],
    ['cut off in the middle of the file', undefined, (body: Buffer) => body.subarray(0, body.length - 60)],
    ['cut off right after the first boundary', undefined, (body: Buffer) => body.subarray(0, 50)],
  ])('refuses a form %s with a 400 problem, not a 500', async (_, type, cut) => {
    const before = await documentCount();
    const form = multipart([
      { name: 'kind', data: 'certificate' },
      { name: 'file', filename: 'c.pdf', contentType: 'application/pdf', data: tinyPdf() },
    ]);
    const res = await official.request('POST', `/api/claims/${claimId}/documents`, cut(form.payload), {
      'content-type': type ?? form.headers['content-type']!,
    });
    expect(res.status, res.body).toBe(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.json.errors[0].field).toBe('(body)');
    expect(await documentCount()).toBe(before);
  });

  it('refuses a JSON body where a form is expected, naming the body', async () => {
    const res = await official.request('POST', `/api/claims/${claimId}/documents`, { file: 'x' });
    expect(res.status).toBe(415);
    expect(res.json.errors[0].field).toBe('(body)');
  });
});

describe('the fee per credit is a program setting, off by default', () => {
  it('a CPO claim carries no fee until an administrator sets a fee per credit', async () => {
    const fay = await quickClient(t, ['official'], { firstName: 'Fay', lastName: 'Feeless' });
    await buildEnrollment(t.db, fay.personId, 'igo-cpo');
    const submitted = async (title: string) => {
      const id = (await fay.request('POST', '/api/claims', claimBody({ title, hours: 4 }))).json.id;
      await upload(fay, id, 'description', 'agenda.pdf', tinyPdf('Agenda'));
      await upload(fay, id, 'certificate', 'certificate.pdf', tinyPdf());
      const res = await fay.request('POST', `/api/claims/${id}/submit`, {});
      expect(res.status, res.body).toBe(200);
      return res.json;
    };
    const free = await submitted('Records law update');
    expect(free).toMatchObject({ status: 'submitted', fee: { cents: 0, status: 'not_required' } });
    const owed = (await coordinator.request('GET', '/api/claim-fees')).json.items;
    expect(owed.some((c: { id: string }) => c.id === free.id)).toBe(false);

    const on = await admin.request('PATCH', `/api/programs/${igo}`, { claimFeePerCreditCents: 500 });
    expect(on.status, on.body).toBe(200);
    const charged = await submitted('Open records workshop');
    expect(charged.fee).toMatchObject({ cents: 2000, status: 'unpaid' });
    // The claim submitted while the fee was off still owes nothing.
    expect((await fay.request('GET', `/api/claims/${free.id}`)).json.fee).toMatchObject({ cents: 0 });

    // Leave the queue and the setting as they were for the tests below.
    for (const c of [free, charged])
      expect(
        (await admin.request('POST', `/api/claims/${c.id}/decision`, { decision: 'reject', reason: 'Test.' }))
          .status,
      ).toBe(200);
    await admin.request('PATCH', `/api/programs/${igo}`, { claimFeePerCreditCents: 0 });
  });
});

describe('submission, review and the ledger', () => {
  // These tests charge the fee per credit: the program setting is turned on explicitly.
  beforeAll(async () => {
    const res = await admin.request('PATCH', `/api/programs/${igo}`, { claimFeePerCreditCents: 500 });
    expect(res.status, res.body).toBe(200);
  });
  let claimId: string;

  it('a claim without the required evidence is refused, stays a draft and does not count', async () => {
    claimId = (await official.request('POST', '/api/claims', claimBody({ hours: 6 }))).json.id;
    await upload(official, claimId, 'certificate', 'certificate.pdf', tinyPdf());
    const res = await official.request('POST', `/api/claims/${claimId}/submit`, {});
    expect(res.status, res.body).toBe(409);
    expect(res.json.detail).toBe('Add this document before submitting: A course description or agenda.');
    const draft = (await official.request('GET', `/api/claims/${claimId}`)).json;
    expect(draft.status).toBe('draft');
    expect(draft.missingEvidence).toEqual(['A course description or agenda']);
    const progress = await igoProgress(official);
    expect(JSON.stringify(progress.nodes)).not.toContain(`claim-${claimId}`);
    expect((await reviewer.request('GET', '/api/review/claims')).json.items).toEqual([]);
  });

  it('with the evidence it waits for review, shows as pending in progress, and carries the fee per credit', async () => {
    await upload(official, claimId, 'description', 'agenda.pdf', tinyPdf('Agenda'));
    const res = await official.request('POST', `/api/claims/${claimId}/submit`, {});
    expect(res.json).toMatchObject({
      status: 'submitted',
      missingEvidence: [],
      fee: { cents: 3000, status: 'unpaid' },
    });
    const progress = await igoProgress(official);
    const pending = progress.nodes.flatMap(
      (n: { notCounted: { recordId: string; reason: string }[] }) => n.notCounted,
    );
    expect(pending).toContainEqual(
      expect.objectContaining({ recordId: `claim-${claimId}`, reason: 'pending_review' }),
    );
    expect(progress.totals.approved).toBe(0);
  });

  it('a reviewer sees only the programs they review; an administrator sees all', async () => {
    expect((await reviewer.request('GET', '/api/review/claims')).json.items).toEqual([]);
    expect((await reviewer.request('GET', `/api/claims/${claimId}`)).status).toBe(404);
    expect((await ksReviewer.request('GET', `/api/claims/${claimId}`)).status).toBe(404);
    expect(
      (await ksReviewer.request('POST', `/api/claims/${claimId}/decision`, { decision: 'approve' })).status,
    ).toBe(404);
    const docId = (await official.request('GET', `/api/claims/${claimId}`)).json.documents[0].id;
    expect((await ksReviewer.request('GET', `/api/claim-documents/${docId}`)).status).toBe(404);
    expect(
      (await admin.request('GET', '/api/review/claims')).json.items.map((c: { id: string }) => c.id),
    ).toContain(claimId);

    const assign = await admin.request('PUT', `/api/programs/${igo}/reviewers`, {
      personIds: [reviewer.personId],
    });
    expect(assign.json.items.map((r: { personId: string }) => r.personId)).toEqual([reviewer.personId]);
    const notReviewer = await admin.request('PUT', `/api/programs/${igo}/reviewers`, {
      personIds: [other.personId],
    });
    expect(notReviewer.json.errors[0].field).toBe('personIds.0');
    expect((await ksReviewer.request('GET', '/api/review/claims')).json.items).toEqual([]);
    const queue = await reviewer.request('GET', '/api/review/claims');
    expect(queue.json.items.map((c: { id: string }) => c.id)).toEqual([claimId]);
    expect((await reviewer.request('GET', `/api/claim-documents/${docId}`)).status).toBe(200);
  });

  it('the queue is oldest first, filters by program, type and age, and shows the wait', async () => {
    const older = await buildClaim(t.db, other.personId, {
      submittedAt: '2027-02-01T12:00:00Z',
      type: 'speaker',
    });
    const ksClaim = await buildClaim(t.db, other.personId, {
      programCode: 'ks-county-election-official',
      category: 'year-one',
      submittedAt: '2027-01-01T12:00:00Z',
    });
    const all = await admin.request('GET', '/api/review/claims');
    const ids = all.json.items.map((c: { id: string }) => c.id);
    expect(ids.indexOf(ksClaim)).toBeLessThan(ids.indexOf(older));
    expect(ids.indexOf(older)).toBeLessThan(ids.indexOf(claimId));
    expect(all.json.items.find((c: { id: string }) => c.id === older).waitingDays).toBe(28);
    const mine = await reviewer.request('GET', '/api/review/claims');
    expect(mine.json.items.map((c: { id: string }) => c.id)).toEqual([older, claimId]);
    expect(
      (await reviewer.request('GET', '/api/review/claims?type=speaker')).json.items.map(
        (c: { id: string }) => c.id,
      ),
    ).toEqual([older]);
    expect(
      (await reviewer.request('GET', '/api/review/claims?minDays=7')).json.items.map(
        (c: { id: string }) => c.id,
      ),
    ).toEqual([older]);
    expect(
      (await admin.request('GET', `/api/review/claims?programId=${ks}`)).json.items.map(
        (c: { id: string }) => c.id,
      ),
    ).toEqual([ksClaim]);
    expect(
      (await ksReviewer.request('GET', '/api/review/claims')).json.items.map((c: { id: string }) => c.id),
    ).toEqual([ksClaim]);
    expect((await reviewer.request('GET', '/api/review/claims?minDays=-1')).json.errors[0].field).toBe(
      'query.minDays',
    );
  });

  it('asks for information: the official is e-mailed, answers and resubmits', async () => {
    const noReason = await reviewer.request('POST', `/api/claims/${claimId}/decision`, {
      decision: 'request_information',
    });
    expect(noReason.json.errors[0].field).toBe('reason');
    const ask = await reviewer.request('POST', `/api/claims/${claimId}/decision`, {
      decision: 'request_information',
      reason: 'Which sessions of the webinar did you attend?',
    });
    expect(ask.json.status).toBe('needs_information');
    const mail = await t.smtp!.waitFor(
      (m) => m.to.includes(official.email) && /More information needed/.test(m.subject),
    );
    expect(mail.text).toContain('Which sessions of the webinar did you attend?');
    const answer = await official.request('POST', `/api/claims/${claimId}/submit`, {
      response: 'All three sessions.',
    });
    expect(answer.json.status).toBe('submitted');
    // The refused first submission (a document missing) left nothing in the history.
    expect(answer.json.messages.map((m: { kind: string }) => m.kind)).toEqual([
      'submitted',
      'request_information',
      'response',
      'submitted',
    ]);
  });

  it('approves with another amount and category: a ledger record, counted in progress, audited, e-mailed', async () => {
    const own = await buildClaim(t.db, reviewer.personId, {});
    expect(
      (await reviewer.request('POST', `/api/claims/${own}/decision`, { decision: 'approve' })).status,
    ).toBe(403);
    const res = await reviewer.request('POST', `/api/claims/${claimId}/decision`, {
      decision: 'approve',
      amount: 5,
      category: 'management-ethics',
      reason: 'One session was a repeat.',
    });
    expect(res.status, res.body).toBe(200);
    expect(res.json).toMatchObject({
      status: 'approved',
      approvedAmount: 5,
      approvedCategory: 'management-ethics',
      approvedCategoryName: 'Ethics and law',
      fee: { cents: 2500 },
    });
    const credits = (await official.request('GET', '/api/me/credits')).json.items;
    expect(credits).toContainEqual(
      expect.objectContaining({
        amount: 5,
        category: 'management-ethics',
        status: 'approved',
        sourceType: 'online-course',
      }),
    );
    const progress = await igoProgress(official);
    expect(progress.totals.approved).toBe(5);
    // The certification status cache (issue 6) follows the approval at once.
    const cached = await t.db
      .selectFrom('certification_status')
      .select('status')
      .where('person_id', '=', official.personId)
      .where('program_id', '=', igo)
      .executeTakeFirst();
    expect(cached?.status).toBe('in_progress');
    const audit = await t.db
      .selectFrom('audit_log')
      .selectAll()
      .where('entity_id', '=', claimId)
      .orderBy('id')
      .execute();
    expect(audit.map((a) => a.action)).toEqual(
      expect.arrayContaining(['claim.create', 'claim.submit', 'claim.request-information', 'claim.approve']),
    );
    const mail = await t.smtp!.waitFor(
      (m) => m.to.includes(official.email) && /Claim approved/.test(m.subject),
    );
    // Both categories by name, the approved one and the one asked for.
    expect(mail.text).toContain(
      'Approved as 5 credits in Ethics and law (you asked for 6 in Records Management).',
    );
    const again = await reviewer.request('POST', `/api/claims/${claimId}/decision`, {
      decision: 'reject',
      reason: 'x',
    });
    expect(again.status).toBe(409);
    expect((await official.request('PATCH', `/api/claims/${claimId}`, { hours: 50 })).status).toBe(409);
  });

  it('a rejected claim never counts, and the official is told why', async () => {
    const id = (await official.request('POST', '/api/claims', claimBody({ title: 'Golf outing' }))).json.id;
    await upload(official, id, 'description', 'a.pdf', tinyPdf());
    await upload(official, id, 'registration', 'b.pdf', tinyPdf());
    await official.request('POST', `/api/claims/${id}/submit`, {});
    const res = await reviewer.request('POST', `/api/claims/${id}/decision`, {
      decision: 'reject',
      reason: 'Not an educational activity.',
    });
    expect(res.json).toMatchObject({
      status: 'rejected',
      decisionReason: 'Not an educational activity.',
      fee: { status: 'not_required' },
    });
    expect((await igoProgress(official)).totals.approved).toBe(5);
    const credits = (await official.request('GET', '/api/me/credits')).json.items;
    expect(credits.some((c: { title: string }) => c.title === 'Golf outing')).toBe(false);
    await t.smtp!.waitFor((m) => m.to.includes(official.email) && /not approved/.test(m.subject));
  });

  it('records the fee payment (staff), and refuses it where no fee applies', async () => {
    const owed = await coordinator.request('GET', '/api/claim-fees?status=owed');
    expect(owed.status, owed.body).toBe(200);
    expect(owed.json.items.map((c: { id: string }) => c.id)).toContain(claimId);
    expect(owed.json.owedCents).toBeGreaterThanOrEqual(2500);
    const noMethod = await coordinator.request('PATCH', `/api/claims/${claimId}/fee`, {
      status: 'paid',
      receipt: 'R-2027-114',
    });
    expect(noMethod.status).toBe(400);
    expect(noMethod.json.errors[0].field).toBe('method');
    const invoiced = await coordinator.request('PATCH', `/api/claims/${claimId}/fee`, {
      status: 'invoiced',
      receipt: 'INV-0042',
    });
    expect(invoiced.json.fee).toEqual({ cents: 2500, status: 'invoiced', method: null, receipt: 'INV-0042' });
    const paid = await coordinator.request('PATCH', `/api/claims/${claimId}/fee`, {
      status: 'paid',
      method: 'check',
      receipt: 'R-2027-114',
    });
    expect(paid.json.fee).toEqual({ cents: 2500, status: 'paid', method: 'check', receipt: 'R-2027-114' });
    // The official sees the state on their claim; the audit log keeps each change.
    expect((await official.request('GET', `/api/claims/${claimId}`)).json.fee).toMatchObject({
      status: 'paid',
      method: 'check',
    });
    const audits = await t.db
      .selectFrom('audit_log')
      .select(['after'])
      .where('action', '=', 'claim.fee')
      .where('entity_id', '=', claimId)
      .orderBy('id')
      .execute();
    expect(audits.map((a) => (a.after as { status: string }).status)).toEqual(['invoiced', 'paid']);
    const paidList = await coordinator.request('GET', `/api/claim-fees?status=paid&programId=${igo}`);
    expect(paidList.json.items.map((c: { id: string }) => c.id)).toContain(claimId);
    expect(
      (await coordinator.request('GET', '/api/claim-fees?status=owed')).json.items.some(
        (c: { id: string }) => c.id === claimId,
      ),
    ).toBe(false);
    expect((await official.request('GET', '/api/claim-fees')).status).toBe(403);
    const ksClaim = await buildClaim(t.db, other.personId, {
      programCode: 'ks-county-election-official',
      category: 'year-one',
    });
    expect(
      (await coordinator.request('PATCH', `/api/claims/${ksClaim}/fee`, { status: 'paid', method: 'cash' }))
        .status,
    ).toBe(409);
    expect((await official.request('PATCH', `/api/claims/${claimId}/fee`, { status: 'paid' })).status).toBe(
      403,
    );
  });
});

describe('nobody sees another official’s claims or documents', () => {
  it('answers 404 for another official’s claim, document and changes, and for guessed ids', async () => {
    const claim = (await official.request('POST', '/api/claims', claimBody())).json.id;
    const doc = (await upload(official, claim, 'certificate', 'c.pdf', tinyPdf())).json.id;
    for (const [method, url, body] of [
      ['GET', `/api/claims/${claim}`, undefined],
      ['PATCH', `/api/claims/${claim}`, { hours: 1 }],
      ['POST', `/api/claims/${claim}/submit`, {}],
      ['GET', `/api/claim-documents/${doc}`, undefined],
      ['DELETE', `/api/claim-documents/${doc}`, undefined],
      ['GET', `/api/claims/${randomUUID()}`, undefined],
      ['GET', `/api/claim-documents/${randomUUID()}`, undefined],
    ] as const) {
      const res = await other.request(method, url, body);
      expect(res.status, `${method} ${url}`).toBe(404);
      expect(res.body).not.toContain('Records retention');
    }
    const up = await upload(other, claim, 'certificate', 'c.pdf', tinyPdf());
    expect(up.status).toBe(404);
    expect(
      (await other.request('GET', '/api/me/claims')).json.items.some((c: { id: string }) => c.id === claim),
    ).toBe(false);
    expect((await other.request('GET', '/api/review/claims')).status).toBe(403);
    // The owner can remove a document from a draft.
    expect((await official.request('DELETE', `/api/claim-documents/${doc}`)).status).toBe(200);
  });
});

describe('who may decide a claim, and when', () => {
  const decisions = [
    { decision: 'approve' },
    { decision: 'reject', reason: 'Not an educational activity.' },
    { decision: 'request_information', reason: 'Which sessions did you attend?' },
  ];
  const state = async (id: string) => {
    const c = await t.db
      .selectFrom('claim')
      .select(['status', 'decided_at', 'decided_by', 'approved_amount'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    const ledger = await t.db
      .selectFrom('credit_source')
      .select('credit_record_id')
      .where('claim_id', '=', id)
      .execute();
    return { ...c, ledger: ledger.length };
  };

  it('refuses to decide a claim that is still waiting for information or still a draft (409), changing nothing', async () => {
    for (const status of ['needs_information', 'draft'] as const) {
      const id = await buildClaim(t.db, other.personId, { status });
      for (const body of decisions) {
        const res = await admin.request('POST', `/api/claims/${id}/decision`, body);
        expect(res.status, `${status} ${body.decision}: ${res.body}`).toBe(409);
        expect(res.json.detail).toMatch(/only a submitted claim can be decided/);
      }
      expect(await state(id)).toEqual({
        status,
        decided_at: null,
        decided_by: null,
        approved_amount: null,
        ledger: 0,
      });
      expect((await other.request('GET', '/api/me/credits')).json.items).toEqual([]);
    }
  });

  it('nobody decides their own claim, not even an administrator who is also an official', async () => {
    const adminOfficial = await quickClient(t, ['administrator', 'official']);
    const own = await buildClaim(t.db, adminOfficial.personId, { status: 'submitted' });
    for (const body of decisions) {
      const res = await adminOfficial.request('POST', `/api/claims/${own}/decision`, body);
      expect(res.status, `${body.decision}: ${res.body}`).toBe(403);
    }
    expect(await state(own)).toMatchObject({ status: 'submitted', decided_at: null, ledger: 0 });
    // Another administrator may decide it.
    const res = await admin.request('POST', `/api/claims/${own}/decision`, { decision: 'approve' });
    expect(res.status, res.body).toBe(200);
    expect(await state(own)).toMatchObject({ status: 'approved', decided_at: expect.anything(), ledger: 1 });
  });
});

describe('staff entries', () => {
  it('adds a legacy paper record with its reason; corrections are reversing records', async () => {
    const missingReason = await coordinator.request('POST', `/api/people/${official.personId}/credits`, {
      programId: igo,
      amount: 4,
      category: 'elections',
      sourceType: 'state-association',
      earnedOn: '2019-05-02',
      title: 'State clerks association spring meeting',
    });
    expect(missingReason.json.errors[0].field).toBe('reason');
    const future = await coordinator.request('POST', `/api/people/${official.personId}/credits`, {
      programId: igo,
      amount: 4,
      category: 'elections',
      sourceType: 'state-association',
      earnedOn: '2099-05-02',
      title: 'State clerks association spring meeting',
      reason: 'Paper workbook',
    });
    expect(future.status).toBe(400);
    expect(future.json.errors[0].field).toBe('earnedOn');
    const res = await coordinator.request('POST', `/api/people/${official.personId}/credits`, {
      programId: igo,
      amount: 4,
      category: 'elections',
      sourceType: 'state-association',
      earnedOn: '2019-05-02',
      title: 'State clerks association spring meeting',
      reason: 'Paper workbook received 2019; certificate on file.',
    });
    expect(res.status, res.body).toBe(201);
    expect((await igoProgress(official)).totals.approved).toBe(9);
    const source = await t.db
      .selectFrom('credit_source')
      .selectAll()
      .where('credit_record_id', '=', res.json.id)
      .executeTakeFirstOrThrow();
    expect(source.manual_reason).toBe('Paper workbook received 2019; certificate on file.');
    expect(res.json.source).toEqual({
      kind: 'staff',
      label: 'Staff entry',
      claimId: null,
      reason: 'Paper workbook received 2019; certificate on file.',
    });
    expect(res.json.recordedBy).toBeTruthy();
    const rev = await coordinator.request('POST', `/api/credits/${res.json.id}/reverse`, {
      reason: 'Entered for the wrong person.',
    });
    expect(rev.status).toBe(201);
    expect((await igoProgress(official)).totals.approved).toBe(5);
    // The ledger names each record's source; nothing was deleted.
    const ledger = (await coordinator.request('GET', `/api/people/${official.personId}/credits`)).json.items;
    const entry = ledger.find((c: { id: string }) => c.id === res.json.id);
    expect(entry.reversedById).toBe(rev.json.id);
    expect(ledger.find((c: { id: string }) => c.id === rev.json.id).source).toMatchObject({
      kind: 'correction',
    });
    expect(ledger.find((c: { source: { kind: string } }) => c.source.kind === 'claim')).toBeTruthy();
    expect((await official.request('POST', `/api/people/${official.personId}/credits`, {})).status).toBe(403);
  });
});

describe('reviewers of a program', () => {
  it('names the one person who is not a reviewer by position, changes nothing then, and audits each change', async () => {
    const ids = (res: { json: { items: { personId: string }[] } }) => res.json.items.map((r) => r.personId);
    const missing = randomUUID();
    expect((await admin.request('GET', `/api/programs/${missing}/reviewers`)).status).toBe(404);
    expect((await admin.request('PUT', `/api/programs/${missing}/reviewers`, { personIds: [] })).status).toBe(
      404,
    );
    const before = ids(await admin.request('GET', `/api/programs/${ks}/reviewers`));
    expect(before).toEqual([ksReviewer.personId]);
    const refused = await admin.request('PUT', `/api/programs/${ks}/reviewers`, {
      personIds: [ksReviewer.personId, other.personId],
    });
    expect(refused.status).toBe(400);
    expect(refused.json.errors[0].field).toBe('personIds.1');
    expect(ids(await admin.request('GET', `/api/programs/${ks}/reviewers`))).toEqual(before);
    const both = await admin.request('PUT', `/api/programs/${ks}/reviewers`, {
      personIds: [reviewer.personId, ksReviewer.personId, reviewer.personId],
    });
    expect(both.status, both.body).toBe(200);
    expect(ids(both).sort()).toEqual([ksReviewer.personId, reviewer.personId].sort());
    const audit = await t.db
      .selectFrom('audit_log')
      .select(['before', 'after'])
      .where('action', '=', 'program.reviewers')
      .where('entity_id', '=', ks)
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    expect(audit).toEqual({ before, after: [reviewer.personId, ksReviewer.personId] });
    const restored = await admin.request('PUT', `/api/programs/${ks}/reviewers`, { personIds: before });
    expect(ids(restored)).toEqual(before);
  });
});
