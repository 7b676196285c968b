/** Verifiable credentials (issue 18): award credentials, issuers, DID documents and status lists. */
import { z } from 'zod';
import { uuidSchema } from './common.js';

/** A signed credential (JSON-LD): passed through whole, every field as signed. */
export const verifiableCredential = z
  .looseObject({
    '@context': z.array(z.string()),
    id: z.string(),
    type: z.array(z.string()),
    issuer: z.union([z.string(), z.looseObject({ id: z.string() })]),
    validFrom: z.string().optional(),
    credentialSubject: z.looseObject({}),
    proof: z.looseObject({
      type: z.literal('DataIntegrityProof'),
      cryptosuite: z.literal('eddsa-rdfc-2022'),
      verificationMethod: z.string(),
      proofPurpose: z.string(),
      proofValue: z.string(),
    }),
  })
  .meta({ id: 'VerifiableCredential' });

export const didDocumentSchema = z
  .looseObject({
    '@context': z.array(z.string()),
    id: z.string(),
    verificationMethod: z.array(
      z.object({
        id: z.string(),
        type: z.literal('Multikey'),
        controller: z.string(),
        publicKeyMultibase: z.string(),
      }),
    ),
    assertionMethod: z.array(z.string()),
  })
  .meta({ id: 'DidDocument' });

/** A person's transcript in one program (the CLR 2.0 credential is per program, ADR 0028). */
export const transcriptProgramParams = z.strictObject({ id: uuidSchema, programId: uuidSchema });

const slug = z
  .string()
  .regex(/^[a-z0-9-]{1,100}$/, { message: 'An issuer is named by lower-case letters, digits and hyphens.' });
export const issuerParams = z.strictObject({ slug });

export const issuerSchema = z
  .object({
    programId: z.string(),
    slug: z.string(),
    id: z.string().meta({ description: 'The did:web identifier credentials name as their issuer.' }),
    name: z.string(),
    url: z.string(),
    logoUrl: z.string().nullable(),
    didDocumentUrl: z.string(),
    statusLists: z.object({ revocation: z.string(), suspension: z.string() }),
    keys: z.array(
      z.object({ verificationMethod: z.string(), publicKeyMultibase: z.string(), createdAt: z.string() }),
    ),
  })
  .meta({ id: 'Issuer' });

const optionalText = (label: string, max: number) =>
  z
    .string({ message: `${label} must be text or null.` })
    .trim()
    .min(1, { message: `${label} may not be empty; send null for the default.` })
    .max(max, { message: `${label} must be at most ${max} characters.` })
    .nullable();
const optionalUrl = (label: string) =>
  optionalText(label, 500).refine((v) => v === null || /^https?:\/\/[^\s]+$/.test(v), {
    message: `${label} must be an http or https address.`,
  });

/** null resets a value to its default (the program definition's issuing body, the deployment). */
export const issuerBody = z.strictObject({
  name: optionalText('Name', 200),
  url: optionalUrl('Address'),
  logoUrl: optionalUrl('Logo address'),
});

export const rotatedKey = z
  .object({ issuer: z.string(), keyNumber: z.number().int(), verificationMethod: z.string() })
  .meta({ id: 'RotatedIssuerKey' });

/** A credential file to check on the public page: its text, as uploaded or pasted. */
export const checkCredentialBody = z.strictObject({
  credential: z
    .string()
    .min(1, { message: 'Paste the credential or choose its file.' })
    .max(256 * 1024, { message: 'A credential file is at most 256 KB.' }),
});

export const credentialCheckResult = z
  .object({
    valid: z.boolean(),
    failedCheck: z.enum(['format', 'issuer', 'signature', 'status', 'dates']).nullable(),
    summary: z
      .string()
      .meta({ description: 'The verdict in plain words, naming the first check that failed.' }),
    kind: z.string().nullable(),
    name: z.string().nullable(),
    issuerName: z.string().nullable(),
    findings: z.array(
      z.object({
        check: z.enum(['format', 'issuer', 'signature', 'status', 'dates']),
        outcome: z.enum(['passed', 'failed', 'not-checked']),
        message: z.string(),
      }),
    ),
  })
  .meta({ id: 'CredentialCheck' });

/** A wallet code (ADR 0034): the address to draw as a QR code, and when it stops working. */
export const credentialOffer = z
  .object({
    offerUrl: z.string().meta({
      description:
        'The address a wallet (or a phone) fetches the signed credential from, once, without signing in. Draw it as a QR code; do not store it.',
    }),
    expiresAt: z.string().meta({ description: 'When the address stops working (ISO 8601, UTC).' }),
  })
  .meta({ id: 'CredentialOffer' });

/** The token of a wallet code: 32 random bytes, base64url. */
export const offerTokenParams = z.strictObject({
  token: z.string().regex(/^[A-Za-z0-9_-]{43}$/, {
    message: 'A wallet code is 43 letters, digits, hyphens and underscores; scan the code again.',
  }),
});
