import '@uswds/uswds/css/uswds.min.css';
import '@trussworks/react-uswds/lib/index.css';
import './styles.css';

import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { RouterProvider } from 'react-router';
import { ApiError, onUnauthorized, sessionEnded, sessionKey, type SessionResponse } from './api';
import { router } from './routes';
import { startOfflineSync } from './offline/queue';

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

// When the server says the session has ended, forget the user; the route
// guard then sends them to sign in and back here afterwards.
onUnauthorized(() => {
  const session = queryClient.getQueryData<SessionResponse>(sessionKey);
  if (!session?.user) return;
  sessionEnded(true);
  queryClient.setQueryData<SessionResponse>(sessionKey, { ...session, user: null, csrfToken: null });
  void queryClient.invalidateQueries({ queryKey: sessionKey });
});

// Changes kept on the device while offline are sent when the network is back; the pages they
// touched are read again, so the credits they earned appear.
startOfflineSync((sessionIds) => {
  for (const id of sessionIds) {
    void queryClient.invalidateQueries({ queryKey: ['roster', id] });
    void queryClient.invalidateQueries({ queryKey: ['session', id] });
  }
});

// The service worker lets pages opened before work without a network (public/sw.js). Only in
// the built app: the development server's modules must always come fresh.
if (import.meta.env.PROD && 'serviceWorker' in navigator) {
  window.addEventListener('load', () => {
    navigator.serviceWorker.register('/sw.js').catch(() => {
      // Without it the app works as before, only not offline.
    });
  });
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <RouterProvider router={router} />
    </QueryClientProvider>
  </StrictMode>,
);
