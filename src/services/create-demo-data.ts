import { randomUUID } from 'node:crypto';
import { maskPesel } from '../domain/pesel';
import { passwordProblem } from '../domain/password-policy';
import type { RoleName } from '../domain/roles';
import { addValidity, pendingUntil } from '../domain/trusted-profile';
import { audit } from './audit';
import type { ServiceDeps } from './deps';
import { hashPassword } from './passwords';
import { newTotpSecret } from './second-factor';
import { grantRole } from './roles';
import { upsertOffice } from './offices';
import { upsertConfirmationPoint } from './confirmation-points';
import { ensureDepartment } from './office-box';
import { submitDocument } from './submit-document';
import { deliverLetter, residentBoxAddress } from './deliver-letter';
import { buildGeneralLetterXml } from '../domain/letters/general-letter';
import type { LetterKind } from '../domain/letters/letter-kind';

export interface DemoReport {
  lines: string[];
}

/**
 * Demo data for trying the product: idempotent, so it can run on every start of a demo
 * installation. Later areas add their own part here (accounts, letters, deliveries).
 */
export async function createDemoData(
  deps: ServiceDeps,
  options: { password?: string } = {},
): Promise<DemoReport> {
  const lines: string[] = [];
  const office = await upsertOffice(deps, {
    id: 'umczestochowa',
    name: 'Urząd Miasta Częstochowy',
    shortCode: 'UMCZ',
    address: 'ul. Śląska 11/13, 42-217 Częstochowa',
    email: 'kancelaria@example.pl',
    phone: '+48 34 370 70 00',
    website: 'https://example.pl/umczestochowa',
    boxes: [
      { name: 'skrytka', title: 'Elektroniczna Skrzynka Podawcza' },
      // Where proofs of receipt of letters the office's EZD sends come back.
      { name: 'odpowiedzi', title: 'Skrytka na odpowiedzi i poświadczenia doręczenia' },
    ],
    externalAddresses: [
      { platform: 'ePUAP', address: '/umczestochowa/SkrytkaESP' },
      { platform: 'e-Doręczenia', address: 'AE:PL-00000-00000-DEMO0-00' },
    ],
  });
  lines.push(
    `office umczestochowa (Urząd Miasta Częstochowy), boxes /umczestochowa/skrytka and /umczestochowa/odpowiedzi: ${office}`,
  );

  const points = [
    {
      id: 'umcz-kancelaria',
      name: 'Urząd Miasta Częstochowy — Biuro Obsługi Mieszkańców',
      address: 'ul. Śląska 11/13, 42-217 Częstochowa',
      openingHours: 'pon. 8:00–17:00, wt.–pt. 7:30–15:30',
      phone: '+48 34 370 70 00',
    },
    {
      id: 'umcz-filia-waszyngtona',
      name: 'Urząd Miasta Częstochowy — Filia przy ul. Waszyngtona',
      address: 'ul. Waszyngtona 5, 42-217 Częstochowa',
      openingHours: 'pon.–pt. 7:30–15:30',
      phone: '+48 34 370 71 00',
    },
    {
      id: 'us-czestochowa',
      name: 'Pierwszy Urząd Skarbowy w Częstochowie',
      address: 'ul. Rejtana 6, 42-200 Częstochowa',
      openingHours: 'pon.–pt. 8:00–15:00',
      phone: null,
    },
  ];
  for (const point of points) {
    const result = await upsertConfirmationPoint(deps, point);
    lines.push(`confirmation point ${point.id} (${point.name}): ${result}`);
  }
  lines.push(...(await createDemoAccounts(deps, options.password)));
  for (const name of DEMO_DEPARTMENTS)
    lines.push(`department ${(await ensureDepartment(deps, 'umczestochowa', name)).name}: present`);
  lines.push(...(await fileDemoLetters(deps)));
  lines.push(...(await sendDemoDelivery(deps)));
  return { lines };
}

export const DEMO_RESIDENT_PESEL = '44051401359';

