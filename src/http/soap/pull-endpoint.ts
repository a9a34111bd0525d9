import type { FastifyInstance } from 'fastify';
import { translate } from '../../i18n/index';
import type { Services } from '../../services/index';
import {
  childText,
  missingField,
  permittedBox,
  registerSoapService,
  status,
  unknownOperation,
} from './soap-service';
import { EXT_SCHEMA, EXT_SCHEMA_FILE, OBJECTS_SCHEMA, pullWsdl, SCHEMA_FILE, SERVICES_PATH } from './wsdl';
import { esc, OBJ_NS } from './xml';

/** Requests of the pull service are small; anything larger is refused before parsing. */
const PULL_BODY_LIMIT = 256 * 1024;

/**
 * ePUAP's `pull` service over SOAP 1.1 on the REST pull queue: count, lease the next document,
 * acknowledge it by its digest. Also serves the schemas every service's WSDL refers to.
 */
export function registerSoapPullEndpoint(
  app: FastifyInstance,
  services: Services,
  options: { publicUrl: string; leaseMs: number; perMinute: number },
): void {
  for (const [file, text] of [
    [SCHEMA_FILE, OBJECTS_SCHEMA],
    [EXT_SCHEMA_FILE, EXT_SCHEMA],
  ] as const)
    app.get(`${SERVICES_PATH}/${file}`, { config: { access: 'public' } }, async (_request, reply) =>
      reply.type('text/xml; charset=utf-8').send(text),
    );

  registerSoapService(app, services, `${SERVICES_PATH}/pull`, {
    name: 'pull',
    wsdl: () => pullWsdl(options.publicUrl),
    bodyLimit: PULL_BODY_LIMIT,
    perMinute: options.perMinute,
    signatureRecordedBy: ['ZapytaniePullPobierz', 'ZapytaniePullPotwierdz'],
    handle: async ({ system, operation, signature }) => {
      const boxName = permittedBox(
        system,
        childText(operation, 'adresSkrytki')?.trim() || (childText(operation, 'nazwaSkrytki') ?? ''),
        'adresSkrytki',
      );
      const ok = translate('pl', 'soap.status.ok');
      switch (operation.localName) {
        case 'ZapytaniePullOczekujace': {
          const count = await services.soapCountPending({ system, boxName });
          return `<ob:OdpowiedzPullOczekujace xmlns:ob="${OBJ_NS}">${status(1, ok)}<oczekujace>${count}</oczekujace></ob:OdpowiedzPullOczekujace>`;
        }
        case 'ZapytaniePullPobierz': {
          const pulled = await services.soapPullNext({
            system,
            boxName,
            leaseMs: options.leaseMs,
            signature,
          });
          if (!pulled)
            return `<ob:OdpowiedzPullPobierz xmlns:ob="${OBJ_NS}">${status(0, translate('pl', 'soap.status.empty'))}</ob:OdpowiedzPullPobierz>`;
          const d = pulled.document;
          const s = pulled.sender;
          const opt = (name: string, value: string | null) =>
            value ? `<${name}>${esc(value)}</${name}>` : '';
          return (
            `<ob:OdpowiedzPullPobierz xmlns:ob="${OBJ_NS}">${status(1, ok)}` +
            `<danePodmiotu><identyfikator>${esc(s.accountId ?? d.sender.name)}</identyfikator><typOsoby>${s.accountId ? 'F' : 'P'}</typOsoby>` +
            `${opt('imieSkrot', s.firstName)}${opt('nazwiskoNazwa', s.surname)}<zgoda>true</zgoda></danePodmiotu>` +
            `<daneNadawcy>${opt('uzytkownik', s.accountId)}<system>${esc(d.sender.type === 'account' ? 'portal' : d.sender.name)}</system></daneNadawcy>` +
            `<dataNadania>${esc(d.receivedAt)}</dataNadania><nazwaSkrytki>${esc(boxName)}</nazwaSkrytki>` +
            `<adresSkrytki>${esc(d.box)}</adresSkrytki><adresOdpowiedzi xsi:nil="true" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"/>` +
            `<czyTestowe>false</czyTestowe><daneDodatkowe>${pulled.extraData.toString('base64')}</daneDodatkowe>` +
            `<dokument><nazwaPliku>${esc(pulled.fileName)}</nazwaPliku><typPliku>${esc(pulled.mediaType)}</typPliku>` +
            `<zawartosc>${pulled.content.toString('base64')}</zawartosc></dokument></ob:OdpowiedzPullPobierz>`
          );
        }
        case 'ZapytaniePullPotwierdz': {
          const skrot = childText(operation, 'skrot');
          if (!skrot) throw missingField('skrot');
          const acknowledged = await services.soapAcknowledge({ system, boxName, skrot, signature });
          return `<ob:OdpowiedzPullPotwierdz xmlns:ob="${OBJ_NS}">${
            acknowledged ? status(1, ok) : status(0, translate('pl', 'soap.error.notLeased'))
          }</ob:OdpowiedzPullPotwierdz>`;
        }
        default:
          throw unknownOperation('pull', operation);
      }
    },
  });
}
