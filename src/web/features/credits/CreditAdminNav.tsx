import { NavLink } from 'react-router';
import { useSession } from '../../api';
import { allowed } from '../../auth';

/**
 * Links between the staff screens for outside credit (one entry in the main
 * navigation, "Staff credit", leads here): credit entries, fees, reviewers.
 */
export function CreditAdminNav() {
  const user = useSession().data?.user;
  const links = [
    ...(allowed(user, 'credits.create') ? [{ to: '/credits', label: 'Credit entries' }] : []),
    ...(allowed(user, 'claims.fee.list') ? [{ to: '/fees', label: 'Credit fees' }] : []),
    ...(allowed(user, 'reviewers.manage') ? [{ to: '/reviewers', label: 'Claim reviewers' }] : []),
  ];
  if (links.length < 2) return null;
  return (
    <nav aria-label="Staff credit screens" className="margin-bottom-3">
      <ul className="usa-button-group">
        {links.map((l) => (
          <li key={l.to} className="usa-button-group__item">
            <NavLink
              to={l.to}
              end
              className={({ isActive }) => `usa-button ${isActive ? '' : 'usa-button--outline'}`}
            >
              {l.label}
            </NavLink>
          </li>
        ))}
      </ul>
    </nav>
  );
}
