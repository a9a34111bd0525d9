import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import fc from 'fast-check';
import { Fragment, h, type ComponentChildren, type VNode } from 'preact';
import { useState } from 'preact/hooks';
import { renderToString } from 'preact-render-to-string';
import type { ViewContext } from '../../src/views/context';
import { escapeHtml, serializeHtml } from '../../src/views/html-serializer';
import { renderPage } from '../../src/views/render';
import { startTestApp, type TestApp } from '../helpers/app';
import { testDialects } from '../helpers/databases';
import { WebClient } from '../helpers/web-client';

/**
 * The pages' serializer against an independent implementation: preact-render-to-string, whose
 * output the pages had before, must give the same bytes for every real page and for the cases
 * below.
 */
const same = (node: VNode | ComponentChildren) =>
  assert.equal(serializeHtml(node), renderToString(node as VNode));

describe('HTML serializer: targeted cases', () => {
  test('text is escaped as preact-render-to-string escapes it', () => {
    for (const text of [
      '<script>alert("x")</script>',
      'Tom & Jerry > "Ala" \'ma\' kota',
      'Zażółć gęślą jaźń — ŁÓDŹ',
      '&amp; already escaped',
      '',
      '"',
      'a<b',
    ]) {
      same(<p>{text}</p>);
      same(<p title={text}>{[text, text]}</p>);
      same(<input value={text} />);
    }
    assert.equal(
      serializeHtml(<p title={'"&<>'}>{'<&>"'}</p>),
      '<p title="&quot;&amp;&lt;>">&lt;&amp;>&quot;</p>',
    );
    assert.equal(escapeHtml('ąę <b>'), 'ąę &lt;b>');
  });

  test('attributes: booleans, empty, null, numbers, renamed and camel-cased props', () => {
    same(<input type="checkbox" checked disabled={false} required={true} name="" />);
    same(<div class={undefined} id={null as unknown as string} hidden={false} data-x={0} />);
    same(<div aria-hidden={true} aria-invalid={false} data-nosnippet data-count={3} />);
    same(<label htmlFor="f" className="c" tabIndex={0} />);
    same(h('label', { for: 'a', htmlFor: 'b', class: 'x', className: 'y' }));
    same(h('textarea', { maxLength: 10, readOnly: true, autoComplete: 'off', rowSpan: 2 }));
    same(h('meta', { httpEquiv: 'refresh', content: '0' }));
    same(h('form', { acceptCharset: 'utf-8', onSubmit: () => undefined }));
    same(h('div', { draggable: true, spellcheck: false }));
    same(h('div', { style: { marginTop: 4, lineHeight: 1.5, '--x': 2, color: 'red', empty: '' } }));
    same(h('div', { style: 'color: red' }));
    same(h('div', { style: {} }));
    same(h('div', { 'bad name': 'x', 'x"y': 1, ok: 'yes' }));
    same(h('div', { key: 'k', ref: null, __self: 1, __source: 2 }));
    same(h('input', { defaultValue: 'v', defaultChecked: true }));
    same(h('option', { defaultSelected: true }, 'x'));
  });

  test('children: numbers, zero, null, booleans, arrays and nested fragments', () => {
    same(<p>{0}</p>);
    same(<p>{[0, 1, null, undefined, true, false, '', 'a', [2, [3, <b>4</b>]]]}</p>);
    same(
      <>
        <>
          <>a</>
          {null}
        </>
        {[<i key="1">x</i>, <>y</>]}
        {false}
      </>,
    );
    same(<div>{[]}</div>);
    same(
      <ul>
        {['a', 'b'].map((x) => (
          <li>{x}</li>
        ))}
      </ul>,
    );
    same(h('div', null, () => 'a function child renders nothing'));
    same(0);
    same('text & more');
    same(null);
  });

  test('void elements, empty elements, raw inner HTML', () => {
    same(<br />);
    same(<img src="/a.png" alt="" />);
    same(<div></div>);
    same(<script type="module" src="/assets/app.js"></script>);
    same(h('input', null, 'content given to a void element'));
    same(h('input', null, ''));
    same(h('div', { dangerouslySetInnerHTML: { __html: '<b>raw</b>' } }, 'ignored'));
    same(h('div', { dangerouslySetInnerHTML: { __html: '' } }, 'used'));
    same(h('br', { dangerouslySetInnerHTML: { __html: 'x' } }));
  });

  test('form controls: textarea value, select value, option selected', () => {
    same(<textarea name="t">{'a & <b>'}</textarea>);
    same(h('textarea', { value: 'from value <&>' }));
    same(h('textarea', { value: '' }));
    same(
      h(
        'select',
        { value: 'b' },
        h('option', { value: 'a' }, 'A'),
        h('option', { value: 'b' }, 'B'),
        h('option', { value: 'b', selected: false }, 'B, not selected'),
        h(Fragment, null, h('option', { value: 'b' }, 'B in a fragment')),
      ),
    );
    same(
      <select name="s">
        <option value="a" selected={false}>
          A
        </option>
        <option value="b" selected={true}>
          B
        </option>
      </select>,
    );
    same(h('option', { value: undefined }, 'no select around'));
  });

  test('SVG attribute names', () => {
    same(
      h(
        'svg',
        { viewBox: '0 0 10 10', xlinkHref: '#a', className: 'i' },
        h('path', { strokeWidth: 2, fillOpacity: 0.5, clipPath: 'url(#c)', d: 'M0 0' }),
        h('foreignObject', null, h('div', { tabIndex: 1, strokeWidth: 1 })),
        h('text', { textAnchor: 'middle', panose1: '1' }, 'x'),
      ),
    );
    same(h('div', { strokeWidth: 1 }));
  });

  test('function components get their props; components returning fragments, lists, nothing', () => {
    const Item = ({ label, children }: { label: string; children?: ComponentChildren }) => (
      <li data-label={label}>{children}</li>
    );
    const List = ({ items }: { items: string[] }) => (
      <>
        {items.map((x, i) => (
          <Item label={x}>{i}</Item>
        ))}
      </>
    );
    const Nothing = () => null;
    same(
      <ul>
        <List items={['a', '<b>', 'ż']} />
        <Nothing />
      </ul>,
    );
  });

  test('hooks, context and class components fail loudly instead of rendering', () => {
    const WithState = () => {
      const [value] = useState('x');
      return <p>{value}</p>;
    };
    assert.throws(() => serializeHtml(<WithState />));
    class Legacy {
      render() {
        return <p>class</p>;
      }
    }
    assert.throws(() => serializeHtml(h(Legacy as unknown as () => null, null)), /class component/);
    const Reader = Object.assign(() => <p />, { contextType: { __c: 'ctx', __: 1 } });
    assert.throws(() => serializeHtml(<Reader />), /context/);
    assert.throws(() => serializeHtml(<div>{{ not: 'a node' } as unknown as string}</div>), /cannot render/);
    assert.throws(() => serializeHtml(h('bad tag', null)), /not a valid HTML tag name/);
  });

  test('random trees render as preact-render-to-string renders them', () => {
    const text = fc.oneof(
      fc.constantFrom('', 'a', '<', '&', '"', '>', "'", 'ż', '&amp;', '<script>'),
      fc.string({ maxLength: 8 }),
    );
    const value = fc.oneof(
      text,
      fc.boolean(),
      fc.integer({ min: -2, max: 3 }),
      fc.constant(null),
      fc.constant(undefined),
    );
    const props = fc.dictionary(
      fc.constantFrom(
        'id',
        'class',
        'className',
        'htmlFor',
        'title',
        'value',
        'selected',
        'checked',
        'aria-label',
        'data-x',
        'tabIndex',
        'hidden',
        'href',
        'name',
      ),
      value,
      { maxKeys: 4 },
    );
    const tag = fc.constantFrom(
      'div',
      'p',
      'span',
      'input',
      'br',
      'select',
      'option',
      'textarea',
      'a',
      'svg',
      'g',
    );
    const { tree } = fc.letrec<{ tree: unknown; node: unknown }>((rec) => ({
      node: fc.oneof(
        { depthSize: 'small', withCrossShrink: true },
        text,
        fc.integer({ min: -1, max: 100 }),
        fc.constantFrom(null, undefined, true, false),
        fc
          .tuple(tag, props, fc.array(rec('node'), { maxLength: 3 }))
          .map(([t, p, children]) =>
            h(t, p as Record<string, unknown>, ...(children as ComponentChildren[])),
          ),
        fc
          .array(rec('node'), { maxLength: 3 })
          .map((children) => h(Fragment, null, ...(children as ComponentChildren[]))),
        fc.array(rec('node'), { maxLength: 3 }),
      ),
      tree: rec('node'),
    }));
    fc.assert(
      fc.property(tree, (node) => {
        same(node as ComponentChildren);
      }),
      { numRuns: 2000 },
    );
  });
});

