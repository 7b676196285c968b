import { sql, type Kysely } from 'kysely';

// Forward-only. `report_official` (migration 0038) is refreshed when each writing transaction
// commits, one official after another's commit, instead of inside each changed row's statement
// (issue 14, ADR 0040; closes ADR 0038's known limit).
//
// 0038's row triggers rebuilt a row from what their own statement saw. Two transactions changing
// the same official at once could each miss the other's change, and the later write kept its stale
// view: a status recomputed while a withdrawal waited, a cohort while a status did, a name while an
// enrollment was being made.
//
// Now the row triggers (the same triggers, with their WHEN clauses) only note which official
// changed, once per transaction, in `report_official_work.pending`. A deferred constraint trigger
// on that queue runs at commit. It takes a transaction advisory lock per person, in one order for
// every transaction. It then refreshes the noted officials. A second transaction committing a
// change of the same person waits for the first to commit. Its refresh statements (READ COMMITTED)
// then see the first's rows. A transaction noting more than OFFICIALS_PER_LOCK people (a bulk
// import, the demo load, a restore) takes one lock for everyone instead of one per person. This
// keeps the lock table small. Small committers hold that lock shared, so they wait for it.
//
// The queue is in a schema of its own: its rows never outlive their transaction, and the backup,
// which copies the public schema, neither saves nor counts them.
const PERSON_LOCKS = 40_040; // pg_advisory_xact_lock(PERSON_LOCKS, hashtext(person_id::text))
const ALL_LOCK = 40_041; // pg_advisory_xact_lock(ALL_LOCK, 0): shared per small commit, exclusive for a bulk one
const OFFICIALS_PER_LOCK = 64; // more people than this in one commit: the one lock for everyone
const NAME_ONLY = '00000000-0000-0000-0000-000000000000'; // pending.program_id of a change of name

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create schema report_official_work;
    create unlogged table report_official_work.pending (
      xact xid8 not null default pg_current_xact_id(),
      person_id uuid not null,
      program_id uuid not null,
      primary key (xact, person_id, program_id)
    ) with (autovacuum_vacuum_scale_factor = 0, autovacuum_vacuum_threshold = 10000);
    -- Every row is deleted by the transaction that wrote it; vacuumed after every 10,000 of them, not
    -- after 20% of a table that holds none, so a bulk load's dead rows do not slow the next commits.

    -- The row triggers of 0038 keep their names, events and WHEN clauses; they now note the official.
    create or replace function report_official_changed() returns trigger language plpgsql as $$
    begin
      if tg_op in ('UPDATE', 'DELETE') then
        insert into report_official_work.pending (person_id, program_id)
        values (old.person_id, old.program_id) on conflict do nothing;
      end if;
      if tg_op in ('INSERT', 'UPDATE')
         and (tg_op = 'INSERT' or new.program_id <> old.program_id or new.person_id <> old.person_id) then
        insert into report_official_work.pending (person_id, program_id)
        values (new.person_id, new.program_id) on conflict do nothing;
      end if;
      return null;
    end $$;

    create or replace function report_official_person_changed() returns trigger language plpgsql as $$
    begin
      insert into report_official_work.pending (person_id, program_id)
      values (new.id, '${sql.raw(NAME_ONLY)}') on conflict do nothing;
      return null;
    end $$;

    -- At commit: the first queued row's event refreshes everything this transaction noted; the
    -- rest find the queue empty. Locks are taken before any row is read, in the order of their keys.
    create function report_official_commit() returns trigger language plpgsql as $$
    declare
      people int;
      h int;
      k record;
    begin
      -- Its own queue row gone: an earlier event of this commit did the work. (A probe of its own
      -- key: the transaction's deleted rows stay in the index until it ends.)
      if not exists (select 1 from report_official_work.pending
                      where xact = new.xact and person_id = new.person_id and program_id = new.program_id) then
        return null;
      end if;
      select count(distinct hashtext(person_id::text)) into people
        from report_official_work.pending where xact = new.xact;
      if people > ${sql.raw(String(OFFICIALS_PER_LOCK))} then
        perform pg_advisory_xact_lock(${sql.raw(String(ALL_LOCK))}, 0);
      else
        perform pg_advisory_xact_lock_shared(${sql.raw(String(ALL_LOCK))}, 0);
        for h in select distinct hashtext(person_id::text) from report_official_work.pending
                  where xact = new.xact order by 1 loop
          perform pg_advisory_xact_lock(${sql.raw(String(PERSON_LOCKS))}, h);
        end loop;
      end if;
      for k in delete from report_official_work.pending where xact = new.xact
                returning person_id, program_id loop
        if k.program_id = '${sql.raw(NAME_ONLY)}' then
          update report_official r
             set last_name = pe.last_name, first_name = pe.first_name, jurisdiction_fips = pe.jurisdiction_fips
            from person pe
           where pe.id = k.person_id and r.person_id = k.person_id
             and (r.last_name, r.first_name, r.jurisdiction_fips)
                 is distinct from (pe.last_name, pe.first_name, pe.jurisdiction_fips);
        else
          perform report_official_refresh(k.program_id, k.person_id);
        end if;
      end loop;
      return null;
    end $$;
    create constraint trigger report_official_commit after insert on report_official_work.pending
      deferrable initially deferred for each row execute function report_official_commit();

    -- Derived rows, written only by the refresh above from rows that reference person and program
    -- themselves. A foreign key check at commit would wait for a person or program row locked FOR
    -- UPDATE by a transaction that then waits for this one's advisory lock (a deadlock).
    alter table report_official drop constraint report_official_person_id_fkey,
                                drop constraint report_official_program_id_fkey;

    -- The whole-table rebuild after a TRUNCATE of a source table writes every row during its
    -- statement: it first waits for the commits refreshing officials (the all-officials lock,
    -- exclusive), so none of them can wait on a row it has rewritten while it waits on theirs.
    create or replace function report_official_truncated() returns trigger language plpgsql as $$
    begin
      perform pg_advisory_xact_lock(${sql.raw(String(ALL_LOCK))}, 0);
      perform report_official_rebuild();
      return null;
    end $$;

    -- Rows a race left stale before this migration.
    select report_official_rebuild();
  `.execute(db);
}
