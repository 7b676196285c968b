import { useId, useLayoutEffect, useRef, type ReactNode } from 'react';
import { Link, useLocation, useSearchParams } from 'react-router';
import { rangeText } from '../format';
import { SelectField } from './Form';

/**
 * The label a stacked cell shows for its column: the header's `data-label` when it has one (sort
 * headers do), else its visible text, else its screen-reader text ("Actions").
 */
function headerLabel(th: HTMLTableCellElement): string {
  if (th.dataset.label) return th.dataset.label;
  const copy = th.cloneNode(true) as HTMLElement;
  copy.querySelectorAll('[aria-hidden="true"]').forEach((n) => n.remove());
  const all = (copy.textContent ?? '').trim();
  copy.querySelectorAll('.usa-sr-only').forEach((n) => n.remove());
  return (copy.textContent ?? '').trim() || all;
}

/** Puts each column's header text on its body cells as `data-label`, for the stacked layout. */
function labelCells(table: HTMLTableElement) {
  const headerRow = table.tHead?.rows[table.tHead.rows.length - 1];
  if (!headerRow) return;
  const labels: string[] = [];
  for (const th of Array.from(headerRow.cells))
    for (let i = 0; i < th.colSpan; i++) labels.push(headerLabel(th));
  for (const body of Array.from(table.tBodies))
    for (const row of Array.from(body.rows)) {
      let column = 0;
      for (const cell of Array.from(row.cells)) {
        const label = labels[column];
        if (label && cell.colSpan === 1) cell.setAttribute('data-label', label);
        else cell.removeAttribute('data-label');
        column += cell.colSpan;
      }
    }
}

/**
 * A USWDS table that scrolls sideways on narrow screens. The scrolling box is
 * focusable and named by the caption, so keyboard users can scroll it.
 *
 * `stacked`: below 640 px each row becomes a block of its cells, one under another, each with its
 * column's name above it (USWDS's usa-table--stacked, from 480 px up to 640 px too), instead of
 * columns clipped by sideways scrolling. The header row is not shown then, so a sortable list also
 * offers its orders in a SortSelect. The column names are copied from the header row onto every
 * body cell as `data-label` after each render.
 */
export function DataTable({
  caption,
  children,
  className,
  stacked = false,
}: {
  caption: ReactNode;
  children: ReactNode;
  className?: string;
  stacked?: boolean;
}) {
  const captionId = useId();
  const table = useRef<HTMLTableElement>(null);
  useLayoutEffect(() => {
    if (stacked && table.current) labelCells(table.current);
  });
  return (
    // A named <section> is a region: keyboard users can scroll a wide table, and hear its caption.
    <section
      className={`usa-table-container--scrollable data-table${stacked ? ' data-table--stacked' : ''}`}
      tabIndex={0}
      aria-labelledby={captionId}
    >
      <table
        ref={table}
        className={`usa-table usa-table--borderless usa-table--compact width-full${
          stacked ? ' usa-table--stacked' : ''
        } ${className ?? ''}`}
      >
        <caption id={captionId}>{caption}</caption>
        {children}
      </table>
    </section>
  );
}

/** One order a list can be sorted in, as a sort select offers it. */
export interface SortChoice {
  value: string;
  label: string;
}

/**
 * "Sort by" for phones, where a stacked table hides the header row and its sort buttons; hidden
 * from 640 px up, where the headers sort.
 */
export function SortSelect({
  choices,
  current,
  onSort,
}: {
  choices: SortChoice[];
  current: string;
  onSort: (value: string) => void;
}) {
  const id = useId();
  return (
    <SelectField id={id} label="Sort by" groupClassName="sort-select" value={current} onChange={onSort}>
      {choices.map((c) => (
        <option key={c.value} value={c.value}>
          {c.label}
        </option>
      ))}
    </SelectField>
  );
}

export interface SortOption {
  /** Value sent for ascending order, e.g. 'name'. */
  asc: string;
  /** Value for descending order, e.g. '-name'; omit when the column sorts one way only. */
  desc?: string;
  /** Which order a first click gives. */
  first?: 'asc' | 'desc';
}

