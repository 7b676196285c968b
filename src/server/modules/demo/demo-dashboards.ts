/**
 * Demo data for the role dashboards (issue 15) that the other demo loaders do
 * not make: two e-mails that could not be delivered (a county clerk's mailbox
 * that no longer exists, and a full one), so the administrator's dashboard
 * shows what a failed e-mail looks like; a second enrollment request; and account requests
 * from the public pages (three waiting, one declined).
 * The rest of each dashboard comes from the sessions, claims and awards demo.
 * Loaded once (app_meta key `demo.dashboards.loaded`).
 */
import { sql } from 'kysely';
import type { Deps } from '../../context.js';

export async function loadDemoDashboards(deps: Deps): Promise<{ loaded: boolean }> {
  return deps.db.transaction().execute(async (tx) => {
    const claimed = await tx
      .insertInto('app_meta')
      .values({ key: 'demo.dashboards.loaded', value: JSON.stringify({ at: deps.now().toISOString() }) })
      .onConflict((oc) => oc.column('key').doNothing())
      .returning('key')
      .executeTakeFirst();
    if (!claimed) return { loaded: false };
    const now = deps.now().getTime();
    const hoursAgo = (h: number) => new Date(now - h * 3_600_000).toISOString();
    // Two of the generated county officials (not the demo official, whose external id is demo-official).
    const people = await tx
      .selectFrom('person as p')
      .select(['p.id', 'p.email', 'p.first_name'])
      .where('p.external_id', 'like', 'demo-20%')
      .orderBy('p.external_id')
      .limit(2)
      .execute();
    const failures = [
      {
        hours: 5,
        subject: 'Your seat is confirmed: Year One, Spring 2027',
        error: '550 5.1.1 The e-mail account that you tried to reach does not exist',
        kind: 'registration',
      },
      {
        hours: 30,
        subject: 'Set your CivicCert password',
        error: '452 4.2.2 The recipient’s mailbox is full (gave up after 5 attempts)',
        kind: 'password-set',
      },
    ];
    for (const [i, f] of failures.entries()) {
      const p = people[i];
      if (!p) break;
      await tx
        .insertInto('email_message')
        .values({
          created_at: hoursAgo(f.hours),
          to_address: p.email,
          subject: f.subject,
          text_body: `Hello ${p.first_name},\n\n(This message could not be delivered.)\n`,
          html_body: null,
          kind: f.kind,
          status: 'failed',
          attempts: 5,
          sent_at: null,
          error: f.error,
        })
        .execute();
    }
    const coordinator = await tx
      .selectFrom('user_account')
      .select('id')
      .where(sql<boolean>`'coordinator' = any(roles)`)
      .orderBy('created_at')
      .limit(1)
      .executeTakeFirst();
    // Two more officials asking to join iGO's CPO program (the sessions demo has one), from the
    // other end of the list, so none is enrolled in it already, and one request already declined.
    const igo = await tx.selectFrom('program').select('id').where('code', '=', 'igo-cpo').executeTakeFirst();
    if (igo) {
      const askers = await tx
        .selectFrom('person as p')
        .select('p.id')
        .where('p.external_id', 'like', 'demo-20%')
        .orderBy('p.external_id', 'desc')
        .limit(3)
        .execute();
      for (const [i, a] of askers.entries())
        await tx
          .insertInto('enrollment')
          .values({
            program_id: igo.id,
            person_id: a.id,
            status: i < 2 ? 'requested' : 'declined',
            enrolled_on: null,
            pinned_version: null,
            fee_amount_cents: 2500,
            fee_status: 'unpaid',
            fee_method: null,
            receipt_number: null,
            requested_at: hoursAgo(26 + i * 48),
            ...(i === 2 && {
              decided_at: hoursAgo(80),
              decided_by: coordinator?.id ?? null,
              decline_reason:
                'The CPO program is for officials of member governments. Ask your clerk to confirm your county’s iGO membership, then ask again.',
            }),
          })
          .onConflict((oc) => oc.doNothing())
          .execute();
    }
    // Account requests from the public pages (issue 17): three waiting, one already declined.
    const requests = [
      {
        first: 'Dana',
        last: 'Whitfield',
        county: '20045',
        position: 'Deputy County Clerk',
        hours: 3,
        note: 'I started in the Douglas County election office on November 16.',
      },
      { first: 'Luis', last: 'Ortega', county: '20173', position: 'Election Officer', hours: 28, note: null },
      {
        first: 'Marguerite',
        last: 'Haskell',
        county: '20061',
        position: 'County Clerk',
        hours: 75,
        note: 'Appointed to fill the vacancy until the next election.',
      },
    ];
    for (const r of requests)
      await tx
        .insertInto('account_request')
        .values({
          first_name: r.first,
          last_name: r.last,
          email: `${r.first}.${r.last}@county.example.gov`.toLowerCase(),
          jurisdiction_fips: r.county,
          position: r.position,
          note: r.note,
          created_at: hoursAgo(r.hours),
          decided_at: null,
          decided_by: null,
          decline_reason: null,
          person_id: null,
        })
        .onConflict((oc) => oc.doNothing())
        .execute();
    await tx
      .insertInto('account_request')
      .values({
        first_name: 'Pat',
        last_name: 'Greene',
        email: 'pat.greene@example.com',
        jurisdiction_fips: '20177',
        position: 'Other',
        note: 'I run a civics club at the high school.',
        status: 'declined',
        created_at: hoursAgo(120),
        decided_at: hoursAgo(100),
        decided_by: coordinator?.id ?? null,
        decline_reason:
          'CivicCert accounts are for county election staff. The public session calendar needs no account.',
        person_id: null,
      })
      .execute();
    return { loaded: true };
  });
}
