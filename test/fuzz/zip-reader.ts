/**
 * An independent reading of a zip for the fuzz oracles: every entry unpacked in full, its
 * size and CRC-32 compared with what the central directory declares. Throws when anything is
 * off. Uses yauzl directly, not the validator's wrappers.
 */
import { crc32 } from 'node:zlib';
import yauzl, { type Entry, type ZipFile } from 'yauzl';

export async function readZipEntries(bytes: Buffer): Promise<Map<string, Buffer>> {
  const zip = await new Promise<ZipFile>((resolve, reject) =>
    yauzl.fromBuffer(bytes, { lazyEntries: true, validateEntrySizes: true }, (error, z) =>
      error ? reject(error) : resolve(z),
    ),
  );
  const entries = new Map<string, Buffer>();
  try {
    for (;;) {
      const entry = await new Promise<Entry | undefined>((resolve, reject) => {
        const settle = (error: Error | undefined, value?: Entry) => {
          zip.off('entry', onEntry).off('end', onEnd).off('error', onError);
          if (error) reject(error);
          else resolve(value);
        };
        const onEntry = (value: Entry) => settle(undefined, value);
        const onEnd = () => settle(undefined);
        const onError = (error: Error) => settle(error);
        zip.on('entry', onEntry).on('end', onEnd).on('error', onError);
        zip.readEntry();
      });
      if (!entry) return entries;
      if (entry.fileName.endsWith('/')) continue;
      const stream = await new Promise<NodeJS.ReadableStream>((resolve, reject) =>
        zip.openReadStream(entry, (error, s) => (error ? reject(error) : resolve(s))),
      );
      const chunks: Buffer[] = [];
      for await (const chunk of stream) chunks.push(chunk as Buffer);
      const data = Buffer.concat(chunks);
      if (data.length !== entry.uncompressedSize)
        throw new Error(`${entry.fileName}: ${data.length} bytes, ${entry.uncompressedSize} declared`);
      const crc = crc32(data);
      if (crc !== entry.crc32)
        throw new Error(
          `${entry.fileName}: CRC-32 ${crc.toString(16)}, ${entry.crc32.toString(16)} declared`,
        );
      entries.set(entry.fileName, data);
    }
  } finally {
    zip.close();
  }
}
