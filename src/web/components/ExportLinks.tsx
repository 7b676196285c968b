import { qs } from '../api';

/**
 * "Download CSV" and "Download XLSX" links for a list or report, carrying the
 * filters now applied. `href` is the export route (e.g. /api/people/export);
 * paging parameters are dropped because an export holds every row.
 *
 *   <ExportLinks href="/api/people/export" params={applied} what="people" />
 */
export function ExportLinks({
  href,
  params = {},
  what,
}: {
  href: string;
  params?: Record<string, string | number | null | undefined>;
  /** Names the download for screen readers, e.g. "the people list". */
  what: string;
}) {
  const { page: _page, pageSize: _size, ...filters } = params;
  return (
    <ul className="usa-button-group export-links margin-y-2" aria-label={`Download ${what}`}>
      {(['csv', 'xlsx'] as const).map((format) => (
        <li className="usa-button-group__item" key={format}>
          <a
            className="usa-button usa-button--outline"
            href={`${href}${qs({ ...filters, format })}`}
            download
            data-format={format}
          >
            Download {format.toUpperCase()}
            <span className="usa-sr-only"> of {what}</span>
          </a>
        </li>
      ))}
    </ul>
  );
}
