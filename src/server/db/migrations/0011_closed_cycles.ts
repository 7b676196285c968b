import { sql, type Kysely } from 'kysely';

// Closed cycles stay closed (issue 13): when a renewal cycle's outcome is final
// (renewed and its grace is over; reinstated or expired and the reinstatement
// window is over) the outcome and the ids of the records it counted are stored
// and never changed. The engine is given these outcomes instead of recomputing
// them, so a later correction dated inside the cycle cannot flip it; it is
// flagged for staff (renewal_cycle_flag), who may reopen the cycle with a
// reason (renewal_cycle_reopening). A reopened cycle is recomputed and closed
// again as a new outcome row.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table renewal_cycle_outcome (
      id uuid primary key default gen_random_uuid(),
      cycle_id uuid not null references renewal_cycle (id),
      state text not null check (state in ('renewed', 'reinstated', 'expired')),
      completed_on date,
      record_ids text[] not null default '{}',
      closed_at timestamptz not null,
      created_at timestamptz not null default clock_timestamp()
    );
    create index renewal_cycle_outcome_cycle_idx on renewal_cycle_outcome (cycle_id);

    create table renewal_cycle_reopening (
      id uuid primary key default gen_random_uuid(),
      outcome_id uuid not null unique references renewal_cycle_outcome (id),
      reason text not null check (length(btrim(reason)) > 0),
      reopened_by uuid references user_account (id),
      reopened_at timestamptz not null
    );

    create table renewal_cycle_flag (
      id uuid primary key default gen_random_uuid(),
      outcome_id uuid not null references renewal_cycle_outcome (id),
      ledger_state text not null,
      ledger_completed_on date,
      withdrawn_record_ids text[] not null default '{}',
      detail text not null,
      flagged_at timestamptz not null,
      unique (outcome_id, detail)
    );

    -- A closed outcome and its reopening are history: never updated or deleted.
    create function closed_cycle_immutable() returns trigger language plpgsql as $$
    begin
      raise exception 'closed cycle outcomes are never changed (%): reopen the cycle with a reason instead', tg_op
        using errcode = '55000';
    end $$;
    create trigger renewal_cycle_outcome_no_change before update or delete on renewal_cycle_outcome
      for each row execute function closed_cycle_immutable();
    create trigger renewal_cycle_outcome_no_truncate before truncate on renewal_cycle_outcome
      for each statement execute function closed_cycle_immutable();
    create trigger renewal_cycle_reopening_no_change before update or delete on renewal_cycle_reopening
      for each row execute function closed_cycle_immutable();
    create trigger renewal_cycle_reopening_no_truncate before truncate on renewal_cycle_reopening
      for each statement execute function closed_cycle_immutable();
  `.execute(db);
}
