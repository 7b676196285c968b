import { z } from 'zod';

const totalsSchema = z.array(z.object({ category: z.string(), name: z.string(), amount: z.number() }));

export const transcriptProgramSchema = z.object({
  program: z.object({ id: z.string(), code: z.string(), name: z.string(), issuingBody: z.string() }),
  status: z.string(),
  headline: z.string(),
  unit: z.string(),
  totals: totalsSchema,
  totalApproved: z.number(),
  totalPending: z.number(),
  requirements: z.array(
    z.object({ id: z.string(), title: z.string(), have: z.number(), need: z.number(), met: z.boolean() }),
  ),
  sessions: z.array(
    z.object({ date: z.string(), title: z.string(), category: z.string(), amount: z.number() }),
  ),
  outside: z.array(
    z.object({
      date: z.string(),
      title: z.string(),
      category: z.string(),
      amount: z.number(),
      source: z.string(),
    }),
  ),
  pending: z.array(
    z.object({
      date: z.string(),
      title: z.string(),
      category: z.string(),
      hours: z.number(),
      status: z.string(),
    }),
  ),
});

export const transcriptSchema = z
  .object({
    person: z.object({ id: z.string(), name: z.string() }),
    asOf: z.string(),
    programs: z.array(transcriptProgramSchema),
  })
  .meta({ id: 'Transcript' });
export type TranscriptDto = z.infer<typeof transcriptSchema>;

export const issuedTranscriptSchema = z
  .object({
    id: z.string(),
    code: z.string(),
    issuedAt: z.string(),
    verifyUrl: z.string(),
    pdfUrl: z.string(),
    sha256: z.string(),
  })
  .meta({ id: 'IssuedTranscript' });
export const issuedTranscriptList = z.object({ items: z.array(issuedTranscriptSchema) });

export const codeParams = z.strictObject({
  code: z.string({ message: 'Code must be text.' }).regex(/^[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}$/, {
    message: 'A verification code looks like ABCD-EFGH-JKLM.',
  }),
});

/** What the public verification page shows: what the transcript itself states, nothing more. */
export const transcriptVerificationSchema = z
  .object({
    authentic: z.literal(true),
    code: z.string(),
    issuedAt: z.string(),
    issuedBy: z.string(),
    name: z.string(),
    asOf: z.string(),
    sha256: z.string(),
    programs: z.array(
      z.object({
        name: z.string(),
        issuingBody: z.string(),
        status: z.string(),
        unit: z.string(),
        totalApproved: z.number(),
        totals: totalsSchema,
      }),
    ),
  })
  .meta({ id: 'TranscriptVerification' });
