import { createBrowserRouter } from 'react-router';
import { AppShell } from './components/AppShell';
import { RequireAuth } from './components/Guards';
import { isStaff } from './auth';
import { SignInPage } from './features/auth/SignInPage';
import { ForgotPasswordPage } from './features/auth/ForgotPasswordPage';
import { SetPasswordPage } from './features/auth/SetPasswordPage';
import { DashboardPage } from './features/dashboard/DashboardPage';
import { ProfilePage } from './features/profile/ProfilePage';
import { PeopleListPage } from './features/people/PeopleListPage';
import { PersonDetailPage } from './features/people/PersonDetailPage';
import { NewPersonPage, EditPersonPage } from './features/people/PersonFormPages';
import { JurisdictionsPage } from './features/jurisdictions/JurisdictionsPage';
import { AuditPage } from './features/audit/AuditPage';
import { OutboxPage } from './features/outbox/OutboxPage';
import { CrashPage, NotFoundPage } from './features/errors/ErrorPages';

/** Every page of the web app. Guards mirror the server's authorization table. */
export const router = createBrowserRouter([
  {
    path: '/',
    element: <AppShell />,
    children: [
      {
        errorElement: <CrashPage />,
        children: [
          { path: 'sign-in', element: <SignInPage /> },
          { path: 'password/forgot', element: <ForgotPasswordPage /> },
          { path: 'password/set', element: <SetPasswordPage /> },
          {
            element: <RequireAuth />,
            children: [
              { index: true, element: <DashboardPage /> },
              { path: 'profile', element: <ProfilePage /> },
            ],
          },
          {
            element: <RequireAuth action="people.list" />,
            children: [
              { path: 'people', element: <PeopleListPage /> },
              { path: 'people/:id', element: <PersonDetailPage /> },
            ],
          },
          {
            element: <RequireAuth action="people.create" />,
            children: [{ path: 'people/new', element: <NewPersonPage /> }],
          },
          {
            element: <RequireAuth action="people.update" />,
            children: [{ path: 'people/:id/edit', element: <EditPersonPage /> }],
          },
          {
            element: <RequireAuth check={isStaff} />,
            children: [{ path: 'jurisdictions', element: <JurisdictionsPage /> }],
          },
          {
            element: <RequireAuth action="audit.read" />,
            children: [{ path: 'audit', element: <AuditPage /> }],
          },
          {
            element: <RequireAuth action="outbox.read" />,
            children: [{ path: 'outbox', element: <OutboxPage /> }],
          },
          { path: '*', element: <NotFoundPage /> },
        ],
      },
    ],
  },
]);
