/**
 * Issue 19, item 2 (ADR 0029): the impact of the shipped Kansas program with one course moved
 * from Year Two to Year Three, over the demo data, lists exactly the officials whose status or
 * next due date changes. The truth it is checked against: every enrolled official evaluated one
 * at a time before publishing, then the draft published and each evaluated one at a time again.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImpactChange } from '../../../contract/impact.js';
import { createTestApp, type Client, type TestApp } from '../../testing/harness.js';
import { checkImpact } from '../../testing/impact.js';
import { programId, quickClient } from '../../testing/scheduling.js';
import { loadDemoData } from './demo.service.js';
import { evaluatePeople } from '../certification/evaluation.js';
import { impactKind } from '../certification/impact.service.js';

const AS_OF = '2026-11-23';
let t: TestApp;
let admin: Client;
let ks: string;
beforeAll(async () => {
  t = await createTestApp();
  t.clock.now = new Date('2026-11-23T15:00:00Z');
  await loadDemoData(t.deps);
  admin = await quickClient(t, ['administrator']);
  ks = await programId(t.db);
});
afterAll(() => t.close());

type Outcome = { status: string; nextDue: string | null };

/** Each enrolled official evaluated alone, as of the day, by the versions published now. */
async function oneByOne(people: string[]): Promise<Map<string, Outcome>> {
  const out = new Map<string, Outcome>();
  for (const id of people) {
    const [ev] = await evaluatePeople(t.db, ks, [id], t.clock.now, AS_OF);
    if (ev) out.set(id, { status: ev.result.status, nextDue: ev.result.lifecycle?.nextDue ?? null });
  }
  return out;
}

describe('the impact of moving KS-Y2-01 (taken first) from Year Two to Year Three, over the demo', () => {
  it('lists exactly the officials whose status or next due date publishing then changes', async () => {
    const enrolled = (
      await t.db
        .selectFrom('enrollment')
        .select('person_id')
        .where('program_id', '=', ks)
        .where('status', '=', 'active')
        .execute()
    ).map((r) => r.person_id);
    expect(enrolled.length).toBeGreaterThan(100);

    const def = (await admin.request('GET', `/api/programs/${ks}`)).json.definition;
    const moved = 'KS-Y2-01';
    const draft = {
      ...def,
      version: '2026.2',
      courses: def.courses.map((c: { code: string }) =>
        c.code === moved ? { ...c, category: 'year-three' } : c,
      ),
      courseSets: def.courseSets.map((s: { id: string; courses?: string[] }) =>
        s.id === 'year-two'
          ? { ...s, courses: s.courses!.filter((c) => c !== moved) }
          : s.id === 'year-three'
            ? { ...s, courses: [...s.courses!, moved] }
            : s,
      ),
    };
    const saved = await admin.request('PUT', `/api/programs/${ks}/draft`, { definition: draft });
    expect(saved.status, saved.body).toBe(200);

    const before = await oneByOne(enrolled);
    const impact = await checkImpact(admin, ks, AS_OF);
    expect(impact).toMatchObject({ asOf: AS_OF, draftVersion: '2026.2', total: enrolled.length });
    expect(impact.done).toBe(enrolled.length);
    expect(impact.underDraft).toBe(enrolled.length);

    // Every page of the list, a few at a time.
    const listed: ImpactChange[] = [];
    for (let page = 1; ; page++) {
      const r = await admin.request(
        'GET',
        `/api/programs/${ks}/draft/impact/changes?page=${page}&pageSize=7`,
      );
      expect(r.status, r.body).toBe(200);
      listed.push(...r.json.items);
      if (r.json.items.length < 7) break;
    }
    expect(listed).toHaveLength(impact.changed);
    // The download holds the same officials, one line each after the header.
    const csv = await admin.request('GET', `/api/programs/${ks}/draft/impact/changes/export`);
    expect(csv.status).toBe(200);
    expect(csv.headers['content-type']).toMatch(/text\/csv/);
    const lines = csv.body.trim().split(/\r?\n/);
    expect(lines[0]).toContain('"Official","County","Change","Status before","Status after"');
    expect(lines).toHaveLength(impact.changed + 1);
    for (const c of listed) expect(csv.body).toContain(c.name);

    // Published; everyone evaluated alone again.
    const pub = await admin.request('POST', `/api/programs/${ks}/publish`);
    expect(pub.status, pub.body).toBe(200);
    const after = await oneByOne(enrolled);

    const expected = enrolled.flatMap((id) => {
      const b = before.get(id)!;
      const a = after.get(id)!;
      const kind = impactKind(b, a);
      return kind ? [{ personId: id, kind, before: b, after: a }] : [];
    });
    expect(expected.length, 'the move changes someone in the demo').toBeGreaterThan(0);
    const byId = (x: { personId: string }, y: { personId: string }) => (x.personId < y.personId ? -1 : 1);
    expect(
      listed
        .map(({ personId, kind, before: b, after: a }) => ({ personId, kind, before: b, after: a }))
        .sort(byId),
    ).toEqual(expected.sort(byId));
    // Counts by kind agree with the list, and each row names the official and their county.
    for (const [kind, n] of Object.entries(impact.counts))
      expect(n, kind).toBe(listed.filter((c) => c.kind === kind).length);
    for (const c of listed) {
      expect(c.name.length).toBeGreaterThan(0);
      expect(c.county).toEqual(expect.any(String));
    }
    console.log(`impact of moving ${moved}: ${JSON.stringify(impact.counts)} of ${enrolled.length}`);
  }, 600_000);
});
