import { useId, type ReactNode } from 'react';
import { Link, useLocation, useSearchParams } from 'react-router';
import { rangeText } from '../format';

/**
 * A USWDS table that scrolls sideways on narrow screens. The scrolling box is
 * focusable and named by the caption, so keyboard users can scroll it.
 */
export function DataTable({
  caption,
  children,
  className,
}: {
  caption: ReactNode;
  children: ReactNode;
  className?: string;
}) {
  const captionId = useId();
  return (
    <div
      className="usa-table-container--scrollable data-table"
      tabIndex={0}
      role="region"
      aria-labelledby={captionId}
    >
      <table className={`usa-table usa-table--borderless usa-table--compact width-full ${className ?? ''}`}>
        <caption id={captionId}>{caption}</caption>
        {children}
      </table>
    </div>
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
    <th scope="col" aria-sort={state === 'none' ? undefined : state}>
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
}: {
  page: number;
  pageSize: number;
  total: number;
  label: string;
}) {
  const location = useLocation();
  const [params] = useSearchParams();
  const last = Math.max(1, Math.ceil(total / pageSize));
  if (last <= 1) return null;
  const href = (p: number) => {
    const next = new URLSearchParams(params);
    if (p === 1) next.delete('page');
    else next.set('page', String(p));
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
export function usePageParam(): number {
  const [params] = useSearchParams();
  const n = Number(params.get('page') ?? '1');
  return Number.isInteger(n) && n >= 1 ? n : 1;
}
