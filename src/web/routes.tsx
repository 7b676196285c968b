import { createBrowserRouter } from 'react-router';
import { AppShell } from './components/AppShell';
import { RequireAuth } from './components/Guards';
import { isStaff } from './auth';
import { SignInPage } from './features/auth/SignInPage';
import { ForgotPasswordPage } from './features/auth/ForgotPasswordPage';
import { SetPasswordPage } from './features/auth/SetPasswordPage';
import { ConfirmEmailPage } from './features/auth/ConfirmEmailPage';
import { DashboardPage } from './features/dashboard/DashboardPage';
import { ProfilePage } from './features/profile/ProfilePage';
import { SecurityPage } from './features/profile/SecurityPage';
import { PeopleListPage } from './features/people/PeopleListPage';
import { PersonDetailPage } from './features/people/PersonDetailPage';
import { NewPersonPage, EditPersonPage } from './features/people/PersonFormPages';
import { JurisdictionsPage } from './features/jurisdictions/JurisdictionsPage';
import { AuditPage } from './features/audit/AuditPage';
import { OutboxPage } from './features/outbox/OutboxPage';
import { ImportsPage } from './features/imports/ImportsPage';
import { WebhooksPage } from './features/webhooks/WebhooksPage';
import { CrashPage, NotFoundPage } from './features/errors/ErrorPages';
import { CatalogPage } from './features/catalog/CatalogPage';
import { AccountRequestPage } from './features/account-requests/AccountRequestPage';
import { AccountRequestsPage } from './features/account-requests/AccountRequestsPage';
import { EnrollmentRequestsPage } from './features/enrollment-requests/EnrollmentRequestsPage';
import { ApiTokensPage } from './features/api-tokens/ApiTokensPage';
import { AddCoursePage, EditCoursePage } from './features/catalog/CourseFormPages';
import { SessionsPage } from './features/sessions/SessionsPage';
import { SessionDetailPage } from './features/sessions/SessionDetailPage';
import { MySessionsPage } from './features/sessions/MySessionsPage';
import { ScheduleSessionPage } from './features/sessions/ScheduleSessionPage';
import { EditSessionPage } from './features/sessions/EditSessionPage';
import { EditEventPage } from './features/sessions/EditEventPage';
import { EventPage } from './features/awards/EventPage';
import { RosterPage } from './features/sessions/RosterPage';
import { BelowMinimumPage } from './features/sessions/BelowMinimumPage';
import { AttendancePage } from './features/attendance/AttendancePage';
import { CheckInPage } from './features/attendance/CheckInPage';
import { MyProgressPage, PersonProgressPage } from './features/progress/ProgressPage';
import { ProgramsPage } from './features/programs/ProgramsPage';
import { CertificateDesignPage } from './features/programs/CertificateDesignPage';
import { ProgramDetailPage } from './features/programs/ProgramDetailPage';
import { ClaimPage, MyClaimsPage, NewClaimPage } from './features/claims/ClaimsPages';
import { ReviewClaimPage, ReviewQueuePage } from './features/claims/ReviewPages';
import { TranscriptPage, VerifyTranscriptPage } from './features/transcripts/TranscriptPages';
import { ClaimFeePage, ClaimFeesPage } from './features/claims/FeesPages';
import { ReviewersPage } from './features/claims/ReviewersPage';
import { PersonCreditsPage, StaffCreditsPage } from './features/credits/StaffCreditPages';
import {
  AwardPage,
  EligiblePage,
  MyCertificationPage,
  RenewalsPage,
  VerifyPage,
} from './features/awards/AwardsPages';

