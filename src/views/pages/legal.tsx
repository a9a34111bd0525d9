import type { LegalConfig } from '../../config';
import type { Office, OfficeSummary } from '../../services/offices';
import { Heading } from '../components';
import type { ViewContext } from '../context';
import { formatDate } from '../dates';
import { Layout } from '../layout';

/** Who the page speaks for: one office, or the installation as a whole. */
export interface LegalSubject {
  site: string;
  legal: LegalConfig;
  office?: Office | undefined;
}

/** A calendar day from configuration (YYYY-MM-DD), at noon so no time zone moves it. */
const day = (date: string, ctx: ViewContext) => formatDate(`${date}T12:00:00Z`, ctx.lang);

export const accessibilityPath = (officeId?: string) =>
  officeId ? `/urzad/${officeId}/deklaracja-dostepnosci` : '/deklaracja-dostepnosci';
export const privacyPath = (officeId?: string) =>
  officeId ? `/urzad/${officeId}/ochrona-danych` : '/ochrona-danych';

/** An office's own contact details where it has them, the operator's otherwise. */
function Contact({ ctx, subject }: { ctx: ViewContext; subject: LegalSubject }) {
  const { t } = ctx;
  const { legal, office } = subject;
  const email = office?.email ?? legal.contactEmail;
  const phone = office?.phone ?? legal.contactPhone;
  return (
    <dl class="govuk-summary-list">
      <div class="govuk-summary-list__row">
        <dt class="govuk-summary-list__key">{t('legal.contact.name')}</dt>
        <dd class="govuk-summary-list__value">{legal.contactName ?? t('legal.notGiven')}</dd>
      </div>
      <div class="govuk-summary-list__row">
        <dt class="govuk-summary-list__key">{t('legal.contact.email')}</dt>
        <dd class="govuk-summary-list__value">
          {email ? (
            <a class="govuk-link" href={`mailto:${email}`}>
              {email}
            </a>
          ) : (
            t('legal.notGiven')
          )}
        </dd>
      </div>
      <div class="govuk-summary-list__row">
        <dt class="govuk-summary-list__key">{t('legal.contact.phone')}</dt>
        <dd class="govuk-summary-list__value">{phone ?? t('legal.notGiven')}</dd>
      </div>
    </dl>
  );
}

export function AccessibilityStatementPage({
  ctx,
  subject,
  offices,
}: {
  ctx: ViewContext;
  subject: LegalSubject;
  offices: OfficeSummary[];
}) {
  const { t } = ctx;
  const { office, legal, site } = subject;
  return (
    <Layout ctx={ctx} title={t('a11y.title')} office={office?.name}>
      <Heading caption={office?.name}>{t('a11y.title')}</Heading>
      <p class="govuk-body" id="a11y-intro">
        {t('a11y.intro', { entity: office?.name ?? ctx.installationName, site })}
      </p>
      <h2 class="govuk-heading-m">{t('a11y.dates.heading')}</h2>
      <ul class="govuk-list">
        <li id="a11y-publication-date">
          {t('a11y.dates.published', { date: day(legal.statementPublished, ctx) })}
        </li>
        <li id="a11y-update-date">{t('a11y.dates.updated', { date: day(legal.statementUpdated, ctx) })}</li>
      </ul>
      <h2 class="govuk-heading-m">{t('a11y.status.heading')}</h2>
      <p class="govuk-body" id="a11y-status">
        {t('a11y.status.text')}
      </p>
      <h3 class="govuk-heading-s">{t('a11y.status.exclusions')}</h3>
      <ul class="govuk-list govuk-list--bullet">
        <li>{t('a11y.status.attachments')}</li>
        <li>{t('a11y.status.signatures')}</li>
      </ul>
      <h2 class="govuk-heading-m">{t('a11y.prepared.heading')}</h2>
      <p class="govuk-body">{t('a11y.prepared.date', { date: day(legal.statementUpdated, ctx) })}</p>
      <p class="govuk-body">{t('a11y.prepared.method')}</p>
      <h2 class="govuk-heading-m">{t('a11y.contact.heading')}</h2>
      <p class="govuk-body">{t('a11y.contact.text')}</p>
      <Contact ctx={ctx} subject={subject} />
      <h2 class="govuk-heading-m">{t('a11y.procedure.heading')}</h2>
      <p class="govuk-body">{t('a11y.procedure.request')}</p>
      <p class="govuk-body">{t('a11y.procedure.terms')}</p>
      <p class="govuk-body">{t('a11y.procedure.complaint')}</p>
      <p class="govuk-body">
        <a class="govuk-link" href="https://bip.brpo.gov.pl/">
          {t('a11y.procedure.rpo')}
        </a>
      </p>
      <h2 class="govuk-heading-m">{t('a11y.building.heading')}</h2>
      {office ? (
        <p class="govuk-body">
          {t('a11y.building.office', { office: office.name, address: office.address })}
        </p>
      ) : (
        <>
          <p class="govuk-body">{t('a11y.building.none')}</p>
          {offices.length > 0 ? (
            <>
              <p class="govuk-body">{t('a11y.building.offices')}</p>
              <ul class="govuk-list">
                {offices.map((o) => (
                  <li>
                    <a class="govuk-link" href={accessibilityPath(o.id)}>
                      {o.name}
                    </a>
                  </li>
                ))}
              </ul>
            </>
          ) : null}
        </>
      )}
      <h2 class="govuk-heading-m">{t('a11y.apps.heading')}</h2>
      <p class="govuk-body">{t('a11y.apps.text')}</p>
    </Layout>
  );
}

