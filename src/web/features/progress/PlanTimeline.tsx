import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Button } from '@trussworks/react-uswds';
import { Link } from 'react-router';
import type { Plan, PlanRegistrations } from '../../../contract/planning';
import { api } from '../../api';
import { Alert } from '../../components/Alert';
import { ErrorAlert } from '../../components/PageError';
import { formatDate, formatDateTime, formatNumber } from '../../format';

type ProgramPlan = Plan['programs'][number];

const outcomeWords = { confirmed: 'Registered', waitlisted: 'On the waitlist', refused: 'Not registered' };

/**
 * An official's plan to certification in one program: the sessions as a timeline (USWDS process
 * list) and "Register for all", which registers through the normal path one session at a time and
 * says what happened to each (a session that filled meanwhile puts them on its waitlist).
 */
export function PlanTimeline({ plan, headingId }: { plan: ProgramPlan; headingId: string }) {
  const queries = useQueryClient();
  const toRegister = plan.sessions.filter((s) => !s.registered);
  const registerAll = useMutation({
    mutationFn: () =>
      api.post<PlanRegistrations>('/api/me/plan/registrations', { sessionIds: toRegister.map((s) => s.id) }),
    onSuccess: () =>
      Promise.all([
        queries.invalidateQueries({ queryKey: ['my-plan'] }),
        queries.invalidateQueries({ queryKey: ['my-registrations'] }),
      ]),
  });
  const titleOf = new Map(plan.sessions.map((s) => [s.id, `${s.courseCode}: ${s.courseTitle}`]));
  return (
    <section aria-labelledby={headingId} className="margin-top-3" data-testid="plan">
      <h3 id={headingId}>Your plan to certification</h3>
      {plan.outcome === 'done' && <p>Nothing is missing: no more sessions are needed.</p>}
      {plan.outcome === 'none' && (
        <Alert type="warning" headingLevel="h4" heading="No plan can finish" slim={false}>
          <p className="margin-top-05">
            {plan.by
              ? `The upcoming sessions cannot complete what is missing by ${formatDate(plan.by)}.`
              : 'The upcoming sessions cannot complete what is missing.'}
          </p>
          {plan.missing.length > 0 && (
            <ul>
              {plan.missing.map((m) => (
                <li key={m.courseCode}>{m.message}</li>
              ))}
            </ul>
          )}
        </Alert>
      )}
      {plan.outcome === 'planned' && (
        <>
          <p>
            {plan.sessions.length === 1 ? 'One session' : `${formatNumber(plan.sessions.length)} sessions`}{' '}
            complete what is missing, the last on <strong>{formatDate(plan.finishesOn)}</strong>.
            {plan.exact
              ? ''
              : ' (The search stopped at its limit: this plan works, but an earlier one may exist.)'}
          </p>
          <ol className="usa-process-list">
            {plan.sessions.map((s) => (
              <li className="usa-process-list__item" key={s.id}>
                <h4 className="usa-process-list__heading">
                  <Link to={`/sessions/${s.id}`}>
                    {s.courseCode}: {s.courseTitle}
                  </Link>
                </h4>
                <p className="margin-top-05">
                  {formatDateTime(s.startsAt, s.timeZone)} · {s.eventTitle} ·{' '}
                  {s.online ? 'Online' : (s.venue ?? 'Venue to be announced')}
                  {s.near && !s.online ? ' (near you)' : ''} · {formatNumber(s.credits)} credits
                </p>
                <p className="margin-top-05">
                  {s.registered ? (
                    <span className="usa-tag bg-green">You are registered</span>
                  ) : (
                    <span>
                      {formatNumber(s.seatsFree)} {s.seatsFree === 1 ? 'seat' : 'seats'} free.
                    </span>
                  )}{' '}
                  {s.registerAfter}
                </p>
              </li>
            ))}
          </ol>
          {toRegister.length > 0 && !registerAll.data && (
            <Button type="button" disabled={registerAll.isPending} onClick={() => registerAll.mutate()}>
              {registerAll.isPending ? 'Registering…' : `Register for all (${toRegister.length})`}
            </Button>
          )}
          {registerAll.error && <ErrorAlert error={registerAll.error} />}
        </>
      )}
      {registerAll.data && (
        <div role="status" data-testid="plan-results">
          <Alert
            type={registerAll.data.results.every((r) => r.outcome === 'confirmed') ? 'success' : 'warning'}
            headingLevel="h4"
            heading="What happened to each session"
            slim={false}
          >
            <ul className="margin-top-05">
              {registerAll.data.results.map((r) => (
                <li key={r.sessionId}>
                  <strong>
                    {titleOf.get(r.sessionId) ?? 'Session'}: {outcomeWords[r.outcome]}.
                  </strong>{' '}
                  {r.message}
                </li>
              ))}
            </ul>
          </Alert>
        </div>
      )}
    </section>
  );
}
