/**
 * Ceremonies are a thing, not a label (issue 15 item 1): an event has a kind; awards attach only to
 * a ceremony or conference that has happened or is today in the program's zone (a 409 naming
 * `eventId` otherwise, nothing written); a ceremony can follow a Year Three session; plaque orders
 * move from to order to ordered to delivered, and the plaque list says which.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type Client, type TestApp } from '../../testing/harness.js';
import {
  buildCredit,
  buildEnrollment,
  buildSession,
  factsChanged,
  programId,
  quickClient,
} from '../../testing/scheduling.js';

let t: TestApp;
let admin: Client;
let coordinator: Client;
let ks: string;

async function eligibleOfficial(lastName: string): Promise<string> {
  const o = await quickClient(t, ['official'], { lastName, jurisdictionFips: '20045' });
  await buildEnrollment(t.db, o.personId, undefined, '2026-01-15');
  for (const [y, cat, day] of [
    [1, 'year-one', '2026-04-10'],
    [2, 'year-two', '2026-09-10'],
    [3, 'year-three', '2027-03-10'],
  ] as const)
    for (const i of [1, 2, 3])
      await buildCredit(t.db, o.personId, { category: cat, courseCode: `KS-Y${y}-0${i}`, earnedOn: day });
  await factsChanged(t, o.personId);
  return o.personId;
}
const awardsOf = async (personId: string) =>
  t.db.selectFrom('award').select('id').where('person_id', '=', personId).execute();
const event = async (body: Record<string, unknown>) => {
  const r = await admin.request('POST', '/api/events', { programId: ks, ...body });
  expect(r.status, r.body).toBe(201);
  return r.json as { id: string; kind: string; day: string | null };
};
const expectProblem = (
  r: { status: number; headers: Record<string, unknown>; json: { errors?: { field: string }[] } },
  status: number,
  field: string,
) => {
  expect(r.status, JSON.stringify(r.json)).toBe(status);
  expect(String(r.headers['content-type'])).toMatch(/^application\/problem\+json/);
  expect(r.json.errors?.map((e) => e.field)).toContain(field);
};

beforeAll(async () => {
  t = await createTestApp();
  // 22:00 on April 12 in Topeka (CDT), already April 13 in UTC.
  t.clock.now = new Date('2027-04-13T03:00:00Z');
  admin = await quickClient(t, ['administrator']);
  coordinator = await quickClient(t, ['coordinator']);
  ks = await programId(t.db);
});
afterAll(async () => t.close());

describe('which events carry awards', () => {
  it('refuses an award at a ceremony months away, naming eventId, and writes nothing', async () => {
    const person = await eligibleOfficial('Future');
    const later = await event({
      title: 'Year Three, Summer 2027, Hays',
      kind: 'ceremony',
      heldOn: '2027-07-15',
    });
    const r = await admin.request('POST', '/api/awards', {
      personId: person,
      programId: ks,
      eventId: later.id,
    });
    expectProblem(r, 409, 'eventId');
    expect(r.json.detail).toContain('July 15, 2027');
    expect(await awardsOf(person)).toEqual([]);
    const bulk = await admin.request('POST', '/api/awards/bulk', {
      programId: ks,
      eventId: later.id,
      personIds: [person],
    });
    expect(bulk.status).toBe(200);
    expect(bulk.json.awarded).toEqual([]);
    expect(bulk.json.refused[0].reason).toMatch(/takes place on July 15, 2027/);
    expect(await awardsOf(person)).toEqual([]);
  });

  it('refuses an award at a class, and at an event with no date', async () => {
    const person = await eligibleOfficial('Classy');
    const cls = await buildSession(t.db, { startsAt: new Date('2027-03-01T15:00:00Z') });
    const r = await admin.request('POST', '/api/awards', {
      personId: person,
      programId: ks,
      eventId: cls.eventId,
    });
    expectProblem(r, 409, 'eventId');
    expect(r.json.detail).toMatch(/is a class/);
    const undated = await event({ title: 'Recognition ceremony, date to be set', kind: 'ceremony' });
    expect(undated.day).toBeNull();
    const r2 = await admin.request('POST', '/api/awards', {
      personId: person,
      programId: ks,
      eventId: undated.id,
    });
    expectProblem(r2, 409, 'eventId');
    expect(r2.json.detail).toMatch(/no date yet/);
    expect(await awardsOf(person)).toEqual([]);
  });

  it('takes "today" in the program’s zone: April 12 in Topeka is accepted at 22:00 CDT, April 13 is not', async () => {
    const person = await eligibleOfficial('Tonight');
    const tomorrow = await event({ title: 'Ceremony on the 13th', kind: 'ceremony', heldOn: '2027-04-13' });
    expectProblem(
      await admin.request('POST', '/api/awards', { personId: person, programId: ks, eventId: tomorrow.id }),
      409,
      'eventId',
    );
    const today = await event({ title: 'Ceremony on the 12th', kind: 'ceremony', heldOn: '2027-04-12' });
    const ok = await admin.request('POST', '/api/awards', {
      personId: person,
      programId: ks,
      eventId: today.id,
    });
    expect(ok.status, ok.body).toBe(201);
    expect(ok.json.event).toMatchObject({ id: today.id, kind: 'ceremony' });
    expect(ok.json.plaque).toEqual({ state: 'to_order', orderedOn: null, deliveredOn: null });
  });

  it('pairs a ceremony with the Year Three session it follows; its day is that session’s', async () => {
    const person = await eligibleOfficial('Paired');
    // Ends 21:00 CDT on April 12 (02:00 UTC on the 13th): the ceremony right after is on the 12th.
    const y3 = await buildSession(t.db, { startsAt: new Date('2027-04-12T23:00:00Z'), minutes: 180 });
    const cer = await event({ title: 'Year Three recognition', kind: 'ceremony', followsSessionId: y3.id });
    const got = await admin.request('GET', `/api/events/${cer.id}`);
    expect(got.json.event).toMatchObject({
      kind: 'ceremony',
      day: '2027-04-12',
      followsSession: { id: y3.id, timeZone: 'America/Chicago', endsAt: '2027-04-13T02:00:00.000Z' },
    });
    const ok = await admin.request('POST', '/api/awards', {
      personId: person,
      programId: ks,
      eventId: cer.id,
    });
    expect(ok.status, ok.body).toBe(201);
    // A session next week: the ceremony after it cannot carry awards yet.
    const next = await buildSession(t.db, { startsAt: new Date('2027-04-19T15:00:00Z') });
    const later = await event({ title: 'After next week', kind: 'ceremony', followsSessionId: next.id });
    expect(later.day).toBe('2027-04-19');
    const other = await eligibleOfficial('Waiting');
    expectProblem(
      await admin.request('POST', '/api/awards', { personId: other, programId: ks, eventId: later.id }),
      409,
      'eventId',
    );
  });
});

describe('event kinds: bad input names the field and changes nothing', () => {
  it('refuses an unknown kind, a date on a class, a class following a session, a missing session', async () => {
    const s = await buildSession(t.db);
    for (const [body, field] of [
      [{ title: 'X', kind: 'gala' }, 'kind'],
      [{ title: 'X', kind: 'class', heldOn: '2027-04-01' }, 'heldOn'],
      [{ title: 'X', kind: 'ceremony', heldOn: '2027-02-30' }, 'heldOn'],
      [{ title: 'X', kind: 'conference', followsSessionId: s.id }, 'followsSessionId'],
      [{ title: 'X', kind: 'ceremony', followsSessionId: s.id, heldOn: '2027-04-01' }, 'heldOn'],
      [
        { title: 'X', kind: 'ceremony', followsSessionId: '00000000-0000-4000-8000-000000000000' },
        'followsSessionId',
      ],
    ] as const) {
      const before = await t.db.selectFrom('event').select('id').execute();
      expectProblem(await coordinator.request('POST', '/api/events', body), 400, field);
      expect(await t.db.selectFrom('event').select('id').execute()).toHaveLength(before.length);
    }
  });

  it('keeps a ceremony with awards from becoming a class (409 on kind); an event without awards can change', async () => {
    const person = await eligibleOfficial('Kept');
    const cer = await event({ title: 'Spring ceremony', kind: 'ceremony', heldOn: '2027-04-01' });
    expect(
      (await admin.request('POST', '/api/awards', { personId: person, programId: ks, eventId: cer.id }))
        .status,
    ).toBe(201);
    expectProblem(
      await coordinator.request('PATCH', `/api/events/${cer.id}`, { kind: 'class' }),
      409,
      'kind',
    );
    expect((await admin.request('GET', `/api/events/${cer.id}`)).json.event).toMatchObject({
      kind: 'ceremony',
      heldOn: '2027-04-01',
      awardCount: 1,
    });
    const other = await event({ title: 'Maybe a conference', kind: 'conference', heldOn: '2027-05-01' });
    const r = await coordinator.request('PATCH', `/api/events/${other.id}`, { kind: 'class' });
    expect(r.status, r.body).toBe(200);
    expect(r.json).toMatchObject({ kind: 'class', heldOn: null });
    const list = await coordinator.request('GET', '/api/events?kind=ceremony&pageSize=100');
    expect(list.json.items.every((e: { kind: string }) => e.kind === 'ceremony')).toBe(true);
    expect(list.json.items.map((e: { id: string }) => e.id)).toContain(cer.id);
  });
});

describe('plaque orders', () => {
  it('move to order → ordered → delivered, never skipping, and the plaque list shows each state', async () => {
    const cer = await event({ title: 'Plaque ceremony', kind: 'ceremony', heldOn: '2027-04-10' });
    const ids: string[] = [];
    for (const name of ['Alpha', 'Bravo', 'Charlie']) {
      const person = await eligibleOfficial(name);
      const r = await admin.request('POST', '/api/awards', {
        personId: person,
        programId: ks,
        eventId: cer.id,
      });
      expect(r.status, r.body).toBe(201);
      ids.push(r.json.id);
    }
    const skip = await coordinator.request('PUT', `/api/awards/${ids[0]}/plaque`, { state: 'delivered' });
    expectProblem(skip, 409, 'state');
    expect(
      await t.db.selectFrom('plaque_order').selectAll().where('award_id', '=', ids[0]!).execute(),
    ).toEqual([]);
    expectProblem(
      await coordinator.request('PUT', `/api/awards/${ids[0]}/plaque`, { state: 'lost' }),
      400,
      'state',
    );
    const ordered = await coordinator.request('PUT', `/api/awards/${ids[0]}/plaque`, { state: 'ordered' });
    expect(ordered.status, ordered.body).toBe(200);
    expect(ordered.json.plaque).toEqual({ state: 'ordered', orderedOn: '2027-04-12', deliveredOn: null });
    await coordinator.request('PUT', `/api/awards/${ids[1]}/plaque`, { state: 'ordered' });
    const delivered = await coordinator.request('PUT', `/api/awards/${ids[1]}/plaque`, {
      state: 'delivered',
    });
    expect(delivered.json.plaque).toEqual({
      state: 'delivered',
      orderedOn: '2027-04-12',
      deliveredOn: '2027-04-12',
    });
    const csv = await coordinator.request('GET', `/api/events/${cer.id}/plaque-orders?format=csv`);
    expect(csv.status).toBe(200);
    const lines = csv.body
      .replace(/^\uFEFF/, '')
      .trim()
      .split(/\r?\n/);
    expect(lines[0]).toContain('"State"');
    expect(lines.slice(1).map((l) => /"(To order|Ordered|Delivered)"/.exec(l)?.[1])).toEqual([
      'Ordered',
      'Delivered',
      'To order',
    ]);
    // An award made without an event has no plaque.
    const loose = await eligibleOfficial('Loose');
    const a = await admin.request('POST', '/api/awards', { personId: loose, programId: ks });
    expect(a.json.plaque).toBeNull();
    expectProblem(
      await coordinator.request('PUT', `/api/awards/${a.json.id}/plaque`, { state: 'ordered' }),
      400,
      'state',
    );
    // Officials cannot order plaques.
    const official = await quickClient(t, ['official']);
    expect((await official.request('PUT', `/api/awards/${ids[2]}/plaque`, { state: 'ordered' })).status).toBe(
      403,
    );
  });
});

describe('the award screens’ details', () => {
  it('offers the events that can carry an award now, newest first and by title, "today" in each event’s program zone', async () => {
    // A program far east: there it is already April 13 (14:00 on Kiritimati at 03:00 UTC).
    await t.db
      .insertInto('program')
      .values({ code: 'KIRI-T', name: 'Line Islands test', time_zone: 'Pacific/Kiritimati' })
      .execute();
    const b = await event({ title: 'B ceremony on the 11th', kind: 'ceremony', heldOn: '2027-04-11' });
    const a = await event({ title: 'A conference on the 11th', kind: 'conference', heldOn: '2027-04-11' });
    const ksTomorrow = await event({
      title: 'Kansas ceremony on the 13th',
      kind: 'ceremony',
      heldOn: '2027-04-13',
    });
    const loose = await admin.request('POST', '/api/events', {
      title: 'Statewide ceremony on the 13th',
      kind: 'ceremony',
      heldOn: '2027-04-13',
    });
    expect(loose.status, loose.body).toBe(201);
    const r = await admin.request('GET', `/api/awards/eligible?programId=${ks}`);
    expect(r.status, r.body).toBe(200);
    const events = r.json.events as { id: string; title: string; kind: string; day: string }[];
    const ids = events.map((e) => e.id);
    // The Kansas event on the 13th is tomorrow in Topeka; an event of no program may use any
    // program's today, the latest (April 13 on Kiritimati).
    expect(ids).not.toContain(ksTomorrow.id);
    expect(ids).toContain(loose.json.id);
    expect(ids.indexOf(a.id)).toBe(ids.indexOf(b.id) - 1);
    expect(events.find((e) => e.id === a.id)).toEqual({
      id: a.id,
      title: 'A conference on the 11th',
      kind: 'conference',
      day: '2027-04-11',
    });
    const order = events.map((e) => `${e.day}|${e.title}`);
    expect(order).toEqual(
      [...order].sort(
        (x, y) => y.slice(0, 10).localeCompare(x.slice(0, 10)) || x.slice(11).localeCompare(y.slice(11)),
      ),
    );
    expect(order[0]).toBe('2027-04-13|Statewide ceremony on the 13th');
  });

  it('pages the eligible list, with each official’s county, the designation and the ceremony', async () => {
    await eligibleOfficial('Paging');
    const all = await admin.request('GET', `/api/awards/eligible?programId=${ks}&page=1&pageSize=100`);
    expect(all.status, all.body).toBe(200);
    const total = all.json.page.total as number;
    expect(total).toBeGreaterThanOrEqual(4);
    expect(all.json.items).toHaveLength(total);
    const p2 = await admin.request('GET', `/api/awards/eligible?programId=${ks}&page=2&pageSize=2`);
    expect(p2.json.items).toEqual(all.json.items.slice(2, 4));
    expect(p2.json.page).toEqual({ page: 2, pageSize: 2, total });
    const mine = (
      all.json.items as {
        person: { displayName: string; county: string | null };
        program: { designation: string };
        ceremony: string | null;
      }[]
    ).find((i) => i.person.displayName.endsWith('Paging'));
    expect(mine).toMatchObject({
      person: { county: 'Douglas County' },
      program: { designation: 'Certified County Election Official' },
      ceremony: 'Recognition ceremony at the end of the Year Three session',
    });
  });

  it('a plaque keeps the day it was ordered when delivered later, records who moved it, is audited once per change, and a revoked certificate has none to order', async () => {
    const cer = await event({ title: 'Second plaque ceremony', kind: 'ceremony', heldOn: '2027-04-11' });
    const [x, y] = [await eligibleOfficial('Xray'), await eligibleOfficial('Yankee')];
    const ax = (await admin.request('POST', '/api/awards', { personId: x, programId: ks, eventId: cer.id }))
      .json.id as string;
    const ay = (await admin.request('POST', '/api/awards', { personId: y, programId: ks, eventId: cer.id }))
      .json.id as string;
    expect((await coordinator.request('PUT', `/api/awards/${ax}/plaque`, { state: 'ordered' })).status).toBe(
      200,
    );
    expect((await coordinator.request('PUT', `/api/awards/${ax}/plaque`, { state: 'ordered' })).status).toBe(
      200,
    );
    t.clock.now = new Date('2027-04-20T15:00:00Z');
    const delivered = await coordinator.request('PUT', `/api/awards/${ax}/plaque`, { state: 'delivered' });
    expect(delivered.json.plaque).toEqual({
      state: 'delivered',
      orderedOn: '2027-04-12',
      deliveredOn: '2027-04-20',
    });
    const row = await t.db
      .selectFrom('plaque_order')
      .selectAll()
      .where('award_id', '=', ax)
      .executeTakeFirstOrThrow();
    const coordinatorUser = await t.db
      .selectFrom('user_account')
      .select('id')
      .where('person_id', '=', coordinator.personId)
      .executeTakeFirstOrThrow();
    expect(row.updated_by).toBe(coordinatorUser.id);
    const audit = await t.db
      .selectFrom('audit_log')
      .select(['before', 'after'])
      .where('action', '=', 'award.plaque')
      .where('entity_id', '=', ax)
      .orderBy('id')
      .execute();
    // Ordering twice is one change.
    expect(audit.map((a) => [a.before, a.after])).toEqual([
      [{ state: 'to_order' }, { state: 'ordered', orderedOn: '2027-04-12', deliveredOn: null }],
      [{ state: 'ordered' }, { state: 'delivered', orderedOn: '2027-04-12', deliveredOn: '2027-04-20' }],
    ]);
    const revoked = await admin.request('POST', `/api/awards/${ay}/revoke`, { reason: 'Issued in error' });
    expect(revoked.status, revoked.body).toBe(200);
    expectProblem(
      await coordinator.request('PUT', `/api/awards/${ay}/plaque`, { state: 'ordered' }),
      409,
      'state',
    );
    expect(await t.db.selectFrom('plaque_order').selectAll().where('award_id', '=', ay).execute()).toEqual(
      [],
    );
    t.clock.now = new Date('2027-04-13T03:00:00Z');
  });
});
