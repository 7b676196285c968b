/**
 * Issue 14, section 7: published program definitions are kept in memory between requests (read
 * once, shared and frozen), and read again when the stored definition changes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import type { ProgramDefinition } from '../../../domain/requirements/index.js';
import { createTestApp, type TestApp } from '../../testing/harness.js';
import { programId } from '../../testing/scheduling.js';
import { publishedDefinitions } from './programs.service.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

describe('published definitions in memory', () => {
  it('two reads share one frozen object, so the engine compiles a version once', async () => {
    const id = await programId(t.db, 'igo-cpo');
    const [a] = await publishedDefinitions(t.db, id);
    const [b] = await publishedDefinitions(t.db, id);
    expect(a).toBeDefined();
    expect(b).toBe(a);
    expect(Object.isFrozen(a)).toBe(true);
    expect(Object.isFrozen(a!.categories[0])).toBe(true);
    expect(() => {
      (a as { name: string }).name = 'changed';
    }).toThrow(TypeError);
  });

  it('a definition changed in the database is read again', async () => {
    const id = await programId(t.db, 'ks-county-election-official');
    const [before] = await publishedDefinitions(t.db, id);
    await sql`update program_version set definition = jsonb_set(definition, '{name}', '"Renamed in place"')
               where program_id = ${id} and published`.execute(t.db);
    const [after] = (await publishedDefinitions(t.db, id)) as ProgramDefinition[];
    expect(after).not.toBe(before);
    expect(after!.name).toBe('Renamed in place');
    expect(before!.name).not.toBe('Renamed in place');
  });
});