const DEMO_ACCOUNTS: {
  email: string;
  name: string;
  roles: { role: RoleName; officeId?: string; pointId?: string }[];
}[] = [
  { email: 'mieszkaniec@example.pl', name: 'Jan Kowalski', roles: [] },
  { email: 'urzednik@example.pl', name: 'Anna Nowak', roles: [{ role: 'clerk', officeId: 'umczestochowa' }] },
  {
    email: 'punkt@example.pl',
    name: 'Piotr Wiśniewski',
    roles: [{ role: 'confirmation-officer', pointId: 'umcz-kancelaria' }],
  },
  { email: 'admin@example.pl', name: 'Maria Zielińska', roles: [{ role: 'platform-admin' }] },
];

/**
 * The demo accounts, all with the one password given. Without a password no account is made
 * (an account with a known default password would be a hole); a given password is (re)set.
 */
async function createDemoAccounts(deps: ServiceDeps, password: string | undefined): Promise<string[]> {
  if (!password) return ['accounts: skipped, give --password to create the demo accounts'];
  const problem = passwordProblem(password);
  if (problem) throw new Error(`--password: at least 12 characters and not a common password (${problem})`);
  const lines: string[] = [];
  const hash = await hashPassword(password);
  const now = deps.clock.now();
  const ids: Record<string, string> = {};
  for (const demo of DEMO_ACCOUNTS) {
    const existing = await deps.db
      .selectFrom('accounts')
      .select('id')
      .where('email', '=', demo.email)
      .executeTakeFirst();
    if (existing) {
      await deps.db
        .updateTable('accounts')
        .set({ password_hash: hash, locked_until: null })
        .where('id', '=', existing.id)
        .execute();
      ids[demo.email] = existing.id;
      lines.push(`account ${demo.email}: password set`);
    } else {
      const id = randomUUID();
      await deps.db.transaction().execute(async (tx) => {
        await tx
          .insertInto('accounts')
          .values({
            id,
            email: demo.email,
            password_hash: hash,
            display_name: demo.name,
            email_verified_at: now.toISOString(),
            terms_accepted_at: now.toISOString(),
            totp_secret: null,
            totp_enabled_at: null,
            totp_last_step: null,
            locked_until: null,
            created_at: now.toISOString(),
          })
          .execute();
        await audit(deps, { action: 'account.registered', actorId: null, subject: id }, tx);
      });
      ids[demo.email] = id;
      lines.push(`account ${demo.email} (${demo.name}): created`);
    }
    if (demo.roles.length > 0)
      lines.push(`totp secret ${demo.email}: ${await demoTotpSecret(deps, ids[demo.email]!)}`);
    for (const role of demo.roles) {
      const result = await grantRole(deps, {
        actorId: null,
        email: demo.email,
        role: role.role,
        officeId: role.officeId ?? null,
        pointId: role.pointId ?? null,
      });
      lines.push(
        `  role ${role.role}${role.officeId ? ` of ${role.officeId}` : ''}${role.pointId ? ` at ${role.pointId}` : ''}: ${result}`,
      );
    }
  }
  const residentId = ids['mieszkaniec@example.pl']!;
  lines.push(`resident box: ${residentBoxAddress(residentId)}`);
  const hasProfile = await deps.db
    .selectFrom('trusted_profiles')
    .select('id')
    .where('account_id', '=', residentId)
    .where('status', '=', 'confirmed')
    .executeTakeFirst();
  if (hasProfile) {
    lines.push(`trusted profile ${hasProfile.id} of mieszkaniec@example.pl: exists`);
  } else {
    const id = 'PZ-DEMO-0001';
    const validUntil = addValidity(now);
    await deps.db.transaction().execute(async (tx) => {
      await tx.deleteFrom('trusted_profiles').where('id', '=', id).execute();
      await tx
        .insertInto('trusted_profiles')
        .values({
          id,
          account_id: residentId,
          first_names: 'Jan',
          surname: 'Kowalski',
          pesel: DEMO_RESIDENT_PESEL,
          birth_date: '1944-05-14',
          email: 'mieszkaniec@example.pl',
          phone: '+48 600 100 200',
          status: 'confirmed',
          applied_at: now.toISOString(),
          pending_until: pendingUntil(now),
          decided_at: now.toISOString(),
          officer_id: ids['punkt@example.pl']!,
          point_id: 'umcz-kancelaria',
          document_type: 'id-card',
          rejection_reason: null,
          valid_until: validUntil,
          extended_at: null,
          revoked_at: null,
          revocation_reason: null,
        })
        .execute();
      await audit(
        deps,
        {
          action: 'profile.applied',
          actorId: residentId,
          subject: id,
          details: { pesel: maskPesel(DEMO_RESIDENT_PESEL) },
        },
        tx,
      );
      await audit(
        deps,
        {
          action: 'profile.confirmed',
          actorId: ids['punkt@example.pl']!,
          subject: id,
          details: { pointId: 'umcz-kancelaria', documentType: 'id-card', validUntil },
        },
        tx,
      );
    });
    lines.push(
      `trusted profile ${id} of mieszkaniec@example.pl (PESEL ${maskPesel(DEMO_RESIDENT_PESEL)}): confirmed, valid until ${validUntil.slice(0, 10)}`,
    );
  }
  return lines;
}

