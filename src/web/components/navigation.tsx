import { useEffect, useRef, useState, type ReactNode } from 'react';
import { NavLink, matchPath, useLocation } from 'react-router';
import type { SessionUser } from '../api';
import { allowed, hasOwnRecord, isStaff } from '../auth';

export interface NavItem {
  to: string;
  label: string;
  end?: boolean;
}
/** A top-level entry: one link, or a labelled group of links shown as a drop-down. */
export type NavEntry = NavItem | { label: string; items: NavItem[] };

const isGroup = (e: NavEntry): e is { label: string; items: NavItem[] } => 'items' in e;

/** What a signed-out visitor can browse (issue 17): the catalog and the session calendar. */
export const publicNavEntries: NavItem[] = [
  { to: '/catalog', label: 'Courses' },
  { to: '/sessions', label: 'Sessions' },
];

/**
 * The primary navigation for one user, from the abilities the server gives their session. Officials
 * see their own few pages as plain links; staff see their work grouped, so
 * the bar stays one line however many roles someone holds.
 */
export function navEntries(user: SessionUser): NavEntry[] {
  const when = (cond: boolean, item: NavItem): NavItem[] => (cond ? [item] : []);
  const official = hasOwnRecord(user);
  const staff = isStaff(user);

  const training = [
    ...when(allowed(user, 'courses.list'), { to: '/catalog', label: 'Courses' }),
    ...when(allowed(user, 'sessions.list'), { to: '/sessions', label: 'Sessions' }),
    ...when(allowed(user, 'plans.shortfall.read'), {
      to: '/reports/seat-shortfall',
      label: 'Courses short of seats',
    }),
  ];
  const mine = [
    ...when(official && allowed(user, 'registrations.read.own'), {
      to: '/my-sessions',
      label: 'My sessions',
    }),
    ...when(official && allowed(user, 'progress.read.own'), { to: '/progress', label: 'My progress' }),
    ...when(official && allowed(user, 'claims.read.own'), { to: '/claims', label: 'Outside credit' }),
    ...when(official && allowed(user, 'transcripts.read.own'), { to: '/transcript', label: 'My transcript' }),
    ...when(official && allowed(user, 'awards.read.own'), {
      to: '/certification',
      label: 'My certification',
    }),
  ];
  const credit = [
    ...when(allowed(user, 'claims.review'), { to: '/review', label: 'Claims to review' }),
    ...when(allowed(user, 'credits.create'), { to: '/credits', label: 'Staff credit' }),
    ...when(allowed(user, 'claims.fee.list'), { to: '/fees', label: 'Credit fees' }),
    ...when(allowed(user, 'reviewers.manage'), { to: '/reviewers', label: 'Claim reviewers' }),
  ];
  const awards = [
    ...when(allowed(user, 'awards.eligible.list'), { to: '/awards/eligible', label: 'Awards' }),
    ...when(allowed(user, 'awards.list'), { to: '/renewals', label: 'Renewals' }),
  ];
  const admin = [
    ...when(allowed(user, 'enrollments.list'), { to: '/programs', label: 'Programs' }),
    ...when(staff, { to: '/people', label: 'People' }),
    ...when(allowed(user, 'account-requests.list'), { to: '/account-requests', label: 'Account requests' }),
    ...when(allowed(user, 'enrollments.list'), { to: '/enrollment-requests', label: 'Enrollment requests' }),
    ...when(staff, { to: '/jurisdictions', label: 'Jurisdictions' }),
    ...when(allowed(user, 'imports.run'), { to: '/imports', label: 'Imports' }),
    ...when(allowed(user, 'tokens.list'), { to: '/admin/api-tokens', label: 'API tokens' }),
    ...when(allowed(user, 'audit.read'), { to: '/audit', label: 'Audit log' }),
    ...when(allowed(user, 'outbox.read'), { to: '/outbox', label: 'E-mail outbox' }),
    ...when(allowed(user, 'webhooks.read'), { to: '/webhooks', label: 'Webhooks' }),
  ];

  const entries: NavEntry[] = [{ to: '/', label: 'Dashboard', end: true }];
  const group = (label: string, items: NavItem[]) => {
    if (items.length === 1) entries.push(items[0]!);
    else if (items.length > 1) entries.push({ label, items });
  };
  if (!staff) {
    entries.push(...training, ...mine);
    return entries;
  }
  group('Training', training);
  group('My record', mine);
  group('Credit', credit);
  group('Awards', awards);
  if (allowed(user, 'reports.read')) entries.push({ to: '/reports', label: 'Reports' });
  group('Administration', admin);
  return entries;
}

const linkClass = ({ isActive }: { isActive: boolean }) => `usa-nav-link${isActive ? ' usa-current' : ''}`;

/** A drop-down group: a button that opens a list of links; Escape or a click elsewhere closes it. */
function NavGroup({
  id,
  label,
  items,
  open,
  onToggle,
  onClose,
}: {
  id: string;
  label: string;
  items: NavItem[];
  open: boolean;
  onToggle: () => void;
  onClose: () => void;
}) {
  const location = useLocation();
  const button = useRef<HTMLButtonElement>(null);
  const current = items.some((i) => matchPath({ path: i.to, end: !!i.end }, location.pathname));

  useEffect(() => {
    if (!open) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') {
        // Only the group closes (not the small-screen menu around it).
        e.stopImmediatePropagation();
        onClose();
        button.current?.focus();
      }
    };
    const onClick = (e: MouseEvent) => {
      // The group is the button and its list, inside ExtendedNav's list item.
      const item = button.current?.parentElement;
      if (item && !item.contains(e.target as Node)) onClose();
    };
    document.addEventListener('keydown', onKey, true);
    document.addEventListener('click', onClick);
    return () => {
      document.removeEventListener('keydown', onKey, true);
      document.removeEventListener('click', onClick);
    };
  }, [open, onClose]);

  return (
    <>
      <button
        ref={button}
        type="button"
        className={`usa-accordion__button usa-nav__link${current ? ' usa-current' : ''}`}
        aria-expanded={open}
        aria-controls={id}
        onClick={onToggle}
      >
        <span>{label}</span>
      </button>
      <ul id={id} className="usa-nav__submenu" hidden={!open}>
        {items.map((item) => (
          <li key={item.to} className="usa-nav__submenu-item">
            <NavLink to={item.to} end={item.end} className={linkClass}>
              <span>{item.label}</span>
            </NavLink>
          </li>
        ))}
      </ul>
    </>
  );
}

/** The primary navigation's items, for USWDS's ExtendedNav. */
export function usePrimaryNavItems(user: SessionUser | null): ReactNode[] {
  const location = useLocation();
  const [openGroup, setOpenGroup] = useState<string | null>(null);
  useEffect(() => setOpenGroup(null), [location.pathname]);
  if (!user)
    return publicNavEntries.map((entry) => (
      <NavLink key={entry.to} to={entry.to} className={linkClass}>
        <span>{entry.label}</span>
      </NavLink>
    ));
  return navEntries(user).map((entry) => {
    if (!isGroup(entry))
      return (
        <NavLink key={entry.to} to={entry.to} end={entry.end} className={linkClass}>
          <span>{entry.label}</span>
        </NavLink>
      );
    const id = `nav-${entry.label.toLowerCase().replace(/\s+/g, '-')}`;
    return (
      <NavGroup
        key={id}
        id={id}
        label={entry.label}
        items={entry.items}
        open={openGroup === id}
        onToggle={() => setOpenGroup((g) => (g === id ? null : id))}
        onClose={() => setOpenGroup(null)}
      />
    );
  });
}
