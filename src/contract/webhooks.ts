import { z } from 'zod';
import { optionalText, pageInfo, pageQuery, uuidSchema } from './common.js';

/** The events an endpoint can subscribe to (issue 17, item 6); docs/webhooks.md gives each payload. */
export const webhookEventTypes = [
  'credit.recorded',
  'claim.decided',
  'award.issued',
  'award.revoked',
  'status.changed',
  'session.changed',
] as const;
export type WebhookEventType = (typeof webhookEventTypes)[number];

export const webhookEventLabels: Record<WebhookEventType, string> = {
  'credit.recorded': 'Credit recorded (or reversed) in the ledger',
  'claim.decided': 'Claim approved, rejected or sent back for information',
  'award.issued': 'Award or certificate issued (also a re-issue)',
  'award.revoked': 'Award revoked',
  'status.changed': "An official's certification status changed",
  'session.changed': 'Session changed or cancelled',
};

const urlField = z
  .string({ error: (iss) => (iss.input === undefined ? 'URL is required.' : 'URL must be text.') })
  .trim()
  .min(1, { message: 'URL is required.' })
  .max(2000, { message: 'URL must be at most 2000 characters.' })
  .refine(
    (v) => {
      try {
        const u = new URL(v);
        return (u.protocol === 'https:' || u.protocol === 'http:') && !u.username && !u.password;
      } catch {
        return false;
      }
    },
    {
      message:
        'Enter an http:// or https:// address like https://example.gov/hooks (no user name or password in it).',
    },
  );

const eventsField = z
  .array(
    z.enum(webhookEventTypes, { message: `Each event must be one of ${webhookEventTypes.join(', ')}.` }),
    {
      message: 'Events must be a list of event names.',
    },
  )
  .min(1, { message: 'Choose at least one event.' })
  .max(webhookEventTypes.length, { message: 'Name each event once.' })
  .transform((v) => [...new Set(v)]);

export const webhookEndpointCreateBody = z.strictObject({
  url: urlField,
  events: eventsField,
  description: optionalText(200, 'Description'),
});

export const webhookEndpointUpdateBody = z.strictObject({
  url: urlField.optional(),
  events: eventsField.optional(),
  description: optionalText(200, 'Description').optional(),
  enabled: z.boolean({ message: 'Enabled must be true or false.' }).optional(),
});

export const webhookEndpointSchema = z
  .object({
    id: z.string(),
    url: z.string(),
    description: z.string(),
    events: z.array(z.enum(webhookEventTypes)),
    enabled: z.boolean(),
    createdAt: z.string(),
    /** Deliveries waiting, delivered and failed, for the list. */
    counts: z.object({ pending: z.number().int(), delivered: z.number().int(), failed: z.number().int() }),
  })
  .meta({ id: 'WebhookEndpoint' });

/** Made or rotated: the signing secret is shown this once and never again. */
export const webhookEndpointWithSecret = webhookEndpointSchema
  .extend({ secret: z.string() })
  .meta({ id: 'WebhookEndpointWithSecret' });

export const webhookEndpointList = z.object({ items: z.array(webhookEndpointSchema) });

export const webhookDeliveryStatuses = ['pending', 'delivered', 'failed'] as const;

export const webhookAttemptSchema = z.object({
  at: z.string(),
  trigger: z.enum(['automatic', 'resend']),
  /** The receiver's HTTP status; null when no answer came (refused, timed out, blocked address). */
  statusCode: z.number().int().nullable(),
  error: z.string().nullable(),
  durationMs: z.number().int(),
  ok: z.boolean(),
});

export const webhookDeliverySchema = z
  .object({
    /** The CivicCert-Delivery header: the same on every attempt, for the receiver to dedupe on. */
    id: z.string(),
    eventId: z.string(),
    eventType: z.enum(webhookEventTypes),
    endpoint: z.object({ id: z.string(), url: z.string() }),
    status: z.enum(webhookDeliveryStatuses),
    createdAt: z.string(),
    deliveredAt: z.string().nullable(),
    attempts: z.array(webhookAttemptSchema),
    /** The JSON body as sent. */
    body: z.string(),
  })
  .meta({ id: 'WebhookDelivery' });

export const webhookDeliveryQuery = z.strictObject({
  endpointId: uuidSchema.optional(),
  status: z
    .enum(webhookDeliveryStatuses, {
      message: `Status must be one of ${webhookDeliveryStatuses.join(', ')}.`,
    })
    .optional(),
  ...pageQuery,
});

export const webhookDeliveryList = z.object({ items: z.array(webhookDeliverySchema), page: pageInfo });

export type WebhookEndpoint = z.infer<typeof webhookEndpointSchema>;
export type WebhookEndpointWithSecret = z.infer<typeof webhookEndpointWithSecret>;
export type WebhookDelivery = z.infer<typeof webhookDeliverySchema>;
