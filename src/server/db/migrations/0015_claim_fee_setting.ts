import { sql, type Kysely } from 'kysely';

// Forward-only. The per-credit fee on outside-credit claims becomes a program setting (issue 15,
// item 4). It was hard-coded at $5 a credit for the CPO program, an assumption the seed does not
// make (it names only the $25 enrollment fee), so it is off (0) for every program until an
// administrator turns it on. Claims already submitted keep the fee they were charged.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table program
      add column claim_fee_per_credit_cents integer not null default 0
      check (claim_fee_per_credit_cents >= 0);
  `.execute(db);
}
