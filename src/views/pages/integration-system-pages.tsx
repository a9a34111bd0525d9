import type { FieldError } from '../../domain/errors';
import type { IntegrationSystem } from '../../services/integration-systems';
import { Button, ErrorSummary, Form, Heading, Panel, Table, Textarea, TextField } from '../components';
import type { ViewContext } from '../context';
import { formatDateTime } from '../dates';
import { Layout } from '../layout';

export interface SystemFormValues {
  name: string;
  certificate: string;
  boxes: string[];
}

/** /urzad/{officeId}/systemy: the office's integration systems (EZD) and a form to register one. */
export function IntegrationSystemsPage({
  ctx,
  officeId,
  officeName,
  boxes,
  systems,
  values,
  errors = [],
  created,
  serviceUrl,
}: {
  ctx: ViewContext;
  officeId: string;
  officeName: string;
  boxes: { name: string; address: string }[];
  systems: IntegrationSystem[];
  values: SystemFormValues;
  errors?: FieldError[];
  created?: IntegrationSystem;
  serviceUrl: string;
}) {
  const { t, lang } = ctx;
  const boxesError = errors.find((e) => e.field === 'boxes');
  return (
    <Layout ctx={ctx} title={t('systems.title')} wide>
      <ErrorSummary ctx={ctx} errors={errors} />
      <Heading caption={officeName}>{t('systems.title')}</Heading>
      {created ? (
        <Panel title={t('systems.created.title')}>
          <p>{t('systems.created.text', { id: created.id })}</p>
        </Panel>
      ) : null}
      <p class="govuk-body">{t('systems.intro')}</p>
      <p class="govuk-body">{t('systems.address')}</p>
      <ul class="govuk-list">
        {['pull', 'skrytka', 'doreczyciel'].map((service) => (
          <li>
            <code>
              {serviceUrl}/pk_external_ws/services/{service}
            </code>
          </li>
        ))}
      </ul>
      {systems.length ? (
        <Table
          caption={t('systems.list.caption')}
          head={[
            t('systems.field.name'),
            t('systems.list.certificate'),
            t('systems.field.boxes'),
            t('systems.list.status'),
            '',
          ]}
          rows={systems.map((s) => [
            s.name,
            <span>
              {s.certificateSubject}
              <br />
              <code>SHA-256 {s.certificateSha256}</code>
              <br />
              {t('systems.list.validTo', { at: formatDateTime(s.validTo, lang) })}
            </span>,
            s.boxes.map((b) => `/${officeId}/${b}`).join(', '),
            s.revokedAt
              ? t('systems.list.revoked', { at: formatDateTime(s.revokedAt, lang) })
              : t('systems.list.active'),
            s.revokedAt ? (
              ''
            ) : (
              <Form ctx={ctx} action={`/urzad/${officeId}/systemy/${s.id}/uniewaznij`} inline>
                <Button secondary>{t('systems.revoke', { name: s.name })}</Button>
              </Form>
            ),
          ])}
        />
      ) : (
        <p class="govuk-body">{t('systems.list.none')}</p>
      )}

      <h2 class="govuk-heading-m">{t('systems.add')}</h2>
      <Form ctx={ctx} action={`/urzad/${officeId}/systemy`}>
        <TextField
          ctx={ctx}
          name="name"
          label={t('systems.field.name')}
          value={values.name}
          errors={errors}
        />
        <Textarea
          ctx={ctx}
          name="certificate"
          label={t('systems.field.certificate')}
          hint={t('systems.field.certificate.hint')}
          value={values.certificate}
          errors={errors}
          rows={10}
        />
        <div class={`govuk-form-group${boxesError ? ' govuk-form-group--error' : ''}`}>
          <fieldset
            class="govuk-fieldset"
            aria-describedby={boxesError ? 'boxes-hint boxes-error' : 'boxes-hint'}
          >
            <legend class="govuk-fieldset__legend govuk-fieldset__legend--s">
              {t('systems.field.boxes')}
            </legend>
            <div id="boxes-hint" class="govuk-hint">
              {t('systems.field.boxes.hint')}
            </div>
            {boxesError ? (
              <p id="boxes-error" class="govuk-error-message">
                <span class="govuk-visually-hidden">{t('form.error.prefix')}</span>{' '}
                {t(boxesError.key, boxesError.params)}
              </p>
            ) : null}
            <div class="govuk-checkboxes" data-module="govuk-checkboxes">
              {boxes.map((box, i) => (
                <div class="govuk-checkboxes__item">
                  <input
                    class="govuk-checkboxes__input"
                    id={i === 0 ? 'boxes' : `boxes-${i}`}
                    name="boxes"
                    type="checkbox"
                    value={box.name}
                    checked={values.boxes.includes(box.name)}
                  />
                  <label class="govuk-label govuk-checkboxes__label" for={i === 0 ? 'boxes' : `boxes-${i}`}>
                    <code>{box.address}</code>
                  </label>
                </div>
              ))}
            </div>
          </fieldset>
        </div>
        <Button>{t('systems.add.submit')}</Button>
      </Form>
    </Layout>
  );
}
