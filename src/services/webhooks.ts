import { randomUUID } from 'node:crypto';
import { AppError } from '../domain/errors';
import { checkEndpointUrl } from '../domain/webhooks/endpoint-url';
import { generateWebhookSecret, webhookHeaders } from '../domain/webhooks/signature';
import type { WebhookEvent, WebhookEventType } from '../domain/webhooks/events';
import type { Dialect, Tx } from '../ports/database';
import { compiledOnce } from './compiled-once';
import type { ServiceDeps } from './deps';
import { enqueue, type ClaimedJob, type JobHandler } from './jobs';
import { getOffice } from './offices';
import { audit } from './audit';

/**
 * Webhooks after the Standard Webhooks specification: an office registers endpoints for some
 * event types; every event makes one delivery per endpoint (its id is the `webhook-id`, the
 * same on every attempt) and a job that sends it, with exponential back-off for 24 hours.
 * Every attempt is recorded; an office can replay a delivery.
 */
/** Who changes an office's webhooks: an account (web) or an integration token (API); for the audit log. */
export type WebhookActor = { accountId: string } | { tokenId: string };
const auditActor = (actor: WebhookActor) => ({
  actorId: 'accountId' in actor ? actor.accountId : null,
  tokenId: 'tokenId' in actor ? actor.tokenId : null,
});

export const WEBHOOK_JOB = 'webhook.deliver';
const RETRY_WINDOW_MS = 24 * 60 * 60 * 1000;
const FIRST_RETRY_MS = 5_000;
const LONGEST_WAIT_MS = 6 * 60 * 60 * 1000;
const MAX_ENDPOINTS_PER_OFFICE = 20;

export interface EndpointView {
  id: string;
  officeId: string;
  url: string;
  events: WebhookEventType[];
  description: string;
  createdAt: string;
  disabledAt: string | null;
}

export interface DeliveryView {
  id: string;
  endpointId: string;
  eventType: WebhookEventType;
  status: 'pending' | 'delivered' | 'failed';
  createdAt: string;
  deliveredAt: string | null;
  attempts: {
    attempt: number;
    startedAt: string;
    durationMs: number;
    responseStatus: number | null;
    error: string | null;
  }[];
}

const invalid = (
  field: string,
  key: 'webhooks.error.url' | 'webhooks.error.urlPrivate' | 'webhooks.error.urlScheme',
) =>
  new AppError({
    code: 'validation_failed',
    status: 400,
    key: 'webhooks.error.invalid',
    fieldErrors: [{ field, key }],
  });

export async function createWebhookEndpoint(
  deps: Pick<ServiceDeps, 'db' | 'dialect' | 'clock' | 'config'>,
  input: {
    actor: WebhookActor;
    officeId: string;
    url: string;
    events: readonly WebhookEventType[];
    description?: string | undefined;
  },
): Promise<EndpointView & { secret: string }> {
  await getOffice(deps, input.officeId);
  const checked = checkEndpointUrl(input.url.trim(), deps.config.webhooksAllowPrivate);
  if (!checked.ok) {
    throw invalid(
      'url',
      checked.problem === 'private-address'
        ? 'webhooks.error.urlPrivate'
        : checked.problem === 'scheme'
          ? 'webhooks.error.urlScheme'
          : 'webhooks.error.url',
    );
  }
  // The shapes of url, events and description were checked by the schema of the API and the form.
  const events = input.events;
  const description = input.description ?? '';
  const count = await deps.db
    .selectFrom('webhook_endpoints')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('office_id', '=', input.officeId)
    .where('disabled_at', 'is', null)
    .executeTakeFirstOrThrow();
  if (Number(count.n) >= MAX_ENDPOINTS_PER_OFFICE)
    throw new AppError({
      code: 'too_many',
      status: 409,
      key: 'webhooks.error.tooMany',
      params: { max: MAX_ENDPOINTS_PER_OFFICE },
    });
  const row = {
    id: randomUUID(),
    office_id: input.officeId,
    url: checked.url.toString(),
    events: JSON.stringify([...new Set(events)]),
    description: description.trim(),
    secret: generateWebhookSecret(),
    created_at: deps.clock.now().toISOString(),
    disabled_at: null,
  };
  const { actorId, tokenId } = auditActor(input.actor);
  await deps.db.transaction().execute(async (tx) => {
    await tx.insertInto('webhook_endpoints').values(row).execute();
    await audit(
      deps,
      {
        action: 'webhook.endpoint-created',
        actorId,
        subject: row.id,
        details: { officeId: input.officeId, tokenId },
      },
      tx,
    );
  });
  return { ...endpointView(row), secret: row.secret };
}

function endpointView(row: {
  id: string;
  office_id: string;
  url: string;
  events: string;
  description: string;
  created_at: string;
  disabled_at: string | null;
}): EndpointView {
  return {
    id: row.id,
    officeId: row.office_id,
    url: row.url,
    events: JSON.parse(row.events) as WebhookEventType[],
    description: row.description,
    createdAt: row.created_at,
    disabledAt: row.disabled_at,
  };
}