export function PrivacyNoticePage({
  ctx,
  subject,
  offices,
}: {
  ctx: ViewContext;
  subject: LegalSubject;
  offices: OfficeSummary[];
}) {
  const { t } = ctx;
  const { office, legal, site } = subject;
  return (
    <Layout ctx={ctx} title={t('privacy.title')} office={office?.name}>
      <Heading caption={office?.name}>{t('privacy.title')}</Heading>
      <p class="govuk-body">{t('privacy.intro', { site })}</p>
      <h2 class="govuk-heading-m">{t('privacy.controller.heading')}</h2>
      {office ? (
        <p class="govuk-body" id="privacy-controller">
          {t('privacy.controller.office', { office: office.name, address: office.address })}
        </p>
      ) : (
        <>
          <p class="govuk-body" id="privacy-controller">
            {t('privacy.controller.installation', { site })}
          </p>
          {offices.length > 0 ? (
            <ul class="govuk-list">
              {offices.map((o) => (
                <li>
                  <a class="govuk-link" href={privacyPath(o.id)}>
                    {o.name}
                  </a>
                </li>
              ))}
            </ul>
          ) : null}
        </>
      )}
      <Contact ctx={ctx} subject={subject} />
      <h2 class="govuk-heading-m">{t('privacy.dpo.heading')}</h2>
      <p class="govuk-body">
        {legal.dpoEmail ? t('privacy.dpo.text', { email: legal.dpoEmail }) : t('privacy.dpo.none')}
      </p>
      <h2 class="govuk-heading-m">{t('privacy.purposes.heading')}</h2>
      <ul class="govuk-list govuk-list--bullet">
        <li>{t('privacy.purposes.filing')}</li>
        <li>{t('privacy.purposes.delivery')}</li>
        <li>{t('privacy.purposes.account')}</li>
      </ul>
      <h2 class="govuk-heading-m">{t('privacy.recipients.heading')}</h2>
      <p class="govuk-body">{t('privacy.recipients.text')}</p>
      <h2 class="govuk-heading-m">{t('privacy.retention.heading')}</h2>
      <p class="govuk-body">{t('privacy.retention.text')}</p>
      <h2 class="govuk-heading-m">{t('privacy.rights.heading')}</h2>
      <p class="govuk-body">{t('privacy.rights.text')}</p>
      <h2 class="govuk-heading-m">{t('privacy.complaint.heading')}</h2>
      <p class="govuk-body">{t('privacy.complaint.text')}</p>
      <h2 class="govuk-heading-m">{t('privacy.required.heading')}</h2>
      <p class="govuk-body">{t('privacy.required.text')}</p>
      <p class="govuk-body">{t('privacy.automated')}</p>
    </Layout>
  );
}

export function TermsPage({ ctx, subject }: { ctx: ViewContext; subject: LegalSubject }) {
  const { t } = ctx;
  const { site } = subject;
  return (
    <Layout ctx={ctx} title={t('terms.title')}>
      <Heading>{t('terms.title')}</Heading>
      <h2 class="govuk-heading-m">{t('terms.service.heading')}</h2>
      <p class="govuk-body">{t('terms.service.text', { site })}</p>
      <h2 class="govuk-heading-m">{t('terms.users.heading')}</h2>
      <p class="govuk-body">{t('terms.users.text')}</p>
      <h2 class="govuk-heading-m">{t('terms.requirements.heading')}</h2>
      <p class="govuk-body">{t('terms.requirements.text')}</p>
      <h2 class="govuk-heading-m">{t('terms.receipts.heading')}</h2>
      <p class="govuk-body">{t('terms.receipts.text')}</p>
      <p class="govuk-body">
        <a class="govuk-link" href="/weryfikacja">
          {t('verification.title')}
        </a>
      </p>
      <h2 class="govuk-heading-m">{t('terms.liability.heading')}</h2>
      <p class="govuk-body">{t('terms.liability.text')}</p>
      <h2 class="govuk-heading-m">{t('terms.contact.heading')}</h2>
      <p class="govuk-body">{t('terms.contact.text')}</p>
      <Contact ctx={ctx} subject={subject} />
      <p class="govuk-body">
        <a class="govuk-link" href={privacyPath()}>
          {t('privacy.title')}
        </a>
      </p>
    </Layout>
  );
}
