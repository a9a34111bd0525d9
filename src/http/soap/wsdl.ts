import { esc, OBJ_NS } from './xml';

/**
 * The WSDL and schema of the ePUAP-compatible services, written for this box after ePUAP's
 * published `pull.wsdl` and `obiektypk.xsd` (version 1.2): the same names and namespaces, so
 * connectors built for ePUAP bind to them unchanged; the address is this installation's.
 */
export const PULL_NS = 'http://ws.epuap.gov.pl/pull/';
export const SERVICES_PATH = '/pk_external_ws/services';
export const SCHEMA_FILE = 'obiektypk.xsd';

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
