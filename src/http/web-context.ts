import type { FastifyReply, FastifyRequest } from 'fastify';
import type { VNode } from 'preact';
import { LANGS, translator, type Lang } from '../i18n/index';
import type { ViewContext } from '../views/context';
import { renderPage } from '../views/render';

export const COOKIE_CONSENT = 'cookie_consent';
export const COOKIE_LANG = 'lang';
export const COOKIE_LANG_PREF = 'lang_pref';
export const YEAR_SECONDS = 365 * 24 * 3600;

declare module 'fastify' {
  interface FastifyRequest {
    lang: Lang;
  }
  interface FastifyReply {
    /** Renders a page component as the answer, with the given status (default 200). */
    page(render: (ctx: ViewContext) => VNode, status?: number): FastifyReply;
  }
}

const isLang = (value: unknown): value is Lang =>
  typeof value === 'string' && (LANGS as readonly string[]).includes(value);

export function consentOf(request: FastifyRequest): 'accepted' | 'declined' | undefined {
  const value = request.cookies[COOKIE_CONSENT];
  return value === 'accepted' || value === 'declined' ? value : undefined;
}

/**
 * The visitor's language: `?lang=` (remembered for the visit in a session cookie, and for a
 * year only with consent), else the remembered one, else Polish.
 */
export function resolveLang(request: FastifyRequest, reply: FastifyReply, secure: boolean): Lang {
  const query = (request.query as Record<string, unknown> | undefined)?.lang;
  if (isLang(query)) {
    if (request.cookies[COOKIE_LANG] !== query) {
      reply.setCookie(COOKIE_LANG, query, { path: '/', httpOnly: true, sameSite: 'lax', secure });
    }
    if (consentOf(request) === 'accepted' && request.cookies[COOKIE_LANG_PREF] !== query) {
      reply.setCookie(COOKIE_LANG_PREF, query, {
        path: '/',
        httpOnly: true,
        sameSite: 'lax',
        secure,
        maxAge: YEAR_SECONDS,
      });
    }
    return query;
  }
  // API clients say their language in Accept-Language; pages keep the visitor's choice.
  if (request.url.startsWith('/api/')) {
    const wanted = acceptedLang(request.headers['accept-language']);
    if (wanted) return wanted;
  }
  const remembered = request.cookies[COOKIE_LANG] ?? request.cookies[COOKIE_LANG_PREF];
  return isLang(remembered) ? remembered : 'pl';
}

/** The first of our languages in an Accept-Language header, by quality (RFC 9110). */
export function acceptedLang(header: string | undefined): Lang | undefined {
  if (!header) return undefined;
  const ranked = header
    .split(',')
    .map((part, index) => {
      const [range = '', ...params] = part.trim().split(';');
      const q = params.map((p) => /^\s*q=([0-9.]+)\s*$/.exec(p)?.[1]).find((v) => v !== undefined);
      return { lang: range.trim().toLowerCase().split('-')[0], q: q === undefined ? 1 : Number(q), index };
    })
    .filter((r) => r.q > 0)
    .sort((a, b) => b.q - a.q || a.index - b.index);
  return ranked.map((r) => r.lang).find((lang): lang is Lang => isLang(lang));
}

/**
 * The choice just made on the cookie banner (`?cookies=` on the page it returns to), only when
 * it is the choice stored: a link with the parameter alone shows nothing.
 */
function cookieChoiceShown(request: FastifyRequest): 'accepted' | 'declined' | undefined {
  const shown = (request.query as Record<string, unknown> | undefined)?.cookies;
  const stored = consentOf(request);
  return stored !== undefined && shown === stored ? stored : undefined;
}

export function viewContext(
  request: FastifyRequest,
  reply: FastifyReply,
  installationName: string,
  officerDesk = true,
): ViewContext {
  let csrfToken: string | undefined;
  return {
    lang: request.lang,
    t: translator(request.lang),
    path: request.url,
    // Generated only when a page has a form; the secret cookie it needs is strictly necessary.
    get csrfToken() {
      csrfToken ??= reply.generateCsrf();
      return csrfToken;
    },
    showCookieBanner: consentOf(request) === undefined,
    cookieChoice: cookieChoiceShown(request),
    installationName,
    user: request.user ? { displayName: request.user.displayName, roles: request.user.roles } : undefined,
    officerDesk,
    sessionTimer: request.sessionTimer,
  };
}

export function sendPage(reply: FastifyReply, page: VNode, status = 200): FastifyReply {
  return reply
    .status(status)
    .type('text/html; charset=utf-8')
    .header('cache-control', 'no-store')
    .send(renderPage(page));
}
