/**
 * Issue 16 item 5: the private calendar feed's address can be read back (a second device
 * subscribes to the same address), replacing it is a separate, confirmed and audited action, and
 * the feed tells clients how often to fetch it again.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashToken, newToken } from '../auth/tokens.js';
import { createTestApp, type Client, type TestApp } from '../../testing/harness.js';
import { quickClient } from '../../testing/scheduling.js';

let t: TestApp;
let official: Client & { email: string };
let other: Client & { email: string };

beforeAll(async () => {
  t = await createTestApp();
  official = await quickClient(t, ['official'], { firstName: 'Dana', lastName: 'Kessler' });
  other = await quickClient(t, ['official'], { firstName: 'Lee', lastName: 'Ortiz' });
});
afterAll(() => t.close());

const fetchFeed = (url: string) => {
  const u = new URL(url);
  return t.app.inject({ method: 'GET', url: `${u.pathname}${u.search}` });
};

describe('private calendar feed address', () => {
  it('is empty before one is made, then reads back the same on every request', async () => {
    const none = await official.request('GET', '/api/me/calendar-feed');
    expect(none.status).toBe(200);
    expect(none.json).toEqual({ url: null, createdAt: null });

    const made = await official.request('POST', '/api/me/calendar-feed');
    expect(made.status, made.body).toBe(200);
    expect(made.json.url).toMatch(/\/api\/calendar-feed\?token=[A-Za-z0-9_-]{20,}$/);
    expect(made.headers['cache-control']).toBe('private, no-store');

    // A second device: reading (or asking again) gives the same address; the first keeps working.
    const again = await official.request('GET', '/api/me/calendar-feed');
    expect(again.json.url).toBe(made.json.url);
    const askedAgain = await official.request('POST', '/api/me/calendar-feed');
    expect(askedAgain.json.url).toBe(made.json.url);
    expect((await fetchFeed(made.json.url)).statusCode).toBe(200);

    // The token is stored sealed, never as it is.
    const row = await t.db
      .selectFrom('calendar_feed')
      .selectAll()
      .where('person_id', '=', official.personId)
      .executeTakeFirstOrThrow();
    const token = new URL(made.json.url).searchParams.get('token')!;
    expect(row.token_sealed).toMatch(/^v1:/);
    expect(row.token_sealed).not.toContain(token);
  });

  it('is each person’s own', async () => {
    const mine = await official.request('GET', '/api/me/calendar-feed');
    const theirs = await other.request('POST', '/api/me/calendar-feed');
    expect(theirs.json.url).not.toBe(mine.json.url);
    const anonymous = await t.app.inject({ method: 'GET', url: '/api/me/calendar-feed' });
    expect(anonymous.statusCode).toBe(401);
  });

  it('is replaced only when confirmed; the old address then stops working, and the change is audited', async () => {
    const before = (await official.request('GET', '/api/me/calendar-feed')).json.url as string;

    const unconfirmed = await official.request('POST', '/api/me/calendar-feed/replace', {});
    expect(unconfirmed.status).toBe(400);
    expect(unconfirmed.headers['content-type']).toMatch(/problem\+json/);
    expect(unconfirmed.json.errors).toEqual([
      expect.objectContaining({
        field: 'confirm',
        message: expect.stringMatching(/stop working on every device/),
      }),
    ]);
    expect((await official.request('GET', '/api/me/calendar-feed')).json.url).toBe(before);

    const replaced = await official.request('POST', '/api/me/calendar-feed/replace', { confirm: true });
    expect(replaced.status, replaced.body).toBe(200);
    expect(replaced.json.url).not.toBe(before);
    expect((await fetchFeed(before)).statusCode).toBe(404);
    expect((await fetchFeed(replaced.json.url)).statusCode).toBe(200);
    expect((await official.request('GET', '/api/me/calendar-feed')).json.url).toBe(replaced.json.url);

    const audit = await t.db
      .selectFrom('audit_log')
      .select(['action', 'entity_id', 'after'])
      .where('entity_id', '=', official.personId)
      .where('action', 'like', 'calendar.feed.%')
      .orderBy('id')
      .execute();
    expect(audit.map((a) => a.action)).toEqual(['calendar.feed.create', 'calendar.feed.replace']);
    // The audit log never holds the address.
    const token = new URL(replaced.json.url).searchParams.get('token')!;
    expect(JSON.stringify(audit)).not.toContain(token);
  });

  it('a feed made before addresses could be shown keeps working, says so, and can be replaced', async () => {
    const legacy = await quickClient(t, ['official'], { firstName: 'Old', lastName: 'Feed' });
    const token = newToken();
    await t.db
      .insertInto('calendar_feed')
      .values({ person_id: legacy.personId, token_hash: hashToken(token), token_sealed: null })
      .execute();
    const read = await legacy.request('GET', '/api/me/calendar-feed');
    expect(read.json.url).toBeNull();
    expect(read.json.createdAt).not.toBeNull();
    expect((await t.app.inject({ method: 'GET', url: `/api/calendar-feed?token=${token}` })).statusCode).toBe(
      200,
    );
    // Asking for an address does not silently replace it.
    expect((await legacy.request('POST', '/api/me/calendar-feed')).json.url).toBeNull();
    const replaced = await legacy.request('POST', '/api/me/calendar-feed/replace', { confirm: true });
    expect(replaced.json.url).toMatch(/token=/);
    expect((await t.app.inject({ method: 'GET', url: `/api/calendar-feed?token=${token}` })).statusCode).toBe(
      404,
    );
  });

  it('tells calendar clients to fetch it again every hour', async () => {
    const url = (await official.request('GET', '/api/me/calendar-feed')).json.url as string;
    const ics = (await fetchFeed(url)).body;
    expect(ics).toContain('\r\nREFRESH-INTERVAL;VALUE=DURATION:PT1H\r\n');
    expect(ics).toContain('\r\nX-PUBLISHED-TTL:PT1H\r\n');
    expect(ics).toContain('\r\nMETHOD:PUBLISH\r\n');
  });
});
