import { type Lang } from './define';
import { common } from './common';
import { portal } from './portal';
import { formats } from './formats';
import { filing } from './filing';
import { letters } from './letters';
import { validation } from './validation';
import { receipts } from './receipts';
import { transparencyLog } from './transparency-log';
import { accounts } from './accounts';
import { signatures } from './signatures';
import { office } from './office';
import { verification } from './verification';
import { integration } from './integration';
import { deliveries } from './deliveries';
import { backup } from './backup';
import { residentExport } from './export';
import { identity } from './identity';
import { soap } from './soap';
import { problems } from './problems';
import { navigation } from './navigation';
import { officeManagement } from './office-management';
import { legal } from './legal';
import { apiDocs } from './api-docs';

export { type Lang, LANGS } from './define';

/**
 * All message catalogues, one per area. Messages may contain `{name}` placeholders.
 * Adding an area: write `src/i18n/<area>.ts` with defineMessages and list it here.
 */
const areas = [
  common,
  portal,
  formats,
  accounts,
  validation,
  receipts,
  transparencyLog,
  filing,
  letters,
  signatures,
  office,
  verification,
  integration,
  deliveries,
  backup,
  identity,
  residentExport,
  soap,
  problems,
  navigation,
  officeManagement,
  legal,
  apiDocs,
] as const;

type Union<A> = A extends readonly (infer E)[] ? E : never;
type AreaKeys<A> = A extends { pl: infer P } ? keyof P : never;
export type MessageKey = AreaKeys<Union<typeof areas>> & string;
export type Params = Record<string, string | number>;
export type Translate = (key: MessageKey, params?: Params) => string;

const catalogues: Record<Lang, Map<string, string>> = { pl: new Map(), en: new Map() };
for (const area of areas) {
  for (const lang of ['pl', 'en'] as const) {
    for (const [key, value] of Object.entries(area[lang])) {
      if (catalogues[lang].has(key)) throw new Error(`Duplicate message key ${key}`);
      catalogues[lang].set(key, value);
    }
  }
}

/** Every message of a language, for checks over the whole catalogue (tests). */
export function allMessages(lang: Lang): ReadonlyMap<string, string> {
  return catalogues[lang];
}

export function hasMessage(key: string): key is MessageKey {
  return catalogues.pl.has(key);
}

/** `{count, plural, one {# plik} few {# pliki} many {# plików} other {# pliku}}`: the ICU form. */
const PLURAL = /\{(\w+), plural,((?:\s*\w+\s*\{[^{}]*\})+)\s*\}/g;
const pluralRules = { pl: new Intl.PluralRules('pl'), en: new Intl.PluralRules('en') };

export function translate(lang: Lang, key: MessageKey, params: Params = {}): string {
  const text = catalogues[lang].get(key) ?? catalogues.pl.get(key) ?? key;
  // Most messages have no placeholder: a page asks for hundreds, so skip the patterns for them.
  if (!text.includes('{')) return text;
  const textLang: Lang = catalogues[lang].has(key) ? lang : 'pl';
  return text
    .replace(PLURAL, (whole, name: string, forms: string) => {
      const value = params[name];
      if (typeof value !== 'number') return whole;
      const byCategory = new Map([...forms.matchAll(/(\w+)\s*\{([^{}]*)\}/g)].map((m) => [m[1], m[2] ?? '']));
      const form = byCategory.get(pluralRules[textLang].select(value)) ?? byCategory.get('other') ?? whole;
      return form.replace(/#/g, String(value));
    })
    .replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

export function translator(lang: Lang): Translate {
  return (key, params) => translate(lang, key, params);
}
