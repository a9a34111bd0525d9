/**
 * The safe XML reader (`readUntrustedXml`): whatever the text, it returns a document or throws
 * UnsafeXmlError, within a time bound; what it accepts has no DTD, no entity references and no
 * nesting past the limit (checked on the parsed tree, not with the reader's own scanner); every
 * markup declaration outside comments, CDATA and processing instructions is refused.
 */
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import type { Document, Node } from '@xmldom/xmldom';
import fc from 'fast-check';
import { readUntrustedXml, UnsafeXmlError } from '../../src/domain/xml/read-untrusted';
import { fuzzParameters, reportSlowest, timed } from './budget';

after(() => reportSlowest('XML reader'));

/**
 * A markup declaration is refused by the scan in microseconds; an expansion would take minutes
 * or exhaust memory. Half a second leaves room for a busy machine's pauses.
 */
const REFUSAL_MS = 500;

/** The parsed tree: its depth and whether any node is a DTD or an entity reference. */
function treeFacts(document: Document): { depth: number; dtdOrEntity: boolean } {
  let depth = 0;
  let dtdOrEntity = document.doctype !== null;
  const stack: [Node, number][] = [[document, 0]];
  while (stack.length > 0) {
    const [node, level] = stack.pop()!;
    if (node.nodeType === 1) depth = Math.max(depth, level);
    // 5 entity reference, 6 entity, 10 document type, 12 notation.
    if ([5, 6, 10, 12].includes(node.nodeType)) dtdOrEntity = true;
    for (let child = node.firstChild; child; child = child.nextSibling)
      stack.push([child, node.nodeType === 1 || node.nodeType === 9 ? level + 1 : level]);
  }
  return { depth, dtdOrEntity };
}

/** Parses within the time bound; a refusal must be an UnsafeXmlError, anything else fails the property. */
async function read(text: string, maxDepth = 256): Promise<Document | UnsafeXmlError> {
  const { value } = await timed(() => {
    try {
      return readUntrustedXml(text, { maxDepth });
    } catch (error) {
      if (error instanceof UnsafeXmlError) return error;
      throw error;
    }
  });
  if (!(value instanceof UnsafeXmlError)) {
    const facts = treeFacts(value);
    assert.equal(facts.dtdOrEntity, false, 'accepted a DTD or an entity reference');
    assert.ok(facts.depth <= maxDepth, `accepted nesting ${facts.depth} over ${maxDepth}`);
  } else {
    assert.ok(['xml-malformed', 'xml-dtd', 'xml-too-deep', 'xml-too-large'].includes(value.rule));
  }
  return value;
}

const name = fc.constantFrom('a', 'b', 'svg', 'root', '_n', 'ą', 'a-b.c');
const declarationKeyword = fc.constantFrom(
  'DOCTYPE',
  'ENTITY',
  'ELEMENT',
  'ATTLIST',
  'NOTATION',
  'doctype',
  'Entity',
  '[CDATA',
  '-',
  '',
);

/** Pieces of markup, well-formed or not, that reach the scanner's and the parser's corners. */
const token = fc.oneof(
  name.map((n) => `<${n}>`),
  name.map((n) => `</${n}>`),
  name.map((n) => `<${n}/>`),
  fc.tuple(name, fc.string({ maxLength: 8 })).map(([n, v]) => `<${n} at="${v}">`),
  fc.tuple(name, fc.string({ maxLength: 8 })).map(([n, v]) => `<${n} at='${v}' />`),
  fc.string({ maxLength: 10 }).map((t) => `<!--${t}-->`),
  fc.string({ maxLength: 10 }).map((t) => `<![CDATA[${t}]]>`),
  fc.string({ maxLength: 10 }).map((t) => `<?pi ${t}?>`),
  declarationKeyword.map((k) => `<!${k} x [<!ENTITY e "v">]>`),
  fc.constantFrom(
    '&amp;',
    '&lt;',
    '&e;',
    '&#x41;',
    '&#0;',
    '&',
    '<',
    '>',
    '"',
    "'",
    ']]>',
    '-->',
    '?>',
    '\n',
    ' ',
    '\uFEFF',
  ),
  fc.string({ maxLength: 6 }),
);
const markupSoup = fc.array(token, { maxLength: 30 }).map((tokens) => tokens.join(''));

test('arbitrary text and markup soup: a document or an UnsafeXmlError, in bounded time, never a DTD, entity or over-deep tree', async () => {
  await fc.assert(
    fc.asyncProperty(fc.oneof(fc.string({ unit: 'binary', maxLength: 300 }), markupSoup), async (text) => {
      await read(text);
    }),
    fuzzParameters(1500),
  );
});

/** A well-formed document of random shape: nested elements with text, comments, CDATA and PIs. */
const shape = fc.letrec<{ node: string }>((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constantFrom(
      'tekst',
      '&amp;',
      '<!-- <!DOCTYPE x> -->',
      '<![CDATA[<!ENTITY e "x">]]>',
      '<?pi <!DOCTYPE?>',
      '',
    ),
    fc
      .tuple(name, fc.array(tie('node'), { maxLength: 4 }))
      .map(([n, children]) => `<${n} k="a>&lt;!DOCTYPE x>">${children.join('')}</${n}>`),
  ),
})).node;
const document = fc
  .tuple(name, fc.array(shape, { maxLength: 4 }))
  .map(([n, children]) => `<?xml version="1.0"?>\n<${n}>${children.join('')}</${n}>`);

test('well-formed documents without declarations are accepted, "<!DOCTYPE" inside comments, CDATA, PIs and attributes included', async () => {
  await fc.assert(
    fc.asyncProperty(document, async (text) => {
      const result = await read(text);
      assert.ok(!(result instanceof UnsafeXmlError), `refused (${(result as UnsafeXmlError).rule})`);
    }),
    fuzzParameters(500),
  );
});

