import type { Lang, MessageKey, Params, Translate } from '../i18n/index';

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
  /** Set when someone is logged in (later areas fill it). */
  user?: { displayName: string } | undefined;
}

export type { Lang, MessageKey, Params };
