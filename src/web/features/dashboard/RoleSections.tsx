/**
 * The staff dashboard's role sections (issue 15): what each role has waiting.
 * The server sends a section for each role the viewer holds, so a person with
 * several roles sees each one here, in this order.
 */
import { Link } from 'react-router';
import type { Dashboard } from '../../api';
import { browserZone, formatDate, formatDateTime, formatNumber, plural } from '../../format';
import { DataTable } from '../../components/Table';

type Sections = Dashboard['sections'];
type Session = NonNullable<Sections['coordinator']>['waitlists'][number];

function SessionName({ s }: { s: Session }) {
  return (
    <>
      <Link to={`/sessions/${s.id}`}>
        {s.course.code} {s.course.title}
      </Link>
      <br />
      <span className="usa-hint">{s.event.title}</span>
    </>
  );
}

function ReviewerSection({ r }: { r: NonNullable<Sections['reviewer']> }) {
  return (
    <section aria-labelledby="dash-reviewer">
      <h2 id="dash-reviewer">Claims waiting for review</h2>
      {r.waiting === 0 ? (
        <p>No claims are waiting for review in the programs you review.</p>
      ) : (
        <>
          <p>
            {plural(r.waiting, 'claim')} {r.waiting === 1 ? 'is' : 'are'} waiting. The oldest first:
          </p>
          <DataTable caption="The claims that have waited longest">
            <thead>
              <tr>
                <th scope="col">Claim</th>
                <th scope="col">Official</th>
                <th scope="col">Program</th>
                <th scope="col">Submitted</th>
                <th scope="col">Waiting</th>
              </tr>
            </thead>
            <tbody>
              {r.oldest.map((c) => (
                <tr key={c.id}>
                  <td>
                    <Link to={`/review/${c.id}`}>{c.title}</Link>
                    <br />
                    <span className="usa-hint">{c.typeLabel}</span>
                  </td>
                  <td>{c.person.displayName}</td>
                  <td>{c.program.name}</td>
                  <td className="nowrap">{formatDateTime(c.submittedAt, browserZone)}</td>
                  <td className="nowrap">{c.waitingDays == null ? '' : plural(c.waitingDays, 'day')}</td>
                </tr>
              ))}
            </tbody>
          </DataTable>
        </>
      )}
      <p>
        <Link to="/review">Open the review queue</Link>
      </p>
    </section>
  );
}

function InstructorSection({ i }: { i: NonNullable<Sections['instructor']> }) {
  return (
    <section aria-labelledby="dash-instructor">
      <h2 id="dash-instructor">Your next sessions</h2>
      {i.sessions.length === 0 && <p>You are not teaching any upcoming session.</p>}
      {i.sessions.map(({ session: s, roster }) => {
        const confirmed = roster.filter((p) => p.status === 'confirmed');
        const waiting = roster.filter((p) => p.status === 'waitlisted');
        return (
          <div key={s.id} className="margin-bottom-3">
            <h3 className="margin-bottom-05">
              <Link to={`/sessions/${s.id}`}>
                {s.course.code} {s.course.title}
              </Link>
            </h3>
            <p className="margin-top-0">
              {formatDateTime(s.startsAt, s.timeZone)}
              {s.venue ? ` · ${s.venue}` : ''} · {s.event.title}
              <br />
              {formatNumber(s.confirmedCount)} of {formatNumber(s.capacity)} seats taken
              {s.waitlistCount ? `, ${plural(s.waitlistCount, 'person', 'people')} waiting` : ''}
            </p>
            {roster.length === 0 ? (
              <p>Nobody has registered yet.</p>
            ) : (
              <details>
                <summary>
                  Roster: {plural(confirmed.length, 'official')}
                  {waiting.length ? ` and ${formatNumber(waiting.length)} on the waitlist` : ''}
                </summary>
                <ul className="usa-list">
                  {confirmed.map((p) => (
                    <li key={p.personId}>
                      {p.displayName}
                      {p.county ? `, ${p.county}` : ''}
                    </li>
                  ))}
                  {waiting.map((p) => (
                    <li key={p.personId}>
                      {p.displayName}
                      {p.county ? `, ${p.county}` : ''} (waitlist)
                    </li>
                  ))}
                </ul>
              </details>
            )}
            <p className="margin-top-1">
              <Link to={`/sessions/${s.id}/roster`}>Roster and sign-in sheet</Link> ·{' '}
              <Link to={`/sessions/${s.id}/attendance`}>Record attendance</Link>
            </p>
          </div>
        );
      })}
    </section>
  );
}

