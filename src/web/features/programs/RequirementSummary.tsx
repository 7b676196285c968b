import type { ReactNode } from 'react';
import type { JsonObject } from './definitionPaths';

type Node = JsonObject & { id?: string; type?: string; title?: string };

const num = (v: unknown) => (typeof v === 'number' ? v : null);

/** One line of plain language for a requirement node ("at least 72 credits, 16 of them iGO-sponsored"). */
function line(n: Node, unit: string, sets: Map<string, string>): string {
  switch (n.type) {
    case 'credits': {
      const parts = [`at least ${num(n.min) ?? '?'} ${unit}`];
      for (const m of Array.isArray(n.minimums) ? (n.minimums as Node[]) : [])
        parts.push(`${num(m.min) ?? '?'} of them ${String(m.label ?? m.id)}`);
      return parts.join(', ');
    }
    case 'courses': {
      const what = Array.isArray(n.courses)
        ? n.courses.join(', ')
        : `the ${sets.get(String(n.courseSet)) ?? String(n.courseSet)} courses`;
      return typeof n.count === 'number' ? `${n.count} of ${what}` : `every one of ${what}`;
    }
    case 'nOf':
      return `${num(n.n) ?? '?'} of the following`;
    case 'anyOf':
      return 'any one of the following';
    case 'allOf':
      return 'all of the following';
    case 'exam':
      return `a score of at least ${num(n.minScore) ?? '?'} on ${String(n.exam)}`;
    case 'serviceYears':
      return `${num(n.minYears) ?? '?'} years of service`;
    case 'deadline':
      return typeof n.by === 'string' ? `by ${n.by}` : 'by a date';
    default:
      return String(n.type ?? '');
  }
}

function Tree({ node, unit, sets }: { node: Node; unit: string; sets: Map<string, string> }): ReactNode {
  const children = [
    ...(Array.isArray(node.items) ? (node.items as Node[]) : []),
    ...(node.item && typeof node.item === 'object' && !Array.isArray(node.item) ? [node.item as Node] : []),
  ];
  return (
    <li>
      <strong>{String(node.title ?? node.id)}</strong>: {line(node, unit, sets)}
      {children.length > 0 && (
        <ul>
          {children.map((c, i) => (
            <Tree key={String(c.id ?? i)} node={c} unit={unit} sets={sets} />
          ))}
        </ul>
      )}
    </li>
  );
}

/** The requirements of a definition as a nested list, for the program page. */
export function RequirementSummary({ definition }: { definition: JsonObject }) {
  const unit = (definition.unit as JsonObject | undefined)?.plural;
  const u = typeof unit === 'string' ? unit : 'credits';
  const sets = new Map(
    (Array.isArray(definition.courseSets) ? (definition.courseSets as Node[]) : []).map((s) => [
      String(s.id),
      String(s.name ?? s.id),
    ]),
  );
  const initial = (definition.initial as JsonObject | undefined)?.requirement as Node | undefined;
  const renewal = definition.renewal as JsonObject | undefined;
  return (
    <>
      {initial && (
        <ul className="usa-list rules-summary">
          <Tree node={initial} unit={u} sets={sets} />
        </ul>
      )}
      {renewal && (
        <p>
          Renewal every {String(renewal.cycleYears)} {renewal.cycleYears === 1 ? 'year' : 'years'}, with{' '}
          {String(renewal.graceDays ?? 0)} days’ grace
          {renewal.requirement && typeof renewal.requirement === 'object'
            ? `; each cycle needs ${line(renewal.requirement as Node, u, sets)}`
            : ''}
          .
        </p>
      )}
    </>
  );
}
