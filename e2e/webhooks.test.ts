/**
 * Issue 17, item 6, in Chromium with axe: the administrator adds a webhook endpoint (a real local
 * receiver), sees its secret once, a session edit is delivered to it, and the delivery log shows
 * the attempt; a resend adds one more.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWebhookJobs, type WebhookJobs } from '../src/server/jobs/webhook.jobs.js';
import { buildPerson } from '../src/server/testing/harness.js';
import { buildSession, quickClient } from '../src/server/testing/scheduling.js';
import { expectAccessible, mainText, navTo, signIn, startE2E, type E2E } from './harness.js';

let e: E2E;
let jobs: WebhookJobs;
const received: { delivery: string; body: string }[] = [];
const receiver = createServer((req, res) => {
  let body = '';
  req.on('data', (c: Buffer) => (body += c.toString('utf8')));
  req.on('end', () => {
    received.push({ delivery: String(req.headers['civiccert-delivery']), body });
    res.end('ok');
  });
});
let receiverUrl = '';

beforeAll(async () => {
  e = await startE2E();
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/civiccert`;
  jobs = await startWebhookJobs(e.t.deps, e.t.dbUrl, pino({ level: 'silent' }), {
    dispatchEveryMs: 300,
    pollingIntervalSeconds: 0.5,
  });
  await buildPerson(e.t.db, {
    roles: ['administrator'],
    firstName: 'Ada',
    lastName: 'Admin',
    email: 'ada.admin@example.gov',
  });
});
afterAll(async () => {
  await jobs?.stop();
  receiver.close();
  await e?.close();
});

describe('webhooks in the browser', () => {
  it('the administrator adds an endpoint, and the delivery log shows what was sent', async () => {
    const { page } = await e.newPage();
    await signIn(page, 'ada.admin@example.gov');
    await navTo(page, 'Webhooks');
    await page.getByRole('heading', { level: 1, name: 'Webhooks' }).waitFor();
    await page.getByText('No endpoints yet.').waitFor();
    await expectAccessible(e, page, 'webhooks, no endpoint yet');

    // No event chosen: the form says so and adds nothing.
    await page.locator('#url').fill(receiverUrl);
    await page.getByRole('button', { name: 'Add endpoint' }).click();
    await page.locator('#events-error').waitFor();
    expect(await page.locator('#events-error').innerText()).toMatch(/at least one event/);

    await page.getByLabel('Description').fill('County HR system');
    await page.getByText('Session changed or cancelled').click();
    await page.getByRole('button', { name: 'Add endpoint' }).click();
    await page.getByRole('heading', { name: 'Endpoint added' }).waitFor();
    expect(await page.getByTestId('webhook-secret').innerText()).toMatch(/^whsec_/);
    await page.getByRole('rowheader', { name: new RegExp(receiverUrl) }).waitFor();
    await expectAccessible(e, page, 'webhooks, endpoint added with its secret');

    // A session edit is delivered to the receiver.
    const coordinator = await quickClient(e.t, ['coordinator']);
    const s = await buildSession(e.t.db);
    expect((await coordinator.request('PATCH', `/api/sessions/${s.id}`, { capacity: 42 })).status).toBe(200);
    for (let i = 0; i < 150 && received.length === 0; i++) await new Promise((r) => setTimeout(r, 200));
    expect(received).toHaveLength(1);
    expect(JSON.parse(received[0]!.body)).toMatchObject({ type: 'session.changed' });

    await page.reload();
    const row = page.getByRole('row').filter({ hasText: received[0]!.delivery });
    await row.waitFor();
    expect(await row.innerText()).toMatch(/Delivered/i);
    expect(await row.innerText()).toMatch(/HTTP 200/);
    expect(await mainText(page)).toMatch(/1 delivered, 0 waiting, 0 failed/);
    await expectAccessible(e, page, 'webhooks, delivery log');

    await row.getByRole('button', { name: /Resend/ }).click();
    await row.getByText(/resent/).waitFor();
    expect(received).toHaveLength(2);
    expect(received[1]!.delivery).toBe(received[0]!.delivery);
  }, 120_000);
});
