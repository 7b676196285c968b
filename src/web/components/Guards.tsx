import { Navigate, Outlet, useLocation } from 'react-router';
import type { Action } from '../../domain/authz';
import { sessionEnded, useSession, type SessionUser } from '../api';
import { allowed } from '../auth';
import { ForbiddenPage } from '../features/errors/ErrorPages';
import { Loading } from './Page';
import { ErrorAlert } from './PageError';

/**
 * Pages under this route need a signed-in user; with `action` (or `check`)
 * the user must also be allowed to do it, or they see the 403 page.
 */
export function RequireAuth({ action, check }: { action?: Action; check?: (user: SessionUser) => boolean }) {
  const session = useSession();
  const location = useLocation();
  if (session.isPending) return <Loading what="your account" />;
  if (session.isError) return <ErrorAlert error={session.error} />;
  const user = session.data.user;
  if (!user) {
    const next = `${location.pathname}${location.search}`;
    const flash = sessionEnded()
      ? { type: 'info', text: 'Your session has ended. Sign in again to continue.' }
      : null;
    return (
      <Navigate
        to={`/sign-in${next === '/' ? '' : `?next=${encodeURIComponent(next)}`}`}
        replace
        state={flash ? { flash } : undefined}
      />
    );
  }
  // A staff account that must use two-step sign-in sees only its set-up page until it is on.
  if (user.secondFactor.setupRequired && location.pathname !== '/profile/security') {
    return <Navigate to="/profile/security" replace />;
  }
  if ((action && !allowed(user, action)) || (check && !check(user))) return <ForbiddenPage />;
  return <Outlet />;
}