/** A column header that sorts the table on the server, with aria-sort saying how it is sorted now. */
export function SortHeader({
  label,
  option,
  current,
  onSort,
}: {
  label: string;
  option: SortOption;
  current: string;
  onSort: (value: string) => void;
}) {
  const state =
    current === option.asc ? 'ascending' : option.desc && current === option.desc ? 'descending' : 'none';
  const next =
    state === 'ascending'
      ? (option.desc ?? option.asc)
      : state === 'descending'
        ? option.asc
        : option.first === 'desc' && option.desc
          ? option.desc
          : option.asc;
  const nextWords = next === option.desc ? 'descending' : 'ascending';
  const arrow = state === 'ascending' ? '▲' : state === 'descending' ? '▼' : '⇅';
  return (
    <th scope="col" aria-sort={state === 'none' ? undefined : state} data-label={label}>
      <button
        type="button"
        className="usa-button usa-button--unstyled sort-button"
        onClick={() => onSort(next)}
        title={`Sort by ${label.toLowerCase()}, ${nextWords}`}
      >
        {label}
        <span className="sort-arrow" aria-hidden="true">
          {arrow}
        </span>
        <span className="usa-sr-only">
          {state === 'none' ? ', select to sort' : `, sorted ${state}, select to sort ${nextWords}`}
        </span>
      </button>
    </th>
  );
}

function pageList(current: number, last: number): (number | 'gap')[] {
  if (last <= 7) return Array.from({ length: last }, (_, i) => i + 1);
  const pages = new Set([1, last, current - 1, current, current + 1]);
  if (current <= 3) [2, 3, 4].forEach((p) => pages.add(p));
  if (current >= last - 2) [last - 3, last - 2, last - 1].forEach((p) => pages.add(p));
  const sorted = [...pages].filter((p) => p >= 1 && p <= last).sort((a, b) => a - b);
  const out: (number | 'gap')[] = [];
  sorted.forEach((p, i) => {
    if (i > 0 && p - sorted[i - 1]! > 1) out.push('gap');
    out.push(p);
  });
  return out;
}

/** USWDS pagination whose links keep the other search parameters of the current address. */
export function Pager({
  page,
  pageSize,
  total,
  label,
  param = 'page',
}: {
  page: number;
  pageSize: number;
  total: number;
  label: string;
  /** The address's parameter holding the page number, when a page has more than one list. */
  param?: string;
}) {
  const location = useLocation();
  const [params] = useSearchParams();
  const last = Math.max(1, Math.ceil(total / pageSize));
  if (last <= 1) return null;
  const href = (p: number) => {
    const next = new URLSearchParams(params);
    if (p === 1) next.delete(param);
    else next.set(param, String(p));
    const q = next.toString();
    return `${location.pathname}${q ? `?${q}` : ''}`;
  };
  return (
    <nav aria-label={`Pages of ${label}`} className="usa-pagination">
      <ul className="usa-pagination__list">
        {page > 1 && (
          <li className="usa-pagination__item usa-pagination__arrow">
            <Link to={href(page - 1)} className="usa-pagination__link usa-pagination__previous-page">
              <span className="pager-arrow" aria-hidden="true">
                ‹
              </span>
              <span className="usa-pagination__link-text">Previous</span>
              <span className="usa-sr-only"> page</span>
            </Link>
          </li>
        )}
        {pageList(page, last).map((p, i) =>
          p === 'gap' ? (
            <li
              key={`gap-${i}`}
              className="usa-pagination__item usa-pagination__overflow"
              aria-label="ellipsis indicating non-visible pages"
            >
              <span>…</span>
            </li>
          ) : (
            <li key={p} className="usa-pagination__item usa-pagination__page-no">
              <Link
                to={href(p)}
                className={`usa-pagination__button${p === page ? ' usa-current' : ''}`}
                aria-label={p === last ? `Last page, page ${p}` : `Page ${p}`}
                aria-current={p === page ? 'page' : undefined}
              >
                {p}
              </Link>
            </li>
          ),
        )}
        {page < last && (
          <li className="usa-pagination__item usa-pagination__arrow">
            <Link to={href(page + 1)} className="usa-pagination__link usa-pagination__next-page">
              <span className="usa-pagination__link-text">Next</span>
              <span className="usa-sr-only"> page</span>
              <span className="pager-arrow" aria-hidden="true">
                ›
              </span>
            </Link>
          </li>
        )}
      </ul>
    </nav>
  );
}

/** "Showing 1–25 of 312 people", announced politely when it changes. */
export function ResultCount({
  page,
  pageSize,
  total,
  noun,
}: {
  page: number;
  pageSize: number;
  total: number;
  noun: string;
}) {
  return (
    <p className="result-count" role="status">
      {total === 0 ? `No ${noun} match.` : `Showing ${rangeText(page, pageSize, total)} ${noun}.`}
    </p>
  );
}

/** Read a positive page number from the address. */
export function usePageParam(param = 'page'): number {
  const [params] = useSearchParams();
  const n = Number(params.get(param) ?? '1');
  return Number.isInteger(n) && n >= 1 ? n : 1;
}
