"""CII (CrossIndustryInvoice D16B..D22B, any EN16931-compatible profile) -> invoice model.

Reading is tolerant: what the model does not carry (gross prices, extra
parties, attachments) is left out; the document's own totals are kept in
``Invoice.declared_totals`` so callers can compare them with ``totals()``.
"""

from datetime import date
from decimal import Decimal

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
    "rsm": "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100",
    "ram": "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100",
    "udt": "urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100",
    "qdt": "urn:un:unece:uncefact:data:standard:QualifiedDataType:100",
}



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
        return date(int(value[:4]), int(value[4:6]), int(value[6:8]))
    except ValueError:
        raise InvoiceError(f"Date {value!r} at {path} is not in the YYYYMMDD format (102).",
                           code="invoice_bad_date", value=value) from None


def _address(node):
    if node is None:
        return None
    return Address(
        country_code=_text(node, "ram:CountryID") or "",
        line1=_text(node, "ram:LineOne"), line2=_text(node, "ram:LineTwo"),
        line3=_text(node, "ram:LineThree"), postcode=_text(node, "ram:PostcodeCode"),
        city=_text(node, "ram:CityName"), subdivision=_text(node, "ram:CountrySubDivisionName"))


def _party(node):
    if node is None:
        return Party(name="")
    uri = _first(node, "ram:URIUniversalCommunication/ram:URIID")
    return Party(
        name=_text(node, "ram:Name") or "",
        siret=_text(node, "ram:GlobalID[@schemeID='0009']"),
        vat_number=_text(node, "ram:SpecifiedTaxRegistration/ram:ID[@schemeID='VA']"),
        address=_address(_first(node, "ram:PostalTradeAddress")),
        electronic_address=(uri.text or "").strip() if uri is not None else None,
        electronic_address_scheme=(uri.get("schemeID") if uri is not None else None) or "0225",
        trading_name=_text(node, "ram:SpecifiedLegalOrganization/ram:TradingBusinessName"),
        **reading.legal_ids(_first(node, "ram:SpecifiedLegalOrganization/ram:ID")),
        contact_name=_text(node, "ram:DefinedTradeContact/ram:PersonName"),
        contact_email=_text(node, "ram:DefinedTradeContact/ram:EmailURIUniversalCommunication"
                                  "/ram:URIID"),
        contact_phone=_text(node, "ram:DefinedTradeContact/ram:TelephoneUniversalCommunication"
                                  "/ram:CompleteNumber"),
    )


def _adjustment(node):
    return AllowanceCharge(
        charge=_text(node, "ram:ChargeIndicator/udt:Indicator") == "true",
        amount=_dec(node, "ram:ActualAmount"), percent=_dec(node, "ram:CalculationPercent"),
        base_amount=_dec(node, "ram:BasisAmount"), reason=_text(node, "ram:Reason"),
        reason_code=_text(node, "ram:ReasonCode"),
        vat_category=_text(node, "ram:CategoryTradeTax/ram:CategoryCode"),
        vat_rate=_dec(node, "ram:CategoryTradeTax/ram:RateApplicablePercent"))


def _line(node):
    billed = _first(node, "ram:SpecifiedLineTradeDelivery/ram:BilledQuantity")
    price = _first(node, "ram:SpecifiedLineTradeAgreement/ram:NetPriceProductTradePrice")
    settlement = _first(node, "ram:SpecifiedLineTradeSettlement")
    line_id = _text(node, "ram:AssociatedDocumentLineDocument/ram:LineID") or "?"
    if billed is None or price is None or settlement is None:
        raise InvoiceError(f"Invoice line {line_id} has no billed quantity, no net price or no "
                           "line settlement (BT-129 / BT-146 / BT-151).",
                           code="invoice_line_incomplete", line=line_id)
    return Line(
        id=line_id,
        name=_text(node, "ram:SpecifiedTradeProduct/ram:Name") or "",
        quantity=parse_decimal(billed.text, f"line {line_id} quantity"),
        unit_code=billed.get("unitCode") or "C62",
        unit_price=_dec(price, "ram:ChargeAmount"),
        base_quantity=_dec(price, "ram:BasisQuantity"),
        vat_category=_text(settlement, "ram:ApplicableTradeTax/ram:CategoryCode") or "",
        vat_rate=_dec(settlement, "ram:ApplicableTradeTax/ram:RateApplicablePercent"),
        description=_text(node, "ram:SpecifiedTradeProduct/ram:Description"),
        seller_item_id=_text(node, "ram:SpecifiedTradeProduct/ram:SellerAssignedID"),
        allowances_charges=[_adjustment(x) for x in settlement.xpath(
            "ram:SpecifiedTradeAllowanceCharge", namespaces=NS)],
        line_total=_dec(settlement, "ram:SpecifiedTradeSettlementLineMonetarySummation"
                                    "/ram:LineTotalAmount"),
    )


