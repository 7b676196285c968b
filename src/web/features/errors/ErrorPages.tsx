import { Link, useRouteError } from 'react-router';
import { Page } from '../../components/Page';

export function ForbiddenPage() {
  return (
    <Page title="You don't have access to this page">
      <p>Your account does not have permission to see this page.</p>
      <p>
        If you think you should have access, ask your program administrator to check the roles on your
        account.
      </p>
      <p>
        <Link to="/" className="usa-button">
          Go to your dashboard
        </Link>
      </p>
    </Page>
  );
}

export function NotFoundPage({ what }: { what?: string }) {
  return (
    <Page title={what ? `We could not find that ${what}` : 'Page not found'}>
      <p>
        {what
          ? `The ${what} you are looking for does not exist, or it has been removed.`
          : 'There is no page at this address. If you typed the address, check it is correct.'}
      </p>
      <p>
        <Link to="/" className="usa-button">
          Go to your dashboard
        </Link>
      </p>
    </Page>
  );
}

/** Shown when a page fails to render. Keeps the app shell around it. */
export function CrashPage() {
  const error = useRouteError();
  console.error(error);
  return (
    <Page title="Something went wrong">
      <p>This page could not be shown. Try again, or go back to your dashboard.</p>
      <p>
        <a href="/" className="usa-button">
          Go to your dashboard
        </a>
      </p>
    </Page>
  );
}
