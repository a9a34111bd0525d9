import { esc, EXT_NS, OBJ_NS } from './xml';

/**
 * The WSDL and schema of the ePUAP-compatible services, written for this box after ePUAP's
 * published `pull.wsdl` and `obiektypk.xsd` (version 1.2): the same names and namespaces, so
 * connectors built for ePUAP bind to them unchanged; the address is this installation's.
 */
export const PULL_NS = 'http://ws.epuap.gov.pl/pull/';
export const SERVICES_PATH = '/pk_external_ws/services';
export const SKRYTKA_NS = 'http://ws.epuap.gov.pl/skrytka/';
export const DORECZYCIEL_NS = 'http://ws.epuap.gov.pl/doreczyciel/';
export const SCHEMA_FILE = 'obiektypk.xsd';
export const EXT_SCHEMA_FILE = 'obiektyExt.xsd';

/** `nadajAny`'s document: any XML, carried as is. */
export const EXT_SCHEMA = `<?xml version="1.0" encoding="UTF-8"?>
<schema targetNamespace="${EXT_NS}" version="1.2" xmlns="http://www.w3.org/2001/XMLSchema">
  <element name="Dokument" type="anyType"/>
</schema>
`;

export const OBJECTS_SCHEMA = `<?xml version="1.0" encoding="UTF-8"?>
<schema targetNamespace="${OBJ_NS}" version="1.2" xmlns="http://www.w3.org/2001/XMLSchema" xmlns:ns="${OBJ_NS}">
  <simpleType name="IdentyfikatorPodmiotuTyp"><restriction base="string"><maxLength value="100"/></restriction></simpleType>
  <simpleType name="IdentyfikatorDokumentuTyp"><restriction base="string"/></simpleType>
  <complexType name="StatusTyp"><sequence>
    <element name="kod" type="int"/>
    <element name="komunikat" nillable="true" type="string"/>
  </sequence></complexType>
  <complexType name="WyjatekTyp"><sequence>
    <element name="kod" type="int"/>
    <element name="komunikat" type="string"/>
  </sequence></complexType>
  <complexType name="DaneNadawcyTyp"><sequence>
    <element minOccurs="0" name="uzytkownik" type="string"/>
    <element minOccurs="0" name="system" type="string"/>
  </sequence></complexType>
  <complexType name="DanePodmiotuTyp"><sequence>
    <element name="identyfikator" type="string"/>
    <element name="typOsoby" type="string"/>
    <element minOccurs="0" name="imieSkrot" type="string"/>
    <element minOccurs="0" name="nazwiskoNazwa" type="string"/>
    <element minOccurs="0" name="nip" type="string"/>
    <element minOccurs="0" name="pesel" type="string"/>
    <element minOccurs="0" name="regon" type="string"/>
    <element name="zgoda" type="boolean"/>
  </sequence></complexType>
  <complexType name="DokumentTyp"><sequence>
    <element name="nazwaPliku" type="string"/>
    <element minOccurs="0" name="typPliku" type="string"/>
    <element name="zawartosc" type="base64Binary"/>
  </sequence></complexType>
  <complexType name="OdpowiedzSkrytkiTyp"><sequence>
    <element name="status" type="ns:StatusTyp"/>
    <element name="identyfikatorDokumentu" type="ns:IdentyfikatorDokumentuTyp"/>
    <element maxOccurs="1" minOccurs="0" name="identyfikatorUpp" type="ns:IdentyfikatorDokumentuTyp"/>
    <element minOccurs="0" name="statusOdbiorcy" type="ns:StatusTyp"/>
    <element minOccurs="0" name="zalacznik" type="ns:DokumentTyp"/>
  </sequence></complexType>
  <complexType name="OdpowiedzDoreczycielaTyp"><sequence>
    <element name="status" type="ns:StatusTyp"/>
    <element name="identyfikatorDokumentu" nillable="true" type="ns:IdentyfikatorDokumentuTyp"/>
    <element name="identyfikatorZlecenia" nillable="true" type="string"/>
  </sequence></complexType>
  <complexType name="ZapytaniePullTyp"><sequence>
    <element name="podmiot" type="ns:IdentyfikatorPodmiotuTyp"/>
    <element name="nazwaSkrytki" type="string"/>
    <element name="adresSkrytki" type="string"/>
  </sequence></complexType>
  <complexType name="ZapytaniePullOczekujaceTyp"><complexContent><extension base="ns:ZapytaniePullTyp"/></complexContent></complexType>
  <complexType name="ZapytaniePullPobierzTyp"><complexContent><extension base="ns:ZapytaniePullTyp"/></complexContent></complexType>
  <complexType name="ZapytaniePullPotwierdzTyp"><complexContent><extension base="ns:ZapytaniePullTyp">
    <sequence><element name="skrot" type="string"/></sequence>
  </extension></complexContent></complexType>
  <complexType name="OdpowiedzPullTyp"><sequence><element name="status" type="ns:StatusTyp"/></sequence></complexType>
  <complexType name="OdpowiedzPullOczekujaceTyp"><complexContent><extension base="ns:OdpowiedzPullTyp">
    <sequence><element name="oczekujace" type="int"/></sequence>
  </extension></complexContent></complexType>
  <complexType name="OdpowiedzPullPobierzTyp"><complexContent><extension base="ns:OdpowiedzPullTyp">
    <sequence>
      <element minOccurs="0" name="danePodmiotu" type="ns:DanePodmiotuTyp"/>
      <element minOccurs="0" name="daneNadawcy" type="ns:DaneNadawcyTyp"/>
      <element minOccurs="0" name="dataNadania" type="dateTime"/>
      <element minOccurs="0" name="nazwaSkrytki" type="string"/>
      <element minOccurs="0" name="adresSkrytki" type="string"/>
      <element minOccurs="0" name="adresOdpowiedzi" nillable="true" type="string"/>
      <element minOccurs="0" name="czyTestowe" type="boolean"/>
      <element minOccurs="0" name="daneDodatkowe" type="base64Binary"/>
      <element minOccurs="0" name="dokument" type="ns:DokumentTyp"/>
    </sequence>
  </extension></complexContent></complexType>
  <complexType name="OdpowiedzPullPotwierdzTyp"><complexContent><extension base="ns:OdpowiedzPullTyp"/></complexContent></complexType>
  <element name="Wyjatek" type="ns:WyjatekTyp"/>
  <element name="StatusDoreczyciela" type="ns:StatusTyp"/>
  <element name="Dokument" type="ns:DokumentTyp"/>
  <element name="UPD" type="ns:DokumentTyp"/>
  <element name="AdresSkrytki" type="string"/>
  <element name="AdresOdpowiedzi" type="string"/>
  <element name="DaneDodatkowe" type="base64Binary"/>
  <element name="OdpowiedzSkrytki" type="ns:OdpowiedzSkrytkiTyp"/>
  <element name="OdpowiedzDoreczyciela" type="ns:OdpowiedzDoreczycielaTyp"/>
  <element name="IdentyfikatorPodmiotu" type="ns:IdentyfikatorPodmiotuTyp"/>
  <element name="IdentyfikatorDokumentu" type="ns:IdentyfikatorDokumentuTyp"/>
  <element name="IdentyfikatorSprawy" type="string"/>
  <element name="IdentyfikatorUpp" type="ns:IdentyfikatorDokumentuTyp"/>
  <element name="CzyProbne" type="boolean"/>
  <element name="TerminDoreczenia" type="dateTime"/>
  <element name="NazwaPliku" type="string"/>
  <element name="ZapytaniePullOczekujace" type="ns:ZapytaniePullOczekujaceTyp"/>
  <element name="ZapytaniePullPobierz" type="ns:ZapytaniePullPobierzTyp"/>
  <element name="ZapytaniePullPotwierdz" type="ns:ZapytaniePullPotwierdzTyp"/>
  <element name="OdpowiedzPullOczekujace" type="ns:OdpowiedzPullOczekujaceTyp"/>
  <element name="OdpowiedzPullPobierz" type="ns:OdpowiedzPullPobierzTyp"/>
  <element name="OdpowiedzPullPotwierdz" type="ns:OdpowiedzPullPotwierdzTyp"/>
</schema>
`;

