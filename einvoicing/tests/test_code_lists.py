"""Every code list of :mod:`einvoicing.codes` against the official lists shipped with the
schematrons: the Factur-X codedb (FNFE), the CEN EN16931 CII / UBL rules (BR-CL-*) and the
French BR-FR Flux 2 rules. A code the model accepts must be one the rules accept."""

import re
from decimal import Decimal

import pytest
from lxml import etree

from einvoicing import codes
from einvoicing.invoice.samples import sample_invoice
from einvoicing.standards import STANDARDS_DIR
from einvoicing.syntax import from_cii, from_ubl, to_cii
from einvoicing.validation.rulesets import SCHEMATRONS

CODEDB = STANDARDS_DIR / "factur-x/FACTUR-X_EN16931_codedb.xml"
FACTURX = STANDARDS_DIR / "factur-x/FACTUR-X_EN16931.xslt"
CEN_CII = STANDARDS_DIR / "cii/EN16931-CII-validation.xslt"
BR_FR_CII = STANDARDS_DIR / "cii/BR-FR-Flux2-Schematron-CII.xslt"


def _codedb_list_of(element):
    """Values of the codedb list the Factur-X schematron checks ``element`` against."""
    text = FACTURX.read_text(encoding="utf-8")
    for template in text.split('<xsl:template match="')[1:]:
        if template.split('"', 1)[0].endswith(element):
            ids = set(re.findall(r"cl\[@id=(\d+)\]", template))
            assert len(ids) == 1, (element, ids)
            db = etree.parse(str(CODEDB))
            return {e.get("value") for e in db.find(f"cl[@id='{ids.pop()}']")}
    raise AssertionError(f"no Factur-X rule for {element}")


def _cen_list(path, rule):
    """Codes of a CEN ``contains(' a b c ', ...)`` assert, found by its rule id."""
    text = path.read_text(encoding="utf-8")
    end = text.index(f"[{rule}]")
    test = text.rfind('test="', 0, end)
    return set(re.search(r"contains\('([^']+)'", text[test:end]).group(1).split())


def _br_fr_values(variable):
    """Values of a BR-FR function's variable (space-separated string or sequence)."""
    text = BR_FR_CII.read_text(encoding="utf-8")
    block = re.search(rf'name="{re.escape(variable)}"[^>]*select="([^"]+)"', text).group(1)
    if block.lstrip().startswith("("):
        return set(re.findall(r"'([^']*)'", block))
    return set(block.strip("'").split())


def test_document_types_are_the_br_fr_04_list_and_in_untdid_1001():
    assert set(codes.DOCUMENT_TYPES) == _br_fr_values("custom:document-type-codes")
    assert set(codes.DOCUMENT_TYPES) <= _codedb_list_of("rsm:ExchangedDocument/ram:TypeCode")
    for subset in (codes.CREDIT_NOTE_TYPES, codes.CORRECTED_TYPES, codes.NEEDS_PRECEDING,
                   codes.SELF_BILLED_TYPES, codes.PREPAYMENT_TYPES):
        assert subset <= set(codes.DOCUMENT_TYPES)


def test_business_processes_are_the_br_fr_08_list():
    assert set(codes.BUSINESS_PROCESSES) == _br_fr_values("custom:billing-modes")
    assert set(
        codes.BUSINESS_PROCESSES) >= codes.ALREADY_PAID_PROCESSES | codes.UNSUPPORTED_PROCESSES


def test_vat_categories_are_br_fr_15_and_untdid_5305():
    assert set(codes.VAT_CATEGORIES) == _br_fr_values("validCodes")
    assert set(codes.VAT_CATEGORIES) <= _codedb_list_of("ram:ApplicableTradeTax/ram:CategoryCode")
    assert set(codes.VAT_CATEGORIES) <= _cen_list(CEN_CII, "BR-CL-17")
    assert set(codes.VAT_CATEGORIES) >= codes.ZERO_RATE_CATEGORIES | codes.NEEDS_EXEMPTION_REASON


def test_french_vat_rates_are_br_fr_16():
    official = {Decimal(r) for r in _br_fr_values("validRates")}
    assert official == codes.FRENCH_VAT_RATES


