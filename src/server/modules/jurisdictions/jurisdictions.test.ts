import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../testing/harness.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

interface J {
  fips: string;
  kind: 'state' | 'county';
  name: string;
  stateFips: string;
  stateCode: string;
  stateName: string;
}
interface Page {
  items: J[];
  page: { page: number; pageSize: number; total: number };
}

/** Signed out: the jurisdiction search is public. */
async function search(query: string): Promise<Page> {
  const res = await t.app.inject({ method: 'GET', url: `/api/jurisdictions?${query}` });
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as Page;
}

/** Every item of a search, page by page. */
async function all(query: string): Promise<J[]> {
  const out: J[] = [];
  for (let page = 1; ; page++) {
    const p = await search(`${query}&pageSize=200&page=${page}`);
    out.push(...p.items);
    if (out.length >= p.page.total || p.items.length === 0) {
      expect(out).toHaveLength(p.page.total);
      return out;
    }
  }
}

const fiftyStatesAndDc = [
  'AL', 'AK', 'AZ', 'AR', 'CA', 'CO', 'CT', 'DE', 'DC', 'FL', 'GA', 'HI', 'ID', 'IL', 'IN', 'IA', 'KS',
  'KY', 'LA', 'ME', 'MD', 'MA', 'MI', 'MN', 'MS', 'MO', 'MT', 'NE', 'NV', 'NH', 'NJ', 'NM', 'NY', 'NC',
  'ND', 'OH', 'OK', 'OR', 'PA', 'RI', 'SC', 'SD', 'TN', 'TX', 'UT', 'VT', 'VA', 'WA', 'WV', 'WI', 'WY',
]; // prettier-ignore

describe('jurisdictions', () => {
  it('has all 50 states, DC and the territories', async () => {
    const states = await all('kind=state');
    const codes = states.map((s) => s.stateCode);
    expect(new Set(codes).size).toBe(codes.length);
    expect(fiftyStatesAndDc).toHaveLength(51);
    expect(codes).toEqual(expect.arrayContaining(fiftyStatesAndDc));
    expect(codes).toEqual(expect.arrayContaining(['PR', 'GU', 'VI', 'AS', 'MP']));
    const kansas = states.find((s) => s.stateCode === 'KS');
    expect(kansas).toEqual({
      fips: '20',
      kind: 'state',
      name: 'Kansas',
      stateFips: '20',
      stateCode: 'KS',
      stateName: 'Kansas',
    });
  });

  it('has every county of every state: Kansas exactly 105, about 3,200 in all', async () => {
    const kansas = await all('state=KS&kind=county');
    expect(kansas).toHaveLength(105);
    expect(new Set(kansas.map((c) => c.fips)).size).toBe(105);
    for (const c of kansas) {
      expect(c.fips).toMatch(/^20\d{3}$/);
      expect(c).toMatchObject({ kind: 'county', stateCode: 'KS', stateFips: '20', stateName: 'Kansas' });
    }
    expect(kansas.map((c) => c.name)).toEqual(expect.arrayContaining(['Shawnee', 'Douglas', 'Wyandotte']));

    const counties = await search('kind=county&pageSize=1');
    expect(counties.page.total).toBeGreaterThanOrEqual(3140);
    expect(counties.page.total).toBeLessThan(3300);
    // Texas has the most counties of any state.
    expect((await search('state=TX&kind=county&pageSize=1')).page.total).toBe(254);
  });

  it('filters by state by two-letter code (any case) or by FIPS code alike', async () => {
    const byCode = await search('state=ks&pageSize=200');
    const byFips = await search('state=20&pageSize=200');
    expect(byCode.page.total).toBe(106); // the state and its 105 counties
    expect(byFips).toEqual(byCode);
    expect(byCode.items.every((j) => j.stateCode === 'KS')).toBe(true);
  });

  it('finds a county by name, part of a name, or FIPS code', async () => {
    const byName = await search('q=Shawnee');
    expect(byName.items.map((j) => `${j.name}, ${j.stateCode} ${j.fips}`)).toContain('Shawnee, KS 20177');
    expect(byName.page.total).toBe(byName.items.length);
    expect(byName.items.every((j) => /shawnee/i.test(j.name))).toBe(true);

    const partial = await search('q=shawn&state=KS');
    expect(partial.items.map((j) => j.fips)).toEqual(['20177']);

    const byFips = await search('q=20177');
    expect(byFips.page.total).toBe(1);
    expect(byFips.items[0]).toMatchObject({ fips: '20177', name: 'Shawnee', kind: 'county' });

    const one = await t.app.inject({ method: 'GET', url: '/api/jurisdictions/20177' });
    expect(one.statusCode).toBe(200);
    expect(one.json()).toMatchObject({ fips: '20177', name: 'Shawnee', stateCode: 'KS' });
  });

  it('treats search text literally, not as a LIKE pattern', async () => {
    expect((await search('q=%25')).page.total).toBe(0);
    expect((await search('q=_')).page.total).toBe(0);
  });

  it('paginates with stable totals and no overlap between pages', async () => {
    const p1 = await search('state=KS&kind=county&pageSize=40&page=1');
    const p2 = await search('state=KS&kind=county&pageSize=40&page=2');
    const p3 = await search('state=KS&kind=county&pageSize=40&page=3');
    const p4 = await search('state=KS&kind=county&pageSize=40&page=4');
    expect([p1, p2, p3, p4].map((p) => p.page.total)).toEqual([105, 105, 105, 105]);
    expect([p1, p2, p3, p4].map((p) => p.items.length)).toEqual([40, 40, 25, 0]);
    expect(p2.page).toEqual({ page: 2, pageSize: 40, total: 105 });
    const fips = [...p1.items, ...p2.items, ...p3.items].map((j) => j.fips);
    expect(new Set(fips).size).toBe(105);
    const names = [...p1.items, ...p2.items, ...p3.items].map((j) => j.name);
    expect(names).toEqual([...names].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
  });

  it('answers 404 problem+json for an unknown FIPS code and 400 for a malformed one', async () => {
    const missing = await t.app.inject({ method: 'GET', url: '/api/jurisdictions/20999' });
    expect(missing.statusCode).toBe(404);
    expect(missing.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(missing.json().detail).toMatch(/20999/);

    const bad = await t.app.inject({ method: 'GET', url: '/api/jurisdictions/kansas' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0].field).toBe('params.fips');

    const badState = await t.app.inject({ method: 'GET', url: '/api/jurisdictions?state=Kansas' });
    expect(badState.statusCode).toBe(400);
    expect(badState.json().errors).toEqual([
      { field: 'query.state', message: 'State must be a two-letter code or two-digit FIPS code.' },
    ]);
  });
});
