"""An EZD connector for the tests: Debian's python3-zeep with python3-xmlsec.

Usage: ezd_client.py WSDL_URL SERVICE_URL KEY.pem CERT.pem OFFICE_SEAL.pem,PLATFORM_SEAL.pem COMMAND [ARG]
Commands: count BOX_ADDRESS [SAVE_SENT_TO] | pull BOX_ADDRESS | ack BOX_ADDRESS SKROT | raw FILE (post a file as is).
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
from zeep.plugins import HistoryPlugin
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

history = HistoryPlugin()
client = Client(wsdl_url, wsse=signer, plugins=[history], settings=Settings(strict=True))
service = client.create_service("{http://ws.epuap.gov.pl/pull/}pull", service_url)
box = args[0]
_, office, name = box.split("/")
request = {"podmiot": office, "nazwaSkrytki": name, "adresSkrytki": box}

try:
    if command == "count":
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
