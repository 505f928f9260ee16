"""Hostile input: clear UnreadableInput errors, never a crash, never a file or network access."""

import http.server
import io
import threading

import pikepdf
import pytest
from test_xmlutil import BOMB

from einvoicing.facturx import FacturXError, embed, extract
from einvoicing.invoice.samples import sample_invoice
from einvoicing.syntax import to_cii
from einvoicing.validation import validate
from einvoicing.xmlutil import UnreadableInput


@pytest.fixture
def trap_server():
    """A loopback HTTP server that records every request it gets."""
    hits = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            hits.append(self.path)
            self.send_response(200)
            self.end_headers()
            self.wfile.write(b"<!ENTITY leak 'LEAKED'>")

        def log_message(self, *args):
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}", hits
    server.shutdown()
    server.server_close()


def _pdf_with_attachment(name=None, data=None):
    pdf = pikepdf.new()
    pdf.add_blank_page()
    if name:
        pdf.attachments[name] = pikepdf.AttachedFileSpec(pdf, data, mime_type="text/xml")
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


def _xxe_documents(url, secret_path):
    cii = "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100"
    return [
        f'<!DOCTYPE r [<!ENTITY e SYSTEM "file://{secret_path}">]><r xmlns="{cii}">&e;</r>',
        f'<!DOCTYPE r [<!ENTITY e SYSTEM "{url}/entity">]><r>&e;</r>',
        f'<!DOCTYPE r SYSTEM "{url}/external.dtd"><r>&leak;</r>',
        f'<!DOCTYPE r [<!ENTITY % p SYSTEM "{url}/param.dtd"> %p;]><r>&leak;</r>',
        f'<?xml version="1.0"?>\n<!DOCTYPE r [<!ENTITY e SYSTEM "{url}/x">]>'
        f'<rsm:CrossIndustryInvoice xmlns:rsm="{cii}">&e;</rsm:CrossIndustryInvoice>',
    ]


def test_external_entities_never_fetched(trap_server, tmp_path):
    url, hits = trap_server
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-VALUE")
    for doc in _xxe_documents(url, secret):
        with pytest.raises(UnreadableInput) as info:
            validate(doc.encode())
        assert info.value.code == "xml_doctype_forbidden"
        assert "TOP-SECRET-VALUE" not in str(info.value)
        # The same XML hidden inside a Factur-X PDF.
        with pytest.raises(UnreadableInput) as info:
            validate(_pdf_with_attachment("factur-x.xml", doc.encode()))
        assert info.value.code == "xml_doctype_forbidden"
    assert hits == [], "the validator made a network request"


def test_xinclude_not_processed(trap_server):
    url, hits = trap_server
    xml = to_cii(sample_invoice()).replace(
        b"<rsm:ExchangedDocument>",
        f'<xi:include xmlns:xi="http://www.w3.org/2001/XInclude" href="{url}/inc"/>'
        "<rsm:ExchangedDocument>".encode(), 1)
    report = validate(xml)
    assert not report.valid, "an unknown element must be an XSD error"
    assert hits == []


def test_billion_laughs_xml_and_in_pdf():
    with pytest.raises(UnreadableInput, match="DOCTYPE"):
        validate(BOMB)
    with pytest.raises(UnreadableInput, match="DOCTYPE"):
        validate(_pdf_with_attachment("factur-x.xml", BOMB))


def test_not_a_pdf_nor_xml():
    with pytest.raises(UnreadableInput) as info:
        validate(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 10, filename="photo.png")
    assert info.value.code == "unknown_file_type"
    assert "photo.png" in str(info.value)


def test_damaged_pdf():
    with pytest.raises(UnreadableInput):
        validate(b"%PDF-1.7\n1 0 obj << /Type /Catalog >> garbage \x00\xff" * 20)


def test_pdf_without_xml():
    with pytest.raises(FacturXError) as info:
        validate(_pdf_with_attachment(), filename="plain.pdf")
    assert info.value.code == "pdf_without_xml"
    assert "factur-x.xml" in str(info.value)
    with pytest.raises(FacturXError, match="notes.txt"):
        extract(_pdf_with_attachment("notes.txt", b"hello"))


def test_unknown_xml_root():
    with pytest.raises(UnreadableInput) as info:
        validate(b"<html><body>hi</body></html>")
    assert info.value.code == "unknown_document_kind"
    assert "'html'" in str(info.value)


def test_fifty_megabytes_refused_without_parsing():
    data = b"<a>" + b"x" * (50 * 1024 * 1024) + b"</a>"
    with pytest.raises(UnreadableInput) as info:
        validate(data, filename="huge.xml")
    assert info.value.code == "input_too_large"
    assert "52,428,807 bytes" in str(info.value)


def test_compressed_xml_bomb_in_pdf_is_capped():
    """A small PDF whose attachment inflates past the limit is refused while inflating."""
    big = b"<a>" + b" " * 3_000_000 + b"</a>"
    pdf = _pdf_with_attachment("factur-x.xml", big)
    assert len(pdf) < 100_000
    with pytest.raises(UnreadableInput) as info:
        extract(pdf, max_bytes=1_000_000)
    assert info.value.code == "input_too_large"


def test_embed_refuses_non_pdf_base():
    with pytest.raises(FacturXError) as info:
        embed(to_cii(sample_invoice()), pdf=b"not a pdf at all")
    assert info.value.code == "not_a_pdf"