def test_note_subjects_and_bar_treatments():
    subjects = _codedb_list_of("rsm:ExchangedDocument/ram:IncludedNote/ram:SubjectCode")
    assert set(codes.UNIQUE_NOTE_SUBJECTS) | set(codes.MANDATORY_NOTE_SUBJECTS) <= subjects
    text = BR_FR_CII.read_text(encoding="utf-8")
    bar = re.search(r"\$value = \(([^)]*)\)", text).group(1)
    assert set(codes.BAR_TREATMENTS) == set(re.findall(r"'([^']*)'", bar))


def test_vat_due_date_codes_are_untdid_2475_in_cii():
    assert set(codes.VAT_DUE_DATE_CODES) == _codedb_list_of(
        "ram:ApplicableTradeTax/ram:DueDateTypeCode")
    assert set(codes.VAT_DUE_DATE_CODES) == _cen_list(CEN_CII, "BR-CL-06")


def test_vat_due_date_codes_map_to_untdid_2005_in_ubl():
    """UNTDID 2475 (CII) 5 invoice date, 29 delivery date, 72 paid to date are written in
    UBL (UNTDID 2005) as 3, 35 and 432 (the CEN binding of BT-8)."""
    assert codes.VAT_DUE_DATE_UBL == {"5": "3", "29": "35", "72": "432"}
    assert "delivery" in codes.VAT_DUE_DATE_CODES["29"].lower()
    assert "paid" in codes.VAT_DUE_DATE_CODES["72"].lower()
    if "en16931-ubl" in SCHEMATRONS and SCHEMATRONS["en16931-ubl"].is_file():
        assert set(codes.VAT_DUE_DATE_UBL.values()) == _cen_list(
            SCHEMATRONS["en16931-ubl"], "BR-CL-06")


@pytest.mark.parametrize(("ubl", "cii"), [("3", "5"), ("35", "29"), ("432", "72")])
def test_ubl_bt8_is_read_with_its_meaning(ubl, cii):
    data = (STANDARDS_DIR.parent / "tests/data/invoice_fr_b2b_ubl.xml").read_bytes().replace(
        b"<cbc:DocumentCurrencyCode>", b"<cac:InvoicePeriod><cbc:DescriptionCode>"
        + ubl.encode() + b"</cbc:DescriptionCode></cac:InvoicePeriod><cbc:DocumentCurrencyCode>",
        1)
    assert from_ubl(data).vat_due_date_code == cii


def test_cii_bt8_round_trips():
    inv = sample_invoice()
    inv.vat_due_date_code = codes.VAT_ON_RECEIPTS
    assert from_cii(to_cii(inv)).vat_due_date_code == "72"


def test_payment_means_are_untdid_4461():
    official = _codedb_list_of(
        "ram:SpecifiedTradeSettlementPaymentMeans/ram:TypeCode") | _cen_list(CEN_CII, "BR-CL-16")
    assert set(codes.PAYMENT_MEANS) <= official
    assert set(codes.PAYMENT_MEANS) >= codes.TRANSFER_MEANS | codes.DIRECT_DEBIT_MEANS


def test_units_are_rec_20_and_21():
    official = _codedb_list_of("ram:SpecifiedLineTradeDelivery/ram:BilledQuantity")
    assert set(codes.UNIT_NAMES.values()) - official == set()


def test_currencies_and_countries_are_accepted_by_every_rule_set():
    currency = _codedb_list_of("ram:ApplicableHeaderTradeSettlement/ram:InvoiceCurrencyCode")
    assert codes.currencies() <= currency & _cen_list(CEN_CII, "BR-CL-04")
    assert {"EUR", "USD", "GBP", "CHF", "XPF"} <= codes.currencies()
    country = _codedb_list_of("ram:BuyerTradeParty/ram:PostalTradeAddress/ram:CountryID")
    assert codes.countries() <= country & _cen_list(CEN_CII, "BR-CL-14")
    assert {"FR", "DE", "BE", "GP", "RE", "NC"} <= codes.countries()
