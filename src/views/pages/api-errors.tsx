import { Heading } from '../components';
import type { ViewContext } from '../context';
import { Layout } from '../layout';

/** The catalogue of API problem codes; each row's id is the code, the fragment of a problem's `type`. */
export function ApiErrorsPage({
  ctx,
  codes,
}: {
  ctx: ViewContext;
  codes: readonly { code: string; meaning: string }[];
}) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('problems.title')}>
      <Heading>{t('problems.title')}</Heading>
      <p class="govuk-body">{t('problems.intro')}</p>
      <table class="govuk-table uo-table-stack">
        <caption class="govuk-table__caption govuk-visually-hidden">{t('problems.title')}</caption>
        <thead class="govuk-table__head">
          <tr class="govuk-table__row">
            <th scope="col" class="govuk-table__header">
              {t('problems.column.code')}
            </th>
            <th scope="col" class="govuk-table__header">
              {t('problems.column.meaning')}
            </th>
          </tr>
        </thead>
        <tbody class="govuk-table__body">
          {codes.map(({ code, meaning }) => (
            <tr class="govuk-table__row" id={code}>
              <th scope="row" class="govuk-table__header">
                <code>{code}</code>
              </th>
              <td class="govuk-table__cell" data-label={t('problems.column.meaning')}>
                {meaning}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </Layout>
  );
}
