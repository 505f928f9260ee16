"""UBL 2.1 Invoice / CreditNote (EN16931 binding, French CTC usage) -> invoice model.

French mentions in UBL: BT-23 in ``cbc:ProfileID``, notes as ``#PMT#text``
(subject code between hashes), SIRET as ``cac:PartyIdentification/cbc:ID``
scheme 0009, SIREN as ``cac:PartyLegalEntity/cbc:CompanyID`` scheme 0002,
electronic address as ``cbc:EndpointID`` scheme 0225, BT-8 as
``cac:InvoicePeriod/cbc:DescriptionCode`` (UNTDID 2005: 3, 35, 432 read as 5, 29, 72).
"""

import re
from datetime import date
from decimal import Decimal

from .. import codes
from ..invoice import (
    Address,
    AllowanceCharge,
    Invoice,
    InvoiceError,
    InvoiceReference,
    Line,
    Note,
    Party,
    PaymentInfo,
    Totals,
    VatBreakdown,
)
from ..invoice.totals import ZERO, vat_key
from ..invoice.values import parse_decimal
from ..xmlutil import local_name, parse_xml
from . import reading

NS = {
    "cac": "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2",
    "cbc": "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2",
}
_NOTE = re.compile(r"^#([A-Z]{3})#(.*)$", re.DOTALL)
_DUE_CODE = {ubl: cii for cii, ubl in codes.VAT_DUE_DATE_UBL.items()}



def _first(node, path):
    return reading.first(node, path, NS)


def _text(node, path):
    return reading.text(node, path, NS)


def _dec(node, path):
    return reading.decimal(node, path, NS)

def _date(node, path):
    value = _text(node, path)
    if value is None:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        raise InvoiceError(f"Date {value!r} at {path} is not in the YYYY-MM-DD format.",
                           code="invoice_bad_date", value=value) from None


def _address(node):
    if node is None:
        return None
    return Address(
        country_code=_text(node, "cac:Country/cbc:IdentificationCode") or "",
        line1=_text(node, "cbc:StreetName"), line2=_text(node, "cbc:AdditionalStreetName"),
        line3=_text(node, "cac:AddressLine/cbc:Line"), postcode=_text(node, "cbc:PostalZone"),
        city=_text(node, "cbc:CityName"), subdivision=_text(node, "cbc:CountrySubentity"))


def _party(node):
    if node is None:
        return Party(name="")
    endpoint = _first(node, "cbc:EndpointID")
    return Party(
        name=_text(node, "cac:PartyLegalEntity/cbc:RegistrationName")
        or _text(node, "cac:PartyName/cbc:Name") or "",
        siret=_text(node, "cac:PartyIdentification/cbc:ID[@schemeID='0009']"),
        vat_number=_text(node, "cac:PartyTaxScheme[cac:TaxScheme/cbc:ID='VAT']/cbc:CompanyID"),
        address=_address(_first(node, "cac:PostalAddress")),
        electronic_address=(endpoint.text or "").strip() if endpoint is not None else None,
        electronic_address_scheme=(endpoint.get("schemeID") if endpoint is not None
                                   else None) or "0225",
        trading_name=_text(node, "cac:PartyName/cbc:Name")
        if _text(node, "cac:PartyLegalEntity/cbc:RegistrationName") else None,
        **reading.legal_ids(_first(node, "cac:PartyLegalEntity/cbc:CompanyID")),
        contact_name=_text(node, "cac:Contact/cbc:Name"),
        contact_email=_text(node, "cac:Contact/cbc:ElectronicMail"),
        contact_phone=_text(node, "cac:Contact/cbc:Telephone"),
    )


def _adjustment(node):
    return AllowanceCharge(
        charge=_text(node, "cbc:ChargeIndicator") == "true",
        amount=_dec(node, "cbc:Amount"), percent=_dec(node, "cbc:MultiplierFactorNumeric"),
        base_amount=_dec(node, "cbc:BaseAmount"), reason=_text(node, "cbc:AllowanceChargeReason"),
        reason_code=_text(node, "cbc:AllowanceChargeReasonCode"),
        vat_category=_text(node, "cac:TaxCategory/cbc:ID"),
        vat_rate=_dec(node, "cac:TaxCategory/cbc:Percent"))


