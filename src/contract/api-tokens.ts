import { z } from 'zod';
import { tokenScopes } from '../domain/authz/index.js';
import { emailSchema, text, uuidSchema } from './common.js';

/** API tokens for integrations and training providers' rosters (issue 17, items 5 and 7). */

export const providerSchema = z.object({ id: z.string(), name: z.string() }).meta({ id: 'Provider' });
export const providerList = z.object({ items: z.array(providerSchema) }).meta({ id: 'ProviderList' });

export const tokenScopeSchema = z.enum(tokenScopes, {
  message: `Scope must be one of ${tokenScopes.join(', ')}.`,
});

/** How long a new token lasts, in days: at most a year, so every integration is looked at again. */
export const TOKEN_MAX_DAYS = 366;

export const createApiTokenBody = z.strictObject({
  name: text(100, 'Name'),
  scopes: z
    .array(tokenScopeSchema, { message: 'Scopes must be a list.' })
    .min(1, { message: 'Choose at least one scope.' })
    .max(tokenScopes.length, { message: 'Each scope once.' })
    .refine((s) => new Set(s).size === s.length, { message: 'Each scope once.' }),
  /** Limits a `credits:write` token to the sessions of one provider's courses. */
  providerId: uuidSchema.nullish().transform((v) => v ?? null),
  expiresInDays: z
    .number({ message: 'Expires in (days) must be a number.' })
    .int({ message: 'Expires in (days) must be a whole number.' })
    .min(1, { message: 'Expires in (days) must be at least 1.' })
    .max(TOKEN_MAX_DAYS, { message: `Expires in (days) must be at most ${TOKEN_MAX_DAYS}.` }),
});
export type CreateApiTokenInput = z.infer<typeof createApiTokenBody>;

export const apiTokenStatuses = ['active', 'expired', 'revoked'] as const;

export const apiTokenSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    /** The first characters of the secret, to tell tokens apart; never enough to use it. */
    hint: z.string(),
    scopes: z.array(tokenScopeSchema),
    provider: providerSchema.nullable(),
    status: z.enum(apiTokenStatuses),
    expiresAt: z.string(),
    createdAt: z.string(),
    /** Who created it (a person's name), null when made by the demo loader or the CLI. */
    createdBy: z.string().nullable(),
    revokedAt: z.string().nullable(),
    revokedBy: z.string().nullable(),
    lastUsedAt: z.string().nullable(),
    lastUsedIp: z.string().nullable(),
  })
  .meta({ id: 'ApiToken' });
export type ApiToken = z.infer<typeof apiTokenSchema>;

export const apiTokenList = z.object({ items: z.array(apiTokenSchema) }).meta({ id: 'ApiTokenList' });

/** The answer to creating a token: the secret, shown this once and never stored. */
export const createdApiToken = z
  .object({ token: apiTokenSchema, secret: z.string() })
  .meta({ id: 'CreatedApiToken' });

// ---------------------------------------------------------------- provider rosters

export const MAX_ROSTER_ROWS = 2000;

export const providerRosterRow = z.strictObject({
  email: emailSchema.optional(),
  externalId: z
    .string({ message: 'External id must be text.' })
    .trim()
    .min(1, { message: 'External id cannot be empty.' })
    .max(100, { message: 'External id must be at most 100 characters.' })
    .optional(),
  minutes: z
    .number({ message: 'Minutes must be a number.' })
    .int({ message: 'Minutes must be a whole number.' })
    .min(0, { message: 'Minutes cannot be negative.' })
    .max(10_080, { message: 'Minutes must be at most 10080.' }),
});

export const providerRosterBody = z.strictObject({
  rows: z
    .array(providerRosterRow, { message: 'Rows must be a list.' })
    .min(1, { message: 'Give at least one row.' })
    .max(MAX_ROSTER_ROWS, { message: `Send at most ${MAX_ROSTER_ROWS} rows at a time.` }),
});
export type ProviderRosterInput = z.infer<typeof providerRosterBody>;

export const providerRosterResult = z
  .object({
    sessionId: z.string(),
    rows: z.array(
      z.object({
        /** 1-based, as the rows were posted. */
        row: z.number().int(),
        personId: z.string(),
        registrationId: z.string(),
        minutes: z.number().int(),
        /** What the minutes were before this post (null: none recorded). */
        previousMinutes: z.number().int().nullable(),
        /** False when the row repeats what is already recorded: nothing was written for it. */
        changed: z.boolean(),
        /** The person's net credit from this session after the post. */
        credits: z.number(),
      }),
    ),
    changed: z.number().int(),
    unchanged: z.number().int(),
  })
  .meta({ id: 'ProviderRosterResult' });
