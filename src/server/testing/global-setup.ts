/**
 * One embedded PostgreSQL per test run. A template database is migrated and
 * loaded with reference data once; every test file clones its own database
 * from it (CREATE DATABASE … TEMPLATE), which takes milliseconds.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import type { TestProject } from 'vitest/node';
import { createDatabase, ensureDatabaseExists } from '../db/database.js';
import { startEmbeddedPostgres } from '../db/embedded.js';
import { prepareDatabase } from '../runtime.js';

export const TEMPLATE_DB = 'civiccert_template';

declare module 'vitest' {
  export interface ProvidedContext {
    pgAdminUrl: string;
  }
}

export default async function setup(project: TestProject) {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'civiccert-test-'));
  const pg = await startEmbeddedPostgres(dir);
  const templateUrl = pg.url(TEMPLATE_DB);
  await ensureDatabaseExists(templateUrl);
  const db = createDatabase(templateUrl, { poolMax: 2, statementTimeoutMs: 0 });
  await prepareDatabase(db, pino({ level: 'warn' }));
  await db.destroy();
  project.provide('pgAdminUrl', pg.url('postgres'));
  return async () => {
    await pg.stop();
    await rm(dir, { recursive: true, force: true });
  };
}
