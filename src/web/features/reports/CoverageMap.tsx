import { useQuery } from '@tanstack/react-query';
import type { CountyShapes, CountyStatus, CoverageReport } from '../../../contract/reports';
import { api } from '../../api';
import { Loading } from '../../components/Page';
import { ErrorAlert } from '../../components/PageError';
import { countyLabel } from '../../../contract/jurisdictions';

/** Colors a color-blind reader can tell apart (blue / gold / white), each with its own pattern too. */
export const countyStyles: Record<CountyStatus, { label: string; color: string; fill: string }> = {
  certified: { label: 'Has a certified official', color: '#005ea2', fill: 'url(#county-certified)' },
  in_progress: { label: 'In progress', color: '#ffbe2e', fill: 'url(#county-in_progress)' },
  none: { label: 'No enrolled official', color: '#ffffff', fill: 'url(#county-none)' },
};

/** Fill patterns: solid blue with light dots, gold with dark stripes, plain white. */
function Patterns({ prefix = 'county' }: { prefix?: string }) {
  return (
    <defs>
      <pattern id={`${prefix}-certified`} width="8" height="8" patternUnits="userSpaceOnUse">
        <rect width="8" height="8" fill={countyStyles.certified.color} />
        <circle cx="4" cy="4" r="1.2" fill="#ffffff" />
      </pattern>
      <pattern
        id={`${prefix}-in_progress`}
        width="6"
        height="6"
        patternUnits="userSpaceOnUse"
        patternTransform="rotate(45)"
      >
        <rect width="6" height="6" fill={countyStyles.in_progress.color} />
        <line x1="0" y1="0" x2="0" y2="6" stroke="#1b1b1b" strokeWidth="1.5" />
      </pattern>
      <pattern id={`${prefix}-none`} width="8" height="8" patternUnits="userSpaceOnUse">
        <rect width="8" height="8" fill={countyStyles.none.color} />
      </pattern>
    </defs>
  );
}

export function MapLegend({ totals }: { totals: CoverageReport['totals'] }) {
  return (
    <ul className="map-legend" aria-label="Map legend">
      {(Object.keys(countyStyles) as CountyStatus[]).map((s) => (
        <li key={s} data-legend={s}>
          <svg width="28" height="20" aria-hidden="true" focusable="false">
            <Patterns prefix={`legend-${s}`} />
            <rect width="28" height="20" fill={`url(#legend-${s}-${s})`} />
          </svg>
          <span>
            {countyStyles[s].label} ({totals[s]} {totals[s] === 1 ? 'county' : 'counties'})
          </span>
        </li>
      ))}
    </ul>
  );
}

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/**
 * The state's counties, each a focusable button colored by status. Click or
 * Enter/Space selects a county; the page shows its officials below.
 */
export function CoverageMap({
  report,
  selected,
  onSelect,
}: {
  report: CoverageReport;
  selected: string | null;
  onSelect: (fips: string) => void;
}) {
  const shapes = useQuery({
    queryKey: ['county-shapes', report.stateFips],
    queryFn: () => api.get<CountyShapes>(`/api/reports/county-shapes/${report.stateFips}`),
    enabled: !!report.stateFips,
    staleTime: Infinity,
  });
  if (!report.stateFips) return <p>No enrolled official has a county yet, so there is no map to draw.</p>;
  if (shapes.isPending) return <Loading what="the county map" />;
  if (shapes.error) return <ErrorAlert error={shapes.error} />;
  const byFips = new Map(report.counties.map((c) => [c.fips, c]));
  const { width, height, counties } = shapes.data;
  return (
    <svg
      className="county-map"
      viewBox={`0 0 ${width} ${height}`}
      role="group"
      aria-labelledby="county-map-title county-map-desc"
      data-testid="county-map"
    >
      <title id="county-map-title">Map of {report.stateName} counties by certification status</title>
      <desc id="county-map-desc">
        {report.totals.certified} counties have a certified official, {report.totals.in_progress} have
        officials in progress and {report.totals.none} have no enrolled official. Select a county to list its
        officials; the table after the map has the same information.
      </desc>
      <Patterns />
      {counties.map((c) => {
        const row = byFips.get(c.fips);
        const status: CountyStatus = row?.status ?? 'none';
        const label = `${countyLabel(c)}: ${countyStyles[status].label.toLowerCase()}${
          row && row.officials ? `, ${plural(row.officials, 'official', 'officials')}` : ''
        }`;
        return (
          <path
            key={c.fips}
            d={c.d}
            fill={countyStyles[status].fill}
            data-fips={c.fips}
            data-status={status}
            role="button"
            tabIndex={0}
            aria-label={label}
            aria-pressed={selected === c.fips}
            onClick={() => onSelect(c.fips)}
            onKeyDown={(e) => {
              if (e.key === 'Enter' || e.key === ' ') {
                e.preventDefault();
                onSelect(c.fips);
              }
            }}
          >
            <title>{label}</title>
          </path>
        );
      })}
    </svg>
  );
}
