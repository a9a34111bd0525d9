import type { ConfirmationPoint } from '../../services/confirmation-points';
import { Heading, Table } from '../components';
import type { ViewContext } from '../context';
import { formatOpeningHours } from '../dates';
import { Layout } from '../layout';

export function ConfirmationPointsPage({ ctx, points }: { ctx: ViewContext; points: ConfirmationPoint[] }) {
  const { t, lang } = ctx;
  return (
    <Layout ctx={ctx} title={t('points.title')}>
      <Heading>{t('points.title')}</Heading>
      <p class="govuk-body-l">{t('points.lead')}</p>
      {points.length === 0 ? (
        <p class="govuk-body">{t('points.none')}</p>
      ) : (
        <Table
          caption={t('points.title')}
          head={[t('points.name'), t('points.address'), t('points.hours'), t('points.phone')]}
          rows={points.map((p) => [
            p.name,
            p.address,
            formatOpeningHours(p.openingHours, lang),
            p.phone ?? '—',
          ])}
        />
      )}
    </Layout>
  );
}
