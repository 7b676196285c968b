import { z } from 'zod';
import { pageInfo, pageQuery, text, uuidSchema } from './common.js';
import { eventKinds, plaqueStates } from '../domain/ceremonies/index.js';

const localDate = (label: string) => z.iso.date({ message: `${label} must be a date like 2027-06-01.` });

export const certificationStatus = z.enum([
  'not_started',
  'in_progress',
  'eligible',
  'certified',
  'renewal_due',
  'lapsed',
  'expired',
  'revoked',
]);

export const eligibleQuery = z.strictObject({ programId: uuidSchema.optional(), ...pageQuery });
export const eligibleItem = z.object({
  person: z.object({ id: z.string(), displayName: z.string(), county: z.string().nullable() }),
  program: z.object({ id: z.string(), code: z.string(), name: z.string(), designation: z.string() }),
  eligibleOn: z.string().nullable(),
  /** The ceremony year this official belongs to under the application deadline. */
  awardYear: z.number().int(),
  applyBy: z.string().nullable(),
  ceremony: z.string().nullable(),
});
export const eligibleList = z.object({
  items: z.array(eligibleItem),
  page: pageInfo,
  /** Ceremonies and conferences that awards can attach to now: held today or earlier in their program's zone. */
  events: z.array(z.object({ id: z.string(), title: z.string(), kind: z.string(), day: z.string() })),
});

/** What the signed-in actor may do to an award (src/domain/authz/policies.ts, awardAbilities). */
export const awardAbilitiesSchema = z
  .object({
    read: z.boolean(),
    credential: z.boolean(),
    walletOffer: z.boolean(),
    reissue: z.boolean(),
    revoke: z.boolean(),
    updatePlaque: z.boolean(),
  })
  .meta({ id: 'AwardAbilities' });

export const awardSchema = z
  .object({
    id: z.string(),
    abilities: awardAbilitiesSchema,
    certificateNumber: z.string(),
    person: z.object({ id: z.string(), displayName: z.string(), county: z.string().nullable() }),
    program: z.object({ id: z.string(), code: z.string(), name: z.string() }),
    programVersion: z.string(),
    designation: z.string(),
    nameOnCertificate: z.string(),
    awardedOn: z.string(),
    issuedOn: z.string(),
    expiresOn: z.string().nullable(),
    event: z.object({ id: z.string(), title: z.string(), kind: z.enum(eventKinds) }).nullable(),
    /** The plaque for an award made at an event (null without an event). */
    plaque: z
      .object({
        state: z.enum(plaqueStates),
        orderedOn: z.string().nullable(),
        deliveredOn: z.string().nullable(),
      })
      .nullable(),
    supersedesId: z.string().nullable(),
    supersededById: z.string().nullable(),
    reason: z.string().nullable(),
    revocation: z.object({ revokedOn: z.string(), reason: z.string() }).nullable(),
    status: certificationStatus,
    verifyUrl: z.string(),
    linkedInUrl: z.string().nullable().meta({
      description:
        "LinkedIn's add-certification form filled from the award (name, issuer, issue and expiry month, certificate number, verification address); null once the award is revoked or replaced.",
    }),
  })
  .meta({ id: 'Award' });
export type AwardDto = z.infer<typeof awardSchema>;
export const awardList = z.object({ items: z.array(awardSchema) });
export const awardListQuery = z.strictObject({
  personId: uuidSchema.optional(),
  programId: uuidSchema.optional(),
  eventId: uuidSchema.optional(),
});

export const createAwardBody = z.strictObject({
  personId: uuidSchema,
  programId: uuidSchema,
  eventId: uuidSchema.optional(),
  awardedOn: localDate('Award date').optional(),
});
export const bulkAwardBody = z.strictObject({
  programId: uuidSchema,
  eventId: uuidSchema,
  personIds: z
    .array(uuidSchema)
    .min(1, { message: 'Choose at least one official.' })
    .max(500, { message: 'At most 500 officials at once.' }),
  awardedOn: localDate('Award date').optional(),
});
export const bulkAwardResult = z.object({
  awarded: z.array(awardSchema),
  refused: z.array(z.object({ personId: z.string(), reason: z.string() })),
});
export const reissueBody = z.strictObject({
  nameOnCertificate: text(200, 'Name on the certificate'),
  reason: text(500, 'Reason'),
});
export const revokeBody = z.strictObject({
  reason: text(500, 'Reason'),
  revokedOn: localDate('Revocation date').optional(),
});

export const plaqueBody = z.strictObject({
  state: z.enum(plaqueStates, { message: 'State must be to_order, ordered or delivered.' }),
});

export const documentQuery = z.strictObject({ format: z.enum(['csv', 'xlsx', 'pdf']).default('csv') });

export const verifyQuery = z.strictObject({
  certificateNumber: z.string().trim().max(40, { message: 'Certificate number is too long.' }).optional(),
  name: z.string().trim().max(120, { message: 'Name is too long.' }).optional(),
  county: z.string().trim().max(80, { message: 'County is too long.' }).optional(),
});
export const verifyParams = z.strictObject({
  number: z
    .string()
    .trim()
    .min(1, { message: 'Certificate number is required.' })
    .max(40, { message: 'Certificate number is too long.' }),
});
export const publicStatus = z.enum(['active', 'renewal_due', 'lapsed', 'expired', 'revoked']);
export const verificationItem = z
  .object({
    name: z.string(),
    county: z.string().nullable(),
    designation: z.string(),
    program: z.string(),
    issuingBody: z.string(),
    certificateNumber: z.string(),
    status: publicStatus,
    statusLabel: z.string(),
    awardedOn: z.string(),
    issuedOn: z.string(),
    expiresOn: z.string().nullable(),
    /** This certificate was replaced by a newer one (e.g. after a name change). */
    supersededBy: z.string().nullable(),
  })
  .meta({ id: 'Verification' });
export const verificationResult = z.object({ items: z.array(verificationItem) });

export const renewalsQuery = z.strictObject({
  withinDays: z.coerce
    .number({ message: 'Within days must be a whole number.' })
    .int({ message: 'Within days must be a whole number.' })
    .min(0, { message: 'Within days must be at least 0.' })
    .max(3650, { message: 'Within days must be at most 3650.' })
    .default(90),
  ...pageQuery,
});
export const renewalItem = z.object({
  awardId: z.string(),
  certificateNumber: z.string(),
  person: z.object({ id: z.string(), displayName: z.string(), county: z.string().nullable() }),
  program: z.object({ id: z.string(), code: z.string(), name: z.string() }),
  status: certificationStatus,
  dueOn: z.string(),
  graceEndsOn: z.string(),
  missing: z.array(z.string()),
});
export const renewalList = z.object({ items: z.array(renewalItem), page: pageInfo });

export const awardsSummary = z.object({
  programs: z.array(
    z.object({
      program: z.object({ id: z.string(), code: z.string(), name: z.string() }),
      counts: z.record(z.string(), z.number().int()),
      renewalsDueWithin90Days: z.number().int(),
    }),
  ),
});

export const myCertification = z.object({
  programs: z.array(
    z.object({
      program: z.object({ id: z.string(), code: z.string(), name: z.string(), designation: z.string() }),
      status: certificationStatus,
      headline: z.string(),
      missing: z.array(z.string()),
      requirements: z.array(
        z.object({
          id: z.string(),
          title: z.string(),
          have: z.number(),
          need: z.number(),
          unit: z.string(),
          met: z.boolean(),
        }),
      ),
      nextDue: z.string().nullable(),
      awards: z.array(awardSchema),
    }),
  ),
});
