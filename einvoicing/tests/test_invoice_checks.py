"""Model-level rules: broken invoices are refused with the official rule ids."""

import dataclasses
from decimal import Decimal

import pytest

from einvoicing.invoice import InvoiceError, Line, Note
from einvoicing.invoice.samples import sample_credit_note, sample_invoice
from einvoicing.syntax import from_cii, to_cii

D = Decimal


def _rules(inv):
    return {p.rule for p in inv.problems()}


def test_sample_documents_are_valid():
    assert sample_invoice().problems() == []
    assert sample_credit_note().problems() == []


def test_missing_seller_siren_is_br_fr_10():
    inv = sample_invoice()
    inv.seller.siren = None
    assert "BR-FR-10" in _rules(inv)
    with pytest.raises(InvoiceError) as err:
        inv.check()
    assert "BR-FR-10" in err.value.params["rules"]
    assert "seller.siren" in str(err.value)


def test_siret_not_starting_with_siren_is_br_fr_09():
    inv = sample_invoice()
    inv.seller.siret = "98765432400019"
    problems = [p for p in inv.problems() if p.rule == "BR-FR-09"]
    assert problems and problems[0].field == "seller.siret"
    assert "98765432400019" in problems[0].message


def test_bad_currency():
    inv = sample_invoice(currency="EUROS")
    assert "BR-CL-04" in _rules(inv)


def test_foreign_currency_needs_vat_total_in_eur():
    inv = sample_invoice(currency="USD")
    assert _rules(inv) == {"BR-FR-CO-12"}
    inv.tax_total_accounting = D("52.10")
    assert inv.problems() == []


@pytest.mark.parametrize("subject", ["PMT", "PMD", "AAB"])
def test_missing_legal_note_is_br_fr_05(subject):
    inv = sample_invoice()
    inv.notes = [n for n in inv.notes if n.subject_code != subject]
    problems = inv.problems()
    assert [p.rule for p in problems] == ["BR-FR-05"]
    assert subject in problems[0].message


def test_duplicated_note_is_br_fr_06():
    inv = sample_invoice()
    inv.notes.append(Note("Pénalités : 10 %", "PMD"))
    assert _rules(inv) == {"BR-FR-06"}


def test_billing_framework_required_and_checked():
    assert "BR-FR-08" in _rules(sample_invoice(business_process=None))
    assert "BR-FR-08" in _rules(sample_invoice(business_process="X1"))


def test_credit_note_needs_preceding_invoice():
    credit = sample_credit_note()
    credit.preceding_invoice = None
    assert "BR-FR-CO-05" in _rules(credit)
    assert "BR-FR-CO-04" in _rules(sample_invoice(type_code="384"))


def test_document_type_outside_french_list():
    assert "BR-FR-04" in _rules(sample_invoice(type_code="325"))


def test_invoice_number_format():
    assert {"BR-FR-02"} <= _rules(sample_invoice(number="FA 2025/1"))


def test_b2b_buyer_address_must_start_with_buyer_siren():
    inv = sample_invoice()
    inv.buyer.electronic_address = "123456782"
    assert "BR-FR-21" in _rules(inv)


def test_vat_rate_given_as_fraction_gets_a_hint():
    inv = sample_invoice()
    inv.lines[0].vat_rate = D("0.2")
    problem = next(p for p in inv.problems() if p.rule == "BR-FR-16")
    assert "percentages" in problem.message and problem.field == "lines[0].vat_rate"


def test_exempt_line_needs_reason():
    inv = sample_invoice()
    inv.lines.append(Line(id="4", name="Formation", quantity=D("1"), unit_price=D("100"),
                          vat_category="E", vat_rate=D("0")))
    assert "BR-E-10" in _rules(inv)
    inv.lines[-1].exemption_reason = "Exonération de TVA, article 261-4-4° du CGI"
    assert inv.problems() == []


def test_credit_transfer_needs_valid_iban():
    inv = sample_invoice()
    inv.payment.iban = "FR7630006000011234567890100"
    assert "BR-61" in _rules(inv)


def test_wrong_declared_totals_are_reported_with_br_co_ids():
    xml = to_cii(sample_invoice())
    tampered = xml.replace(b"<ram:GrandTotalAmount>431.71<", b"<ram:GrandTotalAmount>431.17<")
    tampered = tampered.replace(b"<ram:LineTotalAmount>375.10<",
                                b"<ram:LineTotalAmount>357.10<")
    inv = from_cii(tampered)
    rules = {p.rule for p in inv.problems()}
    assert {"BR-CO-10", "BR-CO-15"} <= rules
    message = next(p.message for p in inv.problems() if p.rule == "BR-CO-15")
    assert "431.17" in message and "431.71" in message


def test_to_cii_refuses_an_invalid_invoice():
    inv = sample_invoice()
    inv.buyer = dataclasses.replace(inv.buyer, electronic_address=None)
    with pytest.raises(InvoiceError) as err:
        to_cii(inv)
    assert "BR-FR-12" in err.value.params["rules"]
