import type { Element } from '@xmldom/xmldom';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../../domain/errors';
import { translate } from '../../i18n/index';
import type { Seal } from '../../ports/seals';
import type { IntegrationSystem } from '../../services/integration-systems';
import type { Services } from '../../services/index';
import { signedEnvelope, verifyRequestSignature } from './ws-security';
import { OBJECTS_SCHEMA, pullWsdl, SCHEMA_FILE, SERVICES_PATH } from './wsdl';
import { childText, elementChildren, esc, OBJ_NS, parseSoapEnvelope } from './xml';

/** Requests of the pull service are small; anything larger is refused before parsing. */
const PULL_BODY_LIMIT = 256 * 1024;

const SOAP_CONTENT_TYPE = 'text/xml; charset=utf-8';

function status(kod: number, komunikat: string): string {
  return `<status><kod>${kod}</kod><komunikat>${esc(komunikat)}</komunikat></status>`;
}

function faultBody(error: AppError): string {
  const message = translate('pl', error.key, error.params);
  const side = error.status >= 500 ? 'Server' : 'Client';
  return (
    `<soapenv:Fault><faultcode>soapenv:${side}</faultcode><faultstring xml:lang="pl">${esc(message)}</faultstring>` +
    `<detail><ob:Wyjatek xmlns:ob="${OBJ_NS}"><kod>${error.status}</kod><komunikat>${esc(message)}</komunikat></ob:Wyjatek></detail></soapenv:Fault>`
  );
}

/** A box address in ePUAP's form `/{office}/{box}` (`nazwaSkrytki` alone names a box of the system's office). */
function boxOf(system: IntegrationSystem, request: Element): string {
  const address = childText(request, 'adresSkrytki')?.trim() ?? '';
  const name = childText(request, 'nazwaSkrytki')?.trim() ?? '';
  const match = /^\/([^/]+)\/([^/]+)$/.exec(address);
  const officeId = match ? match[1] : system.officeId;
  const box = match ? match[2]! : name;
  if (!box)
    throw new AppError({
      code: 'missing_field',
      status: 400,
      key: 'soap.error.field',
      params: { field: 'adresSkrytki' },
    });
  // Another office's box is refused exactly like a box of our office the system may not use.
  if (officeId !== system.officeId || !system.boxes.includes(box))
    throw new AppError({
      code: 'forbidden_box',
      status: 403,
      key: 'soap.error.box',
      params: { box: address || name },
    });
  return box;
}

/**
 * ePUAP's `pull` service over SOAP 1.1: dispatched by the body element (never by SOAPAction),
 * authenticated by the request's WS-Security signature and the registered certificate, each
 * answer (faults included) signed by the office's seal — by the platform seal while the
 * caller's office is not yet known.
 */
