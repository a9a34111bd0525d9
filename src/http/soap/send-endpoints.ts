import { XMLSerializer, type Element } from '@xmldom/xmldom';
import type { FastifyInstance } from 'fastify';
import { AppError } from '../../domain/errors';
import { translate } from '../../i18n/index';
import type { DeliverResult } from '../../services/deliver-letter';
import type { Services } from '../../services/index';
import {
  childText,
  headerText,
  missingField,
  permittedBox,
  registerSoapService,
  status,
  unknownOperation,
  type SoapCall,
} from './soap-service';
import { doreczycielWsdl, SERVICES_PATH, skrytkaWsdl } from './wsdl';
import { elementChildren, esc, EXT_NS, OBJ_NS } from './xml';

/**
 * Base64 of a document grows by a third; the office's own size limit (checked on the decoded
 * files, as for every filing) decides, this only stops absurd requests before parsing.
 */
const SEND_BODY_LIMIT = 32 * 1024 * 1024;

const NIL = 'xsi:nil="true" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"';

const badField = (field: string) =>
  new AppError({
    code: 'validation_failed',
    status: 422,
    key: 'soap.error.rejected',
    params: { detail: translate('pl', 'soap.error.field', { field }) },
  });

/** A refusal of the delivery service, with every field's reason in Polish in one message. */
function asSoapError(error: unknown): unknown {
  if (!(error instanceof AppError) || error.fieldErrors.length === 0) return error;
  const detail = error.fieldErrors.map((f) => translate('pl', f.key, f.params)).join(' ');
  return new AppError({
    code: error.code,
    status: error.status,
    key: 'soap.error.rejected',
    params: { detail },
  });
}

/** The document of `nadaj` / `dorecz`: `Dokument{nazwaPliku, typPliku, zawartosc}`. */
function documentOf(operation: Element): { name: string; content: Buffer } {
  const name = childText(operation, 'nazwaPliku')?.trim();
  if (!name) throw missingField('nazwaPliku');
  const base64 = (childText(operation, 'zawartosc') ?? '').replace(/\s+/g, '');
  if (!base64) throw missingField('zawartosc');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(base64) || base64.length % 4 !== 0) throw badField('zawartosc');
  return { name, content: Buffer.from(base64, 'base64') };
}

/** `nadajAny`'s document: the XML element carried in `ext:Dokument`, as it came. */
function anyDocumentOf(call: SoapCall): { name: string; content: Buffer } {
  const name = headerText(call.header, 'NazwaPliku');
  if (!name) throw missingField('NazwaPliku');
  const [root] = elementChildren(call.operation);
  if (!root) throw missingField('Dokument');
  return {
    name,
    content: Buffer.from(
      `<?xml version="1.0" encoding="UTF-8"?>\n${new XMLSerializer().serializeToString(root)}`,
    ),
  };
}

const isTrue = (text: string | undefined) => text === 'true' || text === '1';

/**
 * ePUAP's sending services over SOAP 1.1, on the same delivery service as the clerk's answers
 * and the REST API: `skrytka` (`nadaj`, `nadajAny`) and `doreczyciel` (`dorecz`). Routing
 * fields travel as SOAP headers, which connectors do not sign: the system's certificate alone
 * decides the office, and the reply box must be one of its boxes the system may use.
 */
