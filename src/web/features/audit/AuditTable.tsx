import { Link } from 'react-router';
import type { AuditEntry } from '../../api';
import { browserZone, formatDateTime } from '../../format';
import { DataTable } from '../../components/Table';

function json(value: unknown): string {
  return JSON.stringify(value, null, 2);
}

/** "person.update" → "person update"; keeps the code readable without hiding it. */
function actionText(action: string): string {
  return action.replace(/[._]/g, ' ');
}

function EntityCell({ entry }: { entry: AuditEntry }) {
  const id = entry.entityId;
  // People (and their accounts) by name, linked to their record when it is a person.
  if (entry.entityType === 'person' && id) {
    return <Link to={`/people/${id}`}>{entry.entityLabel ?? 'a person no longer on file'}</Link>;
  }
  if (entry.entityType === 'user' && entry.entityLabel) return <>{entry.entityLabel} (account)</>;
  return (
    <>
      {entry.entityType}
      {id && <span className="text-base"> {id.length > 12 ? id.slice(0, 8) : id}</span>}
    </>
  );
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

function show(value: unknown): string {
  if (value === null || value === undefined || value === '') return '(empty)';
  if (typeof value === 'string') return value;
  return JSON.stringify(value);
}

/** What changed: field by field when both sides are records, otherwise the raw before and after. */
function Changes({
  before,
  after,
  requestId,
}: {
  before: unknown;
  after: unknown;
  requestId: string | null;
}) {
  if (before == null && after == null) return <span className="text-base">None recorded</span>;
  if (isObj(before) && isObj(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].filter(
      (k) => k !== 'updatedAt' && JSON.stringify(before[k]) !== JSON.stringify(after[k]),
    );
    if (keys.length === 0) return <span className="text-base">No fields changed</span>;
    return (
      <details className="changes">
        <summary>{keys.length === 1 ? '1 field changed' : `${keys.length} fields changed`}</summary>
        <ul className="change-list">
          {keys.map((k) => (
            <li key={k}>
              <strong>{k}</strong>: was <span className="change-old">{show(before[k])}</span>, now{' '}
              <span className="change-new">{show(after[k])}</span>
            </li>
          ))}
        </ul>
        {requestId && <p className="usa-hint">Request {requestId}</p>}
      </details>
    );
  }
  const only = before == null ? after : after == null ? before : null;
  if (isObj(only)) {
    return (
      <details className="changes">
        <summary>{before == null ? 'New record' : 'Removed record'}</summary>
        <ul className="change-list">
          {Object.entries(only).map(([k, v]) => (
            <li key={k}>
              <strong>{k}</strong>: {show(v)}
            </li>
          ))}
        </ul>
        {requestId && <p className="usa-hint">Request {requestId}</p>}
      </details>
    );
  }
  return (
    <details className="changes">
      <summary>
        {before == null ? 'New record' : after == null ? 'Removed record' : 'Before and after'}
      </summary>
      {before != null && (
        <>
          <p className="text-bold margin-bottom-0">Before</p>
          <pre className="json-block">{json(before)}</pre>
        </>
      )}
      {after != null && (
        <>
          <p className="text-bold margin-bottom-0">After</p>
          <pre className="json-block">{json(after)}</pre>
        </>
      )}
      {requestId && <p className="usa-hint">Request {requestId}</p>}
    </details>
  );
}

export function AuditTable({ entries, caption }: { entries: AuditEntry[]; caption: string }) {
  return (
    <DataTable caption={caption}>
      <thead>
        <tr>
          <th scope="col">When</th>
          <th scope="col">Who</th>
          <th scope="col">Action</th>
          <th scope="col">Record</th>
          <th scope="col">Changes</th>
        </tr>
      </thead>
      <tbody>
        {entries.map((e) => (
          <tr key={e.id}>
            <td className="nowrap">{formatDateTime(e.at, browserZone)}</td>
            <td>{e.actorLabel}</td>
            <td>{actionText(e.action)}</td>
            <td>
              <EntityCell entry={e} />
            </td>
            <td>
              <Changes before={e.before} after={e.after} requestId={e.requestId} />
            </td>
          </tr>
        ))}
      </tbody>
    </DataTable>
  );
}