def _payment(settlement):
    means = _first(settlement, "ram:SpecifiedTradeSettlementPaymentMeans")
    terms = _first(settlement, "ram:SpecifiedTradePaymentTerms")
    if means is None and terms is None:
        return None
    return PaymentInfo(
        means_code=_text(means, "ram:TypeCode") or "",
        iban=_text(means, "ram:PayeePartyCreditorFinancialAccount/ram:IBANID")
        or _text(means, "ram:PayeePartyCreditorFinancialAccount/ram:ProprietaryID"),
        bic=_text(means, "ram:PayeeSpecifiedCreditorFinancialInstitution/ram:BICID"),
        account_name=_text(means, "ram:PayeePartyCreditorFinancialAccount/ram:AccountName"),
        terms=_text(terms, "ram:Description"),
        reference=_text(settlement, "ram:PaymentReference"),
        mandate_id=_text(terms, "ram:DirectDebitMandateID"),
        debtor_iban=_text(means, "ram:PayerPartyDebtorFinancialAccount/ram:IBANID"),
        creditor_id=_text(settlement, "ram:CreditorReferenceID"),
    )


def _breakdown(settlement):
    out = []
    for tax in settlement.xpath("ram:ApplicableTradeTax", namespaces=NS):
        category, rate = vat_key(_text(tax, "ram:CategoryCode"),
                                 _dec(tax, "ram:RateApplicablePercent"))
        out.append(VatBreakdown(category, rate, _dec(tax, "ram:BasisAmount"),
                                _dec(tax, "ram:CalculatedAmount"),
                                _text(tax, "ram:ExemptionReason"),
                                _text(tax, "ram:ExemptionReasonCode")))
    return out


def _declared(settlement, summation, currency):
    """The document's own totals; optional amounts absent from it are 0 (EN16931)."""
    def amount(tag, optional=False):
        value = _dec(summation, f"ram:{tag}")
        return ZERO if value is None and optional else value
    tax = _dec(summation, f"ram:TaxTotalAmount[@currencyID='{currency}']")
    if tax is None:
        tax = _dec(summation, "ram:TaxTotalAmount[not(@currencyID)]")
    return Totals(
        line_total=amount("LineTotalAmount"),
        allowance_total=amount("AllowanceTotalAmount", True),
        charge_total=amount("ChargeTotalAmount", True),
        tax_basis_total=amount("TaxBasisTotalAmount"),
        tax_total=ZERO if tax is None else tax, grand_total=amount("GrandTotalAmount"),
        prepaid=amount("TotalPrepaidAmount", True), rounding=amount("RoundingAmount", True),
        due_payable=amount("DuePayableAmount"), vat_breakdown=_breakdown(settlement))


def _apply_exemptions(settlement, lines):
    for tax in settlement.xpath("ram:ApplicableTradeTax", namespaces=NS):
        reason = _text(tax, "ram:ExemptionReason")
        code = _text(tax, "ram:ExemptionReasonCode")
        if not (reason or code):
            continue
        key = vat_key(_text(tax, "ram:CategoryCode"), _dec(tax, "ram:RateApplicablePercent"))
        for line in lines:
            if vat_key(line.vat_category, line.vat_rate) == key:
                line.exemption_reason, line.exemption_reason_code = reason, code