/**
 * Every page the demo installation shows to each kind of visitor, in both languages, reached
 * by following links from the places in the header; plus pages with form errors and the cookie
 * banner. The app answers with our serializer; each page's virtual tree is caught on its way to
 * `reply.page` and rendered again by preact-render-to-string.
 */
for (const dialect of testDialects()) {
  describe(`HTML serializer: every page the same as preact-render-to-string (${dialect})`, () => {
    let app: TestApp;
    let caught: { url: string; page: VNode }[] = [];
    before(async () => {
      app = await startTestApp(dialect, { demo: true });
      // The clerk also runs the office, so that the office's management pages are seen too.
      await app.services.grantRole({
        actorId: null,
        email: 'urzednik@example.pl',
        role: 'office-admin',
        officeId: 'umczestochowa',
      });
      app.http.addHook('onRequest', async (request, reply) => {
        const page = reply.page;
        reply.page = function (render: (ctx: ViewContext) => VNode, status?: number) {
          return page.call(
            this,
            (ctx) => {
              const tree = render(ctx);
              caught.push({ url: request.url, page: tree });
              return tree;
            },
            status,
          );
        };
      });
    });
    after(() => app.dispose());

    /** Fetches `url`; for a page, checks it and returns its links to follow. */
    async function visit(client: WebClient, url: string, checked: Set<string>): Promise<string[]> {
      caught = [];
      const res = await client.get(url);
      if (caught.length === 0) return [];
      assert.equal(caught.length, 1, url);
      const { page } = caught[0]!;
      assert.equal(serializeHtml(page), renderToString(page), `${url}: differs from preact-render-to-string`);
      assert.equal(res.body, renderPage(page), `${url}: the page sent is the one caught`);
      checked.add(`${client.cookies.includes('lang=en') ? 'en' : 'pl'} ${url}`);
      return [...res.body.matchAll(/href="(\/[^"#]*)"/g)].map((m) => m[1]!.replace(/&amp;/g, '&'));
    }

    /** Follows links breadth-first from `start`, as far as `limit` pages. */
    async function crawl(
      client: WebClient,
      start: string[],
      checked: Set<string>,
      limit = 120,
    ): Promise<void> {
      const seen = new Set<string>(start);
      const queue = [...start];
      let visited = 0;
      while (queue.length > 0 && visited < limit) {
        const url = queue.shift()!;
        visited += 1;
        for (const link of await visit(client, url, checked)) {
          if (
            seen.has(link) ||
            /^\/(assets|api|wyloguj)\b|\?lang=|\.(css|js|ico|svg|xml|pdf|json)$/.test(link)
          )
            continue;
          seen.add(link);
          queue.push(link);
        }
      }
    }

    test('public pages, the cookie banner and its confirmation, in Polish and English', async () => {
      const checked = new Set<string>();
      const visitor = new WebClient(app.http);
      await visit(visitor, '/', checked);
      await visit(visitor, '/logowanie', checked);
      visitor.cookies = 'cookie_consent=accepted';
      await visit(visitor, '/?cookies=accepted', checked);
      await crawl(visitor, ['/', '/esp/umczestochowa', '/rejestracja'], checked);
      await visit(visitor, '/?lang=en', checked);
      await crawl(visitor, ['/', '/esp/umczestochowa', '/rejestracja'], checked);
      await visit(visitor, '/no-such-page', checked);
      await visit(visitor, '/api/docs', checked);
      assert.ok(checked.size >= 20, `only ${checked.size} public pages checked`);
    });

    test('pages with form errors', async () => {
      const visitor = new WebClient(app.http);
      visitor.cookies = 'cookie_consent=accepted';
      for (const [url, fields] of [
        ['/logowanie', { email: 'nobody@example.pl', password: 'wrong <&> "password"' }],
        ['/rejestracja', { email: 'not an email', displayName: '<script>' }],
      ] as const) {
        await visitor.get(url);
        caught = [];
        const res = await visitor.post(url, fields);
        assert.equal(caught.length, 1, `${url}: no page`);
        const { page } = caught[0]!;
        assert.equal(
          serializeHtml(page),
          renderToString(page),
          `${url}: differs from preact-render-to-string`,
        );
        assert.equal(res.body, renderPage(page));
        assert.match(res.body, /<title>(Błąd|Error):/, `${url}: no error in the title`);
      }
    });

    for (const email of [
      'mieszkaniec@example.pl',
      'urzednik@example.pl',
      'punkt@example.pl',
      'admin@example.pl',
    ])
      test(`the pages of ${email}, in Polish and English`, async () => {
        const checked = new Set<string>();
        const client = new WebClient(app.http);
        client.cookies = 'cookie_consent=accepted';
        const login = await client.logIn(email, 'demo-password-123');
        assert.equal(login.statusCode, 303, `login of ${email}`);
        const office = '/urzad/umczestochowa';
        const start = [
          '/',
          '/konto',
          '/pisma',
          '/skrzynka',
          `${office}/skrzynka`,
          ...['ustawienia', 'pracownicy', 'tokeny', 'systemy', 'webhooki'].map((p) => `${office}/${p}`),
        ];
        await crawl(client, start, checked);
        await visit(client, '/?lang=en', checked);
        await crawl(client, start, checked);
        assert.ok(checked.size >= 20, `only ${checked.size} pages checked for ${email}`);
        if (process.env.DEBUG_CRAWL) console.log(email, [...checked].join('\n'));
      });
  });
}