const operations = [
  {
    name: 'oczekujaceDokumenty',
    request: 'ZapytaniePullOczekujace',
    response: 'OdpowiedzPullOczekujace',
    part: 'Oczekujace',
  },
  {
    name: 'pobierzNastepny',
    request: 'ZapytaniePullPobierz',
    response: 'OdpowiedzPullPobierz',
    part: 'Pobierz',
  },
  {
    name: 'potwierdzOdebranie',
    request: 'ZapytaniePullPotwierdz',
    response: 'OdpowiedzPullPotwierdz',
    part: 'Potwierdz',
  },
];

/** The pull service's WSDL naming `baseUrl` (this installation's public URL) as its address. */
export function pullWsdl(baseUrl: string): string {
  const messages = operations
    .map(
      (o) =>
        `  <message name="${o.name}RequestMsg"><part element="ob:${o.request}" name="zapytanie${o.part}"/></message>\n` +
        `  <message name="${o.name}ResponseMsg"><part element="ob:${o.response}" name="odpowiedz${o.part}"/></message>\n`,
    )
    .join('');
  const portOps = operations
    .map(
      (o) =>
        `    <operation name="${o.name}"><input message="tns:${o.name}RequestMsg"/><output message="tns:${o.name}ResponseMsg"/><fault message="tns:pullFaultMsg" name="${o.name}Fault"/></operation>\n`,
    )
    .join('');
  const bindingOps = operations
    .map(
      (o) =>
        `    <operation name="${o.name}"><soap:operation soapAction="${PULL_NS}${o.name}"/>` +
        `<input><soap:body use="literal"/></input><output><soap:body use="literal"/></output>` +
        `<fault name="${o.name}Fault"><soap:fault name="${o.name}Fault" use="literal"/></fault></operation>\n`,
    )
    .join('');
  return `<?xml version="1.0" encoding="UTF-8"?>
<definitions name="pull" targetNamespace="${PULL_NS}" xmlns="http://schemas.xmlsoap.org/wsdl/" xmlns:ob="${OBJ_NS}" xmlns:soap="http://schemas.xmlsoap.org/wsdl/soap/" xmlns:tns="${PULL_NS}" xmlns:xsd="http://www.w3.org/2001/XMLSchema">
  <documentation>Pobieranie dokumentów ze skrytki w trybie PULL (zgodne z ePUAP, wersja 1.2)</documentation>
  <types><xsd:schema targetNamespace="${PULL_NS}"><xsd:import namespace="${OBJ_NS}" schemaLocation="${SCHEMA_FILE}"/></xsd:schema></types>
  <message name="pullFaultMsg"><part element="ob:Wyjatek" name="faultStatus"/></message>
${messages}  <portType name="pull">
${portOps}  </portType>
  <binding name="pull" type="tns:pull">
    <soap:binding style="document" transport="http://schemas.xmlsoap.org/soap/http"/>
${bindingOps}  </binding>
  <service name="pkPullService"><port binding="tns:pull" name="pull"><soap:address location="${esc(baseUrl)}${SERVICES_PATH}/pull"/></port></service>
</definitions>
`;
}

