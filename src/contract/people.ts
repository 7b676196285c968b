import { z } from 'zod';
import { emailSchema, optionalText, pageInfo, pageQuery, text } from './common.js';
import { roleSchema } from './auth.js';
import { jurisdictionSchema } from './jurisdictions.js';

export const titles = [
  'County Clerk',
  'Deputy County Clerk',
  'Election Commissioner',
  'Deputy Election Commissioner',
  'Election Officer',
  'Register of Deeds',
  'County Treasurer',
  'Records Manager',
  'Court Administrator',
  'Other',
] as const;

const phone = z
  .string()
  .trim()
  .max(30, { message: 'Phone must be at most 30 characters.' })
  .regex(/^[0-9()+\-. x]*$/, { message: 'Phone may contain only digits, spaces and ( ) + - . x' })
  .nullish()
  .transform((v) => (v ? v : null));

const fips = z
  .string()
  .regex(/^\d{2}(\d{3})?$/, { message: 'Jurisdiction must be a 2- or 5-digit FIPS code.' });

export const personInput = z.strictObject({
  firstName: text(100, 'First name'),
  lastName: text(100, 'Last name'),
  preferredName: optionalText(100, 'Preferred name'),
  email: emailSchema,
  phone,
  title: optionalText(100, 'Title'),
  jurisdictionFips: fips.nullish().transform((v) => v ?? null),
});
export type PersonInput = z.infer<typeof personInput>;

export const createPersonBody = personInput.extend({
  roles: z.array(roleSchema).max(6).default(['official']),
  sendInvite: z.boolean().default(true),
});
export const updatePersonBody = personInput.partial();
export const profileUpdateBody = z.strictObject({
  preferredName: optionalText(100, 'Preferred name').optional(),
  phone: phone.optional(),
});
export const rolesBody = z.strictObject({
  roles: z.array(roleSchema).max(6),
  /**
   * The counties (FIPS codes) the account is limited to: required with the supervisor role; with
   * the coordinator role, optional (none: statewide). Kept only for those two roles.
   */
  counties: z
    .array(z.string().regex(/^\d{5}$/, { message: 'Each county must be a 5-digit FIPS code.' }), {
      message: 'Counties must be a list of county FIPS codes.',
    })
    .max(50, { message: 'At most 50 counties.' })
    .optional(),
  /** The programs a coordinator is limited to (ids); none means every program. Coordinators only. */
  programs: z
    .array(z.uuid({ message: 'Each program must be a program id.' }), {
      message: 'Programs must be a list of program ids.',
    })
    .max(50, { message: 'At most 50 programs.' })
    .optional(),
});

/** What the signed-in actor may do to this person (src/domain/authz/policies.ts, personAbilities). */
export const personAbilitiesSchema = z
  .object({
    read: z.boolean(),
    update: z.boolean(),
    updateEmail: z.boolean(),
    updateRoles: z.boolean(),
    invite: z.boolean(),
    resetSecondFactor: z.boolean(),
    readSecondFactor: z.boolean(),
    readIdentities: z.boolean(),
    manageIdentities: z.boolean(),
    register: z.boolean(),
    readCredits: z.boolean(),
    recordCredits: z.boolean(),
    reverseCredits: z.boolean(),
    readFacts: z.boolean(),
    recordFacts: z.boolean(),
    withdrawFacts: z.boolean(),
    reopenCycles: z.boolean(),
    readAudit: z.boolean(),
    export: z.boolean(),
  })
  .meta({ id: 'PersonAbilities' });

export const personSchema = z
  .object({
    id: z.string(),
    abilities: personAbilitiesSchema,
    firstName: z.string(),
    lastName: z.string(),
    preferredName: z.string().nullable(),
    displayName: z.string(),
    email: z.string(),
    /** A new sign-in address waiting for confirmation from that address, if any. */
    pendingEmail: z.string().nullable(),
    phone: z.string().nullable(),
    title: z.string().nullable(),
    jurisdiction: jurisdictionSchema.nullable(),
    roles: z.array(roleSchema),
    /** The counties the account is limited to (FIPS codes): a county supervisor's, a scoped coordinator's. */
    counties: z.array(z.string()),
    /** The programs a coordinator is limited to (ids); empty: every program, or not a coordinator. */
    programs: z.array(z.string()),
    hasPassword: z.boolean(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'Person' });
export type Person = z.infer<typeof personSchema>;

export const peopleQuery = z.strictObject({
  q: z.string().trim().max(100, { message: 'Search text must be at most 100 characters.' }).optional(),
  county: z
    .string()
    .regex(/^\d{5}$/, { message: 'County must be a 5-digit FIPS code.' })
    .optional(),
  role: roleSchema.optional(),
  sort: z.enum(['name', '-name', 'created', '-created', 'county']).default('name'),
  ...pageQuery,
});
export type PeopleQuery = z.infer<typeof peopleQuery>;

export const peopleList = z.object({ items: z.array(personSchema), page: pageInfo });
