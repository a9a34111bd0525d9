import { createHash } from 'node:crypto';
import yauzl from 'yauzl';
import yazl from 'yazl';
import type { App } from '../../src/app';
import type { ManualClock } from '../../src/ports/clock';
import { DEMO_RESIDENT_PESEL } from '../../src/services/create-demo-data';
import { samplePdf } from './sample-files';

const DAY = 24 * 60 * 60 * 1000;

/** A clock 20 days back, so that a letter can be deemed delivered (14 days) before real now. */
export const pastClockStart = () => new Date(Date.now() - 20 * DAY);

export const AWAITING_TITLE = 'Wezwanie do uzupełnienia braków';

/**
 * Besides the demo's filed letters, two letters to the demo resident: one deemed delivered after
 * 14 days (content and both proofs belong in the export), one sent later that still awaits
 * receipt (only a notice).
 */
export async function lettersForResident(
  app: App,
  clock: ManualClock,
): Promise<{ deemedId: string; awaitingId: string; awaitingSha256: string }> {
  const clerk = await app.database.db
    .selectFrom('accounts')
    .select(['id', 'display_name'])
    .where('email', '=', 'urzednik@example.pl')
    .executeTakeFirstOrThrow();
  const send = async (title: string, text: string) =>
    app.services.deliverLetter({
      officeId: 'umczestochowa',
      sender: { type: 'account', ref: clerk.id, name: clerk.display_name },
      recipientPesel: DEMO_RESIDENT_PESEL,
      title,
      files: [
        {
          field: 'document',
          name: 'decyzja.pdf',
          staged: await app.deps.blobs.stage(samplePdf(text)),
        },
      ],
    });
  const deemed = await send('Decyzja o przyznaniu dodatku', 'Decyzja');
  clock.advance(15 * DAY);
  await app.services.runDueJobs({ runnerId: 'test', limit: 50, lockMs: 60_000 });
  const awaitingPdf = samplePdf('Wezwanie');
  const awaiting = await send(AWAITING_TITLE, 'Wezwanie');
  const row = await app.database.db
    .selectFrom('deliveries')
    .select('status')
    .where('id', '=', deemed.deliveryId)
    .executeTakeFirstOrThrow();
  if (row.status !== 'deemed')
    throw new Error(`the first letter should be deemed delivered, it is ${row.status}`);
  return {
    deemedId: deemed.deliveryId,
    awaitingId: awaiting.deliveryId,
    awaitingSha256: createHash('sha256').update(awaitingPdf).digest('hex'),
  };
}

/** Every entry of a ZIP, with its bytes, in archive order. */
export function unzip(zip: Buffer): Promise<{ path: string; bytes: Buffer }[]> {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(zip, { lazyEntries: true }, (error, file) => {
      if (error) return reject(error);
      const entries: { path: string; bytes: Buffer }[] = [];
      file.on('error', reject);
      file.on('end', () => resolve(entries));
      file.on('entry', (entry: yauzl.Entry) => {
        file.openReadStream(entry, (err, stream) => {
          if (err) return reject(err);
          const chunks: Buffer[] = [];
          stream.on('data', (c: Buffer) => chunks.push(c));
          stream.on('error', reject);
          stream.on('end', () => {
            entries.push({ path: entry.fileName, bytes: Buffer.concat(chunks) });
            file.readEntry();
          });
        });
      });
      file.readEntry();
    });
  });
}

/** A ZIP made of the given entries, as a forger would rebuild an export. */
export function rezip(entries: { path: string; bytes: Buffer }[]): Promise<Buffer> {
  const zip = new yazl.ZipFile();
  for (const e of entries) zip.addBuffer(e.bytes, e.path);
  zip.end();
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    zip.outputStream.on('data', (c: Buffer) => chunks.push(c));
    zip.outputStream.on('error', reject);
    zip.outputStream.on('end', () => resolve(Buffer.concat(chunks)));
  });
}
