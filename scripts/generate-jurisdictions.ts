/**
 * Regenerates src/server/modules/jurisdictions/data/jurisdictions.json from the
 * us-atlas package (U.S. Census Bureau cartographic boundary files, 2017
 * edition). See docs/jurisdictions.md. Run: npx tsx scripts/generate-jurisdictions.ts
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const atlasPath = require.resolve('us-atlas/counties-10m.json');
interface Geometry {
  id: string;
  properties: { name: string };
}
const atlas = JSON.parse(readFileSync(atlasPath, 'utf8')) as {
  objects: { counties: { geometries: Geometry[] }; states: { geometries: Geometry[] } };
};

// USPS codes by state FIPS code (public ANSI/FIPS 5-2 table).
const usps: Record<string, string> = {
  '01': 'AL',
  '02': 'AK',
  '04': 'AZ',
  '05': 'AR',
  '06': 'CA',
  '08': 'CO',
  '09': 'CT',
  '10': 'DE',
  '11': 'DC',
  '12': 'FL',
  '13': 'GA',
  '15': 'HI',
  '16': 'ID',
  '17': 'IL',
  '18': 'IN',
  '19': 'IA',
  '20': 'KS',
  '21': 'KY',
  '22': 'LA',
  '23': 'ME',
  '24': 'MD',
  '25': 'MA',
  '26': 'MI',
  '27': 'MN',
  '28': 'MS',
  '29': 'MO',
  '30': 'MT',
  '31': 'NE',
  '32': 'NV',
  '33': 'NH',
  '34': 'NJ',
  '35': 'NM',
  '36': 'NY',
  '37': 'NC',
  '38': 'ND',
  '39': 'OH',
  '40': 'OK',
  '41': 'OR',
  '42': 'PA',
  '44': 'RI',
  '45': 'SC',
  '46': 'SD',
  '47': 'TN',
  '48': 'TX',
  '49': 'UT',
  '50': 'VT',
  '51': 'VA',
  '53': 'WA',
  '54': 'WV',
  '55': 'WI',
  '56': 'WY',
  '60': 'AS',
  '66': 'GU',
  '69': 'MP',
  '72': 'PR',
  '78': 'VI',
};

const states = atlas.objects.states.geometries
  .map((g) => ({ fips: g.id, name: g.properties.name, code: usps[g.id] }))
  .sort((a, b) => a.fips.localeCompare(b.fips));
for (const s of states) if (!s.code) throw new Error(`No USPS code for state ${s.fips} ${s.name}`);
const counties = atlas.objects.counties.geometries
  .map((g) => ({ fips: g.id, name: g.properties.name }))
  .sort((a, b) => a.fips.localeCompare(b.fips));

const out = {
  source: 'U.S. Census Bureau cartographic boundary files, 2017 edition, via the us-atlas npm package 3.0.1',
  states,
  counties,
};
writeFileSync(
  new URL('../src/server/modules/jurisdictions/data/jurisdictions.json', import.meta.url),
  JSON.stringify(out) + '\n',
);
console.log(`${states.length} states and territories, ${counties.length} counties and county-equivalents`);
