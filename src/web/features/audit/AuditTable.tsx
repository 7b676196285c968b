import { Link } from 'react-router';
import type { AuditEntry } from '../../api';
import { formatDateTime } from '../../format';
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
  if (entry.entityType === 'person' && id) {
    return (
      <>
        person <Link to={`/people/${id}`}>{id.slice(0, 8)}</Link>
      </>
    );
  }
  return (
    <>
      {entry.entityType}
      {id && <span className="text-base"> {id.length > 12 ? id.slice(0, 8) : id}</span>}
    </>
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
            <td className="nowrap">{formatDateTime(e.at)}</td>
            <td>{e.actorLabel}</td>
            <td>{actionText(e.action)}</td>
            <td>
              <EntityCell entry={e} />
            </td>
            <td>
              {e.before == null && e.after == null ? (
                <span className="text-base">None recorded</span>
              ) : (
                <details className="changes">
                  <summary>Before and after</summary>
                  <p className="text-bold margin-bottom-0">Before</p>
                  <pre className="json-block">
                    {e.before == null ? 'Nothing (new record)' : json(e.before)}
                  </pre>
                  <p className="text-bold margin-bottom-0">After</p>
                  <pre className="json-block">{e.after == null ? 'Nothing (removed)' : json(e.after)}</pre>
                  {e.requestId && <p className="usa-hint">Request {e.requestId}</p>}
                </details>
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </DataTable>
  );
}
