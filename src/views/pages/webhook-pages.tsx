import type { FieldError } from '../../domain/errors';
import type { DeliveryView, EndpointView } from '../../services/webhooks';
import { WEBHOOK_EVENTS } from '../../domain/webhooks/events';
import { Button, ErrorSummary, Form, Heading, Panel, Table, TextField } from '../components';
import type { ViewContext } from '../context';
import { formatDateTime } from '../dates';
import { Layout } from '../layout';

export interface EndpointFormValues {
  url: string;
  description: string;
  events: string[];
}

/** /urzad/{officeId}/webhooki: the office's webhook endpoints and a form to add one. */
export function WebhooksPage({
  ctx,
  officeId,
  officeName,
  endpoints,
  values,
  errors = [],
  created,
}: {
  ctx: ViewContext;
  officeId: string;
  officeName: string;
  endpoints: EndpointView[];
  values: EndpointFormValues;
  errors?: FieldError[];
  /** Just created: its secret, shown this once. */
  created?: EndpointView & { secret: string };
}) {
  const { t, lang } = ctx;
  const eventsError = errors.find((e) => e.field === 'events');
  return (
    <Layout ctx={ctx} title={t('webhooks.title')} wide>
      <ErrorSummary ctx={ctx} errors={errors} />
      <Heading caption={officeName}>{t('webhooks.title')}</Heading>
      {created ? (
        <Panel title={t('webhooks.created.title')}>
          <p>{t('webhooks.created.text')}</p>
          <p>
            <code class="uo-secret">{created.secret}</code>
          </p>
        </Panel>
      ) : null}
      <p class="govuk-body">{t('webhooks.intro')}</p>
      {endpoints.length ? (
        <Table
          caption={t('webhooks.list.caption')}
          head={[t('webhooks.field.url'), t('webhooks.field.events'), t('webhooks.list.status'), '']}
          rows={endpoints.map((e) => [
            <a class="govuk-link" href={`/urzad/${officeId}/webhooki/${e.id}`}>
              {e.url}
            </a>,
            e.events.join(', '),
            e.disabledAt
              ? t('webhooks.list.disabled', { at: formatDateTime(e.disabledAt, lang) })
              : t('webhooks.list.active'),
            e.disabledAt ? (
              ''
            ) : (
              <Form ctx={ctx} action={`/urzad/${officeId}/webhooki/${e.id}/wylacz`} inline>
                <Button secondary>{t('webhooks.disable', { url: e.url })}</Button>
              </Form>
            ),
          ])}
        />
      ) : (
        <p class="govuk-body">{t('webhooks.list.none')}</p>
      )}

      <h2 class="govuk-heading-m">{t('webhooks.add')}</h2>
      <Form ctx={ctx} action={`/urzad/${officeId}/webhooki`}>
        <TextField
          ctx={ctx}
          name="url"
          label={t('webhooks.field.url')}
          hint={t('webhooks.field.url.hint')}
          value={values.url}
          errors={errors}
        />
        <TextField
          ctx={ctx}
          name="description"
          label={t('webhooks.field.description')}
          value={values.description}
          errors={errors}
        />
        <div class={`govuk-form-group${eventsError ? ' govuk-form-group--error' : ''}`}>
          <fieldset class="govuk-fieldset" aria-describedby={eventsError ? 'events-error' : undefined}>
            <legend class="govuk-fieldset__legend govuk-fieldset__legend--s">
              {t('webhooks.field.events')}
            </legend>
            {eventsError ? (
              <p id="events-error" class="govuk-error-message">
                <span class="govuk-visually-hidden">{t('form.error.prefix')}</span>{' '}
                {t(eventsError.key, eventsError.params)}
              </p>
            ) : null}
            <div class="govuk-checkboxes" data-module="govuk-checkboxes">
              {WEBHOOK_EVENTS.map((event, i) => (
                <div class="govuk-checkboxes__item">
                  <input
                    class="govuk-checkboxes__input"
                    id={i === 0 ? 'events' : `events-${i}`}
                    name="events"
                    type="checkbox"
                    value={event}
                    checked={values.events.includes(event)}
                  />
                  <label class="govuk-label govuk-checkboxes__label" for={i === 0 ? 'events' : `events-${i}`}>
                    <code>{event}</code> — {t(`webhooks.event.${event}`)}
                  </label>
                </div>
              ))}
            </div>
          </fieldset>
        </div>
        <Button>{t('webhooks.add.submit')}</Button>
      </Form>
    </Layout>
  );
}

/** /urzad/{officeId}/webhooki/{endpointId}: recent deliveries with every attempt, and replay. */
export function WebhookDeliveriesPage({
  ctx,
  officeId,
  endpoint,
  deliveries,
}: {
  ctx: ViewContext;
  officeId: string;
  endpoint: EndpointView;
  deliveries: DeliveryView[];
}) {
  const { t, lang } = ctx;
  return (
    <Layout ctx={ctx} title={t('webhooks.deliveries.title')} wide>
      <Heading caption={endpoint.url}>{t('webhooks.deliveries.title')}</Heading>
      <p class="govuk-body">
        <a class="govuk-link" href={`/urzad/${officeId}/webhooki`}>
          {t('webhooks.back')}
        </a>
      </p>
      {deliveries.length ? (
        <Table
          caption={t('webhooks.deliveries.caption')}
          head={[
            t('webhooks.deliveries.id'),
            t('webhooks.field.events'),
            t('webhooks.list.status'),
            t('webhooks.deliveries.attempts'),
            '',
          ]}
          rows={deliveries.map((d) => [
            <code>{d.id}</code>,
            d.eventType,
            t(`webhooks.status.${d.status}`),
            <ul class="govuk-list">
              {d.attempts.map((a) => (
                <li>
                  {t('webhooks.attempt', {
                    n: a.attempt,
                    at: formatDateTime(a.startedAt, lang),
                    result: a.error ?? `HTTP ${a.responseStatus ?? ''}`,
                    ms: a.durationMs,
                  })}
                </li>
              ))}
            </ul>,
            <Form ctx={ctx} action={`/urzad/${officeId}/webhooki/wysylki/${d.id}/ponow`} inline>
              <Button secondary>{t('webhooks.replay', { id: d.id })}</Button>
            </Form>,
          ])}
        />
      ) : (
        <p class="govuk-body">{t('webhooks.deliveries.none')}</p>
      )}
    </Layout>
  );
}
