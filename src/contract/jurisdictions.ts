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
