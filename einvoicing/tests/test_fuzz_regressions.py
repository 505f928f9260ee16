"""Inputs tools/fuzz.py found crashing: each is now a documented, clear refusal.

Each test reproduces one crash class (the exception it raised before the fix is named in
its docstring): the entry point must refuse with the core's own error, or the sandbox
with a JSON 4xx, never an AttributeError / zlib.error / OverflowError / HTTP 500.
"""

import io
from datetime import date

import pikepdf
import pytest
import requests
from _ereporting_samples import sample
from conftest import SELLER_CLIENT
from lxml import etree

from einvoicing.codes import code_number
from einvoicing.ereporting import build_report, parse_report, report_from_dict, validate_report
from einvoicing.facturx import FacturXError, embed, extract
from einvoicing.invoice import InvoiceError
from einvoicing.invoice.samples import sample_invoice
from einvoicing.lifecycle import LifecycleError, get_status
from einvoicing.lifecycle.cdar import CdarError, StatusMessage, build_cdar, parse_cdar
from einvoicing.syntax import to_cii, to_ubl
from einvoicing.syntax.read import parse_invoice_xml
from einvoicing.validation import validate
from einvoicing.webhook_signature import SignatureError, verify_afnor, verify_sandbox
from einvoicing.xmlutil import MAX_DEPTH, UnreadableInput, parse_xml

CDAR_205 = build_cdar(StatusMessage(205, "F202500003", date(2025, 7, 1), "100000009",
                                    "200000008", "buyer"))
RAM = "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100"


@pytest.fixture(scope="module")
def cii():
    return to_cii(sample_invoice())


def _edit_pdf(pdf, change):
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        change(doc)
        out = io.BytesIO()
        doc.save(out)
    return out.getvalue()


def _spec(doc):
    return doc.attachments["factur-x.xml"].obj


def test_cii_line_without_settlement_is_an_invoice_error(cii):
    """Was AttributeError: 'NoneType' object has no attribute 'xpath' (cii_read._line)."""
    root = etree.fromstring(cii)
    settlement = root.find(f".//{{{RAM}}}IncludedSupplyChainTradeLineItem"
                           f"/{{{RAM}}}SpecifiedLineTradeSettlement")
    settlement.getparent().remove(settlement)
    with pytest.raises(InvoiceError, match="no line settlement") as info:
        parse_invoice_xml(etree.tostring(root))
    assert info.value.code == "invoice_line_incomplete"


@pytest.mark.parametrize("change", [
    pytest.param(lambda doc: _spec(doc).__delitem__("/EF"), id="no-EF"),
    pytest.param(lambda doc: _spec(doc).EF.__setitem__("/F", pikepdf.Name.Nope), id="F-not-stream"),
    pytest.param(lambda doc: _spec(doc).EF.F.write(b"\x78\x9c\xff\xff garbage",
                                                  filter=pikepdf.Name.FlateDecode),
                 id="corrupt-flate"),
])
def test_damaged_factur_x_attachment_is_refused(cii, change):
    """Were AttributeError: /EF, PdfError (stream on a name) and zlib.error (facturx.extract)."""
    pdf = _edit_pdf(embed(cii), change)
    with pytest.raises(FacturXError, match="damaged") as info:
        extract(pdf)
    assert info.value.code == "pdf_attachment_damaged"
    with pytest.raises(FacturXError):
        validate(pdf)


def test_null_font_is_a_structure_finding(cii):
    """Was AttributeError: 'NoneType' object has no attribute 'get' (pdf_checks fonts)."""
    def null_font(doc):
        page = doc.pages[0].obj
        if "/Resources" not in page:
            page.Resources = pikepdf.Dictionary()
        if "/Font" not in page.Resources:
            page.Resources.Font = pikepdf.Dictionary()
        page.Resources.Font["/F99"] = pikepdf.Name.Placeholder

    # a reference to an object the file does not hold reads as null
    pdf = _edit_pdf(embed(cii), null_font).replace(b"/F99 /Placeholder", b"/F99 999 0 R")
    report = validate(pdf)
    rules = {f.rule_id: f for f in report.findings}
    assert rules["FX-PDF-STRUCTURE"].severity == "fatal"
    assert "font_findings" in rules["FX-PDF-STRUCTURE"].message


def _nested(xml, depth):
    root = etree.fromstring(xml)
    inner = root.find("ReportDocument")
    for _ in range(depth):
        inner = etree.SubElement(inner, "Id")
    return etree.tostring(root)