type ReportPages = typeof import('./features/reports/ReportsPages');
const reportPage = async (name: keyof ReportPages & `${string}Page`) => ({
  Component: (await import('./features/reports/ReportsPages'))[name],
});

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
          { path: 'email/confirm', element: <ConfirmEmailPage /> },
          // Public (issue 17): the catalog and the session calendar need no account.
          { path: 'catalog', element: <CatalogPage /> },
          { path: 'sessions', element: <SessionsPage /> },
          { path: 'sessions/:id', element: <SessionDetailPage /> },
          { path: 'account-request', element: <AccountRequestPage /> },
          {
            element: <RequireAuth />,
            children: [
              { index: true, element: <DashboardPage /> },
              { path: 'profile', element: <ProfilePage /> },
              { path: 'profile/security', element: <SecurityPage /> },
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
            element: <RequireAuth action="account-requests.list" />,
            children: [{ path: 'account-requests', element: <AccountRequestsPage /> }],
          },
          {
            element: <RequireAuth action="enrollments.list" />,
            children: [{ path: 'enrollment-requests', element: <EnrollmentRequestsPage /> }],
          },
          {
            element: <RequireAuth action="outbox.read" />,
            children: [{ path: 'outbox', element: <OutboxPage /> }],
          },
          {
            element: <RequireAuth action="imports.run" />,
            children: [{ path: 'imports', element: <ImportsPage /> }],
          },
          // Issue 17: administrators' API tokens for integrations.
          {
            element: <RequireAuth action="tokens.list" />,
            children: [{ path: 'admin/api-tokens', element: <ApiTokensPage /> }],
          },
          {
            element: <RequireAuth action="webhooks.read" />,
            children: [{ path: 'webhooks', element: <WebhooksPage /> }],
          },
          {
            element: <RequireAuth action="courses.create" />,
            children: [{ path: 'catalog/new', element: <AddCoursePage /> }],
          },
          {
            element: <RequireAuth action="courses.update" />,
            children: [{ path: 'catalog/:id/edit', element: <EditCoursePage /> }],
          },
          {
            element: <RequireAuth action="events.read" />,
            children: [{ path: 'events/:id', element: <EventPage /> }],
          },
          {
            element: <RequireAuth action="sessions.create" />,
            children: [{ path: 'sessions/new', element: <ScheduleSessionPage /> }],
          },
          {
            element: <RequireAuth action="sessions.update" />,
            children: [{ path: 'sessions/:id/edit', element: <EditSessionPage /> }],
          },
          {
            element: <RequireAuth action="events.update" />,
            children: [{ path: 'events/:id/edit', element: <EditEventPage /> }],
          },
          {
            element: <RequireAuth action="sessions.below-minimum" />,
            children: [{ path: 'sessions/below-minimum', element: <BelowMinimumPage /> }],
          },
          {
            element: <RequireAuth action="roster.read" />,
            children: [{ path: 'sessions/:id/roster', element: <RosterPage /> }],
          },
          {
            element: <RequireAuth action="attendance.record" />,
            children: [{ path: 'sessions/:id/attendance', element: <AttendancePage /> }],
          },
          {
            element: <RequireAuth action="sessions.check-in" />,
            children: [{ path: 'check-in/:id', element: <CheckInPage /> }],
          },
          {
            element: <RequireAuth action="registrations.read.own" />,
            children: [{ path: 'my-sessions', element: <MySessionsPage /> }],
          },
          {
            element: <RequireAuth action="progress.read.own" />,
            children: [{ path: 'progress', element: <MyProgressPage /> }],
          },
          {
            element: <RequireAuth action="progress.read" />,
            children: [{ path: 'people/:id/progress', element: <PersonProgressPage /> }],
          },
          {
            element: <RequireAuth action="programs.list" />,
            children: [
              { path: 'programs', element: <ProgramsPage /> },
              { path: 'programs/:id', element: <ProgramDetailPage /> },
              { path: 'programs/:id/certificate-design', element: <CertificateDesignPage /> },
            ],
          },
          { path: 'verify/transcript/:code', element: <VerifyTranscriptPage /> },
          {
            element: <RequireAuth action="claims.read.own" />,
            children: [
              { path: 'claims', element: <MyClaimsPage /> },
              { path: 'claims/new', element: <NewClaimPage /> },
              { path: 'claims/:id', element: <ClaimPage /> },
            ],
          },
          {
            element: <RequireAuth action="claims.review" />,
            children: [
              { path: 'review', element: <ReviewQueuePage /> },
              { path: 'review/:id', element: <ReviewClaimPage /> },
            ],
          },
          // Staff screens for outside credit (issue 5): staff entries, fees, reviewers.
          {
            element: <RequireAuth action="credits.create" />,
            children: [{ path: 'credits', element: <StaffCreditsPage /> }],
          },
          {
            element: <RequireAuth action="credits.read" />,
            children: [{ path: 'people/:id/credits', element: <PersonCreditsPage /> }],
          },
          {
            element: <RequireAuth action="claims.fee.list" />,
            children: [
              { path: 'fees', element: <ClaimFeesPage /> },
              { path: 'fees/:id', element: <ClaimFeePage /> },
            ],
          },
          {
            element: <RequireAuth action="reviewers.manage" />,
            children: [{ path: 'reviewers', element: <ReviewersPage /> }],
          },
          {
            element: <RequireAuth action="transcripts.read.own" />,
            children: [{ path: 'transcript', element: <TranscriptPage /> }],
          },
          // Awards, certificates, verification and renewals (issue 6).
          { path: 'verify', element: <VerifyPage /> },
          { path: 'verify/:number', element: <VerifyPage /> },
          {
            element: <RequireAuth action="awards.eligible.list" />,
            children: [{ path: 'awards/eligible', element: <EligiblePage /> }],
          },
          {
            element: <RequireAuth action="awards.list" />,
            children: [{ path: 'renewals', element: <RenewalsPage /> }],
          },
          {
            element: <RequireAuth action="awards.read.own" />,
            children: [
              { path: 'awards/:id', element: <AwardPage /> },
              { path: 'certification', element: <MyCertificationPage /> },
            ],
          },
          // Reports (issue 7): their own chunk, loaded when first opened.
          {
            element: <RequireAuth action="reports.read" />,
            children: [
              { path: 'reports', lazy: () => reportPage('ReportsIndexPage') },
              { path: 'reports/coverage', lazy: () => reportPage('CoverageReportPage') },
              { path: 'reports/cohorts', lazy: () => reportPage('CohortReportPage') },
              { path: 'reports/funnel', lazy: () => reportPage('FunnelReportPage') },
              { path: 'reports/session-fill', lazy: () => reportPage('SessionFillReportPage') },
              { path: 'reports/renewal', lazy: () => reportPage('RenewalReportPage') },
              { path: 'reports/turnaround', lazy: () => reportPage('TurnaroundReportPage') },
            ],
          },
          // Issue 19: the coordinators' reverse view of the plan, gated as its API.
          {
            element: <RequireAuth action="plans.shortfall.read" />,
            children: [{ path: 'reports/seat-shortfall', lazy: () => reportPage('SeatShortfallPage') }],
          },
          { path: '*', element: <NotFoundPage /> },
        ],
      },
    ],
  },
]);
