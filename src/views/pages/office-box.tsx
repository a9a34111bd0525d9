import { formatSize, formatsByCategory } from '../../domain/policy';
import type { Office } from '../../services/offices';
import { Heading, Paragraphs, SummaryList } from '../components';
import type { ViewContext } from '../context';
import { Layout } from '../layout';
import { accessibilityPath, privacyPath } from './legal';

/** /esp/{officeId}: how to deliver electronic documents to the office, from its policy. */
export function OfficeBoxPage({ ctx, office }: { ctx: ViewContext; office: Office }) {
  const { t, lang } = ctx;
  const size = formatSize(office.policy.maxSizeBytes, lang);
  return (
    <Layout ctx={ctx} title={t('esp.title')} office={office.name}>
      <Heading caption={t('esp.title')}>{t('esp.heading', { office: office.name })}</Heading>
      <a
        href={`/pisma/nowe?urzad=${encodeURIComponent(office.id)}`}
        role="button"
        draggable={false}
        class="govuk-button govuk-button--start"
        data-module="govuk-button"
      >
        {t('esp.fileLetter')}
      </a>

      <h2 class="govuk-heading-m">{t('esp.legal.heading')}</h2>
      <Paragraphs text={t('esp.legal.text')} />

      <h2 class="govuk-heading-m">{t('esp.addresses.heading')}</h2>
      <SummaryList
        rows={[
          ...office.boxes.map((box) => ({
            key: t('esp.addresses.here'),
            value: <code class="uo-box-address">{box.address}</code>,
          })),
          ...office.externalAddresses.map((e) => ({
            key: t('esp.addresses.elsewhere', { platform: e.platform }),
            value: <code>{e.address}</code>,
          })),
        ]}
      />

      <h2 class="govuk-heading-m">{t('esp.office.heading')}</h2>
      <SummaryList
        rows={[
          { key: t('esp.office.name'), value: office.name },
          { key: t('esp.office.address'), value: office.address },
          ...(office.email ? [{ key: t('esp.office.email'), value: office.email }] : []),
          ...(office.phone ? [{ key: t('esp.office.phone'), value: office.phone }] : []),
        ]}
      />

      <h2 class="govuk-heading-m" id="size">
        {t('esp.size.heading')}
      </h2>
      <p class="govuk-body" id="max-size">
        {t('esp.size.text', { size })}
      </p>

      <h2 class="govuk-heading-m" id="formats">
        {t('esp.formats.heading')}
      </h2>
      <Paragraphs text={t('esp.formats.text')} />
      <div class="uo-formats" data-policy-formats={office.policy.formats.map((f) => f.id).join(' ')}>
        {formatsByCategory(office.policy).map((group) => (
          <table class="govuk-table uo-table-stack">
            <caption class="govuk-table__caption govuk-table__caption--s">
              {t(`format.category.${group.category}`)}
            </caption>
            <thead class="govuk-table__head">
              <tr class="govuk-table__row">
                <th scope="col" class="govuk-table__header">
                  {t('esp.formats.format')}
                </th>
                <th scope="col" class="govuk-table__header">
                  {t('esp.formats.extensions')}
                </th>
              </tr>
            </thead>
            <tbody class="govuk-table__body">
              {group.formats.map((format) => (
                <tr class="govuk-table__row">
                  <th scope="row" class="govuk-table__header">
                    {format.name[lang]}
                  </th>
                  <td class="govuk-table__cell" data-label={t('esp.formats.extensions')}>
                    {format.extensions.map((e) => `.${e}`).join(', ')}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        ))}
      </div>

      <h2 class="govuk-heading-m">{t('esp.prepare.heading')}</h2>
      <Paragraphs text={t('esp.prepare.text')} />

      <h2 class="govuk-heading-m">{t('esp.instructions.heading')}</h2>
      <ul class="govuk-list">
        <li>
          <a class="govuk-link" href="/instrukcje/zakladanie-konta">
            {t('instructions.account.title')}
          </a>
        </li>
        <li>
          <a class="govuk-link" href="/instrukcje/profil-zaufany">
            {t('instructions.profile.title')}
          </a>
        </li>
        <li>
          <a class="govuk-link" href="/instrukcje/podpisywanie">
            {t('instructions.signing.title')}
          </a>
        </li>
        <li>
          <a class="govuk-link" href="/punkty-potwierdzajace">
            {t('points.title')}
          </a>
        </li>
      </ul>
      <ul class="govuk-list">
        <li>
          <a class="govuk-link" href={accessibilityPath(office.id)}>
            {t('a11y.officeLink')}
          </a>
        </li>
        <li>
          <a class="govuk-link" href={privacyPath(office.id)}>
            {t('privacy.title')}
          </a>
        </li>
      </ul>
    </Layout>
  );
}
