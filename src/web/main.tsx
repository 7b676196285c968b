import '@uswds/uswds/css/uswds.min.css';
import '@trussworks/react-uswds/lib/index.css';
import './styles.css';

import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { RouterProvider } from 'react-router';
import { ApiError, onUnauthorized, sessionKey, type SessionResponse } from './api';
import { router } from './routes';

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      staleTime: 30_000,
      refetchOnWindowFocus: false,
      // Retrying cannot fix "not signed in", "not allowed", "not found" or bad input.
      retry: (count, error) =>
        !(error instanceof ApiError && error.status >= 400 && error.status < 500) && count < 2,
    },
  },
});

// When the server says the session has ended, forget the user and send them
// to sign in, coming back here afterwards.
onUnauthorized(() => {
  const session = queryClient.getQueryData<SessionResponse>(sessionKey);
  if (session?.user) queryClient.setQueryData<SessionResponse>(sessionKey, { ...session, user: null });
  const { pathname, search } = window.location;
  if (pathname.startsWith('/sign-in')) return;
  const next = `${pathname}${search}`;
  void router.navigate(`/sign-in${next === '/' ? '' : `?next=${encodeURIComponent(next)}`}`, {
    replace: true,
    state: { flash: { type: 'info', text: 'Your session has ended. Sign in again to continue.' } },
  });
});

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <RouterProvider router={router} />
    </QueryClientProvider>
  </StrictMode>,
);
