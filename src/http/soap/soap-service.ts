import type { Element } from '@xmldom/xmldom';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../../domain/errors';
import { translate } from '../../i18n/index';
import type { Seal } from '../../ports/seals';
import {
  replayRefused,
  type IntegrationSystem,
  type RequestSignature,
} from '../../services/integration-systems';
import type { Services } from '../../services/index';
import { signedEnvelope, verifyRequestSignature } from './ws-security';
import { childText, elementChildren, esc, EXT_NS, OBJ_NS, parseSoapEnvelope } from './xml';

const SOAP_CONTENT_TYPE = 'text/xml; charset=utf-8';

export function status(kod: number, komunikat: string): string {
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

export const missingField = (field: string) =>
  new AppError({ code: 'missing_field', status: 400, key: 'soap.error.field', params: { field } });

/**
 * A box of the system's office that the system may use, from an ePUAP address `/{office}/{box}`
 * (or a bare box name of the system's office). Another office's box is refused exactly like a
 * box of this office the system may not use.
 */
export function permittedBox(system: IntegrationSystem, address: string, field: string): string {
  const text = address.trim();
  const match = /^\/([^/]+)\/([^/]+)$/.exec(text);
  const officeId = match ? match[1] : system.officeId;
  const box = match ? match[2]! : text;
  if (!box) throw missingField(field);
  if (officeId !== system.officeId || !system.boxes.includes(box))
    throw new AppError({ code: 'forbidden_box', status: 403, key: 'soap.error.box', params: { box: text } });
  return box;
}

/** The text of an ePUAP routing header (`ob:AdresSkrytki` …) of the request, or undefined. */
export function headerText(header: Element | null, localName: string): string | undefined {
  if (!header) return undefined;
  const element = elementChildren(header).find((e) => e.namespaceURI === OBJ_NS && e.localName === localName);
  return element ? (element.textContent ?? '').trim() : undefined;
}

export { childText };

/** What an operation handler gets: the verified caller and the request. */
export interface SoapCall {
  system: IntegrationSystem;
  operation: Element;
  header: Element | null;
  /** The request's signature, for the operations that record it in their own transaction. */
  signature: RequestSignature;
}

export interface SoapServiceOptions {
  /** The service's name in ePUAP's paths (`pull`, `skrytka`, `doreczyciel`). */
  name: string;
  wsdl: () => string;
  /** Requests larger than this are refused before parsing. */
  bodyLimit: number;
  perMinute: number;
  /**
   * Operations (body elements) whose service records the request's signature against replay in
   * the transaction of its own change (one commit). Every other operation's signature is
   * recorded before it runs.
   */
  signatureRecordedBy?: readonly string[];
  /** The answer's body for an operation; throws an AppError to answer with a fault. */
  handle: (call: SoapCall) => Promise<string>;
}

/**
 * One ePUAP-compatible SOAP 1.1 service at `/pk_external_ws/services/{name}`: `?wsdl` serves
 * its WSDL; a POST is authenticated by its WS-Security signature and the registered
 * certificate, refused when replayed or over the system's request budget, and dispatched by
 * the body element (never by SOAPAction). Every answer — faults included — is signed by the
 * office's seal, by the platform seal while the caller's office is not yet known.
 */
export function registerSoapService(
  app: FastifyInstance,
  services: Services,
  path: string,
  options: SoapServiceOptions,
): void {
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
    scope.addContentTypeParser('*', { parseAs: 'string', bodyLimit: options.bodyLimit }, (_req, body, done) =>
      done(null, body),
    );
    scope.setErrorHandler(async (error: Error & { statusCode?: number }, request, reply) => {
      const tooLarge = error.statusCode === 413;
      return sendFault(
        reply,
        tooLarge
          ? new AppError({
              code: 'too_large',
              status: 413,
              key: 'soap.error.tooLarge',
              params: { size: Number(request.headers['content-length'] ?? 0), limit: options.bodyLimit },
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
      return reply.type(SOAP_CONTENT_TYPE).send(options.wsdl());
    });

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
        if (!operation || (operation.namespaceURI !== OBJ_NS && operation.namespaceURI !== EXT_NS))
          throw new AppError({
            code: 'unknown_operation',
            status: 400,
            key: 'soap.error.unknownOperation',
            params: { service: options.name, element: operation?.localName ?? '-' },
          });
        const signature = { signatureValue: verified.signatureValue, keepMs: verified.replayWindowMs };
        if (
          !options.signatureRecordedBy?.includes(operation.localName ?? '') &&
          !(await services.recordRequestSignature(signature))
        )
          throw replayRefused();
        return send(
          reply,
          200,
          await options.handle({ system, operation, header: parts.header, signature }),
          seal,
        );
      } catch (error) {
        return sendFault(reply, error, seal);
      }
    });
  });
}

export const unknownOperation = (service: string, operation: Element) =>
  new AppError({
    code: 'unknown_operation',
    status: 400,
    key: 'soap.error.unknownOperation',
    params: { service, element: operation.localName ?? '-' },
  });
