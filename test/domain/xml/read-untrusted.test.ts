import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readUntrustedXml, UnsafeXmlError } from '../../../src/domain/xml/read-untrusted';
import { BILLION_LAUGHS, XADES, XXE } from '../../helpers/sample-files';

test('readUntrustedXml: refuses DTDs and entities before any parser runs', () => {
  for (const [xml, rule] of [
    [XXE, 'xml-dtd'],
    [BILLION_LAUGHS, 'xml-dtd'],
    ['<?xml version="1.0"?>\n<!DOCTYPE a SYSTEM "http://example.org/a.dtd"><a/>', 'xml-dtd'],
    ['<a><!ENTITY x "y"></a>', 'xml-dtd'],
    ['<a>', 'xml-malformed'],
    ['<a b=1/>', 'xml-malformed'],
    ['<a/><b/>', 'xml-malformed'],
    ['', 'xml-malformed'],
    ['<a>'.repeat(1000), 'xml-too-deep'],
  ] as const) {
    assert.throws(
      () => readUntrustedXml(xml),
      (error) => error instanceof UnsafeXmlError && error.rule === rule,
      xml.slice(0, 40),
    );
  }
  const xxe = (() => {
    try {
      readUntrustedXml(XXE);
    } catch (error) {
      return error as UnsafeXmlError;
    }
  })();
  assert.equal(xxe?.line, 2, 'the DOCTYPE line is reported');
  assert.match(xxe?.detail ?? '', /DOCTYPE/);
  assert.throws(
    () => readUntrustedXml('<a>xxxxxxxx</a>', { maxLength: 10 }),
    (error) => error instanceof UnsafeXmlError && error.rule === 'xml-too-large',
  );
});

test('readUntrustedXml: an empty element counts as a level of nesting', () => {
  // Found by the fuzzer: <x/> inside the deepest allowed element used to pass the depth limit.
  assert.ok(readUntrustedXml('<a><b/></a>', { maxDepth: 2 }));
  assert.throws(
    () => readUntrustedXml('<a><b><c/></b></a>', { maxDepth: 2 }),
    (error) => error instanceof UnsafeXmlError && error.rule === 'xml-too-deep',
  );
  assert.throws(
    () => readUntrustedXml('<a/>', { maxDepth: 0 }),
    (error) => error instanceof UnsafeXmlError && error.rule === 'xml-too-deep',
  );
});

test('readUntrustedXml: an "&" that starts no reference is malformed, though xmldom lets it pass', () => {
  // Found by fuzzing the receipt verifier, which shares xmldom: "& " and "&#;" were kept as text.
  for (const xml of ['<a b="x& y"/>', '<a>x & y</a>', '<a b="&#;"/>', '<a b="a&-b"/>', '<a>&</a>', '<a/>&']) {
    assert.throws(
      () => readUntrustedXml(xml),
      (error) => error instanceof UnsafeXmlError && error.rule === 'xml-malformed',
      xml,
    );
  }
  const doc = readUntrustedXml('<a b="&amp;&#38;&#x26;"><!-- & --><![CDATA[ & ]]><?pi & ?>&lt;&quot;</a>');
  assert.equal(doc.documentElement?.getAttribute('b'), '&&&');
});

test('readUntrustedXml: "<!DOCTYPE" inside comments and CDATA is text, not a declaration', () => {
  const doc = readUntrustedXml('<a><!-- <!DOCTYPE x> --><![CDATA[<!DOCTYPE html><p>]]><b c="a > b"/></a>');
  assert.equal(doc.documentElement?.localName, 'a');
  const signed = readUntrustedXml(XADES);
  assert.equal(signed.getElementsByTagNameNS('http://www.w3.org/2000/09/xmldsig#', 'Signature').length, 1);
});

test('readUntrustedXml refuses a large billion-laughs variant at its DOCTYPE, before any parsing', () => {
  const huge = BILLION_LAUGHS.replace('<lolz>', `<lolz>${'<x/>'.repeat(100_000)}`);
  // Refused by the pre-scan as a declaration (not by the parser after expanding): nothing expands.
  assert.throws(
    () => readUntrustedXml(huge),
    (error: Error & { rule?: string }) => {
      assert.equal(error.rule, 'xml-dtd');
      return true;
    },
  );
});

test("readUntrustedXml: a parser warning is a refusal, with the parser's words as the detail", () => {
  // xmldom only warns about an unquoted attribute value and reads on; xmlsec1 refuses the file.
  assert.throws(
    () => readUntrustedXml('<a b=1/>'),
    (error) =>
      error instanceof UnsafeXmlError && error.rule === 'xml-malformed' && /attribute/i.test(error.detail),
  );
  assert.throws(
    () => readUntrustedXml('<a>x & y</a>'),
    (error) =>
      error instanceof UnsafeXmlError && error.detail === '"&" outside a reference' && error.line === 1,
  );
});
