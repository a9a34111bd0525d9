export type Lang = 'pl' | 'en';
export const LANGS: readonly Lang[] = ['pl', 'en'];

/** A catalogue of one area: Polish first; English must have every Polish key. */
export function defineMessages<const T extends Record<string, string>>(
  pl: T,
  en: { [K in keyof T]: string },
): { pl: T; en: { [K in keyof T]: string } } {
  return { pl, en };
}
