import { sql, type Kysely } from 'kysely';

// Forward-only. Person facts come in from spreadsheets too (issue 13, section 4): an
// import run may be of kind `facts`, and import_key maps a fact row's external id to
// the person_fact it created (kind `fact`), with the row's fingerprint, as for
// credits and awards.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table import_run drop constraint import_run_kind_check;
    alter table import_run add constraint import_run_kind_check
      check (kind in ('officials', 'credits', 'awards', 'facts'));
    alter table import_key drop constraint import_key_kind_check;
    alter table import_key add constraint import_key_kind_check
      check (kind in ('credit', 'award', 'fact'));
  `.execute(db);
}
