"""Valid sample invoices between two French companies (demo, sandbox, tests).

The SIRENs are fictitious but pass the Luhn check; the invoices pass the
model checks, the Factur-X EN16931 XSD and the EN16931, Factur-X and BR-FR
schematrons.
"""

import copy
from datetime import date, timedelta
from decimal import Decimal

from .model import (
    Address,
    AllowanceCharge,
    Invoice,
    InvoiceReference,
    Line,
    Note,
    Party,
    PaymentInfo,
)

SELLER = {
    "name": "Atelier Durand SARL",
    "siren": "123456782",
    "siret": "12345678200010",
    "vat_number": "FR11123456782",
    "electronic_address": "123456782",
    "address": {"line1": "12 rue des Artisans", "postcode": "69002", "city": "Lyon",
                "country_code": "FR"},
    "contact_email": "compta@atelier-durand.example",
}
BUYER = {
    "name": "Boulangerie Martin SAS",
    "siren": "987654324",
    "siret": "98765432400019",
    "vat_number": "FR14987654324",
    "electronic_address": "987654324",
    "address": {"line1": "3 place du Marché", "postcode": "75011", "city": "Paris",
                "country_code": "FR"},
}
LEGAL_NOTES = (
    ("PMT", "Indemnité forfaitaire pour frais de recouvrement en cas de retard de paiement : "
            "40 EUR."),
    ("PMD", "En cas de retard de paiement, pénalités égales à trois fois le taux d'intérêt "
            "légal."),
    ("AAB", "Pas d'escompte accordé pour paiement anticipé."),
    ("BAR", "B2B"),
)
IBAN = "FR7630006000011234567890189"
BIC = "AGRIFRPPXXX"


def _party(value, default):
    if value is None:
        return Party.from_dict(copy.deepcopy(default), "party")
    if isinstance(value, dict):
        return Party.from_dict(value, "party")
    return value


def sample_lines():
    """A service line with a 10 % discount (20 %), goods at 5.5 % and 10 %."""
    return [
        Line(id="1", name="Maintenance du four", quantity=Decimal("3"), unit_code="HUR",
             unit_price=Decimal("85.00"), vat_category="S", vat_rate=Decimal("20"),
             allowances_charges=[AllowanceCharge(percent=Decimal("10"),
                                                 reason="Remise fidélité", reason_code="95")]),
        Line(id="2", name="Farine T65 (sac 25 kg)", quantity=Decimal("4"), unit_code="C62",
             unit_price=Decimal("21.40"), vat_category="S", vat_rate=Decimal("5.5")),
        Line(id="3", name="Déplacement et installation", quantity=Decimal("1"), unit_code="C62",
             unit_price=Decimal("60.00"), vat_category="S", vat_rate=Decimal("10")),
    ]


def sample_invoice(seller=None, buyer=None, number="FA-2025-0001", issue_date=None,
                   lines=None, business_process="M1", type_code="380", **overrides):
    """A valid French B2B invoice (``Invoice``); any field can be overridden by keyword."""
    issue_date = issue_date or date(2025, 9, 15)
    invoice = Invoice(
        number=number,
        issue_date=issue_date,
        type_code=type_code,
        currency="EUR",
        business_process=business_process,
        seller=_party(seller, SELLER),
        buyer=_party(buyer, BUYER),
        lines=lines if lines is not None else sample_lines(),
        notes=[Note(content=text, subject_code=code) for code, text in LEGAL_NOTES],
        due_date=issue_date + timedelta(days=30),
        delivery_date=issue_date - timedelta(days=2),
        payment=PaymentInfo(means_code="58", iban=IBAN, bic=BIC,
                            terms="Paiement à 30 jours par virement SEPA.",
                            reference=number),
        buyer_reference="ACHATS-2025",
        purchase_order="PO-4512",
        delivery_address=Address(line1="3 place du Marché", postcode="75011", city="Paris",
                                 country_code="FR"),
    )
    for key, value in overrides.items():
        if not hasattr(invoice, key):
            raise TypeError(f"sample_invoice() got an unknown field {key!r}")
        setattr(invoice, key, value)
    return invoice


def sample_credit_note(invoice=None, number="AV-2025-0001", issue_date=None, **overrides):
    """A valid 381 credit note refunding ``invoice`` (default: :func:`sample_invoice`)."""
    invoice = invoice or sample_invoice()
    issue_date = issue_date or invoice.issue_date + timedelta(days=10)
    fields = {
        "seller": invoice.seller, "buyer": invoice.buyer,
        "lines": copy.deepcopy(invoice.lines), "business_process": invoice.business_process,
        "due_date": issue_date, "delivery_date": invoice.delivery_date,
        "preceding_invoice": InvoiceReference(invoice.number, invoice.issue_date),
    }
    fields.update(overrides)
    credit = sample_invoice(number=number, issue_date=issue_date, type_code="381", **fields)
    credit.payment.terms = "Avoir imputé sur la prochaine facture ou remboursé par virement."
    credit.payment.reference = number
    return credit