/**
 * Staff roles work only with the second factor (docs/security.md), so each demo staff account
 * has it on, with a secret printed for whoever runs the demo (scripted checks compute codes
 * from it). A secret already on is kept, so a rerun prints the same one.
 */
async function demoTotpSecret(deps: ServiceDeps, accountId: string): Promise<string> {
  const account = await deps.db
    .selectFrom('accounts')
    .select(['totp_secret', 'totp_enabled_at'])
    .where('id', '=', accountId)
    .executeTakeFirstOrThrow();
  if (account.totp_enabled_at && account.totp_secret) return account.totp_secret;
  const secret = newTotpSecret();
  await deps.db.transaction().execute(async (tx) => {
    await tx
      .updateTable('accounts')
      .set({ totp_secret: secret, totp_enabled_at: deps.clock.now().toISOString(), totp_last_step: null })
      .where('id', '=', accountId)
      .execute();
    await audit(deps, { action: 'second-factor.enabled', actorId: null, subject: accountId }, tx);
  });
  return secret;
}

const DEMO_DEPARTMENTS = ['Wydział Komunikacji', 'Wydział Podatków i Opłat'];

const DEMO_LETTERS: { title: string; kind: LetterKind; body: string; createdAt: string }[] = [
  {
    title: 'Wniosek o wydanie zaświadczenia o niezaleganiu w podatkach',
    kind: 'podanie',
    body: 'Proszę o wydanie zaświadczenia o niezaleganiu w podatkach lokalnych.\n\nZaświadczenie jest mi potrzebne do przetargu.',
    createdAt: '2026-01-12T09:15:00Z',
  },
  {
    title: 'Wyjaśnienie w sprawie opłaty za gospodarowanie odpadami',
    kind: 'wyjasnienie',
    body: 'W odpowiedzi na wezwanie wyjaśniam, że od marca pod adresem mieszkają trzy osoby.',
    createdAt: '2026-01-19T13:40:00Z',
  },
  {
    title: 'Odwołanie od decyzji w sprawie rejestracji pojazdu',
    kind: 'odwolanie',
    body: 'Odwołuję się od decyzji z dnia 5 stycznia 2026 r.\n\nUzasadnienie: pojazd został zarejestrowany w innym powiecie.',
    createdAt: '2026-02-02T08:05:00Z',
  },
];

/**
 * A few letters of the demo resident, filed through the real filing path (validation, blobs,
 * receipts). Idempotent: each letter has a fixed creation time and idempotency key, so a rerun
 * returns the same document.
 */
