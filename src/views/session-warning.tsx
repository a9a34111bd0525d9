import type { ViewContext } from './context';
import { CsrfField } from './components';

/**
 * WCAG 2.2.1: the warning before a logged-in session ends. A native dialog, closed until
 * /assets/session-warning.js opens it `warnSeconds` before the end (the seconds left are the
 * server's, rendered per request). "Przedłuż sesję" posts the form below (the script sends it in
 * the background, so nothing typed on the page is lost); without JavaScript the dialog never
 * shows and the letter form keeps its text across a new login instead (docs/accounts.md).
 */
export function SessionWarning({ ctx }: { ctx: ViewContext }) {
  const { t } = ctx;
  const timer = ctx.sessionTimer;
  if (!timer) return null;
  return (
    <>
      <dialog
        class="uo-session-warning"
        id="session-warning"
        aria-labelledby="session-warning-title"
        aria-describedby="session-warning-text"
        data-seconds-left={String(timer.secondsLeft)}
        data-warn-seconds={String(timer.warnSeconds)}
        data-text={t('session.warning.text', { minutes: '{minutes}' })}
        data-ended={t('session.warning.ended')}
      >
        <h2 class="govuk-heading-m" id="session-warning-title">
          {t('session.warning.title')}
        </h2>
        <p class="govuk-body" id="session-warning-text" aria-live="polite">
          {t('session.warning.text', { minutes: Math.ceil(timer.warnSeconds / 60) })}
        </p>
        <div class="govuk-button-group">
          <form method="post" action="/sesja/przedluz" class="uo-inline-form" data-session-extend>
            <CsrfField ctx={ctx} />
            <input type="hidden" name="powrot" value={ctx.path} />
            <button type="submit" class="govuk-button" data-module="govuk-button">
              {t('session.warning.extend')}
            </button>
          </form>
          <form method="post" action="/wyloguj" class="uo-inline-form">
            <CsrfField ctx={ctx} />
            <button type="submit" class="govuk-button govuk-button--secondary" data-module="govuk-button">
              {t('layout.nav.logout')}
            </button>
          </form>
        </div>
      </dialog>
      <script type="module" src="/assets/session-warning.js"></script>
    </>
  );
}
