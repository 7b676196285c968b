import { sql, type Kysely } from 'kysely';

// Forward-only. E-mails people can act on (issue 16, item 3).
//
// email_message.list_unsubscribe: the one-click unsubscribe address of a bulk notice (renewal
// reminders, lapse and status notices, session reminders), sent as the List-Unsubscribe header;
// null for transactional mail (sign-in links, e-mail changes, awards). html_body exists since 0001.
//
// notification_opt_out: the kinds of bulk notice a person has turned off (from their profile or
// the one-click link in a notice). No row means the notice is sent.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table email_message add column list_unsubscribe text;

    create table notification_opt_out (
      person_id uuid not null references person (id) on delete cascade,
      category text not null check (category in ('renewal-reminders', 'status-notices', 'session-reminders')),
      created_at timestamptz not null default now(),
      primary key (person_id, category)
    );
  `.execute(db);
}
