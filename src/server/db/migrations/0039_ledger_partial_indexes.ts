import { sql, type Kysely } from 'kysely';

// Forward-only. Two of the ledger's four indexes hold only nulls for most records: registration_id
// is set only for credit from attendance, reverses_id only for reversals, and both are null on
// every imported record. Indexing only the rows that have them gives the same lookups (an equality
// with a value implies "is not null") and the same uniqueness (nulls were never equal), and spares
// a bulk import two index insertions per row (issue 14, item 5; docs/performance.md, 5 December 2026).
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    drop index credit_record_registration_idx;
    create index credit_record_registration_idx on credit_record (registration_id)
      where registration_id is not null;
    alter table credit_record drop constraint credit_record_reverses_id_key;
    create unique index credit_record_reverses_id_key on credit_record (reverses_id)
      where reverses_id is not null;
  `.execute(db);
}
