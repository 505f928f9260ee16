"""Invoice model -> UBL 2.1 Invoice / CreditNote (EN16931 binding, French CTC mentions).

:func:`to_ubl` writes what :func:`~einvoicing.syntax.ubl_read.from_ubl` reads, in the
element order of the UBL 2.1 XSD: BT-23 in ``cbc:ProfileID``, notes as ``#PMT#text``,
SIRET as ``cac:PartyIdentification/cbc:ID`` scheme 0009, SIREN as
``cac:PartyLegalEntity/cbc:CompanyID`` scheme 0002, electronic addresses as
``cbc:EndpointID``, BT-8 as ``cac:InvoicePeriod/cbc:DescriptionCode`` (UNTDID 2005).
A credit note (BT-3 in :data:`~einvoicing.codes.CREDIT_NOTE_TYPES`) is a ``CreditNote``
whose due date goes in ``cac:PaymentMeans/cbc:PaymentDueDate``.
"""

from functools import partial

from lxml import etree

from .. import codes
from ..invoice import Invoice, InvoiceError
from ..invoice.totals import ZERO, document_adjustment_amount, group_basis, line_gross
from .cii import _amount, _number, _rate
from .writing import element, optional

CAC = "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
CBC = "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"
ROOT_NS = {
    "Invoice": "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2",
    "CreditNote": "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2",
}
EN16931_CUSTOMIZATION = "urn:cen.eu:en16931:2017"

__all__ = ["to_ubl"]


_el = partial(element, {"cac": CAC, "cbc": CBC})
_opt = partial(optional, {"cac": CAC, "cbc": CBC})


def _money(parent, tag, value, currency):
    _el(parent, tag, _amount(value), currencyID=currency)


def _address(parent, tag, address):
    if address is None:
        return
    node = _el(parent, tag)
    _opt(node, "cbc:StreetName", address.line1)
    _opt(node, "cbc:AdditionalStreetName", address.line2)
    _opt(node, "cbc:CityName", address.city)
    _opt(node, "cbc:PostalZone", address.postcode)
    _opt(node, "cbc:CountrySubentity", address.subdivision)
    if address.line3:
        _el(_el(node, "cac:AddressLine"), "cbc:Line", address.line3)
    _el(_el(node, "cac:Country"), "cbc:IdentificationCode", address.country_code)


def _party(parent, tag, party, creditor_id=None):
    node = _el(_el(parent, tag), "cac:Party")
    if party.electronic_address:
        _el(node, "cbc:EndpointID", party.electronic_address,
            schemeID=party.electronic_address_scheme)
    if party.siret:
        _el(_el(node, "cac:PartyIdentification"), "cbc:ID", party.siret, schemeID="0009")
    if creditor_id:
        _el(_el(node, "cac:PartyIdentification"), "cbc:ID", creditor_id, schemeID="SEPA")
    if party.trading_name:
        _el(_el(node, "cac:PartyName"), "cbc:Name", party.trading_name)
    _address(node, "cac:PostalAddress", party.address)
    if party.vat_number:
        scheme = _el(node, "cac:PartyTaxScheme")
        _el(scheme, "cbc:CompanyID", party.vat_number)
        _el(_el(scheme, "cac:TaxScheme"), "cbc:ID", "VAT")
    legal = _el(node, "cac:PartyLegalEntity")
    _el(legal, "cbc:RegistrationName", party.name)
    if party.siren:
        _el(legal, "cbc:CompanyID", party.siren, schemeID="0002")
    elif party.legal_id:
        attrs = {"schemeID": party.legal_id_scheme} if party.legal_id_scheme else {}
        _el(legal, "cbc:CompanyID", party.legal_id, **attrs)
    if party.contact_name or party.contact_email or party.contact_phone:
        contact = _el(node, "cac:Contact")
        _opt(contact, "cbc:Name", party.contact_name)
        _opt(contact, "cbc:Telephone", party.contact_phone)
        _opt(contact, "cbc:ElectronicMail", party.contact_email)


def _tax_category(parent, tag, category, rate, reason=None, reason_code=None):
    node = _el(parent, tag)
    _el(node, "cbc:ID", category.upper())
    if category.upper() != "O":
        _el(node, "cbc:Percent", _rate(rate or ZERO))
    _opt(node, "cbc:TaxExemptionReasonCode", reason_code)
    _opt(node, "cbc:TaxExemptionReason", reason)
    _el(_el(node, "cac:TaxScheme"), "cbc:ID", "VAT")