export function registerSoapPullEndpoint(
  app: FastifyInstance,
  services: Services,
  options: { publicUrl: string; leaseMs: number; perMinute: number },
): void {
  const path = `${SERVICES_PATH}/pull`;
  const limiter = app.createRateLimit({
    max: options.perMinute,
    timeWindow: 60_000,
    keyGenerator: (request) =>
      `soap-system:${(request as FastifyRequest & { soapSystem?: string }).soapSystem ?? ''}`,
  });

  const send = (reply: FastifyReply, httpStatus: number, bodyXml: string, seal: Seal) =>
    reply
      .status(httpStatus)
      .type(SOAP_CONTENT_TYPE)
      .header('cache-control', 'no-store')
      .send(signedEnvelope(bodyXml, seal, services.now()));

  const sendFault = async (reply: FastifyReply, error: unknown, seal?: Seal) => {
    const appError =
      error instanceof AppError
        ? error
        : new AppError({ code: 'server', status: 500, key: 'soap.error.server' });
    if (!(error instanceof AppError)) reply.log.error({ err: error }, 'SOAP request failed');
    else reply.log.info({ code: appError.code }, 'SOAP request refused');
    return send(reply, 500, faultBody(appError), seal ?? (await services.platformSeal()));
  };

  app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'string', bodyLimit: PULL_BODY_LIMIT }, (_req, body, done) =>
      done(null, body),
    );
    scope.setErrorHandler(async (error: Error & { statusCode?: number }, _request, reply) => {
      const tooLarge = error.statusCode === 413;
      return sendFault(
        reply,
        tooLarge
          ? new AppError({
              code: 'too_large',
              status: 413,
              key: 'soap.error.tooLarge',
              params: { size: Number(_request.headers['content-length'] ?? 0), limit: PULL_BODY_LIMIT },
            })
          : error.statusCode && error.statusCode < 500
            ? new AppError({
                code: 'malformed',
                status: 400,
                key: 'soap.error.malformed',
                params: { detail: error.message },
              })
            : error,
      );
    });

    scope.get(path, { config: { access: 'public' } }, async (request, reply) => {
      const query = request.query as Record<string, string | undefined>;
      if (!('wsdl' in query) && !('WSDL' in query))
        return reply.status(405).type('text/plain').send('Use POST (SOAP 1.1) or ?wsdl');
      return reply.type('text/xml; charset=utf-8').send(pullWsdl(options.publicUrl));
    });
    scope.get(`${SERVICES_PATH}/${SCHEMA_FILE}`, { config: { access: 'public' } }, async (_request, reply) =>
      reply.type('text/xml; charset=utf-8').send(OBJECTS_SCHEMA),
    );

    // Authentication is the request's own WS-Security signature, checked below, not a session or token.
    scope.post(path, { config: { access: 'public' } }, async (request, reply) => {
      let seal: Seal | undefined;
      try {
        const xml = typeof request.body === 'string' ? request.body : '';
        const parts = parseSoapEnvelope(xml);
        const verified = verifyRequestSignature(xml, parts, services.now());
        const system = await services.systemByCertificate(verified.certificateDer);
        if (!system)
          throw new AppError({ code: 'unknown_system', status: 403, key: 'soap.error.unknownSystem' });
        const office = await services.getOffice(system.officeId);
        seal = await services.officeSeal(office.id, office.name);
        (request as FastifyRequest & { soapSystem?: string }).soapSystem = system.id;
        const limit = await limiter(request);
        if (!limit.isAllowed && limit.isExceeded) {
          reply.header('retry-after', String(Math.max(1, limit.ttlInSeconds)));
          throw new AppError({ code: 'rate_limited', status: 429, key: 'soap.error.rateLimited' });
        }
        const [operation] = elementChildren(parts.body);
        if (!operation || operation.namespaceURI !== OBJ_NS)
          throw new AppError({
            code: 'unknown_operation',
            status: 400,
            key: 'soap.error.unknownOperation',
            params: { service: 'pull', element: operation?.localName ?? '-' },
          });
        const boxName = boxOf(system, operation);
        if (
          !(await services.recordRequestSignature({
            signatureValue: verified.signatureValue,
            keepMs: verified.replayWindowMs,
          }))
        )
          throw new AppError({ code: 'replay', status: 409, key: 'soap.error.replay' });
        const ok = translate('pl', 'soap.status.ok');
        switch (operation.localName) {
          case 'ZapytaniePullOczekujace': {
            const count = await services.soapCountPending({ system, boxName });
            return send(
              reply,
              200,
              `<ob:OdpowiedzPullOczekujace xmlns:ob="${OBJ_NS}">${status(1, ok)}<oczekujace>${count}</oczekujace></ob:OdpowiedzPullOczekujace>`,
              seal,
            );
          }
          case 'ZapytaniePullPobierz': {
            const pulled = await services.soapPullNext({ system, boxName, leaseMs: options.leaseMs });
            if (!pulled)
              return send(
                reply,
                200,
                `<ob:OdpowiedzPullPobierz xmlns:ob="${OBJ_NS}">${status(0, translate('pl', 'soap.status.empty'))}</ob:OdpowiedzPullPobierz>`,
                seal,
              );
            const d = pulled.document;
            const s = pulled.sender;
            const opt = (name: string, value: string | null) =>
              value ? `<${name}>${esc(value)}</${name}>` : '';
            return send(
              reply,
              200,
              `<ob:OdpowiedzPullPobierz xmlns:ob="${OBJ_NS}">${status(1, ok)}` +
                `<danePodmiotu><identyfikator>${esc(s.accountId ?? d.sender.name)}</identyfikator><typOsoby>${s.accountId ? 'F' : 'P'}</typOsoby>` +
                `${opt('imieSkrot', s.firstName)}${opt('nazwiskoNazwa', s.surname)}<zgoda>true</zgoda></danePodmiotu>` +
                `<daneNadawcy>${opt('uzytkownik', s.accountId)}<system>${esc(d.sender.type === 'account' ? 'portal' : d.sender.name)}</system></daneNadawcy>` +
                `<dataNadania>${esc(d.receivedAt)}</dataNadania><nazwaSkrytki>${esc(boxName)}</nazwaSkrytki>` +
                `<adresSkrytki>${esc(d.box)}</adresSkrytki><adresOdpowiedzi xsi:nil="true" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"/>` +
                `<czyTestowe>false</czyTestowe><daneDodatkowe>${pulled.extraData.toString('base64')}</daneDodatkowe>` +
                `<dokument><nazwaPliku>${esc(pulled.fileName)}</nazwaPliku><typPliku>${esc(pulled.mediaType)}</typPliku>` +
                `<zawartosc>${pulled.content.toString('base64')}</zawartosc></dokument></ob:OdpowiedzPullPobierz>`,
              seal,
            );
          }
          case 'ZapytaniePullPotwierdz': {
            const skrot = childText(operation, 'skrot');
            if (!skrot)
              throw new AppError({
                code: 'missing_field',
                status: 400,
                key: 'soap.error.field',
                params: { field: 'skrot' },
              });
            const acknowledged = await services.soapAcknowledge({ system, boxName, skrot });
            return send(
              reply,
              200,
              `<ob:OdpowiedzPullPotwierdz xmlns:ob="${OBJ_NS}">${
                acknowledged ? status(1, ok) : status(0, translate('pl', 'soap.error.notLeased'))
              }</ob:OdpowiedzPullPotwierdz>`,
              seal,
            );
          }
          default:
            throw new AppError({
              code: 'unknown_operation',
              status: 400,
              key: 'soap.error.unknownOperation',
              params: { service: 'pull', element: operation.localName ?? '-' },
            });
        }
      } catch (error) {
        return sendFault(reply, error, seal);
      }
    });
  });
}
