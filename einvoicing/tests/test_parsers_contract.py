"""The core's readers refuse bad input only with their documented errors (hypothesis).

A small, deterministic cousin of tools/fuzz.py (``derandomize=True``, 100 examples per
reader): random bytes and seeds mutated at byte and element level. Documented errors:
``parse_cdar`` CdarError; ``parse_invoice_xml`` the core's EInvoicingError;
``parse_report`` EReportError / UnreadableInput; ``facturx.extract`` FacturXError /
UnreadableInput; webhook signature checks SignatureError. Each refusal says something.
"""

import io
from datetime import date, datetime, timezone

import pikepdf
import pytest
from _ereporting_samples import SAMPLES
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from einvoicing.ereporting import EReportError, build_report, parse_report, report_from_dict
from einvoicing.errors import EInvoicingError
from einvoicing.facturx import FacturXError, embed, extract
from einvoicing.invoice.samples import sample_credit_note, sample_invoice
from einvoicing.lifecycle.cdar import CdarError, StatusMessage, build_cdar, parse_cdar
from einvoicing.syntax import to_cii, to_ubl
from einvoicing.syntax.read import parse_invoice_xml
from einvoicing.webhook_signature import SignatureError, verify_afnor, verify_sandbox
from einvoicing.xmlutil import UnreadableInput

AT = datetime(2025, 7, 30, 10, 0, 5, tzinfo=timezone.utc)
CDAR = [build_cdar(StatusMessage(code, "F202500003", date(2025, 7, 1), "100000009",
                                 "200000008", role, issued_at=AT, reason_code=reason))
        for code, role, reason in [(200, "platform", None), (210, "buyer", "DOUBLON")]]
INVOICES = [to_cii(sample_invoice()), to_ubl(sample_invoice()), to_cii(sample_credit_note())]
REPORTS = [build_report(report_from_dict(SAMPLES[name])) for name in ("10.1-sales", "10.4")]
PDFS = [embed(INVOICES[0])]

SETTINGS = settings(max_examples=100, derandomize=True, deadline=None, database=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
EDIT = st.tuples(st.integers(0, 5), st.integers(0, 2**31), st.binary(max_size=12))


def _edit_xml(data, op, where, chunk):
    try:
        root = etree.fromstring(data)
    except etree.XMLSyntaxError:
        return data
    elements = [e for e in root.iter() if isinstance(e.tag, str)]
    node = elements[where % len(elements)]
    if op == 3 and node.getparent() is not None:
        node.getparent().remove(node)
    elif op == 4 and node.getparent() is not None:
        node.getparent().append(node.__copy__())
    else:
        node.text = chunk.decode("latin-1").translate(dict.fromkeys(range(32)))
    return etree.tostring(root)


def _edit(data, op, where, chunk):
    position = where % (len(data) + 1)
    if op == 0:
        return data[:position] + chunk + data[position:]
    if op == 1:
        return data[:position] + data[position + len(chunk) + 1:]
    if op == 2:
        return data[:position]
    return _edit_xml(data, op, where, chunk)


def mutated(seeds):
    @st.composite
    def build(draw):
        data = draw(st.sampled_from(seeds))
        for op, where, chunk in draw(st.lists(EDIT, max_size=4)):
            data = _edit(data, op, where, chunk)
        return data
    return st.one_of(st.binary(max_size=300), build())


def _only(function, data, allowed):
    try:
        function(data)
    except allowed as exc:
        assert str(exc).strip(), f"{type(exc).__name__} without a message"


@SETTINGS
@given(mutated(CDAR))
def test_parse_cdar_refuses_only_with_cdar_error(data):
    _only(parse_cdar, data, CdarError)


@SETTINGS
@given(mutated(INVOICES))
def test_parse_invoice_xml_refuses_only_with_core_errors(data):
    _only(parse_invoice_xml, data, EInvoicingError)


@SETTINGS
@given(mutated(REPORTS))
def test_parse_report_refuses_only_with_its_errors(data):
    _only(parse_report, data, (EReportError, UnreadableInput))


def _pdf_with(xml):
    with pikepdf.open(io.BytesIO(PDFS[0])) as doc:
        doc.attachments["factur-x.xml"] = pikepdf.AttachedFileSpec(doc, xml)
        out = io.BytesIO()
        doc.save(out)
    return out.getvalue()


@SETTINGS
@given(st.one_of(mutated(PDFS), mutated(INVOICES).map(_pdf_with)))
def test_extract_refuses_only_with_its_errors(data):
    _only(extract, data, (FacturXError, UnreadableInput))


STAMPS = st.one_of(st.integers(), st.integers(10**300, 10**400), st.integers(-(10**400), 0))
HEADERS = st.one_of(st.text(max_size=120), st.builds(
    "t={},v1={}".format, STAMPS, st.text("0123456789abcdef", min_size=64, max_size=64)))


@SETTINGS
@given(HEADERS, st.one_of(st.text(max_size=40), STAMPS.map(str)), st.binary(max_size=40))
def test_signature_checks_refuse_only_with_signature_error(header, stamp, body):
    _only(lambda b: verify_sandbox("key", header, b), body, SignatureError)
    _only(lambda b: verify_afnor("key", header, stamp, b), body, SignatureError)


@pytest.mark.parametrize("seeds, reader", [(CDAR, parse_cdar), (INVOICES, parse_invoice_xml),
                                           (REPORTS, parse_report), (PDFS, extract)])
def test_the_seeds_themselves_are_read(seeds, reader):
    for seed in seeds:
        assert reader(seed) is not None
