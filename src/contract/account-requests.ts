import { z } from 'zod';
import { emailSchema, optionalText, pageInfo, pageQuery, text } from './common.js';
import { jurisdictionSchema } from './jurisdictions.js';

import { requestAbilitiesSchema } from './programs.js';
/** Someone without an account asks for one from the public pages (issue 17, item 2). */
export const accountRequestBody = z.strictObject({
  firstName: text(100, 'First name'),
  lastName: text(100, 'Last name'),
  email: emailSchema,
  jurisdictionFips: z
    .string({ message: 'County is required.' })
    .regex(/^\d{5}$/, { message: 'Choose your county.' }),
  position: text(100, 'Position'),
  note: optionalText(1000, 'Anything else'),
});
export type AccountRequestInput = z.infer<typeof accountRequestBody>;

/** The same answer whether or not the address already has an account or a waiting request. */
export const accountRequestReceived = z
  .object({ received: z.literal(true), message: z.string() })
  .meta({ id: 'AccountRequestReceived' });

export const accountRequestStatuses = ['pending', 'approved', 'declined'] as const;

export const accountRequestSchema = z
  .object({
    id: z.string(),
    abilities: requestAbilitiesSchema,
    firstName: z.string(),
    lastName: z.string(),
    email: z.string(),
    jurisdiction: jurisdictionSchema,
    position: z.string(),
    note: z.string().nullable(),
    status: z.enum(accountRequestStatuses),
    createdAt: z.string(),
    decidedAt: z.string().nullable(),
    /** Who approved or declined it. */
    decidedBy: z.string().nullable(),
    declineReason: z.string().nullable(),
    /** The person created on approval. */
    personId: z.string().nullable(),
  })
  .meta({ id: 'AccountRequest' });
export type AccountRequest = z.infer<typeof accountRequestSchema>;

export const accountRequestQuery = z.strictObject({
  status: z
    .enum(accountRequestStatuses, { message: 'Status must be pending, approved or declined.' })
    .default('pending'),
  ...pageQuery,
});
export type AccountRequestQuery = z.infer<typeof accountRequestQuery>;

export const accountRequestList = z
  .object({ items: z.array(accountRequestSchema), page: pageInfo })
  .meta({ id: 'AccountRequestList' });

export const declineAccountRequestBody = z.strictObject({
  reason: text(1000, 'Reason'),
});
