import type { ServiceDeps } from './deps';
import type { JobHandlers } from './jobs';
import { WEBHOOK_JOB, webhookJobHandler } from './webhooks';
import { deliveryJobHandlers } from './deliver-letter';

/**
 * Every kind of job and its handler, in one place: an area that schedules work (timers, mail)
 * adds its kind here. Handlers must be idempotent (see jobs.ts).
 */
export function createJobHandlers(deps: ServiceDeps): JobHandlers {
  return {
    [WEBHOOK_JOB]: webhookJobHandler(deps),
    ...deliveryJobHandlers(deps),
  };
}
