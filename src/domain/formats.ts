/**
 * The catalogue of electronic document formats an office may accept, after annex 2 of the
 * National Interoperability Framework regulation (KRI, Dz.U. 2024 poz. 773), plus the "local"
 * formats some offices accept although KRI does not list them.
 *
 * This is data, not code: the validator, the public formats page and the browser pre-check all
 * read it through an office policy (see policy.ts), so the three can never disagree.
 */

export type FormatCategory =
  | 'documents'
  | 'graphics'
  | 'audio-video'
  | 'archives'
  | 'xml-structure'
  | 'xml-processing'
  | 'web'
  | 'signatures'
  | 'local';

/**
 * How the content of a file is recognised. Each value names one detector of the validator;
 * the human description is in the message catalogue under `format.detect.<value>`.
 */
export type Detector =
  | 'utf8-text'
  | 'csv'
  | 'rtf'
  | 'pdf'
  | 'xps'
  | 'odf'
  | 'ole2'
  | 'ooxml'
  | 'jpeg'
  | 'tiff'
  | 'png'
  | 'svg'
  | 'wav'
  | 'mp3'
  | 'avi'
  | 'mpeg'
  | 'mp4'
  | 'ogg'
  | 'zip'
  | 'tar'
  | 'gzip'
  | '7z'
  | 'xml'
  | 'html'
  | 'css'
  | 'cades'
  | 'asic'
  | 'gif'
  | 'bmp'
  | 'rar'
  | 'jp2'
  | 'dwg'
  | 'dxf';

export interface Format {
  /** Stable identifier, stored in office policies. */
  id: string;
  category: FormatCategory;
  name: { pl: string; en: string };
  /** Lower-case extensions without the dot. One extension may belong to several formats. */
  extensions: string[];
  mediaTypes: string[];
  detect: Detector;
  /** Accepted by every office unless its admin switches it off. */
  enabledByDefault: boolean;
  /** Archives: whether the validator can open and check every entry. */
  archive?: { inspectable: boolean };
}

const f = (
  id: string,
  category: FormatCategory,
  pl: string,
  en: string,
  extensions: string[],
  mediaTypes: string[],
  detect: Detector,
  extra: Partial<Pick<Format, 'enabledByDefault' | 'archive'>> = {},
): Format => ({
  id,
  category,
  name: { pl, en },
  extensions,
  mediaTypes,
  detect,
  enabledByDefault: extra.enabledByDefault ?? category !== 'local',
  ...(extra.archive ? { archive: extra.archive } : {}),
});

