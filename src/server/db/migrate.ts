import { Migrator, sql, type MigrationResultSet } from 'kysely';
import type { Database } from './database.js';
import { migrations } from './migrations/index.js';

// Arbitrary constant shared by every CivicCert instance: "CIVC".
const MIGRATION_LOCK_KEY = 0x43495643;

function migrator(db: Database): Migrator {
  // Features land in parallel (0004 was committed before 0003); each migration stands alone,
  // so a database that already ran a later one still takes an earlier newcomer.
  return new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
    allowUnorderedMigrations: true,
  });
}

/**
 * Runs pending migrations under a PostgreSQL advisory lock, so two app
 * instances starting together cannot race: the second waits, then finds
 * nothing left to do.
 */
export async function migrateToLatest(db: Database): Promise<{ applied: string[] }> {
  return db.connection().execute(async (conn) => {
    await sql`select pg_advisory_lock(${MIGRATION_LOCK_KEY})`.execute(conn);
    try {
      const result: MigrationResultSet = await migrator(conn as unknown as Database).migrateToLatest();
      if (result.error) throw result.error;
      return {
        applied: (result.results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName),
      };
    } finally {
      await sql`select pg_advisory_unlock(${MIGRATION_LOCK_KEY})`.execute(conn);
    }
  });
}

export async function migrationStatus(db: Database): Promise<{ name: string; executedAt: string | null }[]> {
  const list = await migrator(db).getMigrations();
  return list.map((m) => ({ name: m.name, executedAt: m.executedAt ? m.executedAt.toISOString() : null }));
}

export async function isMigrated(db: Database): Promise<boolean> {
  const status = await migrationStatus(db);
  return status.every((m) => m.executedAt !== null);
}