export async function listWebhookEndpoints(
  deps: Pick<ServiceDeps, 'db'>,
  officeId: string,
): Promise<EndpointView[]> {
  const rows = await deps.db
    .selectFrom('webhook_endpoints')
    .select(['id', 'office_id', 'url', 'events', 'description', 'created_at', 'disabled_at'])
    .where('office_id', '=', officeId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  return rows.map(endpointView);
}

/** Stops deliveries to an endpoint; its history stays visible. */
export async function disableWebhookEndpoint(
  deps: Pick<ServiceDeps, 'db' | 'dialect' | 'clock'>,
  actor: WebhookActor,
  officeId: string,
  endpointId: string,
): Promise<void> {
  const { actorId, tokenId } = auditActor(actor);
  await deps.db.transaction().execute(async (tx) => {
    const result = await tx
      .updateTable('webhook_endpoints')
      .set({ disabled_at: deps.clock.now().toISOString() })
      .where('id', '=', endpointId)
      .where('office_id', '=', officeId)
      .where('disabled_at', 'is', null)
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) === 0)
      throw new AppError({ code: 'not_found', status: 404, key: 'webhooks.error.endpointNotFound' });
    const details = { officeId, tokenId };
    await audit(deps, { action: 'webhook.endpoint-disabled', actorId, subject: endpointId, details }, tx);
  });
}

export async function listWebhookDeliveries(
  deps: Pick<ServiceDeps, 'db'>,
  officeId: string,
  endpointId: string,
  limit = 50,
): Promise<DeliveryView[]> {
  const deliveries = await deps.db
    .selectFrom('webhook_deliveries')
    .select(['id', 'endpoint_id', 'event_type', 'status', 'created_at', 'delivered_at'])
    .where('office_id', '=', officeId)
    .where('endpoint_id', '=', endpointId)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
  const ids = deliveries.map((d) => d.id);
  const attempts = ids.length
    ? await deps.db
        .selectFrom('webhook_attempts')
        .selectAll()
        .where('delivery_id', 'in', ids)
        .orderBy('attempt')
        .execute()
    : [];
  return deliveries.map((d) => ({
    id: d.id,
    endpointId: d.endpoint_id,
    eventType: d.event_type,
    status: d.status,
    createdAt: d.created_at,
    deliveredAt: d.delivered_at,
    attempts: attempts
      .filter((a) => a.delivery_id === d.id)
      .map((a) => ({
        attempt: Number(a.attempt),
        startedAt: a.started_at,
        durationMs: Number(a.duration_ms),
        responseStatus: a.response_status === null ? null : Number(a.response_status),
        error: a.error,
      })),
  }));
}

/** Sends a delivery again (same `webhook-id`, so receivers can tell it is the same message), retrying for another 24 hours. */
export async function replayWebhookDelivery(
  deps: Pick<ServiceDeps, 'db' | 'dialect' | 'clock'>,
  actor: WebhookActor,
  officeId: string,
  deliveryId: string,
): Promise<{ endpointId: string }> {
  const now = deps.clock.now();
  const { actorId, tokenId } = auditActor(actor);
  return deps.db.transaction().execute(async (tx) => {
    const result = await tx
      .updateTable('webhook_deliveries')
      .set({
        status: 'pending',
        give_up_at: new Date(now.getTime() + RETRY_WINDOW_MS).toISOString(),
        delivered_at: null,
      })
      .where('id', '=', deliveryId)
      .where('office_id', '=', officeId)
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) === 0)
      throw new AppError({ code: 'not_found', status: 404, key: 'webhooks.error.deliveryNotFound' });
    await enqueue(tx, { kind: WEBHOOK_JOB, payload: { deliveryId }, runAt: now });
    await audit(
      deps,
      { action: 'webhook.delivery-replayed', actorId, subject: deliveryId, details: { officeId, tokenId } },
      tx,
    );
    const { endpoint_id } = await tx
      .selectFrom('webhook_deliveries')
      .select('endpoint_id')
      .where('id', '=', deliveryId)
      .executeTakeFirstOrThrow();
    return { endpointId: endpoint_id };
  });
}

/**
 * Records an event inside the caller's transaction: one delivery and one job per endpoint of
 * the office that wants this type. Nothing is sent unless the transaction commits.
 */
const activeEndpoints = compiledOnce((db, slots: { officeId: string }) =>
  db
    .selectFrom('webhook_endpoints')
    .select(['id', 'events'])
    .where('office_id', '=', slots.officeId)
    .where('disabled_at', 'is', null),
);

/**
 * The endpoints read once per transaction and office: a batch of receipts (group-commit.ts)
 * emits one event per filing, and the batch is one moment — an endpoint added while it runs
 * gets the events of the filings committed after it, as if it had been added a moment later.
 */
const endpointsInTx = new WeakMap<Tx, Map<string, { id: string; events: string }[]>>();

async function endpointsOf(
  tx: Tx,
  dialect: Dialect,
  officeId: string,
): Promise<{ id: string; events: string }[]> {
  let byOffice = endpointsInTx.get(tx);
  if (!byOffice) endpointsInTx.set(tx, (byOffice = new Map()));
  let endpoints = byOffice.get(officeId);
  if (!endpoints)
    byOffice.set(officeId, (endpoints = (await activeEndpoints(tx, dialect, { officeId })).rows));
  return endpoints;
}