def _line(node):
    quantity = _first(node, "cbc:InvoicedQuantity|cbc:CreditedQuantity")
    line_id = _text(node, "cbc:ID") or "?"
    price = _dec(node, "cac:Price/cbc:PriceAmount")
    if quantity is None or price is None:
        raise InvoiceError(f"Invoice line {line_id} has no quantity or no price "
                           "(BT-129 / BT-146).", code="invoice_line_incomplete", line=line_id)
    return Line(
        id=line_id,
        name=_text(node, "cac:Item/cbc:Name") or "",
        quantity=parse_decimal(quantity.text, f"line {line_id} quantity"),
        unit_code=quantity.get("unitCode") or "C62",
        unit_price=price,
        base_quantity=_dec(node, "cac:Price/cbc:BaseQuantity"),
        vat_category=_text(node, "cac:Item/cac:ClassifiedTaxCategory/cbc:ID") or "",
        vat_rate=_dec(node, "cac:Item/cac:ClassifiedTaxCategory/cbc:Percent"),
        description=_text(node, "cac:Item/cbc:Description"),
        seller_item_id=_text(node, "cac:Item/cac:SellersItemIdentification/cbc:ID"),
        allowances_charges=[_adjustment(x) for x in node.xpath("cac:AllowanceCharge",
                                                                namespaces=NS)],
        line_total=_dec(node, "cbc:LineExtensionAmount"),
    )


def _payment(root):
    means = _first(root, "cac:PaymentMeans")
    terms = _first(root, "cac:PaymentTerms")
    if means is None and terms is None:
        return None
    return PaymentInfo(
        means_code=_text(means, "cbc:PaymentMeansCode") or "",
        iban=_text(means, "cac:PayeeFinancialAccount/cbc:ID"),
        bic=_text(means, "cac:PayeeFinancialAccount/cac:FinancialInstitutionBranch/cbc:ID"),
        account_name=_text(means, "cac:PayeeFinancialAccount/cbc:Name"),
        terms=_text(terms, "cbc:Note"), reference=_text(means, "cbc:PaymentID"),
        mandate_id=_text(means, "cac:PaymentMandate/cbc:ID"),
        debtor_iban=_text(means, "cac:PaymentMandate/cac:PayerFinancialAccount/cbc:ID"),
        creditor_id=_text(root, "cac:AccountingSupplierParty/cac:Party/cac:PartyIdentification"
                                "/cbc:ID[@schemeID='SEPA']"),
    )


def _breakdown(tax_total):
    out = []
    for sub in (tax_total.xpath("cac:TaxSubtotal", namespaces=NS) if tax_total is not None
                else []):
        category, rate = vat_key(_text(sub, "cac:TaxCategory/cbc:ID"),
                                 _dec(sub, "cac:TaxCategory/cbc:Percent"))
        out.append(VatBreakdown(category, rate, _dec(sub, "cbc:TaxableAmount"),
                                _dec(sub, "cbc:TaxAmount"),
                                _text(sub, "cac:TaxCategory/cbc:TaxExemptionReason"),
                                _text(sub, "cac:TaxCategory/cbc:TaxExemptionReasonCode")))
    return out


def _declared(root, currency):
    total = _first(root, "cac:LegalMonetaryTotal")
    tax_total = _first(root, f"cac:TaxTotal[cbc:TaxAmount/@currencyID='{currency}']")

    def amount(tag, optional=False):
        value = _dec(total, f"cbc:{tag}")
        return ZERO if value is None and optional else value
    return Totals(
        line_total=amount("LineExtensionAmount"),
        allowance_total=amount("AllowanceTotalAmount", True),
        charge_total=amount("ChargeTotalAmount", True),
        tax_basis_total=amount("TaxExclusiveAmount"),
        tax_total=_dec(tax_total, "cbc:TaxAmount") or ZERO,
        grand_total=amount("TaxInclusiveAmount"), prepaid=amount("PrepaidAmount", True),
        rounding=amount("PayableRoundingAmount", True), due_payable=amount("PayableAmount"),
        vat_breakdown=_breakdown(tax_total))


