import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { CompiledQuery, sql } from 'kysely';
import { searchTerms } from '../../src/domain/journal/index';
import * as fullTextMigration from '../../src/adapters/migrations/240-box-full-text';
import { indexDocumentWords, searchPage, WALK_ROWS } from '../../src/services/box-search';
import { BOX_PAGE_SIZE, listBox } from '../../src/services/office-box';
import { upsertOffice } from '../../src/services/offices';
import { addOtherOffice, startTestApp, type TestApp } from '../helpers/app';
import { testDialects } from '../helpers/databases';

const OFFICE = 'umczestochowa';
const OTHER = 'umkrakow';
/**
 * More documents of the office than PostgreSQL's walk reads share "seryjne" (a tenth go to the
 * other office), so searches are answered by the walk, by the GIN index, and by both in turn.
 */
const SERIAL = Math.ceil((WALK_ROWS * 10) / 9) + 200;
/** Bulk documents get seqs far above the log's, so they never collide with filed ones. */
const SERIAL_SEQ = 1_000_000;

for (const dialect of testDialects()) {
  describe(`the box's word search (${dialect})`, () => {
    let app: TestApp;
    const titles = new Map<string, string>();

    const file = async (officeId: string, title: string, sender: string) => {
      const { documentId } = await app.services.submitDocument({
        officeId,
        boxName: 'skrytka',
        sender: { type: 'token', ref: 'test', name: sender },
        files: [
          {
            field: 'document',
            name: 'pismo.txt',
            staged: await app.deps.blobs.stage(Buffer.from(`Treść: ${title}`, 'utf8')),
          },
        ],
        title,
      });
      titles.set(documentId, title);
      return documentId;
    };
    /** Titles of one page, and its cursor. */
    const search = async (q: string, officeId = OFFICE, extra: Record<string, string> = {}) => {
      const page = await listBox(app.deps, officeId, { q, ...extra });
      return page;
    };
    const found = async (q: string, officeId = OFFICE) =>
      (await search(q, officeId)).items.map((i) => i.title).sort();
    /** Every page of a search, following the cursor; the seqs in page order. */
    const walk = async (q: string, extra: Record<string, string> = {}, officeId = OFFICE) => {
      const seqs: number[] = [];
      let cursor: number | undefined;
      let pages = 0;
      do {
        const page = await listBox(app.deps, officeId, {
          q,
          ...extra,
          ...(cursor === undefined ? {} : { after: String(cursor) }),
        });
        assert.ok(page.items.length <= BOX_PAGE_SIZE);
        seqs.push(...page.items.map((i) => i.seq));
        cursor = page.next;
        pages += 1;
      } while (cursor !== undefined);
      return { seqs, pages };
    };

    let zazalenie: string;
    let wniosek: string;
    let zaswiadczenie: string;

    before(async () => {
      app = await startTestApp(dialect);
      await upsertOffice(app.deps, {
        id: OFFICE,
        name: 'Urząd Miasta Częstochowy',
        shortCode: 'UMCZ',
        address: 'ul. Śląska 11/13, 42-217 Częstochowa',
        boxes: [{ name: 'skrytka', title: 'ESP' }],
        externalAddresses: [],
      });
      await addOtherOffice(app);
      zazalenie = await file(OFFICE, 'Zażalenie na postanowienie', 'Łucja Żółkiewska');
      wniosek = await file(OFFICE, 'Wniosek o zaświadczenie', 'Firma Kowalska-Nowak Sp. z o.o.');
      zaswiadczenie = await file(OFFICE, 'Zaświadczenie o niezaleganiu', 'Jan Kowalski');
      // The same words in another office: never found from the first.
      await file(OTHER, 'Zażalenie na postanowienie', 'Łucja Żółkiewska');
      await file(OTHER, 'Wniosek o zaświadczenie', 'Firma Kowalska-Nowak Sp. z o.o.');

      // Documents in bulk, as a large office has them: rows and their index entries written directly.
      const rows = Array.from({ length: SERIAL }, (_, i) => ({
        i,
        officeId: i % 10 === 9 ? OTHER : OFFICE,
        title: `Pismo seryjne ${i} grupa${i % 3}`,
        seq: SERIAL_SEQ + i,
      }));
      for (let start = 0; start < rows.length; start += 200) {
        const chunk = rows.slice(start, start + 200);
        await app.database.db.transaction().execute(async (tx) => {
          await tx
            .insertInto('documents')
            .values(
              chunk.map((r) => ({
                id: `serial-${r.i}`,
                office_id: r.officeId,
                box_name: 'skrytka',
                sender_type: 'token',
                sender_ref: 'test',
                sender_name: 'Nadawca Seryjny',
                title: r.title,
                kind: r.i % 2 === 0 ? 'podanie' : null,
                status: 'received',
                received_at: '2026-01-01T00:00:00.000Z',
                main_sha256: '0'.repeat(64),
                total_size: 1,
                file_count: 1,
                signature_status: 'none',
                receipt_id: `serial-r-${r.i}`,
                seq: r.seq,
              })),
            )
            .execute();
          for (const r of chunk)
            await indexDocumentWords(tx, dialect, {
              officeId: r.officeId,
              seq: r.seq,
              title: r.title,
              senderName: 'Nadawca Seryjny',
            });
        });
      }
    });
    after(async () => app.dispose());

    const serial = (keep: (i: number) => boolean) =>
      Array.from({ length: SERIAL }, (_, i) => i)
        .filter((i) => i % 10 !== 9 && keep(i))
        .map((i) => SERIAL_SEQ + i)
        .reverse();

    test('case and Polish letters do not matter, on either side', async () => {
      assert.deepEqual(await found('zazalenie'), ['Zażalenie na postanowienie']);
      assert.deepEqual(await found('ZAŻALENIE'), ['Zażalenie na postanowienie']);
      assert.deepEqual(await found('zolkiewska'), ['Zażalenie na postanowienie']);
      assert.deepEqual(await found('ŁUCJA'), ['Zażalenie na postanowienie']);
    });

    test('every word must be there, in the title or the sender, in any order', async () => {
      assert.deepEqual(await found('postanowienie zazalenie'), ['Zażalenie na postanowienie']);
      assert.deepEqual(await found('kowalska wniosek'), ['Wniosek o zaświadczenie']);
      assert.deepEqual(await found('zazalenie wniosek'), []);
      assert.deepEqual(await found('nowak'), ['Wniosek o zaświadczenie'], 'a hyphen splits words');
      assert.deepEqual(await found('kowalsk'), ['Wniosek o zaświadczenie', 'Zaświadczenie o niezaleganiu']);
      assert.deepEqual(await found('%'), [], 'no letters or digits: nothing, not everything');
      assert.deepEqual(await found('zzzz'), []);
    });

    test('the last word may be the start of a word; the others are whole words', async () => {
      assert.deepEqual(await found('zaświad'), ['Wniosek o zaświadczenie', 'Zaświadczenie o niezaleganiu']);
      assert.deepEqual(await found('wniosek zaswiad'), ['Wniosek o zaświadczenie']);
      assert.deepEqual(await found('zaswiad wniosek'), [], '"zaswiad" is not a whole word');
      assert.deepEqual(await found('zaswiadczenie niezal'), ['Zaświadczenie o niezaleganiu']);
    });

    test("another office's documents are never found, whether the matches are rare or dense", async () => {
      for (const q of ['zazalenie na postanowienie', 'zaswiad', 'seryjne', 'grupa1 seryjne', 'seryjne 19']) {
        const mine = await walk(q);
        const theirs = await walk(q, {}, OTHER);
        assert.ok(mine.seqs.length > 0 && theirs.seqs.length > 0, q);
        const office = async (seqs: number[]) =>
          new Set(
            (
              await app.database.db
                .selectFrom('documents')
                .select('office_id')
                .where('seq', 'in', seqs)
                .execute()
            ).map((r) => r.office_id),
          );
        assert.deepEqual([...(await office(mine.seqs))], [OFFICE], q);
        assert.deepEqual([...(await office(theirs.seqs))], [OTHER], q);
      }
      const own = (await search('zazalenie')).items.map((i) => i.documentId);
      assert.deepEqual(own, [zazalenie]);
      assert.ok(!(await search('wniosek', OTHER)).items.some((i) => i.documentId === wniosek));
      assert.ok(titles.has(zaswiadczenie));
    });

    test('keyset pages from each starting point: every match once, newest first or oldest first', async () => {
      // A common prefix alone.
      const all = await walk('seryjne');
      assert.deepEqual(
        all.seqs,
        serial(() => true),
      );
      assert.equal(all.pages, Math.ceil(all.seqs.length / BOX_PAGE_SIZE));

      // A whole word and a prefix, both common.
      assert.deepEqual(
        (await walk('grupa1 seryjne')).seqs,
        serial((i) => i % 3 === 1),
      );
      assert.deepEqual(
        (await walk('grupa1 seryjne', { sort: 'oldest' })).seqs,
        serial((i) => i % 3 === 1).reverse(),
      );

      // A rarer prefix: 19, 190–199, 1900–1999.
      const nineteen = serial((i) => String(i).startsWith('19'));
      assert.ok(nineteen.length > BOX_PAGE_SIZE);
      assert.deepEqual((await walk('seryjne 19')).seqs, nineteen);
      assert.deepEqual((await walk('seryjne 19', { sort: 'oldest' })).seqs, nineteen.slice().reverse());

      // Filters narrow a search on every page.
      assert.deepEqual(
        (await walk('seryjne 19', { kind: 'podanie' })).seqs,
        serial((i) => String(i).startsWith('19') && i % 2 === 0),
      );
      assert.deepEqual(
        (await walk('grupa2', { kind: 'podanie' })).seqs,
        serial((i) => i % 3 === 2 && i % 2 === 0),
      );
    });

    test('too many words is a clear error naming the field', async () => {
      await assert.rejects(
        () => listBox(app.deps, OFFICE, { q: 'a b c d e f g h i j k' }),
        (error: { status?: number; fieldErrors?: { field: string; key: string }[] }) => {
          assert.equal(error.status, 400);
          assert.deepEqual(
            error.fieldErrors?.map((e) => [e.field, e.key]),
            [['q', 'box.error.searchWords']],
          );
          return true;
        },
      );
    });

    test('two common words that never meet: nothing, in every order and on every page', async () => {
      // grupa0, grupa1 and grupa2 are each in a third of the serial documents, never together.
      assert.deepEqual((await walk('grupa1 grupa2')).seqs, []);
      assert.deepEqual((await walk('grupa0 grupa1', { sort: 'oldest' })).seqs, []);
      assert.deepEqual(
        (await walk('grupa2 seryjne grupa')).seqs,
        serial((i) => i % 3 === 2),
      );
      assert.deepEqual((await walk('grupa0 grupa1', { after: String(SERIAL_SEQ + 1000) })).seqs, []);
    });

    test('the lists of the terms are intersected by the full-text index, and pages come without sorting every match', async () => {
      const db = app.database.db;
      /** The plans of the statements one page runs. */
      const plans = async (q: string, newest = true) => {
        const found: string[] = [];
        await searchPage(
          db,
          dialect,
          OFFICE,
          searchTerms(q),
          { newest, after: undefined, limit: 51 },
          async (from) => {
            const page = from
              .select('documents.seq')
              .orderBy('s.seq', newest ? 'desc' : 'asc')
              .limit(51);
            // On PostgreSQL through the page's own executor: the GIN statement runs with its settings.
            const rows =
              dialect === 'postgres'
                ? await page.explain<Record<string, string>>()
                : (
                    await db.executeQuery<Record<string, string>>(
                      CompiledQuery.raw(`explain query plan ${page.compile().sql}`, [
                        ...page.compile().parameters,
                      ]),
                    )
                  ).rows;
            found.push(rows.map((r) => r['QUERY PLAN'] ?? r.detail).join('\n'));
            return [];
          },
        );
        return found;
      };
      if (dialect === 'sqlite') {
        for (const [q, newest] of [
          ['grupa1 grupa2', true],
          ['seryjne', false],
          ['seryjne 19', true],
        ] as const) {
          const [plan] = await plans(q, newest);
          assert.match(plan!, /SCAN document_search VIRTUAL TABLE INDEX/, q);
          assert.doesNotMatch(plan!, /TEMP B-TREE/, `${q}: FTS5 yields the matches in seq order`);
        }
      } else {
        // The walk reads the office's newest rows through (office_id, seq), never the whole table.
        // When the walk of the office's newest rows does not fill the page, the GIN index
        // intersects the terms' lists. (Which path the walk takes depends on the table's size.)
        const [walkPlan, ginPlan] = await plans('grupa1 grupa2');
        assert.match(walkPlan!, /document_search_office/);
        assert.match(ginPlan!, /Bitmap Index Scan on document_search_words/);
        for (const plan of [walkPlan!, ginPlan!]) assert.doesNotMatch(plan, /Seq Scan on document_search/);
        assert.equal(
          (await plans('grupa1 grupa2')).length,
          2,
          'sparse matches: the walk, then the GIN index',
        );
        // Dense matches that the page's filters (here: the page that keeps none) leave unfilled: a
        // longer walk of the same rows before the GIN index.
        const dense = await plans('seryjne');
        assert.equal(dense.length, 3, 'the walk, the longer walk, the GIN index');
        assert.match(dense[1]!, /document_search_office/);
        assert.doesNotMatch(dense[1]!, /Seq Scan on document_search/);
      }
    });

    test('the migration back-fills what filing writes, and its undoing restores the word table', async () => {
      const queries = ['zazalenie', 'zaswiad', 'kowalsk', 'grupa1 seryjne', 'seryjne 19', 'grupa1 grupa2'];
      const results = async () => Promise.all(queries.map(async (q) => (await walk(q)).seqs));
      const before = await results();
      assert.ok(before[3]!.length > BOX_PAGE_SIZE);
      const db = app.database.db as never;
      await fullTextMigration.down(db);
      const { rows } = await sql<{ n: number }>`select count(*) as n from document_words`.execute(
        app.database.db,
      );
      assert.ok(Number(rows[0]!.n) > SERIAL * 5);
      await fullTextMigration.up(db);
      assert.deepEqual(await results(), before);
    });
  });
}
