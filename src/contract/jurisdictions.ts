import { z } from 'zod';
import { pageInfo, pageQuery } from './common.js';

export const jurisdictionSchema = z
  .object({
    fips: z.string(),
    kind: z.enum(['state', 'county']),
    name: z.string(),
    stateFips: z.string(),
    stateCode: z.string(),
    stateName: z.string(),
  })
  .meta({ id: 'Jurisdiction' });
export type Jurisdiction = z.infer<typeof jurisdictionSchema>;

export const jurisdictionQuery = z.strictObject({
  q: z.string().trim().max(100, { message: 'Search text must be at most 100 characters.' }).optional(),
  state: z
    .string()
    .regex(/^[A-Za-z]{2}$|^\d{2}$/, { message: 'State must be a two-letter code or two-digit FIPS code.' })
    .optional(),
  kind: z.enum(['state', 'county']).optional(),
  ...pageQuery,
});

export const jurisdictionList = z.object({ items: z.array(jurisdictionSchema), page: pageInfo });

// Alaska's county equivalents by FIPS code: boroughs, cities and boroughs, municipalities and
// census areas (U.S. Census Bureau names, 2017, the edition of the boundaries we ship).
const alaska: Record<string, string> = {
  '02013': 'Borough',
  '02016': 'Census Area',
  '02020': 'Municipality',
  '02050': 'Census Area',
  '02060': 'Borough',
  '02068': 'Borough',
  '02070': 'Census Area',
  '02090': 'Borough',
  '02100': 'Borough',
  '02105': 'Census Area',
  '02110': 'City and Borough',
  '02122': 'Borough',
  '02130': 'Borough',
  '02150': 'Borough',
  '02158': 'Census Area',
  '02164': 'Borough',
  '02170': 'Borough',
  '02180': 'Census Area',
  '02185': 'Borough',
  '02188': 'Borough',
  '02195': 'Borough',
  '02198': 'Census Area',
  '02220': 'City and Borough',
  '02230': 'Municipality',
  '02240': 'Census Area',
  '02261': 'Census Area',
  '02275': 'City and Borough',
  '02282': 'City and Borough',
  '02290': 'Census Area',
};

/**
 * How a county (or county equivalent) is named to people: "Shawnee County", "Orleans Parish",
 * "Kenai Peninsula Borough", "City of Richmond" (Virginia's independent cities, Baltimore,
 * St. Louis; the county of the same name stays "Richmond County"), "Carson City", "District of
 * Columbia". The names we store are bare ("Shawnee"), as in the Census boundary files.
 */
export function countyLabel(j: { fips: string; name: string }): string {
  const state = j.fips.slice(0, 2);
  const code = Number(j.fips.slice(2));
  if (state === '11') return j.name;
  if (state === '22') return `${j.name} Parish`;
  if (state === '02') return alaska[j.fips] ? `${j.name} ${alaska[j.fips]}` : j.name;
  // Independent cities have county codes from 510 up (Virginia, Maryland, Missouri, Nevada).
  if (code >= 510 && ['51', '24', '29', '32'].includes(state))
    return /\bCity$/.test(j.name) ? j.name : `City of ${j.name}`;
  return `${j.name} County`;
}