def _notes(root):
    notes = []
    for text in root.xpath("cbc:Note/text()", namespaces=NS):
        match = _NOTE.match(text.strip())
        notes.append(Note(match.group(2).strip(), match.group(1)) if match
                     else Note(text.strip()))
    return notes


def _apply_exemptions(breakdown, lines):
    for vat in breakdown:
        if vat.exemption_reason or vat.exemption_reason_code:
            for line in lines:
                if vat_key(line.vat_category, line.vat_rate) == (vat.category, vat.rate):
                    line.exemption_reason = vat.exemption_reason
                    line.exemption_reason_code = vat.exemption_reason_code


def from_ubl(xml):
    """Read a UBL 2.1 Invoice or CreditNote (bytes or an lxml element) into an Invoice."""
    root = xml if hasattr(xml, "xpath") else parse_xml(xml)
    kind = local_name(root)
    if kind not in ("Invoice", "CreditNote"):
        raise InvoiceError(f"Expected a UBL Invoice or CreditNote, got {kind!r}.",
                           code="invoice_unknown_syntax")
    currency = _text(root, "cbc:DocumentCurrencyCode") or ""
    lines = [_line(x) for x in root.xpath("cac:InvoiceLine|cac:CreditNoteLine", namespaces=NS)]
    declared = _declared(root, currency)
    _apply_exemptions(declared.vat_breakdown, lines)
    ref = _first(root, "cac:BillingReference/cac:InvoiceDocumentReference")
    delivery = _first(root, "cac:Delivery")
    due_code = _text(root, "cac:InvoicePeriod/cbc:DescriptionCode")
    return Invoice(
        number=_text(root, "cbc:ID") or "",
        issue_date=_date(root, "cbc:IssueDate"),
        type_code=_text(root, "cbc:InvoiceTypeCode|cbc:CreditNoteTypeCode") or "",
        currency=currency,
        business_process=_text(root, "cbc:ProfileID"),
        seller=_party(_first(root, "cac:AccountingSupplierParty/cac:Party")),
        buyer=_party(_first(root, "cac:AccountingCustomerParty/cac:Party")),
        lines=lines, notes=_notes(root),
        due_date=_date(root, "cbc:DueDate") or _date(root, "cac:PaymentMeans/cbc:PaymentDueDate"),
        delivery_date=_date(delivery, "cbc:ActualDeliveryDate"),
        period_start=_date(root, "cac:InvoicePeriod/cbc:StartDate"),
        period_end=_date(root, "cac:InvoicePeriod/cbc:EndDate"),
        payment=_payment(root),
        allowances_charges=[_adjustment(x) for x in root.xpath("cac:AllowanceCharge",
                                                                namespaces=NS)],
        preceding_invoice=InvoiceReference(_text(ref, "cbc:ID") or "",
                                           _date(ref, "cbc:IssueDate")) if ref is not None
        else None,
        buyer_reference=_text(root, "cbc:BuyerReference"),
        purchase_order=_text(root, "cac:OrderReference/cbc:ID"),
        contract_reference=_text(root, "cac:ContractDocumentReference/cbc:ID"),
        delivery_address=_address(_first(delivery, "cac:DeliveryLocation/cac:Address")),
        delivery_party_name=_text(delivery, "cac:DeliveryParty/cac:PartyName/cbc:Name"),
        vat_due_date_code=_DUE_CODE.get(due_code, due_code),
        prepaid_amount=declared.prepaid or Decimal("0.00"),
        rounding_amount=declared.rounding or Decimal("0.00"),
        tax_total_accounting=_dec(root, "cac:TaxTotal/cbc:TaxAmount[@currencyID='EUR']")
        if currency != "EUR" else None,
        declared_totals=declared,
    )
