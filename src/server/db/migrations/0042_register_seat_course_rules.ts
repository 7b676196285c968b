import { sql, type Kysely } from 'kysely';

// Forward-only. register_seat (0018) also answers o_changed when the course's rules or its
// program's zone differ from what the caller checked eligibility against (ADR 0042): registrations
// in a rush share one read of the session (seat-gate.ts), and a course saved before a request began
// must still judge that request. The caller then reads the session again, checks eligibility again
// and retries. The rest of the function is 0018's, unchanged.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    drop function register_seat(uuid, uuid, timestamptz, text, timestamptz, timestamptz, timestamptz, text,
                                uuid, text, text, uuid, jsonb);

    create function register_seat(
      p_session uuid,
      p_person uuid,
      p_now timestamptz,
      -- the session as the caller's refusal check saw it
      p_status text,
      p_starts_at timestamptz,
      p_opens_at timestamptz,
      p_closes_at timestamptz,
      p_time_zone text,
      -- the course and program as the caller's eligibility check saw them (0042)
      p_course uuid,
      p_renewal boolean,
      p_prerequisites text[],
      p_program_zone text,
      -- who registers, for the row and the audit entry
      p_registered_by uuid,
      p_actor_label text,
      p_request_id text,
      -- the course's program (status recompute on a confirmed seat), and the audit entry's
      -- fields the function does not decide (sessionId, person, cancelledAt)
      p_program uuid,
      p_audit jsonb,
      out o_changed boolean,
      out o_id uuid,
      out o_status text,
      out o_joined_at timestamptz,
      out o_position integer
    ) language plpgsql volatile as $$
    declare
      s record;
      k record;
      c record;
      total integer;
    begin
      select status, capacity, sequence, starts_at, registration_opens_at, registration_closes_at, time_zone,
             course_id
        into s from session where id = p_session for update;
      -- The course's rules and its program's zone, read after the lock (a fresh snapshot): a rule
      -- saved before this call began is seen, and the caller checks eligibility again (0042).
      select co.renewal, co.prerequisites, co.program_id, pr.time_zone
        into k from course co left join program pr on pr.id = co.program_id where co.id = s.course_id;
      -- 'scheduled' and 'full' are the same to the refusal rules (seats fill during a rush).
      o_changed := not found
         or case when s.status in ('scheduled', 'full') then 'open' else s.status end
            is distinct from case when p_status in ('scheduled', 'full') then 'open' else p_status end
         or date_trunc('milliseconds', s.starts_at) is distinct from date_trunc('milliseconds', p_starts_at)
         or date_trunc('milliseconds', s.registration_opens_at) is distinct from date_trunc('milliseconds', p_opens_at)
         or date_trunc('milliseconds', s.registration_closes_at) is distinct from date_trunc('milliseconds', p_closes_at)
         or s.time_zone is distinct from p_time_zone
         or s.course_id is distinct from p_course
         or k.renewal is distinct from p_renewal
         or k.prerequisites is distinct from p_prerequisites
         or k.program_id is distinct from p_program
         or k.time_zone is distinct from p_program_zone;
      if o_changed then
        return;
      end if;
      -- Re-count under the lock: the stored counter is checked against the rows, not trusted.
      select count(*) filter (where r.status = 'confirmed')::int as confirmed,
             count(*) filter (where r.status = 'waitlisted')::int as waitlisted,
             max(r.joined_at) as latest
        into c
        from registration r
       where r.session_id = p_session and r.status <> 'cancelled';
      -- placeRegistrant (src/domain/scheduling): a seat while one is free, else the waitlist.
      o_status := case when c.confirmed < s.capacity then 'confirmed' else 'waitlisted' end;
      -- Join times never go back within a session, so (joined_at, seq) is the order of this lock
      -- and everyone waiting joined earlier: the new position is the count + 1.
      o_joined_at := greatest(p_now, c.latest);
      o_position := case when o_status = 'waitlisted' then c.waitlisted + 1 end;
      total := c.confirmed + (o_status = 'confirmed')::int;
      insert into registration (session_id, person_id, status, joined_at, confirmed_at, registered_by)
      values (p_session, p_person, o_status, o_joined_at,
              case when o_status = 'confirmed' then o_joined_at end, p_registered_by)
      returning id into o_id;
      update session
         set confirmed_count = total,
             status = case when total >= s.capacity then 'full' else 'scheduled' end
       where id = p_session;
      if o_status = 'confirmed' and p_program is not null then
        insert into status_due (program_id, person_id, reason)
        values (p_program, p_person, 'seat')
        on conflict do nothing;
      end if;
      insert into audit_log (at, actor_user_id, actor_label, action, entity_type, entity_id, after, request_id)
      values (p_now, p_registered_by, p_actor_label, 'registration.create', 'registration', o_id::text,
              p_audit || jsonb_build_object(
                'id', o_id,
                'status', o_status,
                'joinedAt', to_char(o_joined_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
                'confirmedAt', case when o_status = 'confirmed'
                  then to_char(o_joined_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') end,
                'waitlistPosition', o_position),
              p_request_id);
      insert into session_mail_due (kind, registration_id, sequence, waitlist_position, stamp)
      values (o_status, o_id, s.sequence, o_position, p_now);
    end
    $$;
  `.execute(db);
}