function CoordinatorSection({ c }: { c: NonNullable<Sections['coordinator']> }) {
  return (
    <section aria-labelledby="dash-coordinator">
      <h2 id="dash-coordinator">Registration</h2>
      <h3>Sessions below their minimum</h3>
      {c.belowMinimum.length === 0 ? (
        <p>Every session closing in the next 30 days has its minimum.</p>
      ) : (
        <DataTable caption="Sessions short of their minimum, the nearest cut-off first">
          <thead>
            <tr>
              <th scope="col">Session</th>
              <th scope="col">Starts</th>
              <th scope="col">Registration closes</th>
              <th scope="col">Registered</th>
              <th scope="col">Short by</th>
            </tr>
          </thead>
          <tbody>
            {c.belowMinimum.map((b) => (
              <tr key={b.session.id}>
                <td>
                  <SessionName s={b.session} />
                </td>
                <td className="nowrap">{formatDateTime(b.session.startsAt, b.session.timeZone)}</td>
                <td className="nowrap">{formatDateTime(b.cutoff, b.session.timeZone)}</td>
                <td>
                  {formatNumber(b.session.confirmedCount)} (minimum {formatNumber(b.session.minimum)})
                </td>
                <td>{formatNumber(b.shortBy)}</td>
              </tr>
            ))}
          </tbody>
        </DataTable>
      )}
      <p>
        <Link to="/sessions/below-minimum">All sessions below minimum</Link>
      </p>

      <h3>Enrollment requests</h3>
      {c.enrollmentRequestsTotal === 0 ? (
        <p>Nobody is waiting to be enrolled.</p>
      ) : (
        <>
          <p>{plural(c.enrollmentRequestsTotal, 'official')} asked to join a program. The oldest first:</p>
          <ul className="usa-list">
            {c.enrollmentRequests.map((e) => (
              <li key={e.id}>
                <Link to={`/people/${e.person.id}`}>{e.person.displayName}</Link>:{' '}
                <Link to={`/programs/${e.program.id}`}>{e.program.name}</Link>
                {e.requestedAt ? `, asked ${formatDateTime(e.requestedAt, browserZone)}` : ''}
              </li>
            ))}
          </ul>
          <p>
            <Link to="/enrollment-requests">Approve or decline enrollment requests</Link>
          </p>
        </>
      )}

      <h3>Waitlists</h3>
      {c.waitlists.length === 0 ? (
        <p>No upcoming session has a waitlist.</p>
      ) : (
        <DataTable caption="Upcoming sessions with people on the waitlist">
          <thead>
            <tr>
              <th scope="col">Session</th>
              <th scope="col">Starts</th>
              <th scope="col">Seats</th>
              <th scope="col">Waiting</th>
            </tr>
          </thead>
          <tbody>
            {c.waitlists.map((s) => (
              <tr key={s.id}>
                <td>
                  <SessionName s={s} />
                </td>
                <td className="nowrap">{formatDateTime(s.startsAt, s.timeZone)}</td>
                <td>
                  {formatNumber(s.confirmedCount)} of {formatNumber(s.capacity)}
                </td>
                <td>
                  <Link to={`/sessions/${s.id}/roster`}>{plural(s.waitlistCount, 'person', 'people')}</Link>
                </td>
              </tr>
            ))}
          </tbody>
        </DataTable>
      )}
    </section>
  );
}

function AdministratorSection({ a }: { a: NonNullable<Sections['administrator']> }) {
  return (
    <section aria-labelledby="dash-administrator">
      <h2 id="dash-administrator">Awards and e-mail</h2>
      <h3>Awards due</h3>
      {a.awardsDueTotal === 0 ? (
        <p>Nobody is waiting for an award.</p>
      ) : (
        <>
          <p>{plural(a.awardsDueTotal, 'official')} met the requirements and have not been awarded yet.</p>
          <ul className="usa-list">
            {a.awardsDue.map((x) => (
              <li key={`${x.program.id}-${x.person.id}`}>
                <Link to={`/people/${x.person.id}`}>{x.person.displayName}</Link>
                {x.person.county ? `, ${x.person.county}` : ''}: {x.program.designation}
                {x.eligibleOn ? `, eligible since ${formatDate(x.eligibleOn)}` : ''}
                {x.applyBy ? `, award by ${formatDate(x.applyBy)}` : ''}
              </li>
            ))}
          </ul>
        </>
      )}
      <p>
        <Link to="/awards/eligible">Award them</Link>
      </p>

      <h3>Failed e-mails</h3>
      {a.failedEmailsTotal === 0 ? (
        <p>Every e-mail has gone out.</p>
      ) : (
        <>
          <p>{plural(a.failedEmailsTotal, 'e-mail')} could not be delivered.</p>
          <DataTable caption="E-mails that could not be delivered, newest first">
            <thead>
              <tr>
                <th scope="col">Created</th>
                <th scope="col">To</th>
                <th scope="col">Subject</th>
                <th scope="col">Error</th>
              </tr>
            </thead>
            <tbody>
              {a.failedEmails.map((m) => (
                <tr key={m.id}>
                  <td className="nowrap">{formatDateTime(m.createdAt, browserZone)}</td>
                  <td>{m.to}</td>
                  <td>{m.subject}</td>
                  <td>{m.error}</td>
                </tr>
              ))}
            </tbody>
          </DataTable>
        </>
      )}
      <p>
        <Link to="/outbox">Open the e-mail outbox</Link>
      </p>
    </section>
  );
}

export function RoleSections({ sections }: { sections: Sections }) {
  return (
    <>
      {sections.administrator && <AdministratorSection a={sections.administrator} />}
      {sections.coordinator && <CoordinatorSection c={sections.coordinator} />}
      {sections.reviewer && <ReviewerSection r={sections.reviewer} />}
      {sections.instructor && <InstructorSection i={sections.instructor} />}
    </>
  );
}
