import type { ViewContext } from './context';

/**
 * The confirmation after a choice made on the cookie banner (GOV.UK pattern): shown once, in
 * the banner's place, on the page the choice was made from.
 */
export function CookieConfirmation({ ctx, choice }: { ctx: ViewContext; choice: 'accepted' | 'declined' }) {
  const { t } = ctx;
  return (
    <div class="govuk-cookie-banner" data-nosnippet role="region" aria-label={t('cookies.banner.label')}>
      <div class="govuk-cookie-banner__message govuk-width-container" role="alert">
        <div class="govuk-grid-row">
          <div class="govuk-grid-column-two-thirds">
            <div class="govuk-cookie-banner__content">
              <p class="govuk-body" id="cookie-confirmation">
                {t(choice === 'accepted' ? 'cookies.confirm.accepted' : 'cookies.confirm.declined')}{' '}
                {t('cookies.confirm.change')}{' '}
                <a class="govuk-link" href="/cookies">
                  {t('cookies.confirm.changeLink')}
                </a>
              </p>
            </div>
          </div>
        </div>
      </div>
    </div>
  );
}
