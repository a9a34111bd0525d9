import type { ComponentChildren } from 'preact';
import type { ViewContext } from './context';
import { CsrfField } from './components';
import { placesFor } from './navigation';
import { CookieConfirmation } from './cookie-confirmation';
import { SessionWarning } from './session-warning';

/** The same page with another language: `?lang=` replaced, other parameters kept. */
export function withLang(path: string, lang: string): string {
  const url = new URL(path, 'http://x');
  url.searchParams.set('lang', lang);
  return `${url.pathname}${url.search}`;
}

/** Whether a header place is the page shown (its path, whatever the query). */
function isCurrent(path: string, href: string): boolean {
  return !href.includes('#') && new URL(path, 'http://x').pathname === href;
}

function CookieBanner({ ctx }: { ctx: ViewContext }) {
  const { t } = ctx;
  return (
    <form
      method="post"
      action="/cookies"
      class="govuk-cookie-banner"
      data-nosnippet
      role="region"
      aria-label={t('cookies.banner.label')}
    >
      <div class="govuk-cookie-banner__message govuk-width-container">
        <div class="govuk-grid-row">
          <div class="govuk-grid-column-two-thirds">
            <h2 class="govuk-cookie-banner__heading govuk-heading-m">{t('cookies.banner.heading')}</h2>
            <div class="govuk-cookie-banner__content">
              <p class="govuk-body">{t('cookies.banner.text')}</p>
            </div>
          </div>
        </div>
        <CsrfField ctx={ctx} />
        <input type="hidden" name="returnTo" value={ctx.path} />
        <input type="hidden" name="banner" value="1" />
        <div class="govuk-button-group">
          <button
            type="submit"
            name="consent"
            value="accepted"
            class="govuk-button"
            data-module="govuk-button"
          >
            {t('cookies.banner.accept')}
          </button>
          <button
            type="submit"
            name="consent"
            value="declined"
            class="govuk-button"
            data-module="govuk-button"
          >
            {t('cookies.banner.decline')}
          </button>
          <a class="govuk-link" href="/cookies">
            {t('cookies.banner.more')}
          </a>
        </div>
      </div>
    </form>
  );
}

/** "Page — Office — Urząd OnLine": each part once (the home page is titled just the installation). */
export function pageTitle(parts: readonly (string | undefined)[]): string {
  const seen: string[] = [];
  for (const part of parts) if (part && !seen.includes(part)) seen.push(part);
  return seen.join(' — ');
}

export function Layout({
  ctx,
  title,
  office,
  children,
  wide,
}: {
  ctx: ViewContext;
  title: string;
  /** The office the page is about, named in the title after the page. */
  office?: string | undefined;
  children: ComponentChildren;
  wide?: boolean;
}) {
  const { t, lang } = ctx;
  const other = lang === 'pl' ? 'en' : 'pl';
  // Header, page and footer share one width: a page of wide tables widens all three.
  const container = wide ? 'govuk-width-container uo-width-container--wide' : 'govuk-width-container';
  return (
    <html lang={lang} class="govuk-template">
      <head>
        <meta charset="utf-8" />
        <title>{pageTitle([title, office, ctx.installationName])}</title>
        <meta name="viewport" content="width=device-width, initial-scale=1, viewport-fit=cover" />
        <link rel="icon" href="/favicon.ico" sizes="32x32" />
        <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
        <link rel="stylesheet" href="/assets/build/app.css" />
      </head>
      <body class="govuk-template__body">
        <a href="#main-content" class="govuk-skip-link" data-module="govuk-skip-link">
          {t('layout.skipLink')}
        </a>
        {ctx.cookieChoice ? <CookieConfirmation ctx={ctx} choice={ctx.cookieChoice} /> : null}
        {ctx.showCookieBanner ? <CookieBanner ctx={ctx} /> : null}
        <header class="uo-header" role="banner">
          <div class={`${container} uo-header__inner`}>
            <a href="/" class="uo-header__brand">
              {ctx.installationName}
            </a>
            <nav aria-label={t('layout.nav.label')}>
              <ul class="uo-header__nav">
                <li>
                  <a class="uo-header__link" href="/punkty-potwierdzajace">
                    {t('layout.nav.points')}
                  </a>
                </li>
                <li>
                  <a class="uo-header__link" href="/instrukcje">
                    {t('layout.nav.instructions')}
                  </a>
                </li>
                {ctx.user ? (
                  <>
                    {placesFor(ctx.user.roles, ctx.officerDesk).map((place) => (
                      <li>
                        <a
                          class="uo-header__link"
                          href={place.href}
                          aria-current={isCurrent(ctx.path, place.href) ? 'page' : undefined}
                        >
                          {t(place.label)}
                        </a>
                      </li>
                    ))}
                    <li>
                      <a class="uo-header__link" href="/konto">
                        {t('layout.nav.account')}
                      </a>
                    </li>
                    <li>
                      <form method="post" action="/wyloguj" class="uo-inline-form">
                        <CsrfField ctx={ctx} />
                        <button type="submit" class="uo-header__button">
                          {t('layout.nav.logout')}
                        </button>
                      </form>
                    </li>
                  </>
                ) : (
                  <li>
                    <a class="uo-header__link" href="/logowanie">
                      {t('layout.nav.login')}
                    </a>
                  </li>
                )}
                <li>
                  <a class="uo-header__link" href={withLang(ctx.path, other)} hreflang={other} lang={other}>
                    {t('layout.switchLanguage')}
                  </a>
                </li>
              </ul>
            </nav>
          </div>
        </header>
        <div class={container}>
          <main class="govuk-main-wrapper" id="main-content" role="main">
            {children}
          </main>
        </div>
        <footer class="govuk-footer" role="contentinfo">
          <div class={container}>
            <div class="govuk-footer__meta">
              <div class="govuk-footer__meta-item govuk-footer__meta-item--grow">
                <h2 class="govuk-visually-hidden">{t('layout.footer.heading')}</h2>
                <ul class="govuk-footer__inline-list">
                  <li class="govuk-footer__inline-list-item">
                    <a class="govuk-footer__link" href="/cookies">
                      {t('layout.footer.cookies')}
                    </a>
                  </li>
                  <li class="govuk-footer__inline-list-item">
                    <a class="govuk-footer__link" href="/instrukcje">
                      {t('layout.nav.instructions')}
                    </a>
                  </li>
                  <li class="govuk-footer__inline-list-item">
                    <a class="govuk-footer__link" href="/weryfikacja">
                      {t('verification.title')}
                    </a>
                  </li>
                  <li class="govuk-footer__inline-list-item">
                    <a class="govuk-footer__link" href="/deklaracja-dostepnosci">
                      {t('layout.footer.accessibility')}
                    </a>
                  </li>
                  <li class="govuk-footer__inline-list-item">
                    <a class="govuk-footer__link" href="/ochrona-danych">
                      {t('layout.footer.privacy')}
                    </a>
                  </li>
                  <li class="govuk-footer__inline-list-item">
                    <a class="govuk-footer__link" href="/regulamin">
                      {t('layout.footer.terms')}
                    </a>
                  </li>
                </ul>
                <p class="govuk-footer__licence-description">{t('layout.footer.licence')}</p>
              </div>
            </div>
          </div>
        </footer>
        <SessionWarning ctx={ctx} />
        <script type="module" src="/assets/app.js"></script>
      </body>
    </html>
  );
}