def _adjustment(parent, adj, amount, base, currency, with_tax):
    node = _el(parent, "cac:AllowanceCharge")
    _el(node, "cbc:ChargeIndicator", "true" if adj.charge else "false")
    _opt(node, "cbc:AllowanceChargeReasonCode", adj.reason_code)
    _opt(node, "cbc:AllowanceChargeReason", adj.reason)
    if adj.percent is not None:
        _el(node, "cbc:MultiplierFactorNumeric", _number(adj.percent))
    _money(node, "cbc:Amount", amount, currency)
    if adj.percent is not None or adj.base_amount is not None:
        _money(node, "cbc:BaseAmount", adj.base_amount if adj.base_amount is not None
               else base, currency)
    if with_tax:
        _tax_category(node, "cac:TaxCategory", adj.vat_category, adj.vat_rate)


def _line(parent, inv, line, credit):
    node = _el(parent, "cac:CreditNoteLine" if credit else "cac:InvoiceLine")
    _el(node, "cbc:ID", line.id)
    _el(node, "cbc:CreditedQuantity" if credit else "cbc:InvoicedQuantity",
        _number(line.quantity), unitCode=line.unit_code)
    _money(node, "cbc:LineExtensionAmount", line.net_amount(), inv.currency)
    gross = line_gross(line)
    for adj in line.allowances_charges:
        _adjustment(node, adj, adj.actual_amount(gross), gross, inv.currency, with_tax=False)
    item = _el(node, "cac:Item")
    _opt(item, "cbc:Description", line.description)
    _el(item, "cbc:Name", line.name)
    if line.seller_item_id:
        _el(_el(item, "cac:SellersItemIdentification"), "cbc:ID", line.seller_item_id)
    _tax_category(item, "cac:ClassifiedTaxCategory", line.vat_category, line.vat_rate)
    price = _el(node, "cac:Price")
    _el(price, "cbc:PriceAmount", _number(line.unit_price), currencyID=inv.currency)
    if line.base_quantity is not None:
        _el(price, "cbc:BaseQuantity", _number(line.base_quantity), unitCode=line.unit_code)


def _header(root, inv, credit):
    _el(root, "cbc:CustomizationID", EN16931_CUSTOMIZATION)
    _opt(root, "cbc:ProfileID", inv.business_process)
    _el(root, "cbc:ID", inv.number)
    _el(root, "cbc:IssueDate", inv.issue_date.isoformat())
    if inv.due_date and not credit:
        _el(root, "cbc:DueDate", inv.due_date.isoformat())
    _el(root, "cbc:CreditNoteTypeCode" if credit else "cbc:InvoiceTypeCode", inv.type_code)
    for note in inv.notes:
        _el(root, "cbc:Note", f"#{note.subject_code}#{note.content}" if note.subject_code
            else note.content)
    _el(root, "cbc:DocumentCurrencyCode", inv.currency)
    if inv.currency != "EUR":
        _el(root, "cbc:TaxCurrencyCode", "EUR")
    _opt(root, "cbc:BuyerReference", inv.buyer_reference)
    if inv.period_start or inv.period_end or inv.vat_due_date_code:
        period = _el(root, "cac:InvoicePeriod")
        _opt(period, "cbc:StartDate", inv.period_start and inv.period_start.isoformat())
        _opt(period, "cbc:EndDate", inv.period_end and inv.period_end.isoformat())
        _opt(period, "cbc:DescriptionCode", codes.VAT_DUE_DATE_UBL.get(
            inv.vat_due_date_code, inv.vat_due_date_code))
    if inv.purchase_order:
        _el(_el(root, "cac:OrderReference"), "cbc:ID", inv.purchase_order)
    if inv.preceding_invoice is not None:
        ref = _el(_el(root, "cac:BillingReference"), "cac:InvoiceDocumentReference")
        _el(ref, "cbc:ID", inv.preceding_invoice.number)
        _opt(ref, "cbc:IssueDate", inv.preceding_invoice.issue_date
             and inv.preceding_invoice.issue_date.isoformat())
    if inv.contract_reference:
        _el(_el(root, "cac:ContractDocumentReference"), "cbc:ID", inv.contract_reference)


def _delivery(root, inv):
    if not (inv.delivery_date or inv.delivery_address is not None or inv.delivery_party_name):
        return
    node = _el(root, "cac:Delivery")
    _opt(node, "cbc:ActualDeliveryDate", inv.delivery_date and inv.delivery_date.isoformat())
    if inv.delivery_address is not None:
        _address(_el(node, "cac:DeliveryLocation"), "cac:Address", inv.delivery_address)
    if inv.delivery_party_name:
        _el(_el(_el(node, "cac:DeliveryParty"), "cac:PartyName"), "cbc:Name",
            inv.delivery_party_name)


