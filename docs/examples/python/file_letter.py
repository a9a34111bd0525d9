#!/usr/bin/env python3
"""File a letter into an office's submission box and save its official receipt (UPP).

Standard library only (Python 3.8+). The token (scope "submit") comes from the environment,
never from the command line, where other users of the machine could see it:

    export URZAD_URL=https://urzad.example.gov.pl
    export URZAD_TOKEN=uo_...
    python3 file_letter.py umczestochowa skrytka wniosek.pdf --title "Wniosek" --receipt upp.xml

Prints the document's id, the receipt's id and the time of receipt; writes the receipt's XML
(sealed with XAdES) to --receipt. A refused request prints the problem's detail and each
field's message and exits with 1.
"""
import argparse
import json
import mimetypes
import os
import sys
import urllib.error
import urllib.parse
import urllib.request
import uuid


def multipart(fields, files):
    """A multipart/form-data body: fields are (name, text), files are (name, filename, type, bytes)."""
    boundary = "----urzad-" + uuid.uuid4().hex
    parts = []
    for name, value in fields:
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'.encode()
            + value.encode("utf-8")
            + b"\r\n"
        )
    for name, filename, media_type, data in files:
        # The file name goes in as UTF-8; quotes and line breaks cannot be part of it.
        safe = filename.replace('"', "'").replace("\r", " ").replace("\n", " ")
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{safe}"\r\n'
            f"Content-Type: {media_type}\r\n\r\n".encode("utf-8")
            + data
            + b"\r\n"
        )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def call(request):
    """Sends a request; on an error answer, prints its problem details and exits with 1."""
    try:
        with urllib.request.urlopen(request, timeout=120) as response:
            return response.headers, response.read()
    except urllib.error.HTTPError as error:
        body = error.read()
        try:
            problem = json.loads(body)
            print(f"HTTP {error.code} {problem.get('code')}: {problem.get('detail')}", file=sys.stderr)
            for item in problem.get("errors", []):
                print(f"  {item.get('field')}: {item.get('message')}", file=sys.stderr)
        except ValueError:
            print(f"HTTP {error.code}", file=sys.stderr)
        sys.exit(1)


def main():
    parser = argparse.ArgumentParser(description="File a letter and save its receipt.")
    parser.add_argument("office", help="office id, e.g. umczestochowa")
    parser.add_argument("box", help="box name, e.g. skrytka")
    parser.add_argument("document", help="the main document (PDF, XML, ...)")
    parser.add_argument("--attachment", action="append", default=[], help="an attachment (repeatable)")
    parser.add_argument("--title", help="title of the letter")
    parser.add_argument("--receipt", default="receipt.xml", help="where to write the receipt (XML)")
    parser.add_argument(
        "--idempotency-key",
        default=str(uuid.uuid4()),
        help="send the same key again to retry safely: the same document and receipt come back",
    )
    args = parser.parse_args()
    base = os.environ.get("URZAD_URL", "http://localhost:3000").rstrip("/")
    token = os.environ.get("URZAD_TOKEN")
    if not token:
        parser.error("set URZAD_TOKEN to an integration token of scope submit")

    def file_part(field, path):
        with open(path, "rb") as handle:
            data = handle.read()
        media_type = mimetypes.guess_type(path)[0] or "application/octet-stream"
        return (field, os.path.basename(path), media_type, data)

    fields = [("title", args.title)] if args.title else []
    files = [file_part("document", args.document)] + [file_part("attachment", a) for a in args.attachment]
    body, content_type = multipart(fields, files)
    auth = {"Authorization": f"Bearer {token}", "Accept": "application/json"}
    path = f"/api/v1/boxes/{urllib.parse.quote(args.office, safe='')}/{urllib.parse.quote(args.box, safe='')}/documents"
    headers, answer = call(
        urllib.request.Request(
            base + path,
            data=body,
            method="POST",
            headers={**auth, "Content-Type": content_type, "Idempotency-Key": args.idempotency_key},
        )
    )
    filed = json.loads(answer)
    receipt_path = f"/api/v1/receipts/{urllib.parse.quote(filed['receiptId'], safe='')}?format=xml"
    _, receipt = call(urllib.request.Request(base + receipt_path, headers={"Authorization": f"Bearer {token}"}))
    with open(args.receipt, "wb") as handle:
        handle.write(receipt)
    print(json.dumps({**filed, "replayed": headers.get("idempotent-replayed") == "true", "receipt": args.receipt}))


if __name__ == "__main__":
    main()
