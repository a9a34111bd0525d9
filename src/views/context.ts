import type { Lang, MessageKey, Params, Translate } from '../i18n/index';
import type { RoleGrant } from '../domain/roles';

/** What every page needs to know about the request it answers. */
export interface ViewContext {
  lang: Lang;
  t: Translate;
  /** Path and query of the current page, for the language switch and return links. */
  path: string;
  csrfToken: string;
  showCookieBanner: boolean;
  /** Set on the page shown right after a choice on the cookie banner: its confirmation. */
  cookieChoice?: 'accepted' | 'declined' | undefined;
  installationName: string;
  /** Set when someone is logged in; the roles in force decide the places in the header. */
  user?: { displayName: string; roles: readonly RoleGrant[] } | undefined;
  /** Whether confirmation officers have their desk (the local trusted-profile register is on). */
  officerDesk?: boolean;
  /** A logged-in session's time left and when to warn before it ends (the "Przedłuż sesję" dialog). */
  sessionTimer?: { secondsLeft: number; warnSeconds: number } | undefined;
}

export type { Lang, MessageKey, Params };
