import { sql, type Kysely } from 'kysely';

// Forward-only. Spreadsheet imports (issue 7): each run (dry or real) is a row
// whose progress is updated from its own connection while the import's single
// transaction works, so a page can poll it. import_key maps an external id
// from an imported file to the ledger record or award it created (person
// already carries external_id), with a fingerprint of the row as imported, so
// importing the same file twice changes nothing.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table import_run (
      id uuid primary key default gen_random_uuid(),
      kind text not null check (kind in ('officials', 'credits', 'awards')),
      filename text not null,
      dry_run boolean not null,
      status text not null check (status in ('validating', 'importing', 'validated', 'invalid', 'succeeded', 'failed')),
      total_rows integer not null default 0,
      processed_rows integer not null default 0,
      created_count integer not null default 0,
      updated_count integer not null default 0,
      unchanged_count integer not null default 0,
      error_count integer not null default 0,
      errors jsonb not null default '[]',
      message text,
      started_at timestamptz not null,
      finished_at timestamptz,
      started_by uuid references user_account (id),
      actor_label text not null
    );
    create index import_run_started_idx on import_run (started_at desc);

    create table import_key (
      kind text not null check (kind in ('credit', 'award')),
      external_id text not null check (length(external_id) between 1 and 100),
      entity_id uuid not null,
      fingerprint text not null,
      note text,
      run_id uuid references import_run (id),
      primary key (kind, external_id)
    );
    create unique index import_key_entity_key on import_key (kind, entity_id);
  `.execute(db);
}
