import { sql, type Kysely } from 'kysely';

// Issue 5, staff screens: a claim's credit fee can also be invoiced and
// records how it was paid; and one rate limiter for every public endpoint,
// kept in PostgreSQL so the limit holds across app instances (a row per
// accepted request, counted over a sliding window).
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table claim drop constraint claim_fee_status_check;
    alter table claim add constraint claim_fee_status_check
      check (fee_status in ('not_required', 'unpaid', 'paid', 'waived', 'invoiced'));
    alter table claim add column fee_method text
      check (fee_method in ('check', 'card', 'cash', 'ach', 'purchase_order', 'other'));
    create index claim_fee_idx on claim (fee_status, submitted_at) where fee_cents > 0;

    create table rate_limit_hit (
      id bigint generated always as identity primary key,
      bucket text not null,
      key text not null,
      at timestamptz not null
    );
    create index rate_limit_hit_key_idx on rate_limit_hit (bucket, key, at);
    create index rate_limit_hit_at_idx on rate_limit_hit (at);
  `.execute(db);
}
