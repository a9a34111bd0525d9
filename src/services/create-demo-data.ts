import type { ServiceDeps } from './deps';
import { upsertOffice } from './offices';
import { upsertConfirmationPoint } from './confirmation-points';

export interface DemoReport {
  lines: string[];
}

/**
 * Demo data for trying the product: idempotent, so it can run on every start of a demo
 * installation. Later areas add their own part here (accounts, letters, deliveries).
 */
export async function createDemoData(
  deps: Pick<ServiceDeps, 'db' | 'clock'>,
  _options: { password?: string } = {},
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
    boxes: [{ name: 'skrytka', title: 'Elektroniczna Skrzynka Podawcza' }],
    externalAddresses: [
      { platform: 'ePUAP', address: '/umczestochowa/SkrytkaESP' },
      { platform: 'e-Doręczenia', address: 'AE:PL-00000-00000-DEMO0-00' },
    ],
  });
  lines.push(`office umczestochowa (Urząd Miasta Częstochowy), box /umczestochowa/skrytka: ${office}`);

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
  return { lines };
}
