import type { FormEvent, ReactNode } from 'react';
import { Link } from 'react-router';
import { Button, Form } from '@trussworks/react-uswds';
import type { Paged } from '../api';
import { ExportLinks } from './ExportLinks';
import { Loading, Page } from './Page';
import { ErrorAlert } from './PageError';
import { Pager, ResultCount, SortSelect, type SortChoice } from './Table';

/**
 * The filter form of a list page: its fields in a row on wide screens, the button that applies
 * them, and (once a filter is applied) a link back to the unfiltered list.
 */
export function FilterForm({
  label,
  onApply,
  submit = 'Search',
  clear,
  children,
}: {
  /** Names the search landmark, e.g. "Find people"; without it the form is not a landmark. */
  label?: string;
  onApply: () => void;
  /** The button's text. */
  submit?: string;
  /** Where "Clear …" goes and what it says, shown only while filters are applied. */
  clear?: { to: string; text: string } | false;
  /** The fields, each in a grid column (e.g. `<div className="tablet:grid-col-4">`). */
  children: ReactNode;
}) {
  const onSubmit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    onApply();
  };
  return (
    <Form
      onSubmit={onSubmit}
      className="filters"
      noValidate
      {...(label ? { role: 'search', 'aria-label': label } : {})}
    >
      <div className="grid-row grid-gap">{children}</div>
      <div className="filters-actions">
        <Button type="submit">{submit}</Button>
        {clear && (
          <Link to={clear.to} className="usa-button usa-button--outline">
            {clear.text}
          </Link>
        )}
      </div>
    </Form>
  );
}

/** What ListPage needs of a react-query result for one page of a list. */
export interface ListQuery<T> {
  isPending: boolean;
  isError: boolean;
  error: unknown;
  data?: Paged<T> | undefined;
}

/**
 * The skeleton every searchable list page shares: title and lead, anything above the filters
 * (an "Add …" button), the filter form, then while loading a polite line, on failure the server's
 * explanation, and once loaded the download links, "Showing 1–25 of 312 …", the table (only when
 * there are rows) and the pager.
 *
 *   <ListPage title="People" filters={<FilterForm …/>} list={people} noun="people"
 *     exports={{ href: '/api/people/export', params: applied, what: 'the people list' }}
 *     table={(items) => <DataTable stacked …/>} />
 */
export function ListPage<T>({
  title,
  lead,
  actions,
  filters,
  children,
  list,
  loading,
  noun,
  pagerLabel,
  exports,
  sort,
  table,
}: {
  title: string;
  lead?: ReactNode;
  /** Shown above the filters, e.g. an "Add a person" button. */
  actions?: ReactNode;
  filters: ReactNode;
  /** Shown between the filters and the results (e.g. the message opened from the list). */
  children?: ReactNode;
  list: ListQuery<T>;
  /** Completes "Loading …"; defaults to the noun. */
  loading?: string;
  /** Completes "Showing 1–25 of 312 …" and "No … match." */
  noun: string;
  /** Completes "Pages of …"; defaults to the noun. */
  pagerLabel?: string;
  /** The export route, the filters it carries and what it holds; false or absent for none. */
  exports?:
    { href: string; params?: Record<string, string | number | null | undefined>; what: string } | false;
  /** The table's sort orders, offered as a select on phones, where the header row is not shown. */
  sort?: { choices: SortChoice[]; current: string; onSort: (value: string) => void };
  table: (items: T[]) => ReactNode;
}) {
  const data = list.data;
  return (
    <Page title={title} lead={lead}>
      {actions}
      {filters}
      {children}
      {list.isPending && <Loading what={loading ?? noun} />}
      {list.isError && (
        <div className="margin-top-3">
          <ErrorAlert error={list.error} />
        </div>
      )}
      {data && (
        <>
          {exports && <ExportLinks href={exports.href} params={exports.params} what={exports.what} />}
          <ResultCount
            page={data.page.page}
            pageSize={data.page.pageSize}
            total={data.page.total}
            noun={noun}
          />
          {data.items.length > 0 && (
            <>
              {sort && <SortSelect {...sort} />}
              {table(data.items)}
            </>
          )}
          <Pager
            page={data.page.page}
            pageSize={data.page.pageSize}
            total={data.page.total}
            label={pagerLabel ?? noun}
          />
        </>
      )}
    </Page>
  );
}
