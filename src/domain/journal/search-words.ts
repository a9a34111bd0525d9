/**
 * The words of the box's search (docs/office.md): the searchable text (lower case, Polish
 * diacritics folded) split at anything that is not a letter or a digit. Documents are indexed
 * by these words and queries are split the same way, so both sides always agree.
 */

/**
 * The searchable form of a text: NFKD without combining marks, ł as l, lower case, spaces
 * collapsed. Done here rather than in SQL, so "lodz" finds "Łódź" on SQLite as on PostgreSQL
 * (SQLite's lower() knows only ASCII).
 */
export function searchText(...texts: string[]): string {
  return texts
    .join(' ')
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .replace(/ł/g, 'l')
    .replace(/Ł/g, 'L')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim();
}

/** Longer words are cut to this many characters, in the index and in queries alike. */
export const MAX_WORD_LENGTH = 64;
/** At most this many distinct words of a document are indexed: its sender's first, then its title's. */
export const MAX_DOCUMENT_WORDS = 100;
/** A search may have at most this many words. */
export const MAX_QUERY_WORDS = 10;

export function searchWords(text: string): string[] {
  return searchText(text)
    .split(/[^\p{L}\p{N}]+/u)
    .filter((word) => word !== '')
    .map((word) => Array.from(word).slice(0, MAX_WORD_LENGTH).join(''));
}

/** The distinct words a document is found by. */
export function documentWords(title: string, senderName: string): string[] {
  return [...new Set([...searchWords(senderName), ...searchWords(title)])].slice(0, MAX_DOCUMENT_WORDS);
}

export interface SearchTerms {
  /** Words a document must contain whole. */
  words: string[];
  /** The last word typed: a document must contain a word starting with it. */
  prefix: string | undefined;
}

/**
 * A query's terms: every word whole except the last, which may be the start of a word (so
 * "zaświad" finds "zaświadczenie"). A prefix that a whole word of the query already starts
 * with adds nothing and is dropped.
 */
export function searchTerms(query: string): SearchTerms {
  const all = searchWords(query);
  const prefix = all.pop();
  const words = [...new Set(all)];
  return {
    words,
    prefix: prefix !== undefined && !words.some((w) => w.startsWith(prefix)) ? prefix : undefined,
  };
}

/**
 * The index entry that ties a document to its office, so the full-text index itself answers
 * "in this office". Words are letters and digits only, so no query word can name it.
 */
export function officeSearchWord(officeId: string): string {
  return `@${officeId}`;
}

/** A document's entries in the full-text index: its office's and its words; none without words. */
export function documentSearchEntries(officeId: string, title: string, senderName: string): string[] {
  const words = documentWords(title, senderName);
  return words.length === 0 ? [] : [officeSearchWord(officeId), ...words];
}

/**
 * The least string above every word that starts with `prefix` (its last character raised by
 * one), so `term >= prefix and term < prefixEnd(prefix)` is a range of an index.
 */
export function prefixEnd(prefix: string): string {
  const chars = Array.from(prefix);
  const last = chars.pop()!;
  return chars.join('') + String.fromCodePoint(last.codePointAt(0)! + 1);
}
