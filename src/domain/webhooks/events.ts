import { z } from 'zod';

const id = z.string().min(1);
const dateTime = z.string().meta({ format: 'date-time' });
const signatureStatus = z.enum(['none', 'valid', 'invalid', 'indeterminate']);

/**
 * The webhook events, in one place: what each carries besides `officeId` (identifiers only,
 * the content comes through the API). The services emit these payloads, endpoints subscribe to
 * these names, and the OpenAPI document's `webhooks` section, the endpoint schemas and the
 * client's types are generated from these schemas.
 */
export const WEBHOOK_EVENT_SCHEMAS = {
  'document.received': z
    .strictObject({
      documentId: id,
      boxName: z.string(),
      receiptId: id,
      receivedAt: dateTime,
      mainSha256: z.string().regex(/^[0-9a-f]{64}$/),
      signatureStatus,
      signatureCategories: z.string().nullable().meta({
        description:
          'Kinds of the valid signatures (qualified, trusted, personal, platform), comma-separated',
      }),
      signaturePeselMatch: z.enum(['match', 'mismatch']).nullable(),
    })
    .meta({
      description:
        'A document was filed in one of the office’s boxes (sent in the transaction that files it)',
    }),
  'document.registered': z
    .strictObject({ documentId: id, registrationNumber: z.string(), registeredAt: dateTime })
    .meta({ description: 'A clerk registered a document in the correspondence journal' }),
  'delivery.received': z
    .strictObject({ deliveryId: id, proofId: id, at: dateTime })
    .meta({ description: 'The resident received a letter; the proof of receipt (UPD) was issued' }),
  'delivery.deemed': z
    .strictObject({ deliveryId: id, proofId: id, at: dateTime })
    .meta({ description: 'A letter not collected in 14 days was deemed delivered; the UPD was issued' }),
} as const;

export type WebhookEventType = keyof typeof WEBHOOK_EVENT_SCHEMAS;

export const WEBHOOK_EVENTS = Object.keys(WEBHOOK_EVENT_SCHEMAS) as [WebhookEventType, ...WebhookEventType[]];

/** A subscribable event name, as a schema (endpoint forms and the API). */
export const webhookEventName = z.enum(WEBHOOK_EVENTS);

export function isWebhookEvent(value: unknown): value is WebhookEventType {
  return (WEBHOOK_EVENTS as readonly unknown[]).includes(value);
}

/** What each event carries besides `officeId`. */
export type WebhookEventData = {
  [T in WebhookEventType]: z.output<(typeof WEBHOOK_EVENT_SCHEMAS)[T]>;
};

/** The body each event's POST carries, by event name. */
export function webhookPayloadSchema<T extends WebhookEventType>(event: T) {
  return z.strictObject({
    type: z.literal(event),
    timestamp: dateTime,
    data: WEBHOOK_EVENT_SCHEMAS[event].extend({ officeId: id }),
  });
}

/** One event as an office's endpoint receives it (the body, before signing). */
export type WebhookEvent = {
  [T in WebhookEventType]: { type: T; officeId: string; data: WebhookEventData[T] };
}[WebhookEventType];