/** Entity declarations as an attacker writes them: expansion chains, external and parameter entities. */
const hostileSubset = fc.oneof(
  // Billion laughs of random width and depth.
  fc.tuple(fc.integer({ min: 1, max: 12 }), fc.integer({ min: 2, max: 16 })).map(([depth, width]) => {
    const lines = ['<!ENTITY l0 "lol">'];
    for (let i = 1; i <= depth; i++) lines.push(`<!ENTITY l${i} "${`&l${i - 1};`.repeat(width)}">`);
    return { subset: lines.join('\n'), use: `&l${depth};` };
  }),
  fc.constantFrom(
    { subset: '<!ENTITY x SYSTEM "file:///etc/passwd">', use: '&x;' },
    { subset: '<!ENTITY x PUBLIC "-//A//B" "http://127.0.0.1:1/x">', use: '&x;' },
    { subset: '<!ENTITY % p SYSTEM "http://127.0.0.1:1/evil.dtd"> %p;', use: '' },
    { subset: '<!ENTITY % p "<!ENTITY x \'y\'>"> %p;', use: '&x;' },
    { subset: '<!ELEMENT r ANY><!ATTLIST r a CDATA "default">', use: '' },
    { subset: '<!NOTATION n SYSTEM "x">', use: '' },
  ),
);

test('every markup declaration is refused at once: billion laughs, XXE, parameter entities, in any spelling and place', async () => {
  await fc.assert(
    fc.asyncProperty(
      hostileSubset,
      fc.constantFrom('DOCTYPE', 'doctype', 'DocType'),
      fc.constantFrom(
        '',
        ' SYSTEM "http://127.0.0.1:1/x.dtd"',
        ' PUBLIC "-//W3C//DTD XHTML 1.0//EN" "x.dtd"',
      ),
      fc.constantFrom('prolog', 'after-root-start', 'bare-entity'),
      fc.constantFrom('', '\uFEFF', '<?xml version="1.0" encoding="UTF-8"?>\n', '<!-- komentarz -->\n'),
      async ({ subset, use }, keyword, external, place, prefix) => {
        const doctype = `<!${keyword} r${external} [\n${subset}\n]>`;
        const text =
          place === 'prolog'
            ? `${prefix}${doctype}\n<r>${use}</r>`
            : place === 'after-root-start'
              ? `${prefix}<r>${doctype}${use}</r>`
              : `${prefix}<r>${subset}${use}</r>`;
        const { value } = await timed(() => read(text), REFUSAL_MS);
        assert.ok(value instanceof UnsafeXmlError, 'accepted');
        assert.equal(value.rule, 'xml-dtd');
      },
    ),
    fuzzParameters(400),
  );
});

test('nesting: accepted up to the limit, refused past it, in bounded time', async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.integer({ min: 1, max: 64 }),
      fc.integer({ min: 0, max: 80 }),
      fc.constantFrom('plain', 'with-siblings', 'with-comments'),
      async (maxDepth, depth, style) => {
        const open = (i: number) =>
          style === 'plain'
            ? `<e${i}>`
            : style === 'with-siblings'
              ? `<e${i} a="1">t<s/>`
              : `<!--<x>--><e${i}>`;
        let text = '';
        for (let i = 0; i < depth; i++) text += open(i);
        text += depth === 0 ? '<only/>' : '';
        for (let i = depth - 1; i >= 0; i--) text += `</e${i}>`;
        // An empty element is a level too: <s/> inside the innermost element is one deeper.
        const levels = depth === 0 ? 1 : style === 'with-siblings' ? depth + 1 : depth;
        const result = await read(text, maxDepth);
        if (levels <= maxDepth)
          assert.ok(!(result instanceof UnsafeXmlError), `refused at depth ${levels} ≤ ${maxDepth}`);
        else assert.equal((result as UnsafeXmlError).rule, 'xml-too-deep');
      },
    ),
    fuzzParameters(300),
  );
});

test('huge hostile inputs stay fast and small: a 10^30 laughs bomb, 100,000 levels of nesting, 2 MB of one attribute', async () => {
  const heapBefore = process.memoryUsage().heapUsed;
  const levels = ['<!ENTITY l0 "lolololololololololololololololololololololololololololololololololololol">'];
  for (let i = 1; i <= 30; i++) levels.push(`<!ENTITY l${i} "${`&l${i - 1};`.repeat(10)}">`);
  const bomb = `<?xml version="1.0"?><!DOCTYPE r [${levels.join('')}]><r>&l30;</r>`;
  for (let i = 0; i < 20; i++) {
    const { value } = await timed(() => read(bomb), REFUSAL_MS);
    assert.equal((value as UnsafeXmlError).rule, 'xml-dtd');
  }
  const deep = '<a>'.repeat(100_000) + '</a>'.repeat(100_000);
  assert.equal(((await read(deep)) as UnsafeXmlError).rule, 'xml-too-deep');
  const unterminated = `<a b="${'x'.repeat(2 * 1024 * 1024)}`;
  assert.equal(((await read(unterminated)) as UnsafeXmlError).rule, 'xml-malformed');
  const manyOpen = '<a'.repeat(200_000);
  assert.equal(((await read(manyOpen)) as UnsafeXmlError).rule, 'xml-malformed');
  // The inputs themselves are a few MB of strings; far less than any expansion would need.
  const grown = process.memoryUsage().heapUsed - heapBefore;
  assert.ok(grown < 128 * 1024 * 1024, `heap grew by ${(grown / 1048576).toFixed(0)} MB`);
});
