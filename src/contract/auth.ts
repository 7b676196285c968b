import { z } from 'zod';
import { roles } from '../domain/authz/index.js';
import { emailSchema } from './common.js';

export const roleSchema = z.enum(roles);

export const signInBody = z.strictObject({
  email: emailSchema,
  password: z
    .string({ message: 'Password must be text.' })
    .min(1, { message: 'Enter your password.' })
    .max(1000),
});

export const passwordRequestBody = z.strictObject({ email: emailSchema });

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
  })
  .meta({ id: 'SessionUser' });

export const sessionResponse = z
  .object({
    user: sessionUser.nullable(),
    csrfToken: z.string().nullable(),
    organization: z.object({ name: z.string(), logoUrl: z.string().nullable() }),
  })
  .meta({ id: 'Session' });
export type SessionResponse = z.infer<typeof sessionResponse>;
