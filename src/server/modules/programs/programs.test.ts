import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../testing/harness.js';
import { checkImpact } from '../../testing/impact.js';
import { quickClient } from '../../testing/scheduling.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

describe('programs in the database', () => {
  it('has both shipped programs, published, loaded at start-up', async () => {
    const official = await quickClient(t);
    const res = await official.request('GET', '/api/programs');
    expect(res.status).toBe(200);
    expect(res.json.items.map((p: { code: string }) => p.code).sort()).toEqual([
      'igo-cpo',
      'ks-county-election-official',
    ]);
    const igo = res.json.items.find((p: { code: string }) => p.code === 'igo-cpo');
    expect(igo).toMatchObject({
      designation: 'CPO',
      feeAmountCents: 2500,
      current: { version: '2016.1', published: true },
      draft: null,
    });
  });

  it('explains the CPO enrollment fee; the fee per outside credit is a setting, off by default', async () => {
    const official = await quickClient(t);
    const admin = await quickClient(t, ['administrator']);
    const coordinator = await quickClient(t, ['coordinator']);
    const programs = (await official.request('GET', '/api/programs')).json.items;
    const igo = programs.find((p: { code: string }) => p.code === 'igo-cpo');
    // The seed's $25 fee comes with what it is for and how to pay, for the enrollment request.
    expect(igo.feeAmountCents).toBe(2500);
    expect(igo.enrollmentFee.feeFor).toMatch(/registers you in the CPO program/);
    expect(igo.enrollmentFee.howToPay).toMatch(/page six of the Certification Workbook.*iGO office/);
    // The per-credit claim fee is our assumption: documented in the definition, and off.
    for (const p of programs) expect(p.claimFeePerCreditCents).toBe(0);
    const def = (await official.request('GET', `/api/programs/${igo.id}`)).json.definition;
    expect(def.claimFee).toMatchObject({ perCreditUsd: 5, enabled: false });

    const wrong = await admin.request('PATCH', `/api/programs/${igo.id}`, { claimFeePerCreditCents: -500 });
    expect(wrong.status).toBe(400);
    expect(wrong.json.errors[0]).toMatchObject({
      field: 'claimFeePerCreditCents',
      message: 'Fee per credit cannot be negative.',
    });
    expect(
      (await coordinator.request('PATCH', `/api/programs/${igo.id}`, { claimFeePerCreditCents: 500 })).status,
    ).toBe(403);
    const on = await admin.request('PATCH', `/api/programs/${igo.id}`, { claimFeePerCreditCents: 500 });
    expect(on.status, on.body).toBe(200);
    expect(on.json.claimFeePerCreditCents).toBe(500);
    const audit = await t.db
      .selectFrom('audit_log')
      .select(['before', 'after'])
      .where('action', '=', 'program.settings.update')
      .where('entity_id', '=', igo.id)
      .executeTakeFirstOrThrow();
    expect(audit).toMatchObject({
      before: { claimFeePerCreditCents: 0 },
      after: { claimFeePerCreditCents: 500 },
    });
    const off = await admin.request('PATCH', `/api/programs/${igo.id}`, { claimFeePerCreditCents: 0 });
    expect(off.json.claimFeePerCreditCents).toBe(0);
  });

  it('validates a draft with the rules engine and names every problem by path; publishing makes it current', async () => {
    const admin = await quickClient(t, ['administrator']);
    const ks = (await admin.request('GET', '/api/programs')).json.items.find(
      (p: { code: string }) => p.code === 'ks-county-election-official',
    );
    const detail = (await admin.request('GET', `/api/programs/${ks.id}`)).json;
    const def = detail.definition;

    const bad = await admin.request('PUT', `/api/programs/${ks.id}/draft`, {
      definition: {
        ...def,
        version: '2027.1',
        timeZone: 'Kansas/Nowhere',
        renewal: { ...def.renewal, cycleYears: 0 },
      },
    });
    expect(bad.status).toBe(400);
    expect(bad.headers['content-type']).toMatch(/application\/problem\+json/);
    const fields = bad.json.errors.map((e: { field: string }) => e.field);
    expect(fields).toEqual(expect.arrayContaining(['definition.timeZone', 'definition.renewal.cycleYears']));

    const samePublished = await admin.request('PUT', `/api/programs/${ks.id}/draft`, { definition: def });
    expect(samePublished.status).toBe(400);
    expect(samePublished.json.errors[0].field).toBe('definition.version');

    const draft = await admin.request('PUT', `/api/programs/${ks.id}/draft`, {
      definition: { ...def, version: '2027.1', effectiveFrom: '2027-01-01' },
    });
    expect(draft.status, draft.body).toBe(200);
    expect(draft.json.draft).toMatchObject({ version: '2027.1', published: false });
    // Officials do not see drafts.
    const official = await quickClient(t);
    expect((await official.request('GET', `/api/programs/${ks.id}`)).json).toMatchObject({
      draft: null,
      draftDefinition: null,
    });

    await checkImpact(admin, ks.id);
    const pub = await admin.request('POST', `/api/programs/${ks.id}/publish`);
    expect(pub.status, pub.body).toBe(200);
    expect(pub.json.current).toMatchObject({ version: '2027.1', published: true });
    expect(pub.json.versions.map((v: { version: string }) => v.version)).toEqual(['2027.1', '2023.1']);
    expect((await admin.request('POST', `/api/programs/${ks.id}/publish`)).status).toBe(409);
  });

  it('refuses to publish a draft whose impact is missing, running or older than its last edit (409 naming why)', async () => {
    const admin = await quickClient(t, ['administrator']);
    const igo = (await admin.request('GET', '/api/programs')).json.items.find(
      (p: { code: string }) => p.code === 'igo-cpo',
    );
    const def = (await admin.request('GET', `/api/programs/${igo.id}`)).json.definition;
    const save = async (version: string) => {
      const r = await admin.request('PUT', `/api/programs/${igo.id}/draft`, {
        definition: { ...def, version },
      });
      expect(r.status, r.body).toBe(200);
    };
    const refused = async (why: RegExp) => {
      const r = await admin.request('POST', `/api/programs/${igo.id}/publish`);
      expect(r.status, r.body).toBe(409);
      expect(r.json.detail).toMatch(why);
      expect((await admin.request('GET', `/api/programs/${igo.id}`)).json.current.version).toBe(def.version);
    };

    await save('2031.1');
    expect((await admin.request('GET', `/api/programs/${igo.id}/draft/impact`)).json).toEqual({
      impact: null,
    });
    await refused(/impact of draft 2031\.1 has not been checked/);

    const checked = await checkImpact(admin, igo.id, '2026-03-01');
    expect(checked).toMatchObject({
      draftVersion: '2031.1',
      asOf: '2026-03-01',
      state: 'finished',
      changed: 0,
    });
    expect(checked.done).toBe(checked.total);

    // Editing the draft makes the impact stale: shown so, and publishing refuses it.
    await save('2031.2');
    const stale = (await admin.request('GET', `/api/programs/${igo.id}/draft/impact`)).json.impact;
    expect(stale).toMatchObject({ state: 'stale', draftVersion: '2031.1' });
    expect(stale.staleAt).not.toBeNull();
    await refused(/changed after its impact was checked/);

    // Checked again: published.
    await checkImpact(admin, igo.id, '2026-03-01');
    const pub = await admin.request('POST', `/api/programs/${igo.id}/publish`);
    expect(pub.status, pub.body).toBe(200);
    expect(pub.json.current.version).toBe('2031.2');
    // The check was of a draft that is now published: there is no draft impact to show.
    expect((await admin.request('GET', `/api/programs/${igo.id}/draft/impact`)).json).toEqual({
      impact: null,
    });
  });

  it('names the date field when the as-of date is not a date, and refuses a program without a draft', async () => {
    const admin = await quickClient(t, ['administrator']);
    const igo = (await admin.request('GET', '/api/programs')).json.items.find(
      (p: { code: string }) => p.code === 'igo-cpo',
    );
    const bad = await admin.request('POST', `/api/programs/${igo.id}/draft/impact`, { asOf: '2026-02-30' });
    expect(bad.status).toBe(400);
    expect(bad.json.errors.map((e: { field: string }) => e.field)).toContain('asOf');
    const none = await admin.request('POST', `/api/programs/${igo.id}/draft/impact`, { asOf: '2026-02-01' });
    expect(none.status).toBe(409);
    expect(none.json.detail).toMatch(/no draft/);
  });

  it('officials ask to enroll; a coordinator approves with the fee paid by check', async () => {
    const official = await quickClient(t);
    const coordinator = await quickClient(t, ['coordinator']);
    const igo = (await official.request('GET', '/api/programs')).json.items.find(
      (p: { code: string }) => p.code === 'igo-cpo',
    );
    const req = await official.request('POST', `/api/programs/${igo.id}/enrollment-request`);
    expect(req.status, req.body).toBe(201);
    expect(req.json).toMatchObject({ status: 'requested', fee: { amountCents: 2500, status: 'unpaid' } });
    expect((await official.request('POST', `/api/programs/${igo.id}/enrollment-request`)).status).toBe(409);

    const approve = await coordinator.request('POST', `/api/programs/${igo.id}/enrollments`, {
      personId: official.personId,
      feeStatus: 'paid',
      feeMethod: 'check',
      receiptNumber: 'CHK-4471',
    });
    expect(approve.status, approve.body).toBe(201);
    expect(approve.json).toMatchObject({
      id: req.json.id,
      status: 'active',
      enrolledOn: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
      fee: { amountCents: 2500, status: 'paid', method: 'check', receiptNumber: 'CHK-4471' },
    });
    const mine = await official.request('GET', '/api/me/enrollments');
    expect(mine.json.items).toHaveLength(1);
    const list = await coordinator.request('GET', `/api/programs/${igo.id}/enrollments?status=active`);
    expect(list.json.page.total).toBe(1);
  });
});
