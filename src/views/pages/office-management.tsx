import type { FieldError } from '../../domain/errors';
import { FORMATS } from '../../domain/formats';
import { OFFICE_LIMITS, type OfficeSummary } from '../../services/offices';
import {
  Button,
  ErrorSummary,
  Form,
  Heading,
  NotificationBanner,
  Table,
  Textarea,
  TextField,
} from '../components';
import type { MessageKey, ViewContext } from '../context';
import { Layout } from '../layout';

export interface OfficeValues {
  newId?: string;
  name?: string;
  shortCode?: string;
  address?: string;
  boxes?: string;
  maxSizeMb?: string;
  formatIds?: string[];
}

/** /admin/urzedy: every office, each leading to its form. */
export function AdminOfficesPage({
  ctx,
  offices,
  saved,
}: {
  ctx: ViewContext;
  offices: OfficeSummary[];
  saved?: boolean;
}) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('admin.offices.title')}>
      {saved ? (
        <NotificationBanner title={t('notice.title')} success>
          <p class="govuk-notification-banner__heading">{t('admin.offices.saved')}</p>
        </NotificationBanner>
      ) : null}
      <Heading caption={t('admin.title')}>{t('admin.offices.title')}</Heading>
      <p class="govuk-body">
        <a class="govuk-link" href="/admin/urzedy/nowy">
          {t('admin.offices.add')}
        </a>
      </p>
      {offices.length ? (
        <Table
          caption={t('admin.offices.title')}
          head={[t('admin.offices.name'), t('admin.offices.address')]}
          rows={offices.map((o) => [
            <a class="govuk-link" href={`/admin/urzedy/${o.id}`}>
              {o.name}
            </a>,
            o.address,
          ])}
        />
      ) : (
        <p class="govuk-body">{t('admin.offices.none')}</p>
      )}
    </Layout>
  );
}

/** /admin/urzedy/nowy and /admin/urzedy/{id}: an office's name, address, boxes, size limit and formats. */
export function AdminOfficePage({
  ctx,
  office,
  values,
  maxLimitMb,
  errors = [],
}: {
  ctx: ViewContext;
  office: { id: string; name: string } | undefined;
  values: OfficeValues;
  maxLimitMb: number;
  errors?: FieldError[];
}) {
  const { t, lang } = ctx;
  const title = office ? office.name : t('admin.offices.add');
  const formatsError = errors.find((e) => e.field === 'formatIds');
  const chosen = new Set(values.formatIds ?? []);
  return (
    <Layout ctx={ctx} title={title}>
      <ErrorSummary ctx={ctx} errors={errors} />
      <Heading caption={t('admin.offices.title')}>{title}</Heading>
      <Form ctx={ctx} action={office ? `/admin/urzedy/${office.id}` : '/admin/urzedy/nowy'}>
        {office ? null : (
          <TextField
            ctx={ctx}
            name="newId"
            label={t('admin.offices.id')}
            hint={t('admin.offices.id.hint')}
            value={values.newId}
            errors={errors}
            width={20}
          />
        )}
        <TextField
          ctx={ctx}
          name="name"
          label={t('admin.offices.name')}
          maxLength={OFFICE_LIMITS.name}
          value={values.name}
          errors={errors}
        />
        <TextField
          ctx={ctx}
          name="shortCode"
          label={t('admin.offices.shortCode')}
          hint={t('admin.offices.shortCode.hint')}
          maxLength={OFFICE_LIMITS.shortCode}
          value={values.shortCode}
          errors={errors}
          width={10}
        />
        <TextField
          ctx={ctx}
          name="address"
          label={t('admin.offices.address')}
          maxLength={OFFICE_LIMITS.address}
          value={values.address}
          errors={errors}
        />
        <Textarea
          ctx={ctx}
          name="boxes"
          label={t('admin.offices.boxes')}
          hint={t('admin.offices.boxes.hint')}
          value={values.boxes}
          errors={errors}
          rows={4}
        />
        <TextField
          ctx={ctx}
          name="maxSizeMb"
          label={t('admin.offices.maxSize')}
          hint={t('admin.offices.maxSize.hint', { max: maxLimitMb })}
          value={values.maxSizeMb}
          errors={errors}
          width={10}
        />
        <div class={`govuk-form-group${formatsError ? ' govuk-form-group--error' : ''}`}>
          <fieldset
            class="govuk-fieldset"
            aria-describedby={`formatIds-hint${formatsError ? ' formatIds-error' : ''}`}
          >
            <legend class="govuk-fieldset__legend govuk-fieldset__legend--s">
              {t('admin.offices.formats')}
            </legend>
            <div id="formatIds-hint" class="govuk-hint">
              {t('admin.offices.formats.hint')}
            </div>
            {formatsError ? (
              <p id="formatIds-error" class="govuk-error-message">
                <span class="govuk-visually-hidden">{t('form.error.prefix')}</span>{' '}
                {t(formatsError.key as MessageKey, formatsError.params)}
              </p>
            ) : null}
            <div class="govuk-checkboxes govuk-checkboxes--small" data-module="govuk-checkboxes">
              {FORMATS.map((format, index) => (
                <div class="govuk-checkboxes__item">
                  <input
                    class="govuk-checkboxes__input"
                    id={index === 0 ? 'formatIds' : `formatIds-${format.id}`}
                    name="formatIds"
                    type="checkbox"
                    value={format.id}
                    checked={chosen.has(format.id)}
                  />
                  <label
                    class="govuk-label govuk-checkboxes__label"
                    for={index === 0 ? 'formatIds' : `formatIds-${format.id}`}
                  >
                    {format.name[lang]} ({format.extensions.map((e) => `.${e}`).join(', ')})
                  </label>
                </div>
              ))}
            </div>
          </fieldset>
        </div>
        <Button>{t('admin.save')}</Button>
      </Form>
    </Layout>
  );
}