interface HeaderOperation {
  name: string;
  /** The message parts: [part name, element] — headers first, the body part last. */
  headers: [string, string][];
  body: [string, string];
  response: string;
}

/**
 * A WSDL of a service whose routing fields travel as SOAP headers (ePUAP's `skrytka` and
 * `doreczyciel`): each operation's message lists the header parts and one body part.
 */
function headerServiceWsdl(input: {
  service: string;
  namespace: string;
  binding: string;
  serviceName: string;
  documentation: string;
  operations: HeaderOperation[];
  baseUrl: string;
  ext?: boolean;
}): string {
  const { namespace: ns } = input;
  const part = ([name, element]: [string, string]) => `<part element="${element}" name="${name}"/>`;
  const messages = input.operations
    .map(
      (o) =>
        `  <message name="${o.name}Request">${[...o.headers, o.body].map(part).join('')}</message>\n` +
        `  <message name="${o.name}Response"><part element="${o.response}" name="odpowiedz"/></message>\n` +
        `  <message name="${o.name}FaultMsg"><part element="ob:Wyjatek" name="faultStatus"/></message>\n`,
    )
    .join('');
  const portOps = input.operations
    .map(
      (o) =>
        `    <operation name="${o.name}"><input message="tns:${o.name}Request"/><output message="tns:${o.name}Response"/><fault message="tns:${o.name}FaultMsg" name="fault"/></operation>\n`,
    )
    .join('');
  const bindingOps = input.operations
    .map(
      (o) =>
        `    <operation name="${o.name}"><soap:operation soapAction="${ns}${o.name}"/><input>` +
        o.headers
          .map(([name]) => `<soap:header message="tns:${o.name}Request" part="${name}" use="literal"/>`)
          .join('') +
        `<soap:body parts="${o.body[0]}" use="literal"/></input><output><soap:body use="literal"/></output>` +
        `<fault name="fault"><soap:fault name="fault" use="literal"/></fault></operation>\n`,
    )
    .join('');
  const extImport = input.ext
    ? `<xsd:import namespace="${EXT_NS}" schemaLocation="${EXT_SCHEMA_FILE}"/>`
    : '';
  return `<?xml version="1.0" encoding="UTF-8"?>
<definitions name="${input.service}" targetNamespace="${ns}" xmlns="http://schemas.xmlsoap.org/wsdl/" xmlns:ob="${OBJ_NS}"${input.ext ? ` xmlns:ext="${EXT_NS}"` : ''} xmlns:soap="http://schemas.xmlsoap.org/wsdl/soap/" xmlns:tns="${ns}" xmlns:xsd="http://www.w3.org/2001/XMLSchema">
  <documentation>${esc(input.documentation)}</documentation>
  <types><xsd:schema targetNamespace="${ns}"><xsd:import namespace="${OBJ_NS}" schemaLocation="${SCHEMA_FILE}"/>${extImport}</xsd:schema></types>
${messages}  <portType name="${input.service}">
${portOps}  </portType>
  <binding name="${input.binding}" type="tns:${input.service}">
    <soap:binding style="document" transport="http://schemas.xmlsoap.org/soap/http"/>
${bindingOps}  </binding>
  <service name="${input.serviceName}"><port binding="tns:${input.binding}" name="${input.service}"><soap:address location="${esc(input.baseUrl)}${SERVICES_PATH}/${input.service}"/></port></service>
</definitions>
`;
}

