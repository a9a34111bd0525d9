/** The kinds of letter art. 63 §1 KPA names (podanie, żądanie, wyjaśnienie, odwołanie, zażalenie) and "other". */
export const LETTER_KINDS = ['podanie', 'zadanie', 'wyjasnienie', 'odwolanie', 'zazalenie', 'inne'] as const;
export type LetterKind = (typeof LETTER_KINDS)[number];

export function isLetterKind(value: unknown): value is LetterKind {
  return typeof value === 'string' && (LETTER_KINDS as readonly string[]).includes(value);
}

/**
 * The word the ePUAP general letter uses in `RodzajWnioskuRozszerzony/@rodzaj`; for "other" the
 * template's value is "inne pismo", with the kind named in `@jakiInny`.
 */
export const LETTER_KIND_XML: Record<LetterKind, string> = {
  podanie: 'podanie',
  zadanie: 'żądanie',
  wyjasnienie: 'wyjaśnienie',
  odwolanie: 'odwołanie',
  zazalenie: 'zażalenie',
  inne: 'inne pismo',
};
