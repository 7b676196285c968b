import type { ReactNode } from 'react';
import type { Role } from '../../domain/authz';
import { roleLabels } from '../auth';

/** A list of labelled facts (a description list laid out as two columns). */
export function Facts({ items }: { items: [label: string, value: ReactNode][] }) {
  return (
    <dl className="facts">
      {items.map(([label, value]) => (
        <div key={label}>
          <dt>{label}</dt>
          <dd>
            {value === null || value === undefined || value === '' ? (
              <span className="text-base">Not given</span>
            ) : (
              value
            )}
          </dd>
        </div>
      ))}
    </dl>
  );
}

export function RoleTags({ roles }: { roles: readonly Role[] }) {
  if (roles.length === 0) return <span className="text-base">No roles</span>;
  return (
    <span className="role-tags">
      {roles.map((r) => (
        <span key={r} className="usa-tag bg-primary-dark">
          {roleLabels[r]}
        </span>
      ))}
    </span>
  );
}

export function RoleList({ roles }: { roles: readonly Role[] }) {
  return <>{roles.length ? roles.map((r) => roleLabels[r]).join(', ') : 'No roles'}</>;
}
