import { sql, type Kysely } from 'kysely';

// Forward-only. Ceremonies are a thing, not a label (issue 15, item 1): an event has a kind
// (class, conference or ceremony), a ceremony or conference may have its own date (`held_on`, a
// local date in its program's zone) and may follow a session (a recognition ceremony right after a
// Year Three session). Existing events are classes, except those that already carry awards: they
// become conferences when their title says so and ceremonies otherwise, dated by their earliest
// award when they have no sessions to date them. Each award at an event has a plaque whose order
// moves from "to order" to "ordered" to "delivered"; an award with no row is still to order.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table event
      add column kind text not null default 'class'
        check (kind in ('class', 'conference', 'ceremony')),
      add column held_on date,
      add column follows_session_id uuid references session (id) on delete set null
        deferrable initially deferred;

    update event e
       set kind = case when e.title ~* 'conference' then 'conference' else 'ceremony' end,
           held_on = case
             when exists (select 1 from session s where s.event_id = e.id and s.status <> 'cancelled')
               then null
             else (select min(a.awarded_on) from award a where a.event_id = e.id)
           end
     where exists (select 1 from award a where a.event_id = e.id);

    create table plaque_order (
      award_id uuid primary key references award (id),
      state text not null check (state in ('to_order', 'ordered', 'delivered')),
      ordered_on date,
      delivered_on date,
      updated_by uuid references user_account (id),
      updated_at timestamptz not null default now()
    );
  `.execute(db);
}
