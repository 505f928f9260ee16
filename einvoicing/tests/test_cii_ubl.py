"""UBL 2.1 Invoice / CreditNote -> model, and detection by parse_invoice_xml."""

from pathlib import Path

import pytest
from _official_rules import findings

from einvoicing.invoice import InvoiceError
from einvoicing.invoice.samples import sample_credit_note, sample_invoice
from einvoicing.syntax import from_ubl, parse_invoice_xml, to_cii
from einvoicing.validation import validate_ubl
from einvoicing.xmlutil import UnreadableInput

DATA = Path(__file__).parent / "data"
CASES = [("invoice_fr_b2b_ubl.xml", sample_invoice), ("credit_note_fr_b2b_ubl.xml",
                                                      sample_credit_note)]


@pytest.mark.parametrize(("name", "make"), CASES)
def test_ubl_fixture_passes_the_official_ubl_rules(name, make):
    report = validate_ubl((DATA / name).read_bytes())
    assert [(f.rule_id, f.message) for f in report.findings] == []


@pytest.mark.parametrize(("name", "make"), CASES)
def test_ubl_reads_the_same_invoice_as_the_sample(name, make):
    inv = parse_invoice_xml((DATA / name).read_bytes())
    expected = make()
    assert inv.declared_totals == expected.totals() == inv.totals()
    for field in ("number", "issue_date", "due_date", "type_code", "currency",
                  "business_process", "seller", "buyer", "notes", "payment",
                  "preceding_invoice", "delivery_date", "delivery_address", "purchase_order"):
        assert getattr(inv, field) == getattr(expected, field), field
    assert [(x.id, x.quantity, x.unit_code, x.unit_price, x.vat_rate) for x in inv.lines] == [
        (x.id, x.quantity, x.unit_code, x.unit_price, x.vat_rate) for x in expected.lines]


@pytest.mark.parametrize(("name", "make"), CASES)
def test_ubl_converted_to_cii_passes_all_cii_rules(name, make):
    inv = from_ubl((DATA / name).read_bytes())
    assert inv.problems() == []
    assert findings(to_cii(inv)) == []


def test_vat_on_debits_code_is_translated():
    data = (DATA / "invoice_fr_b2b_ubl.xml").read_bytes().replace(
        b"<cbc:DocumentCurrencyCode>", b"<cac:InvoicePeriod><cbc:DescriptionCode>3"
        b"</cbc:DescriptionCode></cac:InvoicePeriod><cbc:DocumentCurrencyCode>", 1)
    assert from_ubl(data).vat_on_debits


def test_ubl_missing_note_is_seen_by_model_and_rules():
    data = (DATA / "invoice_fr_b2b_ubl.xml").read_bytes()
    start = data.index(b"<cbc:Note>#PMD#")
    broken = data[:start] + data[data.index(b"</cbc:Note>", start) + 11:]
    assert {p.rule for p in from_ubl(broken).problems()} == {"BR-FR-05"}
    rules = {f.rule_id for f in validate_ubl(broken).findings}
    assert any(rule.startswith("BR-FR-05") for rule in rules), rules


def test_unknown_root_and_hostile_xml():
    with pytest.raises(InvoiceError, match="expected a CII CrossIndustryInvoice"):
        parse_invoice_xml(b"<Order xmlns='urn:x'/>")
    bomb = (b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]>'
            b"<Invoice>&a;</Invoice>")
    with pytest.raises(UnreadableInput):
        parse_invoice_xml(bomb)
