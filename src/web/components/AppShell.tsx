import { useEffect, useState } from 'react';
import { Link, NavLink, Outlet, useLocation, useNavigate } from 'react-router';
import { useQueryClient } from '@tanstack/react-query';
import { ExtendedNav, Footer, Header, NavMenuButton, Title } from '@trussworks/react-uswds';
import { api, fetchSession, sessionKey, useSession } from '../api';
import { forgetOfflineReads } from '../offline/queue';
import { usePrimaryNavItems } from './navigation';
import { Loading } from './Page';
import { ErrorAlert } from './PageError';

function SignOutButton() {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const [busy, setBusy] = useState(false);
  const signOut = async () => {
    setBusy(true);
    let providerSignOut: string | null = null;
    try {
      // A session an OpenID provider opened is ended there too (RP-initiated logout, issue 17).
      providerSignOut = (await api.delete<{ redirectTo: string | null }>('/api/session')).redirectTo;
    } catch {
      // The session may already be gone; signing out should still finish.
    }
    await forgetOfflineReads();
    if (providerSignOut) {
      window.location.assign(providerSignOut);
      return;
    }
    queryClient.removeQueries({ predicate: (q) => q.queryKey[0] !== 'session' });
    queryClient.setQueryData(sessionKey, await fetchSession().catch(() => undefined));
    setBusy(false);
    navigate('/sign-in', { state: { flash: { type: 'info', text: 'You have signed out.' } } });
  };
  return (
    <button
      type="button"
      className="usa-button usa-button--outline sign-out"
      onClick={signOut}
      disabled={busy}
    >
      Sign out
    </button>
  );
}

/** Skip link, header with the organization's name and role-based navigation, main area and footer. */
export function AppShell() {
  const session = useSession();
  const location = useLocation();
  const [menuOpen, setMenuOpen] = useState(false);
  const user = session.data?.user ?? null;
  const org = session.data?.organization;

  useEffect(() => {
    setMenuOpen(false);
    window.scrollTo(0, 0);
  }, [location.pathname]);

  // The small-screen menu: focus its close button when it opens; Escape or a
  // click on the shaded page closes it and returns focus to the Menu button.
  useEffect(() => {
    if (!menuOpen) return;
    document.querySelector<HTMLButtonElement>('.app-header .usa-nav__close')?.focus();
    const close = () => {
      setMenuOpen(false);
      document.querySelector<HTMLButtonElement>('.app-header .usa-menu-btn')?.focus();
    };
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') close();
    };
    const overlay = document.querySelector('.usa-overlay');
    document.addEventListener('keydown', onKey);
    overlay?.addEventListener('click', close);
    return () => {
      document.removeEventListener('keydown', onKey);
      overlay?.removeEventListener('click', close);
    };
  }, [menuOpen]);

  const skipToMain = (e: React.MouseEvent<HTMLAnchorElement>) => {
    e.preventDefault();
    const main = document.getElementById('main-content');
    main?.focus();
    main?.scrollIntoView();
  };

  const primaryItems = usePrimaryNavItems(user);

  return (
    <>
      <a className="usa-skipnav" href="#main-content" onClick={skipToMain}>
        Skip to main content
      </a>
      <Header extended showMobileOverlay={menuOpen} className="app-header">
        <div className="usa-navbar">
          <Title className="app-title">
            <Link to="/" className="app-title__link">
              {org?.logoUrl && <img src={org.logoUrl} alt="" className="app-logo" />}
              <span>{org?.name ?? 'CivicCert'}</span>
            </Link>
          </Title>
          {!session.isPending && (
            <NavMenuButton
              label="Menu"
              onClick={() => setMenuOpen((open) => !open)}
              aria-expanded={menuOpen}
            />
          )}
        </div>
        {!session.isPending && (
          <ExtendedNav
            aria-label="Primary navigation"
            primaryItems={primaryItems}
            secondaryItems={
              user
                ? [
                    <span key="who" className="signed-in-as">
                      Signed in as <strong>{user.displayName}</strong>
                    </span>,
                    <NavLink key="profile" to="/profile" className="profile-link">
                      My profile
                    </NavLink>,
                  ]
                : [
                    <NavLink key="sign-in" to="/sign-in" className="profile-link">
                      Sign in
                    </NavLink>,
                    <NavLink key="request" to="/account-request" className="profile-link">
                      Ask for an account
                    </NavLink>,
                  ]
            }
            mobileExpanded={menuOpen}
            onToggleMobileNav={() => {
              setMenuOpen(false);
              document.querySelector<HTMLButtonElement>('.app-header .usa-menu-btn')?.focus();
            }}
          >
            {user && <SignOutButton />}
          </ExtendedNav>
        )}
      </Header>
      <main id="main-content" tabIndex={-1} className="app-main">
        <div className="grid-container">
          {session.isPending ? (
            <Loading what="CivicCert" />
          ) : session.isError ? (
            <>
              <h1>CivicCert is not available</h1>
              <ErrorAlert error={session.error} heading="We could not reach the server" />
            </>
          ) : (
            <Outlet />
          )}
        </div>
      </main>
      <Footer
        size="slim"
        className="app-footer"
        primary={
          <div className="grid-container">
            <nav aria-label="Footer" className="usa-footer__nav">
              <ul className="add-list-reset grid-row grid-gap">
                {user && (
                  <li className="mobile-lg:grid-col-auto usa-footer__primary-content">
                    <Link className="usa-footer__primary-link" to="/profile">
                      My profile
                    </Link>
                  </li>
                )}
                <li className="mobile-lg:grid-col-auto usa-footer__primary-content">
                  <Link className="usa-footer__primary-link" to="/verify">
                    Verify a certification
                  </Link>
                </li>
                <li className="mobile-lg:grid-col-auto usa-footer__primary-content">
                  <a className="usa-footer__primary-link" href="/api/docs">
                    API documentation
                  </a>
                </li>
              </ul>
            </nav>
          </div>
        }
        secondary={
          <div className="grid-row">
            <p className="grid-col-auto margin-0">
              {org?.name ?? 'CivicCert'} · Certification and continuing education for public officials
            </p>
          </div>
        }
      />
    </>
  );
}