def test_xml_deeper_than_saxon_accepts_is_refused_by_every_reader():
    """Was SchematronError from Saxon ("depth of 101 exceeds the limit 100")."""
    report = build_report(report_from_dict(sample("10.3")))
    deep = _nested(report, MAX_DEPTH)
    for reader in (validate_report, parse_report, validate):
        with pytest.raises(UnreadableInput, match="more than 100 levels deep") as info:
            reader(deep)
        assert info.value.code == "xml_too_deep"
    assert parse_xml(b"<a>" * MAX_DEPTH + b"</a>" * MAX_DEPTH).tag == "a"


@pytest.mark.parametrize("stamp", [str(10**400), str(-(10**400))])
def test_huge_signature_timestamp_is_stale(stamp):
    """Was OverflowError: int too large to convert to float (webhook 503)."""
    with pytest.raises(SignatureError) as sandbox:
        verify_sandbox("key", f"t={stamp},v1={'0' * 64}", b"{}")
    assert sandbox.value.code == "signature_stale"
    with pytest.raises(SignatureError) as afnor:
        verify_afnor("key", "x", stamp, b"{}")
    assert afnor.value.code == "signature_stale"


def _token(sandbox):
    answer = requests.post(sandbox.token_url, data={
        "grant_type": "client_credentials", "client_id": SELLER_CLIENT[0],
        "client_secret": SELLER_CLIENT[1]}, timeout=30)
    return answer.json()["access_token"]


@pytest.mark.parametrize("body", [b"[]", b"3", b"null", b'"login"'])
def test_sandbox_json_body_not_an_object_is_400(sandbox, body):
    """Was HTTP 500 (AttributeError: 'list' object has no attribute 'get', A-Cube login)."""
    answer = requests.post(f"{sandbox.url}/acube/login", data=body,
                           headers={"Content-Type": "application/json"}, timeout=30)
    assert answer.status_code == 400, answer.text
    assert "send a JSON object" in answer.json()["detail"]
    answer = requests.post(f"{sandbox.flow_url}/v1/flows/search", data=body, timeout=30,
                           headers={"Content-Type": "application/json",
                                    "Authorization": f"Bearer {_token(sandbox)}"})
    assert answer.status_code == 400, answer.text
    assert answer.json()["errorCode"] == "INVALID_JSON"


@pytest.mark.parametrize("path", ["/qonto/v2/client_invoices?page=abc",
                                  "/qonto/v2/supplier_invoices?per_page=%C2%B2",
                                  "/acube/invoices?page=1.5",
                                  f"/acube/invoices?itemsPerPage={'9' * 5000}"])
def test_sandbox_page_argument_not_an_integer_is_400(sandbox, path):
    """Was HTTP 500 (ValueError: invalid literal for int(), Qonto / A-Cube lists)."""
    answer = requests.get(sandbox.url + path, timeout=30,
                          headers={"Authorization": f"Bearer {_token(sandbox)}"})
    assert answer.status_code == 400, answer.text
    assert "expected an integer" in answer.text


@pytest.mark.parametrize("code", ["1" * 5000, "\u00b2\u00b9\u00b2", "212" + "0" * 4400])
def test_cdar_status_code_of_odd_digits_is_unknown(code):
    """Was ValueError: Exceeds the limit (4300 digits) for integer string conversion."""
    xml = CDAR_205.replace(b">205<", f">{code}<".encode(), 1)
    with pytest.raises(CdarError) as info:
        parse_cdar(xml)
    assert info.value.code == "cdar_status_unknown"
    with pytest.raises(LifecycleError):
        get_status(code)
    assert code_number(code) is None and code_number(" 212 ") == 212


@pytest.mark.parametrize("syntax, value", [("cii", "9" * 400), ("ubl", "1e999999"),
                                           ("cii", "-99999999999999999999.999")])
def test_vat_rate_out_of_range_is_an_invoice_error(syntax, value):
    """Was decimal.InvalidOperation (totals.vat_key rounding a 400-digit rate to the cent)."""
    xml = (to_cii if syntax == "cii" else to_ubl)(sample_invoice())
    tag = b"RateApplicablePercent>" if syntax == "cii" else b"Percent>"
    head, _, tail = xml.partition(tag)
    xml = head + tag + value.encode() + tail[tail.index(b"<"):]
    with pytest.raises(InvoiceError, match="out of range") as info:
        parse_invoice_xml(xml)
    assert info.value.code == "invoice_bad_decimal"
