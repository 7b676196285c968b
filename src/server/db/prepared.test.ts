import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../testing/harness.js';
import { prepared } from './prepared.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

const byCode = prepared((db, code: string, fips: readonly string[]) =>
  db
    .selectFrom('jurisdiction')
    .select(['fips', 'name'])
    .where('state_code', '=', code)
    .where('fips', '=', sql<string>`any(${[...fips]}::text[])`)
    .where('kind', '=', 'county')
    .orderBy('fips'),
);

it('compiles once and puts each call’s own arguments in, keeping constants where they were', async () => {
  const some = await t.db
    .selectFrom('jurisdiction')
    .select(['fips', 'state_code'])
    .where('state_code', '=', 'KS')
    .where('kind', '=', 'county')
    .orderBy('fips')
    .limit(3)
    .execute();
  const [a, b, c] = some.map((r) => r.fips) as [string, string, string];
  expect((await byCode(t.db, 'KS', [c, a])).map((r) => r.fips)).toEqual([a, c]);
  expect((await byCode(t.db, 'KS', [b])).map((r) => r.fips)).toEqual([b]);
  expect(await byCode(t.db, 'IL', [a])).toEqual([]);
  expect(await byCode(t.db, 'KS', [])).toEqual([]);
  // Inside a transaction too.
  await t.db.transaction().execute(async (tx) => {
    expect((await byCode(tx, 'KS', [b])).map((r) => r.fips)).toEqual([b]);
  });
});

it('refuses, on the first call, an argument changed on its way into the query', async () => {
  const changed = prepared((db, name: string) =>
    db.selectFrom('jurisdiction').select('fips').where('name', 'ilike', `%${name}%`),
  );
  await expect(changed(t.db, 'Douglas')).rejects.toThrow(/changed on its way/);
  const unused = prepared((db, _name: string) => db.selectFrom('jurisdiction').select('fips'));
  await expect(unused(t.db, 'Douglas')).rejects.toThrow(/does not reach the query/);
});
