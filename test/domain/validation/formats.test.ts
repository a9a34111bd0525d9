import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { FORMATS } from '../../../src/domain/formats';
import { buildPolicy } from '../../../src/domain/policy';
import { checkFiles } from '../../../src/domain/validation/index';
import { translate } from '../../../src/i18n/index';
import * as samples from '../../helpers/sample-files';

const every = buildPolicy({
  formatIds: FORMATS.map((format) => format.id),
  acceptUninspectableArchives: true,
});
const staged = new samples.StagedFiles();
after(() => staged.cleanup());

/** One valid sample per extension of the catalogue, and the format it must be accepted as. */
async function validSamples(): Promise<[string, Buffer | string, string][]> {
  const xml =
    '<?xml version="1.0" encoding="UTF-8"?>\n<wniosek xmlns="urn:example"><tresc>Zażółć gęślą jaźń</tresc></wniosek>';
  const zipped = samples.zip([
    { name: 'wniosek.txt', data: Buffer.from('Treść wniosku') },
    { name: 'skany/', data: Buffer.alloc(0) },
    { name: 'skany/strona1.png', data: samples.png() },
  ]);
  return [
    ['wniosek.txt', 'Zażółć gęślą jaźń\n', 'txt'],
    ['dane.csv', 'imię;nazwisko\nJan;Kowalski\n', 'csv'],
    ['pismo.rtf', '{\\rtf1\\ansi Wniosek}', 'rtf'],
    ['wniosek.pdf', await samples.pdf(), 'pdf'],
    ['dokument.xps', samples.xps(), 'xps'],
    ['pismo.odt', samples.odf('odt'), 'odt'],
    ['arkusz.ods', samples.odf('ods'), 'ods'],
    ['prezentacja.odp', samples.odf('odp'), 'odp'],
    ['pismo.doc', samples.ole2(), 'doc'],
    ['arkusz.xls', samples.ole2('Workbook'), 'xls'],
    ['prezentacja.ppt', samples.ole2('PowerPoint Document'), 'ppt'],
    ['pismo.docx', samples.ooxml('docx'), 'docx'],
    ['arkusz.xlsx', samples.ooxml('xlsx'), 'xlsx'],
    ['prezentacja.pptx', samples.ooxml('pptx'), 'pptx'],
    ['skan.jpg', samples.jpeg(), 'jpeg'],
    ['skan.jpeg', samples.jpeg(), 'jpeg'],
    ['mapa.tif', samples.tiff(), 'tiff'],
    ['mapa.tiff', samples.tiff(), 'tiff'],
    ['mapa.geotiff', samples.tiff(), 'tiff'],
    ['skan.png', samples.png(), 'png'],
    [
      'plan.svg',
      '<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"><rect width="1" height="1"/></svg>',
      'svg',
    ],
    ['nagranie.wav', samples.wav(), 'wav'],
    ['nagranie.mp3', samples.mp3(), 'mp3'],
    ['film.avi', samples.avi(), 'avi'],
    ['film.mpg', samples.mpeg(), 'mpeg'],
    ['film.mpeg', samples.mpeg(), 'mpeg'],
    ['film.mp4', samples.mp4(), 'mp4'],
    ['nagranie.m4a', samples.mp4(), 'mp4'],
    ['film.mpeg4', samples.mp4(), 'mp4'],
    ['nagranie.ogg', samples.ogg(), 'ogg'],
    ['film.ogv', samples.ogg(), 'ogg'],
    ['zalaczniki.zip', zipped, 'zip'],
    [
      'zalaczniki.tar',
      await samples.tarball([
        { name: 'wniosek.txt', data: Buffer.from('Treść') },
        { name: 'skan.png', data: samples.png() },
      ]),
      'tar',
    ],
    ['wniosek.txt.gz', samples.gzip(Buffer.from('Treść wniosku')), 'gzip'],
    [
      'zalaczniki.tar.gzip',
      samples.gzip(await samples.tarball([{ name: 'a.pdf', data: await samples.pdf() }])),
      'gzip',
    ],
    ['zalaczniki.7z', samples.sevenZip(), '7z'],
    ['dane.xml', xml, 'xml'],
    [
      'schemat.xsd',
      '<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema"><xs:element name="a"/></xs:schema>',
      'xsd',
    ],
    [
      'mapa.gml',
      '<gml:Point xmlns:gml="http://www.opengis.net/gml/3.2"><gml:pos>50.8 19.1</gml:pos></gml:Point>',
      'gml',
    ],
    [
      'schemat.rng',
      '<grammar xmlns="http://relaxng.org/ns/structure/1.0"><start><empty/></start></grammar>',
      'rng',
    ],
    ['arkusz.xsl', '<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"/>', 'xsl'],
    [
      'arkusz.xslt',
      '<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"/>',
      'xsl',
    ],
    ['strona.html', '<!doctype html><html lang="pl"><title>Wniosek</title><p>Treść</p></html>', 'html'],
    ['strona.htm', '<p>Treść</p>', 'html'],
    [
      'strona.xhtml',
      '<html xmlns="http://www.w3.org/1999/xhtml"><head><title>x</title></head><body/></html>',
      'xhtml',
    ],
    ['styl.css', 'body { color: #0b0c0c; }\n', 'css'],
    ['podpisany.xml', samples.XADES, 'xades'],
    ['podpisany.xades', samples.XADES, 'xades'],
    ['wniosek.pdf.p7s', samples.cades(), 'cades'],
    ['wniosek.p7m', samples.cades(), 'cades'],
    ['kontener.asice', samples.asice(), 'asic'],
    ['kontener.sce', samples.asice(), 'asic'],
    ['kontener.asics', samples.asics(), 'asic'],
    ['kontener.scs', samples.asics(false), 'asic'],
    ['obraz.gif', samples.gif(), 'gif'],
    ['obraz.bmp', samples.bmp(), 'bmp'],
    ['archiwum.rar', samples.rar(), 'rar'],
    ['obraz.jp2', samples.jp2(), 'jp2'],
    ['rysunek.dwg', samples.dwg(), 'dwg'],
    ['rysunek.dxf', samples.dxf(), 'dxf'],
  ];
}

