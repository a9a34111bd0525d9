"""An EZD connector for the tests: Debian's python3-zeep with python3-xmlsec.

Usage: ezd_client.py WSDL_URL SERVICE_URL KEY.pem CERT.pem OFFICE_SEAL.pem,PLATFORM_SEAL.pem COMMAND [ARG]
Commands of the pull service: count BOX_ADDRESS [SAVE_SENT_TO] | pull BOX_ADDRESS | ack BOX_ADDRESS SKROT;
of the skrytka service: nadaj TO_ADDRESS FILE [REPLY_ADDRESS] | nadajAny TO_ADDRESS XML_FILE;
of the doreczyciel service: dorecz TO_ADDRESS FILE REPLY_ADDRESS DOCUMENT_ID CASE_ID [probne];
raw FILE (post a file as is to SERVICE_URL).
Prints one JSON object. Requests are signed (RSA-SHA256, Body and Timestamp); every answer's
signature is checked against the office seal's certificate by xmlsec.
"""
import base64
import datetime
import json
import sys

import requests
import xmlsec
from lxml import etree
from zeep import Client, Settings
from zeep.exceptions import Fault, SignatureVerificationFailed
from zeep.plugins import HistoryPlugin, Plugin
from zeep.wsse import utils
from zeep.wsse.signature import BinarySignature, _make_verify_key, _verify_envelope_with_key

wsdl_url, service_url, key_file, cert_file, seal_file, command, *args = sys.argv[1:]
# The office seal first; the platform seal signs faults given before the caller's office is known.
seal_pems = [open(f, "rb").read() for f in seal_file.split(",")]


def signed_by(envelope):
    """Which of the seals signed the answer (0: the office's), or None."""
    for index, pem in enumerate(seal_pems):
        try:
            _verify_envelope_with_key(envelope, _make_verify_key(pem))
            return index
        except Exception:
            continue
    return None


class SignedWithTimestamp(BinarySignature):
    """Signs with the EZD's key; verifies answers with the office seal, not with our own cert."""

    def apply(self, envelope, headers):
        security = utils.get_security_header(envelope)
        created = datetime.datetime.now(datetime.timezone.utc)
        timestamp = utils.WSU("Timestamp")
        timestamp.append(utils.WSU("Created", created.strftime("%Y-%m-%dT%H:%M:%SZ")))
        timestamp.append(
            utils.WSU("Expires", (created + datetime.timedelta(minutes=5)).strftime("%Y-%m-%dT%H:%M:%SZ"))
        )
        security.append(timestamp)
        return super().apply(envelope, headers)

    def verify(self, envelope):
        if signed_by(envelope) is None:
            raise SignatureVerificationFailed()
        return envelope


signer = SignedWithTimestamp(
    key_file,
    cert_file,
    signature_method=xmlsec.Transform.RSA_SHA256,
    digest_method=xmlsec.Transform.SHA256,
)

if command == "raw":
    body = open(args[0], "rb").read()
    response = requests.post(service_url, data=body, headers={"content-type": "text/xml; charset=utf-8"})
    envelope = etree.fromstring(response.content)
    seal = signed_by(envelope)
    ns = {"ob": "http://wsdl.epuap.gov.pl/obiekty/"}
    print(
        json.dumps(
            {
                "http": response.status_code,
                "signedBy": {0: "office", 1: "platform"}.get(seal, "nobody"),
                "kod": envelope.xpath("string(//ob:Wyjatek/kod)", namespaces=ns),
                "komunikat": envelope.xpath("string(//ob:Wyjatek/komunikat)", namespaces=ns),
            }
        )
    )
    sys.exit(0)

class EmbedAnyDocument(Plugin):
    """zeep renders an anyType value as text: put nadajAny's XML document in ext:Dokument (before signing)."""

    document = None

    def egress(self, envelope, http_headers, operation, binding_options):
        if self.document is not None:
            for holder in envelope.iter("{http://wsdl.epuap.gov.pl/obiekty/ext/}Dokument"):
                holder.text = None
                holder.append(self.document)
        return envelope, http_headers