async function fileDemoLetters(deps: ServiceDeps): Promise<string[]> {
  const resident = await deps.db
    .selectFrom('accounts')
    .select(['id', 'email'])
    .where('email', '=', 'mieszkaniec@example.pl')
    .executeTakeFirst();
  if (!resident) return ['filed letters: skipped, the demo accounts are not there'];
  const lines: string[] = [];
  for (const [i, letter] of DEMO_LETTERS.entries()) {
    const xml = buildGeneralLetterXml({
      createdAt: new Date(letter.createdAt),
      office: { id: 'umczestochowa', name: 'Urząd Miasta Częstochowy' },
      sender: { firstName: 'Jan', surname: 'Kowalski', pesel: DEMO_RESIDENT_PESEL, email: resident.email },
      place: 'Częstochowa',
      title: letter.title,
      kind: letter.kind,
      body: letter.body,
      attachments: [],
    });
    const result = await submitDocument(deps, {
      officeId: 'umczestochowa',
      boxName: 'skrytka',
      sender: { type: 'account', ref: resident.id, name: 'Jan Kowalski' },
      files: [
        { field: 'document', name: 'pismo.xml', staged: await deps.blobs.stage(Buffer.from(xml, 'utf8')) },
      ],
      title: letter.title,
      kind: letter.kind,
      idempotencyKey: `demo-letter-${i + 1}`,
    });
    lines.push(
      `filed letter "${letter.title}": ${result.replayed ? 'exists' : 'filed'}, receipt ${result.receiptId}`,
    );
  }
  return lines;
}

export const DEMO_DELIVERY_TITLE =
  'Zawiadomienie o wszczęciu postępowania w sprawie podatku od nieruchomości';

const DEMO_DELIVERY_TEXT = `Urząd Miasta Częstochowy
Wydział Podatków i Opłat

Szanowny Panie,

zawiadamiam o wszczęciu z urzędu postępowania w sprawie ustalenia wysokości podatku
od nieruchomości na rok 2026 dla nieruchomości przy ul. Przykładowej 1 w Częstochowie.

W terminie 14 dni od doręczenia może Pan zapoznać się z aktami sprawy i wypowiedzieć się
co do zebranych dowodów.

Anna Nowak
Wydział Podatków i Opłat
`;

/**
 * One letter from the office to the demo resident, sent through the real delivery path (proof of
 * sending, notice and timers) and left awaiting receipt, so the resident's inbox has something to
 * collect. Idempotent: a delivery with the demo title to the demo resident is not sent again.
 */
async function sendDemoDelivery(deps: ServiceDeps): Promise<string[]> {
  const accounts = await deps.db
    .selectFrom('accounts')
    .select(['id', 'email', 'display_name'])
    .where('email', 'in', ['mieszkaniec@example.pl', 'urzednik@example.pl'])
    .execute();
  const resident = accounts.find((a) => a.email === 'mieszkaniec@example.pl');
  const clerk = accounts.find((a) => a.email === 'urzednik@example.pl');
  if (!resident || !clerk)
    return ['delivery to mieszkaniec@example.pl: skipped, the demo accounts are not there'];
  const existing = await deps.db
    .selectFrom('deliveries')
    .select(['id', 'status'])
    .where('office_id', '=', 'umczestochowa')
    .where('recipient_account_id', '=', resident.id)
    .where('title', '=', DEMO_DELIVERY_TITLE)
    .executeTakeFirst();
  if (existing)
    return [`delivery "${DEMO_DELIVERY_TITLE}" to mieszkaniec@example.pl: exists, ${existing.status}`];
  const sent = await deliverLetter(deps, {
    officeId: 'umczestochowa',
    sender: { type: 'account', ref: clerk.id, name: clerk.display_name },
    recipientAccountId: resident.id,
    title: DEMO_DELIVERY_TITLE,
    files: [
      {
        field: 'document',
        name: 'zawiadomienie.txt',
        staged: await deps.blobs.stage(Buffer.from(DEMO_DELIVERY_TEXT, 'utf8')),
      },
    ],
  });
  return [
    `delivery "${DEMO_DELIVERY_TITLE}" to mieszkaniec@example.pl: sent, awaiting receipt, proof of sending ${sent.proofOfSendingId}`,
  ];
}