describe('every format of the catalogue has an accepted sample', async () => {
  const cases = await validSamples();

  test('the samples cover every extension of the catalogue', () => {
    const covered = new Set(cases.map(([name]) => name.slice(name.lastIndexOf('.') + 1)));
    const missing = FORMATS.flatMap((format) => format.extensions).filter(
      (extension) => !covered.has(extension),
    );
    assert.deepEqual(missing, []);
  });

  for (const [name, data, formatId] of cases) {
    test(`${name} is accepted as ${formatId}`, async () => {
      const result = await checkFiles(every, [staged.file(name, data)]);
      assert.ok(
        result.ok,
        `${name}: ${result.ok ? '' : result.problems.map((p) => translate('en', p.key, p.params)).join('; ')}`,
      );
      const [file] = result.files;
      assert.equal(file?.formatId, formatId);
      assert.equal(file?.name, name);
      assert.ok(FORMATS.find((format) => format.id === formatId)?.mediaTypes.includes(file?.mediaType ?? ''));
    });
  }

  test('a PDF in a plain policy is "pdf"; with only PAdES enabled it is "pades"', async () => {
    const bytes = await samples.pdf();
    const plain = await checkFiles(buildPolicy(), [staged.file('a.pdf', bytes)]);
    assert.ok(plain.ok && plain.files[0]?.formatId === 'pdf');
    const padesOnly = await checkFiles(buildPolicy({ formatIds: ['pades'] }), [staged.file('a.pdf', bytes)]);
    assert.ok(padesOnly.ok && padesOnly.files[0]?.formatId === 'pades');
  });

  test('local formats are refused by the default policy', async () => {
    const result = await checkFiles(buildPolicy(), [staged.file('obraz.gif', samples.gif())]);
    assert.ok(!result.ok);
    assert.equal(result.problems[0]?.rule, 'extension-not-allowed');
    assert.equal(result.problems[0]?.status, 415);
  });
});
