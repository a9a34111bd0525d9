import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Content } from './content';
import { entryPath, nextZipEntry, openZip, openZipEntry, zipEntryName } from './archives';
import { limitBytes } from './size';
import type { Session } from './session';

/** What a zip-based file is, from its `mimetype` entry, `[Content_Types].xml` and names. */
export interface ZipContainer {
  /** Content of the `mimetype` entry (ODF, ASiC), if any. */
  mimetype?: string;
  /** Text of `[Content_Types].xml` (OOXML, XPS), if any. */
  contentTypes?: string;
  names: string[];
}

const SMALL_ENTRY_BYTES = 1024 * 1024;

async function readSmallEntry(stream: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  // pipeline, not pipe: pipe does not pass on the entry's errors (damaged deflate data), which
  // would then be thrown as an uncaught exception and end the process.
  await pipeline(stream, limitBytes(SMALL_ENTRY_BYTES), async (source: AsyncIterable<Buffer>) => {
    for await (const chunk of source) chunks.push(chunk);
  });
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * Reads the central directory and the two small entries that say what an office document is.
 * Office documents are formats of their own, not archives sent to the office: their parts are
 * not checked one by one (a .docx holds .rels and .xml parts no policy lists).
 */
export async function readZipContainer(content: Content, session: Session): Promise<ZipContainer> {
  const zip = await openZip(content, session);
  const result: ZipContainer = { names: [] };
  try {
    for (let entry = await nextZipEntry(zip); entry; entry = await nextZipEntry(zip)) {
      const name = entryPath(zipEntryName(entry), content.display);
      result.names.push(name);
      if (result.names.length > 100_000) break;
      if ((name === 'mimetype' || name === '[Content_Types].xml') && !entry.isEncrypted()) {
        const text = await readSmallEntry(await openZipEntry(zip, entry));
        if (name === 'mimetype') result.mimetype = text.trim();
        else result.contentTypes = text;
      }
    }
  } finally {
    zip.close();
  }
  return result;
}

export type ContainerKind = 'odf' | 'asic' | 'ooxml' | 'xps' | 'zip';

export function containerKind(container: ZipContainer): ContainerKind {
  if (container.mimetype?.startsWith('application/vnd.oasis.opendocument.')) return 'odf';
  if (container.mimetype?.startsWith('application/vnd.etsi.asic-')) return 'asic';
  if (container.contentTypes && /fixeddocumentsequence\+xml/i.test(container.contentTypes)) return 'xps';
  if (container.contentTypes) return 'ooxml';
  return 'zip';
}

/** Whether the container is a document of one of these media types (from the format catalogue). */
export function containerMatches(
  container: ZipContainer,
  detector: 'odf' | 'asic' | 'ooxml' | 'xps',
  mediaTypes: string[],
): boolean {
  switch (detector) {
    case 'odf':
      return container.mimetype !== undefined && mediaTypes.includes(container.mimetype);
    case 'asic':
      // ASiC-S may omit the mimetype entry; its signature in META-INF still marks it.
      return (
        (container.mimetype !== undefined && mediaTypes.includes(container.mimetype)) ||
        (container.mimetype === undefined &&
          container.names.some((name) =>
            /^META-INF\/.*(signatures.*\.xml|\.p7s|timestamp.*\.tst)$/i.test(name),
          ))
      );
    case 'ooxml':
      return mediaTypes.some((type) =>
        [`"${type}.main+xml"`, `'${type}.main+xml'`].some(
          (quoted) => container.contentTypes?.includes(quoted) ?? false,
        ),
      );
    case 'xps':
      return containerKind(container) === 'xps';
  }
}
