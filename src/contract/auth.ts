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
    /**
     * How people sign in here: local passwords (unless turned off) and the OpenID providers. The
     * server always sends it; absent (an older answer) means passwords only.
     */
    signIn: z
      .object({
        passwords: z.boolean(),
        providers: z.array(z.object({ id: z.string(), name: z.string() })),
      })
      .optional(),
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

// ------------------------------------------------------- OpenID Connect sign-in (issue 17)

export const signOutResponse = z
  .object({
    ok: z.literal(true),
    /** The provider's end-session address to sign out there too, when the session came from one. */
    redirectTo: z.string().nullable(),
  })
  .meta({ id: 'SignOut' });

const queryText = z.string().max(2000).optional();

export const oidcProviderParams = z.strictObject({
  provider: z.string().regex(/^[a-z0-9][a-z0-9-]{0,39}$/, { message: 'Not a sign-in provider.' }),
});
export const oidcStartQuery = z.strictObject({ next: z.string().max(500).optional() });
/** What providers send back: the code and state, or an error; and what some add (Entra, Google). */
export const oidcCallbackQuery = z.strictObject({
  code: queryText,
  state: queryText,
  error: queryText,
  error_description: queryText,
  error_uri: queryText,
  iss: queryText,
  session_state: queryText,
  scope: queryText,
  authuser: queryText,
  hd: queryText,
  prompt: queryText,
});

export const externalIdentitySchema = z
  .object({
    id: z.string(),
    provider: z.string(),
    providerName: z.string(),
    subject: z.string(),
    email: z.string().nullable(),
    linkedBy: z.enum(['email', 'jit', 'administrator']),
    createdAt: z.string(),
    lastSignInAt: z.string().nullable(),
  })
  .meta({ id: 'ExternalIdentity' });
export type ExternalIdentityView = z.infer<typeof externalIdentitySchema>;
export const externalIdentitiesResponse = z.object({ items: z.array(externalIdentitySchema) });

export const externalIdentityBody = z.strictObject({
  provider: z
    .string({ message: 'Choose a provider.' })
    .trim()
    .min(1, { message: 'Choose a provider.' })
    .max(40),
  subject: z
    .string({ message: 'Enter the subject (sub) the provider gives this person.' })
    .trim()
    .min(1, { message: 'Enter the subject (sub) the provider gives this person.' })
    .max(255, { message: 'At most 255 characters.' }),
});