export const FORMATS: readonly Format[] = Object.freeze([
  // Text and documents
  f('txt', 'documents', 'Tekst (UTF-8)', 'Plain text (UTF-8)', ['txt'], ['text/plain'], 'utf8-text'),
  f(
    'rtf',
    'documents',
    'Rich Text Format',
    'Rich Text Format',
    ['rtf'],
    ['application/rtf', 'text/rtf'],
    'rtf',
  ),
  f('pdf', 'documents', 'PDF', 'PDF', ['pdf'], ['application/pdf'], 'pdf'),
  f('xps', 'documents', 'XPS', 'XPS', ['xps'], ['application/vnd.ms-xpsdocument', 'application/oxps'], 'xps'),
  f(
    'odt',
    'documents',
    'Dokument tekstowy ODF',
    'ODF text document',
    ['odt'],
    ['application/vnd.oasis.opendocument.text'],
    'odf',
  ),
  f(
    'ods',
    'documents',
    'Arkusz ODF',
    'ODF spreadsheet',
    ['ods'],
    ['application/vnd.oasis.opendocument.spreadsheet'],
    'odf',
  ),
  f(
    'odp',
    'documents',
    'Prezentacja ODF',
    'ODF presentation',
    ['odp'],
    ['application/vnd.oasis.opendocument.presentation'],
    'odf',
  ),
  f(
    'doc',
    'documents',
    'Microsoft Word 97–2003',
    'Microsoft Word 97–2003',
    ['doc'],
    ['application/msword'],
    'ole2',
  ),
  f(
    'xls',
    'documents',
    'Microsoft Excel 97–2003',
    'Microsoft Excel 97–2003',
    ['xls'],
    ['application/vnd.ms-excel'],
    'ole2',
  ),
  f(
    'ppt',
    'documents',
    'Microsoft PowerPoint 97–2003',
    'Microsoft PowerPoint 97–2003',
    ['ppt'],
    ['application/vnd.ms-powerpoint'],
    'ole2',
  ),
  f(
    'docx',
    'documents',
    'Microsoft Word (OOXML)',
    'Microsoft Word (OOXML)',
    ['docx'],
    ['application/vnd.openxmlformats-officedocument.wordprocessingml.document'],
    'ooxml',
  ),
  f(
    'xlsx',
    'documents',
    'Microsoft Excel (OOXML)',
    'Microsoft Excel (OOXML)',
    ['xlsx'],
    ['application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'],
    'ooxml',
  ),
  f(
    'pptx',
    'documents',
    'Microsoft PowerPoint (OOXML)',
    'Microsoft PowerPoint (OOXML)',
    ['pptx'],
    ['application/vnd.openxmlformats-officedocument.presentationml.presentation'],
    'ooxml',
  ),
  f('csv', 'documents', 'CSV (UTF-8)', 'CSV (UTF-8)', ['csv'], ['text/csv'], 'csv'),
  // Graphics
  f('jpeg', 'graphics', 'JPEG', 'JPEG', ['jpg', 'jpeg'], ['image/jpeg'], 'jpeg'),
  f('tiff', 'graphics', 'TIFF, GeoTIFF', 'TIFF, GeoTIFF', ['tif', 'tiff', 'geotiff'], ['image/tiff'], 'tiff'),
  f('png', 'graphics', 'PNG', 'PNG', ['png'], ['image/png'], 'png'),
  f('svg', 'graphics', 'SVG', 'SVG', ['svg'], ['image/svg+xml'], 'svg'),
  // Audio and video
  f('wav', 'audio-video', 'WAV', 'WAV', ['wav'], ['audio/wav', 'audio/x-wav'], 'wav'),
  f('mp3', 'audio-video', 'MP3', 'MP3', ['mp3'], ['audio/mpeg'], 'mp3'),
  f('avi', 'audio-video', 'AVI', 'AVI', ['avi'], ['video/x-msvideo'], 'avi'),
  f('mpeg', 'audio-video', 'MPEG-1/2', 'MPEG-1/2', ['mpg', 'mpeg'], ['video/mpeg'], 'mpeg'),
  f('mp4', 'audio-video', 'MPEG-4', 'MPEG-4', ['mp4', 'm4a', 'mpeg4'], ['video/mp4', 'audio/mp4'], 'mp4'),
  f('ogg', 'audio-video', 'Ogg', 'Ogg', ['ogg', 'ogv'], ['audio/ogg', 'video/ogg'], 'ogg'),
  // Archives
  f('zip', 'archives', 'ZIP', 'ZIP', ['zip'], ['application/zip'], 'zip', { archive: { inspectable: true } }),
  f('tar', 'archives', 'TAR', 'TAR', ['tar'], ['application/x-tar'], 'tar', {
    archive: { inspectable: true },
  }),
  f('gzip', 'archives', 'GZIP', 'GZIP', ['gz', 'gzip'], ['application/gzip'], 'gzip', {
    archive: { inspectable: true },
  }),
  f('7z', 'archives', '7-Zip', '7-Zip', ['7z'], ['application/x-7z-compressed'], '7z', {
    archive: { inspectable: false },
  }),
  // XML structure and processing
  f('xml', 'xml-structure', 'XML', 'XML', ['xml'], ['application/xml', 'text/xml'], 'xml'),
  f('xsd', 'xml-structure', 'Schemat XML (XSD)', 'XML Schema (XSD)', ['xsd'], ['application/xml'], 'xml'),
  f('gml', 'xml-structure', 'GML', 'GML', ['gml'], ['application/gml+xml'], 'xml'),
  f('rng', 'xml-structure', 'RELAX NG', 'RELAX NG', ['rng'], ['application/xml'], 'xml'),
  f(
    'xsl',
    'xml-processing',
    'Arkusz XSL',
    'XSL stylesheet',
    ['xsl', 'xslt'],
    ['application/xslt+xml'],
    'xml',
  ),
  // Web
  f('html', 'web', 'HTML', 'HTML', ['html', 'htm'], ['text/html'], 'html'),
  f('xhtml', 'web', 'XHTML', 'XHTML', ['xhtml'], ['application/xhtml+xml'], 'xml'),
  f('css', 'web', 'CSS', 'CSS', ['css'], ['text/css'], 'css'),
  // Signatures and encryption
  f(
    'xades',
    'signatures',
    'XAdES, XMLsig, XMLenc, TSL',
    'XAdES, XMLsig, XMLenc, TSL',
    ['xades', 'xml'],
    ['application/xml'],
    'xml',
  ),
  f('pades', 'signatures', 'PAdES', 'PAdES', ['pdf'], ['application/pdf'], 'pdf'),
  f(
    'cades',
    'signatures',
    'CAdES',
    'CAdES',
    ['p7s', 'p7m'],
    ['application/pkcs7-signature', 'application/pkcs7-mime'],
    'cades',
  ),
  f(
    'asic',
    'signatures',
    'ASiC',
    'ASiC',
    ['asice', 'asics', 'sce', 'scs'],
    ['application/vnd.etsi.asic-e+zip', 'application/vnd.etsi.asic-s+zip'],
    'asic',
  ),
  // Local formats, off by default
  f('gif', 'local', 'GIF', 'GIF', ['gif'], ['image/gif'], 'gif'),
  f('bmp', 'local', 'BMP', 'BMP', ['bmp'], ['image/bmp'], 'bmp'),
  f('rar', 'local', 'RAR', 'RAR', ['rar'], ['application/vnd.rar'], 'rar', {
    archive: { inspectable: false },
  }),
  f('jp2', 'local', 'JPEG 2000', 'JPEG 2000', ['jp2'], ['image/jp2'], 'jp2'),
  f('dwg', 'local', 'DWG', 'DWG', ['dwg'], ['image/vnd.dwg'], 'dwg'),
  f('dxf', 'local', 'DXF', 'DXF', ['dxf'], ['image/vnd.dxf'], 'dxf'),
]);

export const FORMAT_CATEGORIES: readonly FormatCategory[] = [
  'documents',
  'graphics',
  'audio-video',
  'archives',
  'xml-structure',
  'xml-processing',
  'web',
  'signatures',
  'local',
];

const byId = new Map(FORMATS.map((format) => [format.id, format]));

export function formatById(id: string): Format | undefined {
  return byId.get(id);
}

export const DEFAULT_FORMAT_IDS: readonly string[] = FORMATS.filter((x) => x.enabledByDefault).map(
  (x) => x.id,
);
