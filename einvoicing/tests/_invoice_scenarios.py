"""Invoices covering the cases the French rules distinguish (shared by CII/UBL tests)."""

from decimal import Decimal

from einvoicing.invoice import Address, AllowanceCharge, Line
from einvoicing.invoice.samples import sample_credit_note, sample_invoice

D = Decimal


def _line(line_id, name, qty, price, rate, category="S", unit="C62", **kw):
    return Line(id=line_id, name=name, quantity=D(qty), unit_price=D(price),
                vat_category=category, vat_rate=None if rate is None else D(rate),
                unit_code=unit, **kw)


def multi_rate():
    """20 %, 10 %, 5.5 % and an exempt line with its reason (text + VATEX code)."""
    return sample_invoice(number="FA-2025-0101", business_process="M1", lines=[
        _line("1", "Conseil", "2.5", "120.00", "20", unit="HUR"),
        _line("2", "Repas d'équipe", "12", "18.50", "10"),
        _line("3", "Livres techniques", "3", "42.20", "5.5"),
        _line("4", "Formation professionnelle continue", "1", "900.00", "0", category="E",
              exemption_reason="Exonération de TVA, article 261-4-4° a du CGI",
              exemption_reason_code="VATEX-EU-132"),
    ])


def discounts():
    """Line discounts (percent and absolute), a document allowance and a charge."""
    return sample_invoice(number="FA-2025-0102", business_process="B1", lines=[
        _line("1", "Chaise", "6", "79.90", "20", allowances_charges=[
            AllowanceCharge(percent=D("15"), reason="Remise volume", reason_code="95")]),
        _line("2", "Table", "1", "349.00", "20", allowances_charges=[
            AllowanceCharge(amount=D("49.00"), reason="Remise exposition", reason_code="95")]),
        _line("3", "Farine", "10", "1.234", "5.5", unit="KGM"),
    ], allowances_charges=[
        AllowanceCharge(percent=D("2"), reason="Remise fin d'année", reason_code="95",
                        vat_category="S", vat_rate=D("20")),
        AllowanceCharge(charge=True, amount=D("25.00"), reason="Frais de livraison",
                        reason_code="DL", vat_category="S", vat_rate=D("20")),
    ])


def goods():
    return sample_invoice(number="FA-2025-0103", business_process="B1", lines=[
        _line("1", "Four à pain", "1", "4500.00", "20"),
        _line("2", "Plaques de cuisson", "4", "35.00", "20")])


def services():
    return sample_invoice(number="FA-2025-0104", business_process="S1", lines=[
        _line("1", "Maintenance annuelle", "1", "650.00", "20", unit="ANN"),
        _line("2", "Intervention", "3.5", "85.00", "20", unit="HUR")])


def vat_on_debits():
    return sample_invoice(number="FA-2025-0105", business_process="S1",
                          vat_due_date_code="5", lines=[
                              _line("1", "Abonnement logiciel", "1", "99.00", "20",
                                    unit="MON"),
                              _line("2", "Hébergement", "1", "40.00", "10", unit="MON")])


def credit_note():
    return sample_credit_note(invoice=multi_rate(), number="AV-2025-0101")


def intra_community():
    buyer = {"name": "Bäckerei Schmidt GmbH", "vat_number": "DE136695976",
             "electronic_address": "DE136695976", "electronic_address_scheme": "9930",
             "address": {"line1": "Hauptstraße 5", "postcode": "10115", "city": "Berlin",
                         "country_code": "DE"}}
    inv = sample_invoice(number="FA-2025-0106", business_process="B1", buyer=buyer, lines=[
        _line("1", "Four à pain", "1", "4500.00", "0", category="K",
              exemption_reason="Exonération de TVA, article 262 ter I du CGI",
              exemption_reason_code="VATEX-EU-IC")])
    inv.notes = [n for n in inv.notes if n.subject_code != "BAR"]
    inv.notes.append(type(inv.notes[0])("B2BINT", "BAR"))
    inv.delivery_address = Address(line1="Hauptstraße 5", postcode="10115", city="Berlin",
                                   country_code="DE")
    return inv


SCENARIOS = {
    "multi_rate": multi_rate,
    "credit_note": credit_note,
    "discounts": discounts,
    "goods_B1": goods,
    "services_S1": services,
    "mixed_M1": multi_rate,
    "vat_on_debits": vat_on_debits,
    "intra_community": intra_community,
}
