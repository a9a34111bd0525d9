/**
 * The webhook events, in one place: the services emit them with these payloads, endpoints
 * subscribe to these names, and the OpenAPI document's `webhooks` section and the client's
 * types are made from this list.
 */
export const WEBHOOK_EVENTS = [
  'document.received',
  'document.registered',
  'delivery.received',
  'delivery.deemed',
] as const;

export type WebhookEventType = (typeof WEBHOOK_EVENTS)[number];

export function isWebhookEvent(value: unknown): value is WebhookEventType {
  return (WEBHOOK_EVENTS as readonly unknown[]).includes(value);
}

/** What each event carries besides `officeId`: identifiers only, the content comes through the API. */
export interface WebhookEventData {
  'document.received': {
    documentId: string;
    boxName: string;
    receiptId: string;
    receivedAt: string;
    mainSha256: string;
    signatureStatus: 'none' | 'valid' | 'invalid' | 'indeterminate';
    /** Kinds of the valid signatures, comma-separated. */
    signatureCategories: string | null;
    signaturePeselMatch: 'match' | 'mismatch' | null;
  };
  'document.registered': { documentId: string; registrationNumber: string; registeredAt: string };
  'delivery.received': { deliveryId: string; proofId: string; at: string };
  'delivery.deemed': { deliveryId: string; proofId: string; at: string };
}

/** One event as an office's endpoint receives it (the body, before signing). */
export type WebhookEvent = {
  [T in WebhookEventType]: { type: T; officeId: string; data: WebhookEventData[T] };
}[WebhookEventType];
