import type { PollAnswer } from '../../domain/poll';
import type { OfficeSummary } from '../../services/offices';
import { CsrfField, ErrorSummary, Heading, NotificationBanner, Paragraphs, Radios } from '../components';
import type { FieldError } from '../../domain/errors';
import type { ViewContext } from '../context';
import { Layout } from '../layout';

export interface HomeProps {
  ctx: ViewContext;
  offices: OfficeSummary[];
  pollAnswer: PollAnswer | undefined;
  /** Outcome of a poll answer just sent, shown once. */
  pollNotice?: 'thanks' | 'already' | undefined;
  pollErrors?: FieldError[];
}

function Poll({ ctx, pollAnswer, pollNotice, pollErrors = [] }: HomeProps) {
  const { t } = ctx;
  if (pollAnswer) {
    return (
      <section aria-labelledby="poll-heading" class="govuk-!-margin-bottom-6">
        <h2 class="govuk-heading-m" id="poll-heading">
          {t('poll.question')}
        </h2>
        {pollNotice ? (
          <NotificationBanner title={t('poll.question')} success={pollNotice === 'thanks'}>
            <p class="govuk-notification-banner__heading">
              {t(pollNotice === 'thanks' ? 'poll.thanks' : 'poll.already')}
            </p>
          </NotificationBanner>
        ) : null}
        <p class="govuk-body">
          {t('poll.answered', { answer: t(pollAnswer === 'TAK' ? 'poll.yes' : 'poll.no') })}
        </p>
      </section>
    );
  }
  return (
    <section aria-labelledby="poll-heading" class="govuk-!-margin-bottom-6">
      <h2 class="govuk-visually-hidden" id="poll-heading">
        {t('poll.question')}
      </h2>
      <form method="post" action="/ankieta" class="uo-poll-form" novalidate>
        <CsrfField ctx={ctx} />
        <Radios
          ctx={ctx}
          name="answer"
          legend={t('poll.question')}
          inline
          errors={pollErrors}
          options={[
            { value: 'TAK', label: t('poll.yes') },
            { value: 'NIE', label: t('poll.no') },
          ]}
        />
        <p class="govuk-hint">{t('poll.hint')}</p>
        <button type="submit" class="govuk-button govuk-button--secondary" data-module="govuk-button">
          {t('poll.submit')}
        </button>
      </form>
    </section>
  );
}

export function HomePage(props: HomeProps) {
  const { ctx, offices, pollAnswer } = props;
  const { t } = ctx;
  const residents = (
    <div class="govuk-grid-column-one-half" id="for-residents">
      <h2 class="govuk-heading-m">{t('home.residents.heading')}</h2>
      <p class="govuk-body">{t('home.residents.text')}</p>
      <ul class="govuk-list">
        <li>
          <a class="govuk-link govuk-!-font-weight-bold" href="/pisma/nowe">
            {t('home.residents.write')}
          </a>
        </li>
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
          <a class="govuk-link" href="/punkty-potwierdzajace">
            {t('points.title')}
          </a>
        </li>
      </ul>
    </div>
  );
  const business = (
    <div class="govuk-grid-column-one-half" id="for-business">
      <h2 class="govuk-heading-m">{t('home.business.heading')}</h2>
      <p class="govuk-body">{t('home.business.text')}</p>
      <ul class="govuk-list">
        <li>
          <a class="govuk-link" href="/instrukcje/podpisywanie">
            {t('instructions.signing.title')}
          </a>
        </li>
        <li>
          <a class="govuk-link" href="/api/docs">
            API
          </a>
        </li>
      </ul>
    </div>
  );
  return (
    <Layout ctx={ctx} title={ctx.installationName}>
      <ErrorSummary ctx={ctx} errors={props.pollErrors ?? []} />
      <Heading caption={t('home.tagline')}>{t('home.title')}</Heading>
      <p class="govuk-body-l">{t('home.lead')}</p>
      <Poll {...props} />
      {pollAnswer ? (
        <p class="govuk-body govuk-!-font-weight-bold" id="highlight">
          {t(pollAnswer === 'TAK' ? 'home.highlight.business' : 'home.highlight.residents')}
        </p>
      ) : null}
      <div class="govuk-grid-row">{pollAnswer === 'TAK' ? [business, residents] : [residents, business]}</div>
      <h2 class="govuk-heading-m">{t('home.offices.heading')}</h2>
      {offices.length === 0 ? (
        <Paragraphs text={t('home.offices.none')} />
      ) : (
        <ul class="govuk-list govuk-list--spaced">
          {offices.map((office) => (
            <li>
              <a class="govuk-link govuk-!-font-weight-bold" href={`/esp/${office.id}`}>
                {office.name}
              </a>
              <br />
              <span class="govuk-body-s">{office.address}</span> — {t('home.offices.howTo')}
            </li>
          ))}
        </ul>
      )}
    </Layout>
  );
}
