import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { listenLocally, cookieHeader, csrfFrom, startTestApp, type TestApp } from '../helpers/app';
import { testDialects } from '../helpers/databases';
import { badReceipts, issueReceipt, type IssuedReceipt } from '../helpers/issued-receipt';

for (const dialect of testDialects()) {
  describe(`public verification page /weryfikacja (${dialect})`, () => {
    let app: TestApp;
    let base: string;
    let issued: IssuedReceipt;

    /** Opens the form (cookie + token), then posts the receipt and files as a browser would. */
    async function verifyOnPage(
      receipt: Buffer | undefined,
      files: { name: string; content: Buffer }[] = [],
      lang = 'pl',
    ) {
      const page = await fetch(`${base}/weryfikacja`);
      const html = await page.text();
      const cookie = cookieHeader(page.headers.getSetCookie());
      const form = new FormData();
      // The token is the first field, as the page's form sends it; never in the address.
      form.append('_csrf', csrfFrom(html));
      if (receipt)
        form.append('receipt', new Blob([new Uint8Array(receipt)], { type: 'text/xml' }), 'upp.xml');
      for (const f of files) form.append('files', new Blob([new Uint8Array(f.content)]), f.name);
      const res = await fetch(`${base}/weryfikacja?lang=${lang}`, {
        method: 'POST',
        headers: { cookie },
        body: form,
      });
      return { status: res.status, html: await res.text() };
    }

    /** What a check must leave behind: nothing. */
    const footprint = async () => ({
      documents: Number(
        (
          await app.database.db
            .selectFrom('documents')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      ),
      leaves: Number(
        (
          await app.database.db
            .selectFrom('tlog_leaves')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      ),
      audit: Number(
        (
          await app.database.db
            .selectFrom('audit_log')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      ),
      blobs: await (async () => {
        const list: string[] = [];
        for await (const b of app.deps.blobs.list()) list.push(b.sha256);
        return list.length;
      })(),
      tmp: fs.readdirSync(path.join(app.env.config.dataDir, 'blobs', 'tmp')).length,
    });

    before(async () => {
      app = await startTestApp(dialect, { demo: true });
      base = await listenLocally(app);
      issued = await issueReceipt(app, { senderName: 'Kancelaria <script>alert(1)</script>' });
    });
    after(async () => app.dispose());

    test('the form: public, CSRF token, multipart, Polish and English; ?id= explains and reveals nothing', async () => {
      const pl = await fetch(`${base}/weryfikacja`);
      const html = await pl.text();
      assert.equal(pl.status, 200);
      assert.match(html, /<h1[^>]*>Weryfikacja poświadczenia<\/h1>/);
      assert.match(html, /enctype="multipart\/form-data"/);
      assert.match(html, /action="\/weryfikacja"[^>]*><input type="hidden" name="_csrf" value="[^"]+"/);
      assert.match(html, /Razem najwyżej 5 MB/);
      // Every page's footer leads here.
      assert.match(
        await (await fetch(`${base}/`)).text(),
        /<a class="govuk-footer__link" href="\/weryfikacja">Weryfikacja poświadczenia<\/a>/,
      );
      const en = await (await fetch(`${base}/weryfikacja?lang=en&id=${issued.receiptId}`)).text();
      assert.match(en, /Verify a receipt/);
      assert.match(en, new RegExp(`The QR code leads to the verification of receipt ${issued.receiptId}`));
      // The id alone shows nothing of the receipt.
      assert.doesNotMatch(en, /Kancelaria|wniosek\.pdf|Częstochowy \(umczestochowa\)/);
      // An id that is not one is ignored, never echoed.
      const odd = await (
        await fetch(`${base}/weryfikacja?id=${encodeURIComponent('"><script>x</script>')}`)
      ).text();
      assert.doesNotMatch(odd, /<script>x|Kod QR prowadzi/);
    });

    test('a receipt from this installation with its files: valid, every file matched, in the log under the signed checkpoint; nothing stored', async () => {
      const before = await footprint();
      const { status, html } = await verifyOnPage(issued.xml, [
        ...issued.files,
        { name: 'kopia.png', content: issued.files[1]!.content },
      ]);
      assert.equal(status, 200, html);
      assert.match(html, /govuk-panel__title">Poświadczenie jest ważne</);
      assert.match(html, /Urząd Miasta Częstochowy \(umczestochowa\)/);
      assert.match(
        html,
        /C=PL, 2\.5\.4\.97=urzad-online:office:umczestochowa, O=Urząd Miasta Częstochowy, CN=Urząd Miasta Częstochowy — pieczęć elektroniczna/,
      );
      assert.match(
        html,
        /Data wpływu dokumentu<\/dt><dd class="govuk-summary-list__value">\d{2}\.\d{2}\.\d{4}, \d{2}:\d{2} \(UTC \d{4}-/,
      );
      assert.match(html, /Podpis jest prawidłowy, a certyfikat pieczęci wystawił zaufany urząd certyfikacji/);
      assert.match(html, /Plik „wniosek\.pdf” zgadza się z pozycją „wniosek\.pdf” \(dokument główny\)/);
      assert.match(html, /Plik „skan\.png” zgadza się z pozycją „skan\.png” \(załącznik\)/);
      assert.match(
        html,
        /Plik „kopia\.png” zgadza się z pozycją „skan\.png” \(załącznik\), choć ma inną nazwę/,
      );
      assert.match(
        html,
        /Poświadczenie jest wpisem \d+ publicznego rejestru przejrzystości localhost:3000\/log/,
      );
      // Links back to the page (language switch, cookie banner) do not carry the CSRF token.
      assert.match(html, /href="\/weryfikacja\?lang=en" hreflang="en"/);
      assert.doesNotMatch(
        html.replace(/<form method="post" action="\/cookies"[^>]*>/, ''),
        /href="[^"]*_csrf=|name="returnTo" value="[^"]*_csrf=/,
      );
      // Text from the receipt is shown as text: the markup in the sender's name is escaped.
      assert.match(
        html,
        /Kancelaria &lt;script>alert\(1\)&lt;\/script>|Kancelaria &lt;script&gt;alert\(1\)&lt;\/script&gt;/,
      );
      assert.doesNotMatch(html, /<script>alert/);
      assert.deepEqual(await footprint(), before);

      const en = await verifyOnPage(issued.xml, [], 'en');
      assert.match(en.html, /The receipt is valid/);
      assert.match(
        en.html,
        /Not checked: the entry &quot;wniosek\.pdf&quot; \(main document\); that file was not given/,
      );
      assert.match(en.html, /The receipt is entry \d+ of the public transparency log/);
    });

    test('every bad input of the issue is reported invalid with its reason, and nothing is stored', async () => {
      const bad = await badReceipts(issued.xml, app.deps.seals);
      try {
        const before = await footprint();
        for (const b of bad.list) {
          const { status, html } = await verifyOnPage(b.xml, [], 'en');
          assert.equal(status, 200, b.name);
          assert.match(html, /<h1 class="govuk-heading-l">The receipt is not valid<\/h1>/, b.name);
          // The page trusts only this installation's CAs: the expired seal's CA is foreign here.
          assert.match(
            html,
            b.caPem ? /was not issued by a trusted certification authority/ : b.reason,
            `${b.name}: ${html.slice(html.indexOf('govuk-error-summary'), html.indexOf('govuk-error-summary') + 600)}`,
          );
        }
        // A file cut short no longer matches.
        const png = issued.files[1]!;
        const cut = await verifyOnPage(
          issued.xml,
          [{ name: png.name, content: png.content.subarray(0, 20) }],
          'en',
        );
        assert.match(cut.html, /The receipt is not valid/);
        assert.match(
          cut.html,
          /The file &quot;skan\.png&quot; does NOT match the entry &quot;skan\.png&quot;: the receipt gives SHA-256 [0-9a-f]{64} \(69 B\), the file has [0-9a-f]{64} \(20 B\)/,
        );
        // A file whose name is markup is shown as text.
        const marked = await verifyOnPage(
          issued.xml,
          [{ name: '<img src=x onerror=alert(1)>.png', content: Buffer.from('x') }],
          'en',
        );
        assert.doesNotMatch(marked.html, /<img src=x/);
        assert.match(
          marked.html,
          /&lt;img src=x onerror=alert\(1\)>\.png|&lt;img src=x onerror=alert\(1\)&gt;\.png/,
        );
        assert.deepEqual(await footprint(), before);
      } finally {
        bad.cleanup();
      }
    });

    test('refusals: no receipt 422, a receipt over 1 MB 413, no CSRF token 403 (in the address or after a file it is none), not multipart 415', async () => {
      const none = await verifyOnPage(undefined, [], 'en');
      assert.equal(none.status, 422);
      assert.match(
        none.html,
        /govuk-error-summary[\s\S]*<a href="#receipt">Choose the XML file of the receipt\.<\/a>/,
      );
      const big = await verifyOnPage(Buffer.alloc(1024 * 1024 + 1, 0x20), [], 'en');
      assert.equal(big.status, 413);
      assert.match(big.html, /The receipt file is too large: a receipt has at most 1 MB/);
      const form = new FormData();
      form.append('receipt', new Blob([new Uint8Array(issued.xml)]), 'upp.xml');
      const noToken = await fetch(`${base}/weryfikacja`, { method: 'POST', body: form });
      assert.equal(noToken.status, 403);
      const page = await fetch(`${base}/weryfikacja`);
      const html = await page.text();
      const cookie = cookieHeader(page.headers.getSetCookie());
      const token = csrfFrom(html);
      // A token in the query string counts for nothing.
      const inAddress = await fetch(`${base}/weryfikacja?_csrf=${encodeURIComponent(token)}`, {
        method: 'POST',
        headers: { cookie },
        body: form,
      });
      assert.equal(inAddress.status, 403);
      // The token must come before the files: one sent after them is not read.
      const late = new FormData();
      late.append('receipt', new Blob([new Uint8Array(issued.xml)]), 'upp.xml');
      late.append('_csrf', token);
      const afterFiles = await fetch(`${base}/weryfikacja`, {
        method: 'POST',
        headers: { cookie },
        body: late,
      });
      assert.equal(afterFiles.status, 403);
      const wrong = new FormData();
      wrong.append('_csrf', `${token.slice(0, -2)}xx`);
      wrong.append('receipt', new Blob([new Uint8Array(issued.xml)]), 'upp.xml');
      const wrongToken = await fetch(`${base}/weryfikacja`, {
        method: 'POST',
        headers: { cookie },
        body: wrong,
      });
      assert.equal(wrongToken.status, 403);
      const urlencoded = await fetch(`${base}/weryfikacja`, {
        method: 'POST',
        headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
        body: `_csrf=${encodeURIComponent(token)}&receipt=x`,
      });
      assert.equal(urlencoded.status, 415);
    });

    /**
     * Streams a 50 MB upload over a real socket and counts how much the server took before it
     * answered: it must answer 413 long before the end.
     */
    async function hugeUpload(
      declareLength: boolean,
    ): Promise<{ status: number; sentBytes: number; body: string }> {
      const page = await fetch(`${base}/weryfikacja?lang=en`);
      const token = csrfFrom(await page.text());
      const cookie = cookieHeader(page.headers.getSetCookie());
      const boundary = 'verify-boundary-7f3a';
      const head = Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\n${token}\r\n` +
          `--${boundary}\r\nContent-Disposition: form-data; name="files"; filename="big.bin"\r\nContent-Type: application/octet-stream\r\n\r\n`,
      );
      const total = 50 * 1024 * 1024;
      const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
      return new Promise((resolve, reject) => {
        let sentBytes = 0;
        let answered = false;
        const req = http.request(`${base}/weryfikacja?lang=en`, {
          method: 'POST',
          headers: {
            cookie,
            'content-type': `multipart/form-data; boundary=${boundary}`,
            ...(declareLength
              ? { 'content-length': String(head.length + total + tail.length) }
              : { 'transfer-encoding': 'chunked' }),
          },
        });
        req.on('response', (res) => {
          answered = true;
          let body = '';
          res.on('data', (c: Buffer) => (body += c.toString()));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, sentBytes, body }));
        });
        req.on('error', (error) => (answered ? undefined : reject(error)));
        const chunk = Buffer.alloc(64 * 1024, 0x61);
        const pump = () => {
          if (answered || req.destroyed) return;
          if (sentBytes === 0) req.write(head);
          while (sentBytes < total && !answered) {
            sentBytes += chunk.length;
            if (!req.write(chunk)) return void req.once('drain', pump);
          }
          if (!answered) req.end(tail);
        };
        pump();
      });
    }

    test('a 50 MB upload gets 413 without being read to its end, declared or streamed', async () => {
      const before = await footprint();
      const declared = await hugeUpload(true);
      assert.equal(declared.status, 413);
      assert.match(declared.body, /The upload is too large/);
      assert.ok(declared.sentBytes < 50 * 1024 * 1024, `sent ${declared.sentBytes}`);
      const streamed = await hugeUpload(false);
      assert.equal(streamed.status, 413);
      assert.match(streamed.body, /The uploaded files together exceed 5 MB/);
      assert.ok(streamed.sentBytes < 50 * 1024 * 1024, `sent ${streamed.sentBytes}`);
      assert.deepEqual(await footprint(), before);
    });
  });
}
