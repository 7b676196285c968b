/**
 * Demo data (issue 18): the demo programs name their own issuers and every standing demo award
 * downloads as a signed credential naming its program's issuer.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildPerson, clientWithRoles, createTestApp, type TestApp } from '../../testing/harness.js';
import { loadDemoAwards } from '../awards/awards.demo.js';
import { loadDemoIssuers } from '../issuers/issuers.demo.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
  for (let i = 0; i < 160; i++)
    await buildPerson(t.db, { password: null, lastName: `Demo${String(i).padStart(3, '0')}` });
});
afterAll(() => t.close());

it('gives every standing demo award a credential signed by its program’s issuer', async () => {
  await loadDemoAwards(t.deps);
  expect(await loadDemoIssuers(t.deps)).toEqual({ issuers: 2 });
  expect(await loadDemoIssuers(t.deps)).toEqual({ issuers: 2 });
  expect(await t.db.selectFrom('issuer_key').select('id').execute()).toHaveLength(2);
  const admin = await clientWithRoles(t, ['administrator']);
  const awards = (await admin.request('GET', '/api/awards')).json.items as {
    id: string;
    program: { code: string };
    abilities: { credential: boolean };
  }[];
  expect(awards.length).toBeGreaterThanOrEqual(6);
  expect(awards.filter((x) => x.abilities.credential).length).toBeGreaterThanOrEqual(6);
  for (const a of awards.filter((x) => x.abilities.credential)) {
    const r = await admin.request('GET', `/api/awards/${a.id}/credential`);
    expect(r.status, r.body).toBe(200);
    expect(r.json.issuer.id).toBe(`did:web:localhost%3A3000:issuers:${a.program.code}`);
    expect(r.json.issuer.url).toBe(
      a.program.code === 'igo-cpo' ? 'https://www.iaogo.org' : 'https://sos.ks.gov/elections/',
    );
    expect(r.json.issuer.name).toBe(
      a.program.code === 'igo-cpo'
        ? 'International Association of Government Officials (iGO)'
        : 'Kansas Secretary of State, Elections Division',
    );
  }
  // Six distinct status list indexes, one per award.
  const indexes = await t.db.selectFrom('credential_status').select('list_index').execute();
  expect(new Set(indexes.map((i) => i.list_index)).size).toBe(indexes.length);
});