export function registerSoapSendEndpoints(
  app: FastifyInstance,
  services: Services,
  options: { publicUrl: string; perMinute: number },
): void {
  const deliver = async (
    call: SoapCall,
    document: { name: string; content: Buffer },
    replyRequired: boolean,
  ): Promise<DeliverResult & { dryRun: boolean }> => {
    const { system, header } = call;
    const podmiot = headerText(header, 'IdentyfikatorPodmiotu');
    // Sending on behalf of another office is refused like another office's box.
    if (podmiot && podmiot !== system.officeId)
      throw new AppError({
        code: 'forbidden_box',
        status: 403,
        key: 'soap.error.box',
        params: { box: podmiot },
      });
    const recipient = headerText(header, 'AdresSkrytki');
    if (!recipient) throw missingField('AdresSkrytki');
    const replyAddress = headerText(header, 'AdresOdpowiedzi');
    if (replyRequired && !replyAddress) throw missingField('AdresOdpowiedzi');
    const replyBox = replyAddress ? permittedBox(system, replyAddress, 'AdresOdpowiedzi') : undefined;
    const dryRun = isTrue(headerText(header, 'CzyProbne'));
    try {
      const result = await services.soapDeliver({
        system,
        recipientAddress: recipient,
        replyBox,
        file: { name: document.name, staged: await services.stageUpload(document.content) },
        ezdDocumentId: headerText(header, 'IdentyfikatorDokumentu') || undefined,
        ezdCaseId: headerText(header, 'IdentyfikatorSprawy') || undefined,
        dryRun,
      });
      return { ...result, dryRun };
    } catch (error) {
      throw asSoapError(error);
    }
  };
  const ok = translate('pl', 'soap.status.ok');

  registerSoapService(app, services, `${SERVICES_PATH}/skrytka`, {
    name: 'skrytka',
    wsdl: () => skrytkaWsdl(options.publicUrl),
    bodyLimit: SEND_BODY_LIMIT,
    perMinute: options.perMinute,
    handle: async (call) => {
      const { operation } = call;
      let document: { name: string; content: Buffer };
      if (operation.localName === 'Dokument' && operation.namespaceURI === OBJ_NS)
        document = documentOf(operation);
      else if (operation.localName === 'Dokument' && operation.namespaceURI === EXT_NS)
        document = anyDocumentOf(call);
      else throw unknownOperation('skrytka', operation);
      const sent = await deliver(call, document, false);
      // A trial sending stores nothing: no document, no proof.
      if (sent.dryRun)
        return `<ob:OdpowiedzSkrytki xmlns:ob="${OBJ_NS}">${status(1, ok)}<identyfikatorDokumentu>0</identyfikatorDokumentu></ob:OdpowiedzSkrytki>`;
      return (
        `<ob:OdpowiedzSkrytki xmlns:ob="${OBJ_NS}">${status(1, ok)}` +
        `<identyfikatorDokumentu>${sent.number}</identyfikatorDokumentu><identyfikatorUpp>${sent.number}</identyfikatorUpp>` +
        `<zalacznik><nazwaPliku>${esc(`dowod-wyslania-${sent.number}.xml`)}</nazwaPliku><typPliku>text/xml</typPliku>` +
        `<zawartosc>${Buffer.from(sent.proofOfSendingXml, 'utf8').toString('base64')}</zawartosc></zalacznik></ob:OdpowiedzSkrytki>`
      );
    },
  });

  registerSoapService(app, services, `${SERVICES_PATH}/doreczyciel`, {
    name: 'doreczyciel',
    wsdl: () => doreczycielWsdl(options.publicUrl),
    bodyLimit: SEND_BODY_LIMIT,
    perMinute: options.perMinute,
    handle: async (call) => {
      const { operation } = call;
      if (operation.localName !== 'Dokument' || operation.namespaceURI !== OBJ_NS)
        throw unknownOperation('doreczyciel', operation);
      const sent = await deliver(call, documentOf(operation), true);
      if (sent.dryRun)
        return `<ob:OdpowiedzDoreczyciela xmlns:ob="${OBJ_NS}">${status(1, ok)}<identyfikatorDokumentu ${NIL}/><identyfikatorZlecenia ${NIL}/></ob:OdpowiedzDoreczyciela>`;
      return (
        `<ob:OdpowiedzDoreczyciela xmlns:ob="${OBJ_NS}">${status(1, ok)}` +
        `<identyfikatorDokumentu>${sent.number}</identyfikatorDokumentu><identyfikatorZlecenia>${sent.number}</identyfikatorZlecenia></ob:OdpowiedzDoreczyciela>`
      );
    },
  });
}
