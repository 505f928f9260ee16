"""to_ubl: every invoice scenario written as UBL 2.1 passes the UBL XSD, the CEN
EN16931-UBL and the BR-FR Flux 2 UBL rules (no failed-assert), and reads back as the
same invoice; the same scenarios in CII give the same findings (none)."""

import pytest
from _invoice_scenarios import SCENARIOS
from _official_rules import findings

from einvoicing.invoice.samples import sample_credit_note, sample_invoice
from einvoicing.syntax import from_ubl, to_cii, to_ubl
from einvoicing.validation import validate_ubl
from einvoicing.validation.validator import BR_FR_UBL, EN16931_UBL

CASES = {**SCENARIOS, "sample_invoice": sample_invoice, "sample_credit_note": sample_credit_note}


def ubl_findings(xml):
    report = validate_ubl(xml)
    return [(f.rule_id, f.source, f.message) for f in report.findings
            if f.severity in ("fatal", "warning")]


def test_ubl_rules_are_available():
    assert EN16931_UBL.available() and BR_FR_UBL.available()


@pytest.mark.parametrize("name", sorted(CASES))
def test_ubl_passes_the_official_rules_like_cii(name):
    invoice = CASES[name]()
    assert ubl_findings(to_ubl(invoice)) == []
    assert findings(to_cii(invoice)) == []


@pytest.mark.parametrize("name", sorted(CASES))
def test_ubl_reads_back_as_the_same_invoice(name):
    invoice = CASES[name]()
    again = from_ubl(to_ubl(invoice))
    assert to_cii(again) == to_cii(invoice)
    assert again.declared_totals == invoice.totals()


def test_credit_note_is_a_ubl_credit_note():
    xml = to_ubl(sample_credit_note())
    assert b"<CreditNote " in xml and b"<cbc:CreditNoteTypeCode>381<" in xml


def test_vat_due_date_written_in_untdid_2005():
    invoice = sample_invoice()
    for cii_code, ubl_code in (("5", "3"), ("29", "35"), ("72", "432")):
        invoice.vat_due_date_code = cii_code
        xml = to_ubl(invoice)
        assert f"<cbc:DescriptionCode>{ubl_code}</cbc:DescriptionCode>".encode() in xml
        assert from_ubl(xml).vat_due_date_code == cii_code
