import { describe, expect, it } from 'vitest';
import { countyLabel } from './jurisdictions.js';

describe('countyLabel', () => {
  it.each([
    ['20177', 'Shawnee', 'Shawnee County'],
    ['22071', 'Orleans', 'Orleans Parish'],
    ['02122', 'Kenai Peninsula', 'Kenai Peninsula Borough'],
    ['02020', 'Anchorage', 'Anchorage Municipality'],
    ['02050', 'Bethel', 'Bethel Census Area'],
    ['02110', 'Juneau', 'Juneau City and Borough'],
    ['51760', 'Richmond', 'City of Richmond'],
    ['51159', 'Richmond', 'Richmond County'],
    ['24510', 'Baltimore', 'City of Baltimore'],
    ['24005', 'Baltimore', 'Baltimore County'],
    ['29510', 'St. Louis', 'City of St. Louis'],
    ['32510', 'Carson City', 'Carson City'],
    ['11001', 'District of Columbia', 'District of Columbia'],
    // A county code of 510 or more elsewhere is an ordinary county.
    ['06510', 'Imaginary', 'Imaginary County'],
  ])('%s %s is %s', (fips, name, label) => {
    expect(countyLabel({ fips, name })).toBe(label);
  });

  it('names every county equivalent of the shipped list once, and gives every Alaskan one a kind', async () => {
    const { readFileSync } = await import('node:fs');
    const data = JSON.parse(
      readFileSync(
        new URL('../server/modules/jurisdictions/data/jurisdictions.json', import.meta.url),
        'utf8',
      ),
    ) as { states: { fips: string }[]; counties: { fips: string; name: string }[] };
    const labels = new Map<string, string[]>();
    for (const c of data.counties) {
      const key = `${c.fips.slice(0, 2)} ${countyLabel(c)}`;
      labels.set(key, [...(labels.get(key) ?? []), c.fips]);
      if (c.fips.startsWith('02')) expect(countyLabel(c), c.fips).not.toBe(c.name);
    }
    // Within a state no two county equivalents share a label (Richmond city and county, and so on).
    expect([...labels].filter(([, f]) => f.length > 1)).toEqual([]);
  });
});