export async function emitEvent(
  tx: Tx,
  deps: Pick<ServiceDeps, 'clock' | 'dialect'>,
  event: WebhookEvent,
): Promise<number> {
  const endpoints = await endpointsOf(tx, deps.dialect, event.officeId);
  const now = deps.clock.now();
  let made = 0;
  for (const endpoint of endpoints) {
    if (!(JSON.parse(endpoint.events) as string[]).includes(event.type)) continue;
    const id = `msg_${randomUUID()}`;
    const body = JSON.stringify({
      type: event.type,
      timestamp: now.toISOString(),
      data: { officeId: event.officeId, ...event.data },
    });
    await tx
      .insertInto('webhook_deliveries')
      .values({
        id,
        endpoint_id: endpoint.id,
        office_id: event.officeId,
        event_type: event.type,
        body,
        status: 'pending',
        attempts: 0,
        created_at: now.toISOString(),
        give_up_at: new Date(now.getTime() + RETRY_WINDOW_MS).toISOString(),
        delivered_at: null,
      })
      .execute();
    await enqueue(tx, { kind: WEBHOOK_JOB, payload: { deliveryId: id }, runAt: now });
    made++;
  }
  return made;
}

/** 5 s, 20 s, 80 s, … ×4 each time, at most 6 hours apart. */
export function webhookRetryDelayMs(attempt: number): number {
  return Math.min(FIRST_RETRY_MS * 4 ** (attempt - 1), LONGEST_WAIT_MS);
}

class DeliveryFailed extends Error {
  constructor(
    message: string,
    readonly retryInMs: number | undefined,
  ) {
    super(message);
  }
}

/**
 * The job handler. Idempotent: a delivery already delivered is not sent again (unless
 * replayed); a crash after sending re-sends with the same `webhook-id`, which Standard
 * Webhooks receivers de-duplicate.
 */
export function webhookJobHandler(deps: Pick<ServiceDeps, 'db' | 'clock' | 'webhookSender'>): JobHandler {
  return {
    async run(job: ClaimedJob) {
      const { deliveryId } = job.payload as { deliveryId: string };
      const delivery = await deps.db
        .selectFrom('webhook_deliveries')
        .innerJoin('webhook_endpoints', 'webhook_endpoints.id', 'webhook_deliveries.endpoint_id')
        .select([
          'webhook_deliveries.id',
          'webhook_deliveries.status',
          'webhook_deliveries.body',
          'webhook_deliveries.give_up_at',
          'webhook_endpoints.url',
          'webhook_endpoints.secret',
          'webhook_endpoints.disabled_at',
        ])
        .where('webhook_deliveries.id', '=', deliveryId)
        .executeTakeFirst();
      if (!delivery || delivery.status !== 'pending') return;
      if (delivery.disabled_at) {
        await deps.db
          .updateTable('webhook_deliveries')
          .set({ status: 'failed' })
          .where('id', '=', deliveryId)
          .where('status', '=', 'pending')
          .execute();
        return;
      }
      const counted = await deps.db
        .updateTable('webhook_deliveries')
        .set((eb) => ({ attempts: eb('attempts', '+', 1) }))
        .where('id', '=', deliveryId)
        .returning('attempts')
        .executeTakeFirstOrThrow();
      const attempt = Number(counted.attempts);
      const started = deps.clock.now();
      const startedMs = performance.now();
      let responseStatus: number | null = null;
      let error: string | null = null;
      try {
        const timestamp = Math.floor(started.getTime() / 1000);
        const response = await deps.webhookSender.send({
          url: delivery.url,
          headers: { ...webhookHeaders(delivery.secret, delivery.id, timestamp, delivery.body) },
          body: delivery.body,
        });
        responseStatus = response.status;
        if (response.status < 200 || response.status > 299) error = `HTTP ${response.status}`;
      } catch (failure) {
        error = (failure instanceof Error ? failure.message : String(failure)).slice(0, 500);
      }
      const now = deps.clock.now();
      const retryIn = webhookRetryDelayMs(attempt);
      const givesUp = now.getTime() + retryIn > Date.parse(delivery.give_up_at);
      await deps.db.transaction().execute(async (tx) => {
        await tx
          .insertInto('webhook_attempts')
          .values({
            delivery_id: deliveryId,
            attempt,
            started_at: started.toISOString(),
            duration_ms: Math.round(performance.now() - startedMs),
            response_status: responseStatus,
            error,
          })
          .execute();
        const status = error === null ? 'delivered' : givesUp ? 'failed' : 'pending';
        await tx
          .updateTable('webhook_deliveries')
          .set({ status, delivered_at: error === null ? now.toISOString() : null })
          .where('id', '=', deliveryId)
          .execute();
      });
      if (error !== null) throw new DeliveryFailed(error, givesUp ? undefined : retryIn);
    },
    retryDelayMs(_job, error) {
      return error instanceof DeliveryFailed ? error.retryInMs : FIRST_RETRY_MS;
    },
  };
}
