import { Link } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import type { Role } from '../../../domain/authz';
import { api, useSession, type Dashboard, type Person, type SessionUser } from '../../api';
import { allowed, isStaff, mainRole, roleLabels } from '../../auth';
import { formatNumber } from '../../format';
import { Loading, Page } from '../../components/Page';
import { ErrorAlert } from '../../components/PageError';
import { Facts, RoleList } from '../../components/Facts';
import { AuditTable } from '../audit/AuditTable';
import { RoleSections } from './RoleSections';
import type { Progress } from '../../../contract/credits';

export function DashboardPage() {
  const session = useSession();
  const user = session.data!.user!;
  return isStaff(user) ? <StaffDashboard user={user} /> : <OfficialDashboard user={user} />;
}

const welcome: Record<Exclude<Role, 'official'>, string> = {
  administrator:
    'You run the program. Manage people and their access, and check the audit log and outgoing e-mail.',
  coordinator:
    'You run registration for the program. Schedule sessions, manage rosters and waitlists, and add and invite officials.',
  reviewer:
    'You review outside credit claims against their evidence, and can look up officials and their records.',
  instructor:
    'You teach sessions. Open a session to see its roster, print the sign-in sheet and record attendance.',
  supervisor:
    'You supervise the officials of your counties. Look them up under People to see their progress and transcripts, and register them for sessions.',
};

function quickLinks(user: SessionUser) {
  const links: { to: string; label: string; text: string }[] = [
    {
      to: '/sessions',
      label: 'Sessions',
      text: 'Upcoming classes, conference sessions and webinars, with rosters and attendance.',
    },
    { to: '/catalog', label: 'Courses', text: 'The course catalog with credits per category.' },
    { to: '/people', label: 'People', text: 'Find officials and staff by name, county or role.' },
  ];
  if (allowed(user, 'people.create'))
    links.push({
      to: '/people/new',
      label: 'Add a person',
      text: 'Add an official or staff member and invite them.',
    });
  links.push({
    to: '/jurisdictions',
    label: 'Jurisdictions',
    text: 'Look up states and counties and their FIPS codes.',
  });
  if (allowed(user, 'audit.read'))
    links.push({ to: '/audit', label: 'Audit log', text: 'See who changed what, and when.' });
  if (allowed(user, 'outbox.read'))
    links.push({ to: '/outbox', label: 'E-mail outbox', text: 'Read the e-mails the system has sent.' });
  return links;
}

function StaffDashboard({ user }: { user: SessionUser }) {
  const role = mainRole(user) as Exclude<Role, 'official'>;
  const dashboard = useQuery({
    queryKey: ['dashboard'],
    queryFn: () => api.get<Dashboard>('/api/dashboard'),
  });
  const isAdmin = allowed(user, 'dashboard.section.administrator');

  return (
    <Page title="Dashboard" lead={`Welcome, ${user.displayName}. ${welcome[role]}`}>
      <p className="usa-hint">
        {user.roles.length > 1 ? 'Your roles: ' : 'Your role: '}
        {user.roles.map((r) => roleLabels[r]).join(', ')}
      </p>

      {dashboard.data && <RoleSections sections={dashboard.data.sections} />}

      <h2>At a glance</h2>
      {dashboard.isPending && <Loading what="figures" />}
      {dashboard.isError && <ErrorAlert error={dashboard.error} />}
      {dashboard.data && (
        <ul className="stat-grid add-list-reset grid-row grid-gap-2">
          <Stat n={dashboard.data.counts.people} label="people" />
          <Stat n={dashboard.data.counts.officials} label="officials" />
          <Stat n={dashboard.data.counts.countiesWithOfficials} label="counties with an official" />
          <Stat n={dashboard.data.counts.emailsToday} label="e-mails sent today" />
        </ul>
      )}

      <h2>What you can do</h2>
      <ul className="usa-list">
        {quickLinks(user).map((l) => (
          <li key={l.to}>
            <Link to={l.to}>{l.label}</Link>: {l.text}
          </li>
        ))}
      </ul>

      {isAdmin && dashboard.data && (
        <>
          <h2>Recent changes</h2>
          {dashboard.data.recentAudit.length === 0 ? (
            <p>Nothing has changed yet.</p>
          ) : (
            <AuditTable entries={dashboard.data.recentAudit} caption="The latest changes, newest first" />
          )}
          <p>
            <Link to="/audit">See the full audit log</Link>
          </p>
        </>
      )}
    </Page>
  );
}

function Stat({ n, label }: { n: number; label: string }) {
  return (
    <li className="tablet:grid-col-6 desktop:grid-col-3 margin-bottom-2">
      <div className="stat">
        <span className="stat__number">{formatNumber(n)}</span> {label}
      </div>
    </li>
  );
}

function OfficialDashboard({ user }: { user: SessionUser }) {
  const profile = useQuery({ queryKey: ['profile'], queryFn: () => api.get<Person>('/api/profile') });
  const progress = useQuery({
    queryKey: ['my-progress'],
    queryFn: () => api.get<Progress>('/api/me/progress'),
  });
  const p = profile.data;
  return (
    <Page title="My dashboard" lead={`Welcome, ${user.displayName}.`}>
      <section className="usa-summary-box margin-bottom-3" aria-labelledby="progress-heading">
        <div className="usa-summary-box__body">
          <h2 className="usa-summary-box__heading" id="progress-heading">
            Your program progress
          </h2>
          <div className="usa-summary-box__text">
            {progress.isPending && <Loading what="your progress" />}
            {progress.isError && <ErrorAlert error={progress.error} />}
            {progress.data && progress.data.programs.length === 0 && (
              <p className="margin-top-0">
                Once you are enrolled in a certification program, your progress appears here: the courses you
                have completed, your credits, and exactly what is still missing.{' '}
                <Link to="/programs">See the programs and ask to enroll</Link>.
              </p>
            )}
            {progress.data && progress.data.programs.length > 0 && (
              <>
                <ul className="usa-list margin-top-0">
                  {progress.data.programs.map((pp) => (
                    <li key={pp.enrollment.id}>
                      <strong>{pp.program.name}</strong>: {pp.headline}
                      {pp.missing[0] ? ` Next: ${pp.missing[0]}` : ''}
                    </li>
                  ))}
                </ul>
                <p className="margin-bottom-0">
                  <Link to="/progress">See each requirement and what is missing</Link> ·{' '}
                  <Link to="/sessions">Find a session</Link> · <Link to="/my-sessions">My sessions</Link>
                </p>
              </>
            )}
          </div>
        </div>
      </section>

      <h2>About you</h2>
      {profile.isPending && <Loading what="your details" />}
      {profile.isError && <ErrorAlert error={profile.error} />}
      {p && (
        <>
          <Facts
            items={[
              ['Name', `${p.firstName} ${p.lastName}`],
              ['Preferred name', p.preferredName],
              ['Title', p.title],
              ['Jurisdiction', p.jurisdiction ? `${p.jurisdiction.name}, ${p.jurisdiction.stateCode}` : null],
              ['E-mail', p.email],
              ['Phone', p.phone],
              ['Roles', <RoleList key="roles" roles={p.roles} />],
            ]}
          />
          <p>
            <Link to="/profile">Change your preferred name or phone number</Link>
          </p>
          <p className="usa-hint">
            To change your name, e-mail address, title or county, contact your program administrator.
          </p>
        </>
      )}
    </Page>
  );
}