const sendHeaders: [string, string][] = [
  ['podmiot', 'ob:IdentyfikatorPodmiotu'],
  ['adresSkrytki', 'ob:AdresSkrytki'],
  ['adresOdpowiedzi', 'ob:AdresOdpowiedzi'],
  ['czyProbne', 'ob:CzyProbne'],
  ['daneDodatkowe', 'ob:DaneDodatkowe'],
];

/** ePUAP's `skrytka` service (version 1.2): `nadaj` and `nadajAny`, routing fields in headers. */
export function skrytkaWsdl(baseUrl: string): string {
  return headerServiceWsdl({
    service: 'skrytka',
    namespace: SKRYTKA_NS,
    binding: 'skrytkaBinding',
    serviceName: 'pkSkrytkaService',
    documentation: 'Nadawanie dokumentów na skrytkę odbiorcy (zgodne z ePUAP, wersja 1.2)',
    baseUrl,
    ext: true,
    operations: [
      {
        name: 'nadaj',
        headers: sendHeaders,
        body: ['dokument', 'ob:Dokument'],
        response: 'ob:OdpowiedzSkrytki',
      },
      {
        name: 'nadajAny',
        headers: [...sendHeaders, ['nazwaPliku', 'ob:NazwaPliku']],
        body: ['dokument', 'ext:Dokument'],
        response: 'ob:OdpowiedzSkrytki',
      },
    ],
  });
}

/** ePUAP's `doreczyciel` service (version 1.1): `dorecz`, a letter that needs proof of receipt. */
export function doreczycielWsdl(baseUrl: string): string {
  return headerServiceWsdl({
    service: 'doreczyciel',
    namespace: DORECZYCIEL_NS,
    binding: 'doreczyciel',
    serviceName: 'pkDoreczycielService',
    documentation: 'Doręczanie dokumentów za poświadczeniem doręczenia (zgodne z ePUAP, wersja 1.1)',
    baseUrl,
    operations: [
      {
        name: 'dorecz',
        headers: [
          ['podmiot', 'ob:IdentyfikatorPodmiotu'],
          ['adresSkrytki', 'ob:AdresSkrytki'],
          ['adresOdpowiedzi', 'ob:AdresOdpowiedzi'],
          ['terminDoreczenia', 'ob:TerminDoreczenia'],
          ['czyProbne', 'ob:CzyProbne'],
          ['identyfikatorDokumentu', 'ob:IdentyfikatorDokumentu'],
          ['identyfikatorSprawy', 'ob:IdentyfikatorSprawy'],
          ['daneDodatkowe', 'ob:DaneDodatkowe'],
        ],
        body: ['dokument', 'ob:Dokument'],
        response: 'ob:OdpowiedzDoreczyciela',
      },
    ],
  });
}
