import { afterAll, beforeAll, expect, it } from 'vitest';
import { loadDemoData } from './demo.service.js';
import { createTestApp, type TestApp } from '../../testing/harness.js';
import { idb } from '../imports/imports.db.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
  await loadDemoData(t.deps, { force: true });
}, 300_000);
afterAll(() => t.close());

it('the demo shows a clean roster check and a sign-in sheet file with three mistakes, writing nothing else', async () => {
  const runs = await idb(t.db).selectFrom('import_run').selectAll().orderBy('filename').execute();
  expect(runs.map((r) => [r.filename, r.status, r.dry_run])).toEqual([
    ['kansas-county-officials.xlsx', 'validated', true],
    ['sign-in-sheets-2021.csv', 'invalid', true],
  ]);
  expect(runs[0]).toMatchObject({ created_count: 0, updated_count: 0, error_count: 0 });
  expect(runs[0]!.unchanged_count).toBeGreaterThan(300);
  expect((runs[1]!.errors as { row: number; column: string }[]).map((e) => [e.row, e.column])).toEqual([
    [6, 'earned_on'],
    [11, 'course_code'],
    [15, 'minutes'],
  ]);
  const keys = await idb(t.db).selectFrom('import_key').select('external_id').execute();
  expect(keys).toEqual([]);
  // Loading the demo again adds nothing.
  await loadDemoData(t.deps, { force: true });
  expect(await idb(t.db).selectFrom('import_run').select('id').execute()).toHaveLength(2);
}, 300_000);
