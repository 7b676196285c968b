import { sql, type Kysely } from 'kysely';

// Forward-only. A bulk writer may give a ledger record's recorded_on itself (issue 14 item 5): the
// credit import computes it for a whole staged file in its INSERT … SELECT, joined with the
// program, so the trigger of 0016 (a PL/pgSQL call with a lookup per row) runs only for rows
// inserted without it, which is every other writer.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    drop trigger credit_record_recorded_on on credit_record;
    create trigger credit_record_recorded_on before insert on credit_record
      for each row when (new.recorded_on is null) execute function credit_record_recorded_on();
  `.execute(db);
}
