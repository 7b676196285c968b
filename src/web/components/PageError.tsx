import { Alert } from './Alert';
import { ApiError } from '../api';
import { ForbiddenPage, NotFoundPage } from '../features/errors/ErrorPages';
import { Page } from './Page';

/**
 * The whole-page answer to a failed load: a 403 page, a not-found page, or the
 * page title with the server's explanation in an alert.
 */
export function PageError({ error, title, what }: { error: unknown; title: string; what?: string }) {
  if (error instanceof ApiError) {
    if (error.status === 403) return <ForbiddenPage />;
    if (error.status === 404) return <NotFoundPage what={what} />;
    if (error.status === 401) return <Page title={title} />;
  }
  return (
    <Page title={title}>
      <ErrorAlert error={error} />
    </Page>
  );
}

export function ErrorAlert({ error, heading }: { error: unknown; heading?: string }) {
  const text = error instanceof ApiError ? error.message : 'Something went wrong. Try again in a moment.';
  return (
    <Alert type="error" headingLevel="h2" heading={heading ?? 'There is a problem'}>
      {text}
    </Alert>
  );
}
