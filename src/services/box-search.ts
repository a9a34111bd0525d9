import { sql, type Expression, type RawBuilder, type SqlBool } from 'kysely';
import { documentWords, prefixEnd, type SearchTerms } from '../domain/journal/index';
import type { Database } from '../ports/database';

/**
 * The box's word index (docs/office.md): written with each document, and read by a search
 * that starts from its rarest term and checks the others document by document.
 */

/** A term with fewer index entries than this is rare; counting stops there. */
export const RARE_TERM_ENTRIES = 5000;

/** Writes a document's words; call it in the transaction that inserts the document. */
export async function indexDocumentWords(
  db: Database,
  document: { officeId: string; seq: number; title: string; senderName: string },
): Promise<void> {
  const words = documentWords(document.title, document.senderName);
  if (words.length === 0) return;
  await db
    .insertInto('document_words')
    .values(words.map((word) => ({ office_id: document.officeId, word, seq: document.seq })))
    .execute();
}

export type Term = { word: string } | { prefix: string };

/**
 * Where a search starts. `word`: the postings of its rarest whole word, already in seq order.
 * `prefix`: the documents with a word starting with a rare prefix (sorted, at most a few
 * thousand). `office`: the office's documents in seq order, when the only term is a common
 * prefix, so matches are dense. `none`: some term is in no document of the office.
 */
export type SearchPlan =
  | { kind: 'none' }
  | { kind: 'word'; word: string; others: Term[] }
  | { kind: 'prefix'; prefix: string; others: Term[] }
  | { kind: 'office'; others: Term[] };

/** `word` matching the term, for queries over document_words. */
function matches(word: RawBuilder<unknown>, term: Term): RawBuilder<SqlBool> {
  if ('word' in term) return sql<SqlBool>`${word} = ${term.word}`;
  // A range of the index. Words are letters and digits, which every collation orders by their
  // first differing character, so the range holds exactly the words that start with the prefix.
  return sql<SqlBool>`${word} >= ${term.prefix} and ${word} < ${prefixEnd(term.prefix)}`;
}

/** Counts each term's index entries in the office (up to RARE_TERM_ENTRIES) and picks the start. */
export async function planSearch(db: Database, officeId: string, search: SearchTerms): Promise<SearchPlan> {
  const terms: Term[] = [
    ...search.words.map((word) => ({ word })),
    ...(search.prefix !== undefined ? [{ prefix: search.prefix }] : []),
  ];
  if (terms.length === 0) return { kind: 'none' };
  const word = sql.ref('word');
  const { rows } = await sql<Record<string, number | string>>`select ${sql.join(
    terms.map(
      (term, i) =>
        sql`(select count(*) from (select 1 from document_words where office_id = ${officeId} and ${matches(word, term)} limit ${RARE_TERM_ENTRIES}) as c) as ${sql.ref(`n${i}`)}`,
    ),
  )}`.execute(db);
  const counted = terms.map((term, i) => ({ term, count: Number(rows[0]![`n${i}`]) }));
  if (counted.some((c) => c.count === 0)) return { kind: 'none' };
  const others = (start: Term) => terms.filter((t) => t !== start);
  const rarestWord = counted.filter((c) => 'word' in c.term).sort((a, b) => a.count - b.count)[0];
  const prefix = counted.find((c) => 'prefix' in c.term);
  if (prefix && prefix.count < RARE_TERM_ENTRIES && (!rarestWord || prefix.count < rarestWord.count))
    return {
      kind: 'prefix',
      prefix: (prefix.term as { prefix: string }).prefix,
      others: others(prefix.term),
    };
  if (rarestWord)
    return {
      kind: 'word',
      word: (rarestWord.term as { word: string }).word,
      others: others(rarestWord.term),
    };
  return { kind: 'office', others: terms };
}

/** The seqs a plan starts from (in a query aliased `w`), past the keyset cursor when there is one. */
export function startingSeqs(
  db: Database,
  officeId: string,
  plan: Exclude<SearchPlan, { kind: 'none' }>,
  after: { op: '<' | '>'; seq: number } | undefined,
) {
  if (plan.kind === 'office') {
    let office = db.selectFrom('documents').select('seq').where('office_id', '=', officeId);
    if (after) office = office.where('seq', after.op, after.seq);
    return office;
  }
  let words = db
    .selectFrom('document_words')
    .select('seq')
    .where('office_id', '=', officeId)
    .where(matches(sql.ref('word'), plan.kind === 'word' ? { word: plan.word } : { prefix: plan.prefix }));
  if (after) words = words.where('seq', after.op, after.seq);
  // A document may have several words with the prefix: each seq once.
  return plan.kind === 'prefix' ? words.distinct() : words;
}

/** The document at `seq` has the term (a lookup in the (seq, word) index). */
export function hasTerm(seq: RawBuilder<unknown>, term: Term): Expression<SqlBool> {
  return sql<SqlBool>`exists (select 1 from document_words x where x.seq = ${seq} and ${matches(sql.ref('x.word'), term)})`;
}