history = HistoryPlugin()
embed = EmbedAnyDocument()
client = Client(wsdl_url, wsse=signer, plugins=[history, embed], settings=Settings(strict=True))
BINDINGS = {
    "nadaj": "{http://ws.epuap.gov.pl/skrytka/}skrytkaBinding",
    "nadajAny": "{http://ws.epuap.gov.pl/skrytka/}skrytkaBinding",
    "dorecz": "{http://ws.epuap.gov.pl/doreczyciel/}doreczyciel",
}
service = client.create_service(BINDINGS.get(command, "{http://ws.epuap.gov.pl/pull/}pull"), service_url)
box = args[0]
_, office, name = box.split("/")
request = {"podmiot": office, "nazwaSkrytki": name, "adresSkrytki": box}


def headers(**values):
    """The routing fields as SOAP headers (by the WSDL's part names), as ePUAP's sending services take them."""
    part = lambda name: "podmiot" if name == "IdentyfikatorPodmiotu" else name[0].lower() + name[1:]
    return {part(name): value for name, value in values.items() if value is not None}


def reply_answer(answer):
    out = {"kod": answer.status.kod, "komunikat": answer.status.komunikat}
    for field in ("identyfikatorDokumentu", "identyfikatorUpp", "identyfikatorZlecenia"):
        if field in answer:
            out[field] = answer[field]
    if "zalacznik" in answer and answer.zalacznik is not None:
        out["zalacznik"] = base64.b64encode(answer.zalacznik.zawartosc).decode()
        out["zalacznikNazwa"] = answer.zalacznik.nazwaPliku
    return out


try:
    if command in ("nadaj", "dorecz"):
        path = args[1]
        content = open(path, "rb").read()
        extra = {}
        if command == "dorecz":
            extra = {
                "AdresOdpowiedzi": args[2],
                "IdentyfikatorDokumentu": args[3],
                "IdentyfikatorSprawy": args[4],
                "CzyProbne": len(args) > 5 and args[5] == "probne",
            }
        elif len(args) > 2:
            extra = {"AdresOdpowiedzi": args[2]}
        operation = service.dorecz if command == "dorecz" else service.nadaj
        answer = operation(
            nazwaPliku=path.split("/")[-1],
            typPliku="text/xml" if path.endswith(".xml") else "application/pdf",
            zawartosc=content,
            _soapheaders=headers(IdentyfikatorPodmiotu=args[2].split("/")[1] if command == "dorecz" else None, AdresSkrytki=box, **extra),
        )
        print(json.dumps(reply_answer(answer)))
    elif command == "nadajAny":
        embed.document = etree.parse(args[1]).getroot()
        answer = service.nadajAny(
            "-", _soapheaders=headers(AdresSkrytki=box, NazwaPliku=args[1].split("/")[-1])
        )
        print(json.dumps(reply_answer(answer)))
    elif command == "count":
        answer = service.oczekujaceDokumenty(**request)
        if len(args) > 1:
            with open(args[1], "wb") as sent:
                sent.write(etree.tostring(history.last_sent["envelope"]))
        print(json.dumps({"kod": answer.status.kod, "oczekujace": answer.oczekujace}))
    elif command == "pull":
        answer = service.pobierzNastepny(**request)
        out = {"kod": answer.status.kod, "komunikat": answer.status.komunikat}
        if answer.dokument is not None:
            content = answer.dokument.zawartosc
            out.update(
                {
                    "nazwaPliku": answer.dokument.nazwaPliku,
                    "typPliku": answer.dokument.typPliku,
                    "zawartosc": base64.b64encode(content).decode(),
                    "daneDodatkowe": answer.daneDodatkowe.decode(),
                    "dataNadania": answer.dataNadania.isoformat(),
                    "adresSkrytki": answer.adresSkrytki,
                    "nazwaSkrytki": answer.nazwaSkrytki,
                    "czyTestowe": answer.czyTestowe,
                    "typOsoby": answer.danePodmiotu.typOsoby,
                    "nazwiskoNazwa": answer.danePodmiotu.nazwiskoNazwa,
                    "zgoda": answer.danePodmiotu.zgoda,
                }
            )
        print(json.dumps(out))
    elif command == "ack":
        # A response of one element is handed back unwrapped: the status itself.
        status = service.potwierdzOdebranie(**request, skrot=args[1])
        print(json.dumps({"kod": status.kod, "komunikat": status.komunikat}))
except Fault as fault:
    detail = fault.detail
    ns = {"ob": "http://wsdl.epuap.gov.pl/obiekty/"}
    print(json.dumps({"fault": fault.message, "kod": detail.xpath("string(//ob:Wyjatek/kod)", namespaces=ns) if detail is not None else ""}))
