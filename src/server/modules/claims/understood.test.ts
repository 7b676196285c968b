/**
 * Issue 15, item 3: outside-credit claims an official understands. Errors
 * are sentences about the field; an empty End date is allowed and a date
 * error lands on the field that is wrong; submitting without the documents
 * is refused (naming them) and changes nothing; what is still missing
 * follows the documents at once; drafts can be deleted; impossible hours
 * are refused; a reviewer sees the evidence inline and may approve fewer
 * credits with a reason; the official transcript lists approved credit only.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildClaim, multipart, PNG_1x1, tinyPdf } from '../../testing/claims.js';
import { createTestApp, type Client, type TestApp } from '../../testing/harness.js';
import { buildEnrollment, programId, quickClient } from '../../testing/scheduling.js';

let t: TestApp;
let official: Client;
let reviewer: Client;
let admin: Client;
let igo: string;

const claimBody = (o: Record<string, unknown> = {}) => ({
  programId: igo,
  type: 'webinar',
  title: 'Ballot design workshop',
  provider: 'State Association of County Clerks',
  startDate: '2027-02-10',
  hours: 3,
  category: 'records-management',
  ...o,
});

async function upload(who: Client, claimId: string, kind: string, filename: string, data: Buffer) {
  const type = filename.endsWith('.png') ? 'image/png' : 'application/pdf';
  const form = multipart([
    { name: 'kind', data: kind },
    { name: 'file', filename, contentType: type, data },
  ]);
  return who.request('POST', `/api/claims/${claimId}/documents`, form.payload, form.headers);
}

const rowCount = async (table: 'claim_message' | 'audit_log' | 'claim') =>
  Number(
    (
      await t.db
        .selectFrom(table)
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );

beforeAll(async () => {
  t = await createTestApp();
  t.clock.now = new Date('2027-03-01T15:00:00Z');
  official = await quickClient(t, ['official'], { firstName: 'Ines', lastName: 'Ortega' });
  reviewer = await quickClient(t, ['reviewer'], { firstName: 'Ravi', lastName: 'Rao' });
  admin = await quickClient(t, ['administrator']);
  igo = await programId(t.db, 'igo-cpo');
  await buildEnrollment(t.db, official.personId, 'igo-cpo');
  await t.db
    .insertInto('program_reviewer')
    .values({ program_id: igo, person_id: reviewer.personId })
    .execute();
});
afterAll(() => t.close());

describe('errors an official understands', () => {
  it('an empty form: each field gets a sentence about it, never an id format or a list of codes', async () => {
    const res = await official.request('POST', '/api/claims', {
      programId: '',
      type: '',
      title: '',
      provider: '',
      startDate: '',
      category: '',
    });
    expect(res.status).toBe(400);
    const byField = Object.fromEntries(
      (res.json.errors as { field: string; message: string }[]).map((e) => [e.field, e.message]),
    );
    expect(byField.programId).toBe('Choose the program this credit is for.');
    expect(byField.type).toBe('Choose the type of activity.');
    expect(byField.category).toBe('Choose the category this credit counts toward.');
    for (const message of Object.values(byField)) {
      expect(message).not.toMatch(/UUID|state-association|professional-development|records-management/);
      expect(message).toMatch(/\.$/);
    }
    expect(byField).not.toHaveProperty('endDate');
  });

  it('a category the program does not have is named by the category names, not internal codes', async () => {
    const res = await official.request('POST', '/api/claims', claimBody({ category: 'year-one' }));
    expect(res.status).toBe(400);
    expect(res.json.errors[0].field).toBe('category');
    expect(res.json.errors[0].message).toContain('Records Management');
    expect(res.json.errors[0].message).not.toContain('records-management');
  });
});

describe('dates', () => {
  it('an empty optional End date is not an error: a one-day activity ends the day it starts', async () => {
    const res = await official.request('POST', '/api/claims', claimBody());
    expect(res.status, res.body).toBe(201);
    expect(res.json).toMatchObject({ startDate: '2027-02-10', endDate: '2027-02-10' });
    const nullEnd = await official.request('POST', '/api/claims', claimBody({ endDate: null }));
    expect(nullEnd.status, nullEnd.body).toBe(201);
    expect(nullEnd.json.endDate).toBe('2027-02-10');
  });

  it('a start date in the future is an error on the Start date, not on the empty End date', async () => {
    const res = await official.request('POST', '/api/claims', claimBody({ startDate: '2027-05-01' }));
    expect(res.status).toBe(400);
    expect(res.json.errors.map((e: { field: string }) => e.field)).toEqual(['startDate']);
  });

  it('an end date before the start is an error on the End date', async () => {
    const res = await official.request('POST', '/api/claims', claimBody({ endDate: '2027-02-01' }));
    expect(res.status).toBe(400);
    expect(res.json.errors.map((e: { field: string }) => e.field)).toEqual(['endDate']);
  });
});

describe('hours that cannot be true', () => {
  it('refuses 500 hours in one day, naming Hours, and writes nothing; 24 in a day and 40 over a week are fine', async () => {
    const before = await rowCount('claim');
    const res = await official.request('POST', '/api/claims', claimBody({ hours: 500 }));
    expect(res.status).toBe(400);
    expect(res.json.errors[0].field).toBe('hours');
    expect(res.json.errors[0].message).toMatch(/at most 24 hours/);
    expect(await rowCount('claim')).toBe(before);
    const week = await official.request(
      'POST',
      '/api/claims',
      claimBody({ startDate: '2027-02-01', endDate: '2027-02-05', hours: 40 }),
    );
    expect(week.status, week.body).toBe(201);
    // Changing a draft is checked the same way, against its dates.
    const patch = await official.request('PATCH', `/api/claims/${week.json.id}`, {
      endDate: '2027-02-01',
    });
    expect(patch.status).toBe(400);
    expect(patch.json.errors[0].field).toBe('hours');
  });
});

describe('submitting without the required documents', () => {
  it('is refused with the missing documents named, and the claim stays a draft with nothing recorded', async () => {
    const id = (await official.request('POST', '/api/claims', claimBody())).json.id as string;
    expect((await upload(official, id, 'certificate', 'certificate.pdf', tinyPdf())).status).toBe(201);
    const [messages, audit] = [await rowCount('claim_message'), await rowCount('audit_log')];
    const res = await official.request('POST', `/api/claims/${id}/submit`, {});
    expect(res.status).toBe(409);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.json.detail).toContain('A course description or agenda');
    expect(res.json.errors).toEqual([
      { field: 'documents', message: expect.stringContaining('A course description or agenda') },
    ]);
    const after = await official.request('GET', `/api/claims/${id}`);
    expect(after.json.status).toBe('draft');
    expect(after.json.submittedAt).toBeNull();
    expect(await rowCount('claim_message')).toBe(messages);
    expect(await rowCount('audit_log')).toBe(audit);
  });

  it('what is still missing follows the documents at once, before any submission', async () => {
    const id = (await official.request('POST', '/api/claims', claimBody())).json.id as string;
    const draft = await official.request('GET', `/api/claims/${id}`);
    expect(draft.json.missingEvidence).toEqual([
      'A course description or agenda',
      'Proof of attendance (an attendance certificate or a registration confirmation)',
    ]);
    await upload(official, id, 'registration', 'registration.pdf', tinyPdf());
    expect((await official.request('GET', `/api/claims/${id}`)).json.missingEvidence).toEqual([
      'A course description or agenda',
    ]);
    await upload(official, id, 'description', 'agenda.pdf', tinyPdf('Agenda'));
    expect((await official.request('GET', `/api/claims/${id}`)).json.missingEvidence).toEqual([]);
    const res = await official.request('POST', `/api/claims/${id}/submit`, {});
    expect(res.status, res.body).toBe(200);
    expect(res.json.status).toBe('submitted');
  });
});

describe('the fee, before submitting', () => {
  it('a draft says what submitting it will cost, what the fee is for and how to pay', async () => {
    expect(
      (await admin.request('PATCH', `/api/programs/${igo}`, { claimFeePerCreditCents: 500 })).status,
    ).toBe(200);
    const res = await official.request('POST', '/api/claims', claimBody());
    expect(res.json.feeQuote).toEqual({
      cents: 1500,
      perCreditCents: 500,
      forWhat: expect.stringMatching(/review/i),
      howToPay: expect.stringMatching(/coordinator/i),
    });
    expect((await admin.request('PATCH', `/api/programs/${igo}`, { claimFeePerCreditCents: 0 })).status).toBe(
      200,
    );
    expect((await official.request('GET', `/api/claims/${res.json.id}`)).json.feeQuote).toBeNull();
  });
});

describe('deleting a draft', () => {
  it('the official deletes their own draft with its documents; a submitted claim and others cannot', async () => {
    const id = (await official.request('POST', '/api/claims', claimBody())).json.id as string;
    await upload(official, id, 'description', 'agenda.pdf', tinyPdf());
    // Those who may see it (its program's reviewer, an administrator) may not delete it.
    expect((await reviewer.request('DELETE', `/api/claims/${id}`)).status).toBe(403);
    expect((await admin.request('DELETE', `/api/claims/${id}`)).status).toBe(403);
    const res = await official.request('DELETE', `/api/claims/${id}`);
    expect(res.status, res.body).toBe(200);
    expect((await official.request('GET', `/api/claims/${id}`)).status).toBe(404);
    expect(await t.db.selectFrom('claim_document').select('id').where('claim_id', '=', id).execute()).toEqual(
      [],
    );
    const submitted = await buildClaim(t.db, official.personId, { status: 'submitted' });
    const refused = await official.request('DELETE', `/api/claims/${submitted}`);
    expect(refused.status).toBe(409);
    expect((await official.request('GET', `/api/claims/${submitted}`)).json.status).toBe('submitted');
  });
});

describe('review', () => {
  let claimId: string;
  let png: string;
  let pdf: string;
  beforeAll(async () => {
    claimId = (await official.request('POST', '/api/claims', claimBody({ hours: 6 }))).json.id;
    pdf = (await upload(official, claimId, 'description', 'agenda.pdf', tinyPdf('Agenda'))).json.id;
    png = (await upload(official, claimId, 'certificate', 'certificate.png', PNG_1x1)).json.id;
    expect((await official.request('POST', `/api/claims/${claimId}/submit`, {})).status).toBe(200);
  });

  it('a reviewer opens PDF and image evidence inline, with its real type and no script', async () => {
    for (const [id, type] of [
      [pdf, 'application/pdf'],
      [png, 'image/png'],
    ] as const) {
      const res = await reviewer.request('GET', `/api/claim-documents/${id}/view`);
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toBe(type);
      expect(res.headers['content-disposition']).toMatch(/^inline; filename=/);
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['content-security-policy']).toContain("script-src 'none'");
      expect(res.headers['content-security-policy']).toContain("frame-ancestors 'self'");
    }
  });

  it('approving fewer credits than claimed needs a reason; more than claimed is refused', async () => {
    const noReason = await reviewer.request('POST', `/api/claims/${claimId}/decision`, {
      decision: 'approve',
      amount: 4,
    });
    expect(noReason.status).toBe(400);
    expect(noReason.json.errors[0].field).toBe('reason');
    // Amounts are named in the program's own unit (CPO counts credits), never a mix of units.
    expect(noReason.json.errors[0].message).toBe(
      'Say why you approve 4 credits of the 6 claimed; the official will read it.',
    );
    const more = await reviewer.request('POST', `/api/claims/${claimId}/decision`, {
      decision: 'approve',
      amount: 8,
      reason: 'Generous',
    });
    expect(more.status).toBe(400);
    expect(more.json.errors[0].field).toBe('amount');
    expect(more.json.errors[0].message).toBe(
      'Approve at most the 6 credits claimed; the official can claim more in a new claim.',
    );
    expect((await official.request('GET', `/api/claims/${claimId}`)).json.status).toBe('submitted');
    const ok = await reviewer.request('POST', `/api/claims/${claimId}/decision`, {
      decision: 'approve',
      amount: 4,
      reason: 'The agenda shows 4 hours of instruction; the rest were breaks.',
    });
    expect(ok.status, ok.body).toBe(200);
    expect(ok.json).toMatchObject({
      status: 'approved',
      program: { code: 'igo-cpo', unit: { singular: 'credit', plural: 'credits' } },
      approvedAmount: 4,
      decisionReason: 'The agenda shows 4 hours of instruction; the rest were breaks.',
    });
  });
});

describe('the official transcript', () => {
  it('lists approved credit only: a claim that needs information is not on it', async () => {
    const asked = await buildClaim(t.db, official.personId, { status: 'needs_information' });
    await t.db.updateTable('claim').set({ title: 'Asked about this one' }).where('id', '=', asked).execute();
    const screen = await official.request('GET', '/api/me/transcript');
    const cpo = screen.json.programs.find((p: { program: { code: string } }) => p.program.code === 'igo-cpo');
    expect(JSON.stringify(cpo.pending)).not.toContain('Asked about this one');
    const issued = await official.request('POST', '/api/me/transcripts');
    expect(issued.status, issued.body).toBe(201);
    const snapshot = await t.db
      .selectFrom('issued_transcript')
      .select('snapshot')
      .where('id', '=', issued.json.id)
      .executeTakeFirstOrThrow();
    const text = JSON.stringify(snapshot.snapshot);
    expect(text).not.toContain('Asked about this one');
    expect(text).toContain('Ballot design workshop'); // the approved claim
  });
});
