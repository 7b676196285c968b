import { z } from 'zod';
import { actions, roles } from '../domain/authz/index.js';
import { emailSchema } from './common.js';

export const roleSchema = z.enum(roles);

export const signInBody = z.strictObject({
  email: emailSchema,
  password: z
    .string({ message: 'Password must be text.' })
    .min(1, { message: 'Enter your password.' })
    .max(1000),
  code: z
    .string({ message: 'The code must be text.' })
    .max(40, { message: 'Enter the 6-digit code or a recovery code.' })
    .optional(),
});

export const passwordRequestBody = z.strictObject({ email: emailSchema });

export const emailConfirmBody = z.strictObject({
  token: z.string().min(10, { message: 'The link is incomplete.' }).max(200),
});
export const emailConfirmResponse = z.object({ email: z.string() });

export const passwordSetBody = z.strictObject({
  token: z.string().min(10, { message: 'The link is incomplete.' }).max(200),
  password: z
    .string({ message: 'Password must be text.' })
    .min(12, { message: 'Use at least 12 characters.' })
    .max(200, { message: 'Use at most 200 characters.' }),
});

export const sessionUser = z
  .object({
    userId: z.string(),
    personId: z.string(),
    email: z.string(),
    displayName: z.string(),
    roles: z.array(roleSchema),
    secondFactor: z.object({ enabled: z.boolean(), setupRequired: z.boolean() }),
    /**
     * Page-level abilities (src/domain/authz/policies.ts, signedInAbilities): the actions of the
     * authorization table this person may attempt, whether they have staff pages, and whether
     * they keep an official's own record. The web's navigation and create buttons read these.
     */
    abilities: z.object({
      actions: z.array(z.enum(actions)),
      staff: z.boolean(),
      ownRecord: z.boolean(),
    }),
  })
  .meta({ id: 'SessionUser' });

export const sessionResponse = z
  .object({
    user: sessionUser.nullable(),
    csrfToken: z.string().nullable(),
    organization: z.object({ name: z.string(), logoUrl: z.string().nullable(), state: z.string() }),
  })
  .meta({ id: 'SignInSession' });
export type SessionResponse = z.infer<typeof sessionResponse>;

const codeField = z
  .string({ message: 'The code must be text.' })
  .trim()
  .min(1, { message: 'Enter the code.' })
  .max(40, { message: 'Enter the 6-digit code or a recovery code.' });

export const secondFactorCodeBody = z.strictObject({ code: codeField });

export const secondFactorStatus = z
  .object({
    enabled: z.boolean(),
    enabledAt: z.string().nullable(),
    recoveryCodesLeft: z.number().int(),
    required: z.boolean(),
  })
  .meta({ id: 'SecondFactorStatus' });
export type SecondFactorStatusResponse = z.infer<typeof secondFactorStatus>;

export const secondFactorSetup = z
  .object({ secret: z.string(), otpauthUri: z.string(), qrCodeSvg: z.string() })
  .meta({ id: 'SecondFactorSetup' });
export type SecondFactorSetupResponse = z.infer<typeof secondFactorSetup>;

export const recoveryCodesResponse = z
  .object({ recoveryCodes: z.array(z.string()) })
  .meta({ id: 'RecoveryCodes' });