def from_cii(xml):
    """Read a CII invoice (bytes or an lxml element) into an :class:`Invoice`."""
    root = xml if hasattr(xml, "xpath") else parse_xml(xml)
    if local_name(root) != "CrossIndustryInvoice":
        raise InvoiceError(f"Expected a CII CrossIndustryInvoice, got {local_name(root)!r}.",
                           code="invoice_unknown_syntax")
    doc = _first(root, "rsm:ExchangedDocument")
    tx = _first(root, "rsm:SupplyChainTradeTransaction")
    agreement = _first(tx, "ram:ApplicableHeaderTradeAgreement")
    delivery = _first(tx, "ram:ApplicableHeaderTradeDelivery")
    settlement = _first(tx, "ram:ApplicableHeaderTradeSettlement")
    if doc is None or tx is None or agreement is None or settlement is None:
        raise InvoiceError("The CII document lacks ExchangedDocument or the header trade "
                           "agreement / settlement; it is not a complete invoice.",
                           code="invoice_incomplete_xml")
    currency = _text(settlement, "ram:InvoiceCurrencyCode") or ""
    lines = [_line(x) for x in tx.xpath("ram:IncludedSupplyChainTradeLineItem", namespaces=NS)]
    _apply_exemptions(settlement, lines)
    summation = _first(settlement, "ram:SpecifiedTradeSettlementHeaderMonetarySummation")
    declared = _declared(settlement, summation, currency) if summation is not None else None
    ref = _first(settlement, "ram:InvoiceReferencedDocument")
    return Invoice(
        number=_text(doc, "ram:ID") or "",
        issue_date=_date(doc, "ram:IssueDateTime/udt:DateTimeString"),
        type_code=_text(doc, "ram:TypeCode") or "",
        currency=currency,
        business_process=_text(root, "rsm:ExchangedDocumentContext/ram:BusinessProcess"
                                     "SpecifiedDocumentContextParameter/ram:ID"),
        seller=_party(_first(agreement, "ram:SellerTradeParty")),
        buyer=_party(_first(agreement, "ram:BuyerTradeParty")),
        lines=lines,
        notes=[Note(content=_text(n, "ram:Content") or "", subject_code=_text(n, "ram:SubjectCode"))
               for n in doc.xpath("ram:IncludedNote", namespaces=NS)],
        due_date=_date(settlement, "ram:SpecifiedTradePaymentTerms/ram:DueDateDateTime"
                                   "/udt:DateTimeString"),
        delivery_date=_date(delivery, "ram:ActualDeliverySupplyChainEvent/ram:OccurrenceDateTime"
                                      "/udt:DateTimeString"),
        period_start=_date(settlement, "ram:BillingSpecifiedPeriod/ram:StartDateTime"
                                       "/udt:DateTimeString"),
        period_end=_date(settlement, "ram:BillingSpecifiedPeriod/ram:EndDateTime"
                                     "/udt:DateTimeString"),
        payment=_payment(settlement),
        allowances_charges=[_adjustment(x) for x in settlement.xpath(
            "ram:SpecifiedTradeAllowanceCharge", namespaces=NS)],
        preceding_invoice=ref is not None and InvoiceReference(
            _text(ref, "ram:IssuerAssignedID") or "",
            _date(ref, "ram:FormattedIssueDateTime/qdt:DateTimeString")) or None,
        buyer_reference=_text(agreement, "ram:BuyerReference"),
        purchase_order=_text(agreement, "ram:BuyerOrderReferencedDocument/ram:IssuerAssignedID"),
        contract_reference=_text(agreement, "ram:ContractReferencedDocument/ram:IssuerAssignedID"),
        delivery_address=_address(_first(delivery, "ram:ShipToTradeParty/ram:PostalTradeAddress")),
        delivery_party_name=_text(delivery, "ram:ShipToTradeParty/ram:Name"),
        vat_due_date_code=_text(settlement, "ram:ApplicableTradeTax/ram:DueDateTypeCode"),
        prepaid_amount=(declared and declared.prepaid) or Decimal("0.00"),
        rounding_amount=(declared and declared.rounding) or Decimal("0.00"),
        tax_total_accounting=_dec(summation, "ram:TaxTotalAmount[@currencyID='EUR']")
        if currency != "EUR" else None,
        declared_totals=declared,
    )
