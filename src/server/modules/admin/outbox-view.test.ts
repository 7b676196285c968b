/**
 * What an outbox message carried, for administrators only: its HTML part under a CSP that runs and
 * loads nothing (secrets in links hidden), each attachment as it was sent, and the whole message
 * as an .eml file. Other roles are refused.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../testing/harness.js';
import { quickClient } from '../../testing/scheduling.js';
import { composeEmail, link, paragraph } from '../mail/message.js';

let t: TestApp;
let id: string;
const ics = 'BEGIN:VCALENDAR\r\nMETHOD:REQUEST\r\nEND:VCALENDAR\r\n';
beforeAll(async () => {
  t = await createTestApp();
  id = await t.deps.mailer.enqueue(t.db, {
    to: 'ivy@example.gov',
    kind: 'test',
    ...composeEmail('Your <session>', [
      paragraph('Hello <b>Ivy</b>,'),
      paragraph(link('Set your password', 'https://cert.example.gov/password/set?token=s3cr3t-t0ken')),
    ]),
    attachments: [
      { filename: 'invite.ics', contentType: 'text/calendar; charset=utf-8; method=REQUEST', content: ics },
    ],
  });
});
afterAll(() => t.close());

describe('the outbox message view', () => {
  it('lists the attachments of each message', async () => {
    const admin = await quickClient(t, ['administrator']);
    const list = await admin.request('GET', '/api/outbox');
    const m = list.json.items.find((i: { id: string }) => i.id === id);
    expect(m).toMatchObject({
      hasHtml: true,
      attachments: [
        { index: 0, filename: 'invite.ics', contentType: 'text/calendar; charset=utf-8; method=REQUEST' },
      ],
    });
  });

  it('serves the HTML part escaped as written, secrets hidden, under a CSP that runs and loads nothing', async () => {
    const admin = await quickClient(t, ['administrator']);
    const r = await admin.request('GET', `/api/outbox/${id}/html`);
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toMatch(/^text\/html/);
    expect(r.headers['content-security-policy']).toMatch(/default-src 'none'/);
    expect(r.headers['content-security-policy']).toMatch(/sandbox/);
    expect(r.headers['content-security-policy']).toMatch(/frame-ancestors 'self'/);
    expect(r.body).toContain('<p>Hello &lt;b&gt;Ivy&lt;/b&gt;,</p>');
    expect(r.body).toContain(
      '<a href="https://cert.example.gov/password/set?token=[hidden]">Set your password</a>',
    );
    expect(r.body).not.toContain('s3cr3t');
  });

  it('downloads each attachment with its content type, and the whole message as .eml', async () => {
    const admin = await quickClient(t, ['administrator']);
    const a = await admin.request('GET', `/api/outbox/${id}/attachments/0`);
    expect(a.status).toBe(200);
    expect(a.headers['content-type']).toBe('text/calendar; charset=utf-8; method=REQUEST');
    expect(a.headers['content-disposition']).toBe('attachment; filename="invite.ics"');
    expect(a.body).toBe(ics);
    const missing = await admin.request('GET', `/api/outbox/${id}/attachments/3`);
    expect(missing.status).toBe(404);
    expect(missing.headers['content-type']).toMatch(/^application\/problem\+json/);
    const eml = await admin.request('GET', `/api/outbox/${id}/eml`);
    expect(eml.status).toBe(200);
    expect(eml.headers['content-type']).toMatch(/^message\/rfc822/);
    expect(eml.headers['content-disposition']).toMatch(/^attachment; filename="message-.*\.eml"$/);
    expect(eml.body).toMatch(/^Subject: Your <session>$/m);
    expect(eml.body).toMatch(/^Auto-Submitted: auto-generated$/m);
    expect(eml.body).toMatch(/Content-Type: multipart\/alternative/);
    expect(eml.body).toMatch(/Content-Type: text\/calendar; charset=utf-8; method=REQUEST/);
    expect(eml.body).not.toContain('s3cr3t');
  });

  it('refuses everyone but administrators', async () => {
    for (const role of ['official', 'coordinator'] as const) {
      const who = await quickClient(t, [role]);
      for (const url of [
        `/api/outbox/${id}/html`,
        `/api/outbox/${id}/attachments/0`,
        `/api/outbox/${id}/eml`,
      ])
        expect((await who.request('GET', url)).status, `${role} ${url}`).toBe(403);
    }
    const anonymous = await t.app.inject({ method: 'GET', url: `/api/outbox/${id}/attachments/0` });
    expect(anonymous.statusCode).toBe(401);
  });
});
