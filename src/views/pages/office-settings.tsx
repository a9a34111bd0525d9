import type { FieldError } from '../../domain/errors';
import { Button, ErrorSummary, Form, Heading, NotificationBanner, Radios } from '../components';
import type { ViewContext } from '../context';
import { Layout } from '../layout';

/**
 * /urzad/{officeId}/ustawienia: whether the 14-day fiction of delivery applies to the letters
 * the office sends (two readings of the law; the office chooses).
 */
export function OfficeSettingsPage({
  ctx,
  office,
  deemedDelivery,
  saved,
  errors = [],
}: {
  ctx: ViewContext;
  office: { id: string; name: string };
  deemedDelivery: boolean;
  saved?: boolean;
  errors?: FieldError[];
}) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('office.settings.title')}>
      {saved ? (
        <NotificationBanner title={t('notice.title')} success>
          <p class="govuk-notification-banner__heading">{t('office.settings.saved')}</p>
        </NotificationBanner>
      ) : null}
      <ErrorSummary ctx={ctx} errors={errors} />
      <Heading caption={office.name}>{t('office.settings.title')}</Heading>
      <p class="govuk-body">{t('office.settings.deemed.lead')}</p>
      <Form ctx={ctx} action={`/urzad/${office.id}/ustawienia`}>
        <Radios
          ctx={ctx}
          name="deemedDelivery"
          legend={t('office.settings.deemed.legend')}
          checked={deemedDelivery ? 'on' : 'off'}
          errors={errors}
          options={[
            { value: 'on', label: t('office.settings.deemed.on'), hint: t('office.settings.deemed.onHint') },
            {
              value: 'off',
              label: t('office.settings.deemed.off'),
              hint: t('office.settings.deemed.offHint'),
            },
          ]}
        />
        <Button>{t('admin.save')}</Button>
      </Form>
    </Layout>
  );
}