export interface StaffRow {
  roleId: string;
  email: string;
  role: string;
  secondFactor: boolean;
  /** Only the clerk role is given and taken here; other roles are the platform admin's. */
  revocable: boolean;
}

/** /urzad/{officeId}/pracownicy: who works for the office, in which role; clerks added and removed. */
export function OfficeStaffListPage({
  ctx,
  office,
  staff,
  saved,
  email,
  errors = [],
}: {
  ctx: ViewContext;
  office: { id: string; name: string };
  staff: StaffRow[];
  saved?: boolean;
  email?: string | undefined;
  errors?: FieldError[];
}) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('staff.title')}>
      {saved ? (
        <NotificationBanner title={t('notice.title')} success>
          <p class="govuk-notification-banner__heading">{t('staff.saved')}</p>
        </NotificationBanner>
      ) : null}
      <ErrorSummary ctx={ctx} errors={errors} />
      <Heading caption={office.name}>{t('staff.title')}</Heading>
      {staff.length ? (
        <Table
          caption={t('staff.title')}
          head={[t('staff.email'), t('staff.role'), t('roles.secondFactor'), t('staff.action')]}
          rows={staff.map((s) => [
            s.email,
            s.role,
            t(s.secondFactor ? 'roles.secondFactor.on' : 'roles.secondFactor.off'),
            s.revocable ? (
              <Form ctx={ctx} action={`/urzad/${office.id}/pracownicy/${s.roleId}/usun`} inline>
                <Button secondary>{t('staff.revoke', { email: s.email })}</Button>
              </Form>
            ) : (
              '—'
            ),
          ])}
        />
      ) : (
        <p class="govuk-body">{t('staff.none')}</p>
      )}
      <h2 class="govuk-heading-m">{t('staff.grant.heading')}</h2>
      <p class="govuk-body">{t('roles.secondFactor.hint')}</p>
      <Form ctx={ctx} action={`/urzad/${office.id}/pracownicy`}>
        <TextField
          ctx={ctx}
          name="email"
          type="email"
          autocomplete="off"
          label={t('staff.grant.email')}
          hint={t('staff.grant.email.hint')}
          value={email}
          errors={errors}
        />
        <Button>{t('staff.grant.submit')}</Button>
      </Form>
    </Layout>
  );
}