def _payment(root, inv, credit):
    pay = inv.payment
    if pay is not None:
        means = _el(root, "cac:PaymentMeans")
        _el(means, "cbc:PaymentMeansCode", pay.means_code)
        if credit and inv.due_date:
            _el(means, "cbc:PaymentDueDate", inv.due_date.isoformat())
        _opt(means, "cbc:PaymentID", pay.reference)
        if pay.iban:
            account = _el(means, "cac:PayeeFinancialAccount")
            _el(account, "cbc:ID", pay.iban.replace(" ", ""))
            _opt(account, "cbc:Name", pay.account_name)
            if pay.bic:
                _el(_el(account, "cac:FinancialInstitutionBranch"), "cbc:ID", pay.bic)
        if pay.mandate_id or pay.debtor_iban:
            mandate = _el(means, "cac:PaymentMandate")
            _opt(mandate, "cbc:ID", pay.mandate_id)
            if pay.debtor_iban:
                _el(_el(mandate, "cac:PayerFinancialAccount"), "cbc:ID", pay.debtor_iban)
    if pay is not None and pay.terms:
        _el(_el(root, "cac:PaymentTerms"), "cbc:Note", pay.terms)


def _totals(root, inv, totals):
    for adj in inv.allowances_charges:
        base = adj.base_amount if adj.base_amount is not None else group_basis(
            inv, adj.vat_category, adj.vat_rate)
        _adjustment(root, adj, document_adjustment_amount(inv, adj), base, inv.currency,
                    with_tax=True)
    tax_total = _el(root, "cac:TaxTotal")
    _money(tax_total, "cbc:TaxAmount", totals.tax_total, inv.currency)
    for vat in totals.vat_breakdown:
        sub = _el(tax_total, "cac:TaxSubtotal")
        _money(sub, "cbc:TaxableAmount", vat.basis, inv.currency)
        _money(sub, "cbc:TaxAmount", vat.tax, inv.currency)
        _tax_category(sub, "cac:TaxCategory", vat.category, vat.rate, vat.exemption_reason,
                      vat.exemption_reason_code)
    if inv.currency != "EUR" and inv.tax_total_accounting is not None:
        _money(_el(root, "cac:TaxTotal"), "cbc:TaxAmount", inv.tax_total_accounting, "EUR")
    node = _el(root, "cac:LegalMonetaryTotal")
    _money(node, "cbc:LineExtensionAmount", totals.line_total, inv.currency)
    _money(node, "cbc:TaxExclusiveAmount", totals.tax_basis_total, inv.currency)
    _money(node, "cbc:TaxInclusiveAmount", totals.grand_total, inv.currency)
    if inv.allowances_charges:
        _money(node, "cbc:AllowanceTotalAmount", totals.allowance_total, inv.currency)
        _money(node, "cbc:ChargeTotalAmount", totals.charge_total, inv.currency)
    if totals.prepaid:
        _money(node, "cbc:PrepaidAmount", totals.prepaid, inv.currency)
    if totals.rounding:
        _money(node, "cbc:PayableRoundingAmount", totals.rounding, inv.currency)
    _money(node, "cbc:PayableAmount", totals.due_payable, inv.currency)


def to_ubl(inv, check=True):
    """Serialize ``inv`` to UBL 2.1 XML bytes (UTF-8); runs :meth:`Invoice.check` first."""
    if not isinstance(inv, Invoice):
        raise InvoiceError(f"to_ubl expects an Invoice, got {type(inv).__name__}.",
                           code="invoice_bad_type")
    if check:
        inv.check()
    totals = inv.totals()
    credit = inv.type_code in codes.CREDIT_NOTE_TYPES
    kind = "CreditNote" if credit else "Invoice"
    root = etree.Element(f"{{{ROOT_NS[kind]}}}{kind}",
                         nsmap={None: ROOT_NS[kind], "cac": CAC, "cbc": CBC})
    _header(root, inv, credit)
    _party(root, "cac:AccountingSupplierParty", inv.seller,
           creditor_id=inv.payment and inv.payment.creditor_id)
    _party(root, "cac:AccountingCustomerParty", inv.buyer)
    _delivery(root, inv)
    _payment(root, inv, credit)
    _totals(root, inv, totals)
    for line in inv.lines:
        _line(root, inv, line, credit)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
