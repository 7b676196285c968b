/**
 * The award e-mail as the official receives it (caught by the test SMTP server): a text and an HTML
 * part, Auto-Submitted, the certificate number, a link to the certificate and the public
 * verification address, each following where the official expects.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../testing/harness.js';
import {
  buildKansasCourses,
  buildEnrollment,
  factsChanged,
  programId,
  quickClient,
} from '../../testing/scheduling.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ smtp: true, env: { PUBLIC_URL: 'https://cert.example.gov' } });
});
afterAll(() => t.close());

describe('the award e-mail', () => {
  it('carries the certificate number, the certificate link and the verification address, as text and HTML', async () => {
    t.clock.now = new Date('2027-03-11T15:00:00Z');
    const admin = await quickClient(t, ['administrator']);
    const official = await quickClient(t, ['official'], { firstName: 'Dana', lastName: 'Kessler' });
    const ks = await programId(t.db);
    await buildEnrollment(t.db, official.personId, undefined, '2026-01-15');
    await buildKansasCourses(t.db, official.personId);
    await factsChanged(t, official.personId);
    const r = await admin.request('POST', '/api/awards', { personId: official.personId, programId: ks });
    expect(r.status, r.body).toBe(201);
    const { id, certificateNumber } = r.json as { id: string; certificateNumber: string };

    const mail = await t.smtp!.waitFor(
      (m) => m.to.includes(official.email) && /^Congratulations/.test(m.subject),
    );
    expect(mail.headers).toMatch(/^Content-Type: multipart\/alternative/im);
    expect(mail.headers).toMatch(/^Auto-Submitted: auto-generated$/im);
    // An award is the person's own business, not a bulk notice: no unsubscribe.
    expect(mail.headers).not.toMatch(/^List-Unsubscribe/im);
    const text = mail.parts.find((p) => p.contentType.startsWith('text/plain'))!.body;
    const html = mail.parts.find((p) => p.contentType.startsWith('text/html'))!.body;
    const page = `https://cert.example.gov/awards/${id}`;
    const pdf = `https://cert.example.gov/api/awards/${id}/certificate`;
    const verify = `https://cert.example.gov/verify/${certificateNumber}`;
    expect(text).toContain(`Your certificate number is ${certificateNumber}.`);
    expect(text).toContain(`Open your certificate and download it (PDF): ${page}`);
    expect(text).toContain(`Download the certificate PDF directly: ${pdf}`);
    expect(text).toContain(`Public verification of certificate ${certificateNumber}: ${verify}`);
    expect(text).not.toMatch(/can be downloaded from CivicCert\./);
    expect(html).toMatch(/<html lang="en">/);
    expect(html).toContain(`<title>Congratulations: Certified County Election Official</title>`);
    expect(html).toContain(`<a href="${page}">Open your certificate and download it (PDF)</a>`);
    expect(html).toContain(`<a href="${verify}">Public verification of certificate ${certificateNumber}</a>`);

    // The links lead where they say: the PDF for its holder, and public verification of the number.
    expect((await official.request('GET', new URL(pdf).pathname)).headers['content-type']).toBe(
      'application/pdf',
    );
    const v = await t.app.inject({ method: 'GET', url: `/api${new URL(verify).pathname}` });
    expect(v.statusCode).toBe(200);
    expect(v.json().items[0].certificateNumber).toBe(certificateNumber);
    // The outbox keeps the HTML part too.
    const stored = await t.db
      .selectFrom('email_message')
      .select(['html_body', 'list_unsubscribe'])
      .where('kind', '=', 'award.awarded')
      .executeTakeFirstOrThrow();
    expect(stored.html_body).toContain(`<a href="${pdf}">`);
    expect(stored.list_unsubscribe).toBeNull();
  });
});
