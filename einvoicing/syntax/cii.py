"""Invoice model -> UN/CEFACT CII (Factur-X 1.09 EN16931 profile, French CTC mentions).

- :func:`to_cii` builds the XML in the exact element order of the Factur-X
  EN16931 XSD, with the French mentions: BT-23 billing framework in
  ``BusinessProcessSpecifiedDocumentContextParameter``, SIREN as legal
  organization id (scheme 0002), SIRET as global id (scheme 0009),
  electronic addresses (BT-34 / BT-49) with scheme 0225, notes PMT/PMD/AAB/BAR,
  BT-8 ``DueDateTypeCode`` (5 = VAT on debits), BT-25/26 preceding invoice.

Reading is elsewhere: :mod:`.cii_read`, :mod:`.ubl_read` and :mod:`.read`
(:func:`~einvoicing.syntax.read.parse_invoice_xml` detects the syntax).
"""

from functools import partial

from lxml import etree

from ..invoice import Invoice, InvoiceError
from ..invoice.totals import ZERO, document_adjustment_amount, group_basis, line_gross, money
from .writing import element, optional

RSM = "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100"
RAM = "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100"
UDT = "urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100"
QDT = "urn:un:unece:uncefact:data:standard:QualifiedDataType:100"
NSMAP = {"rsm": RSM, "ram": RAM, "udt": UDT, "qdt": QDT}
EN16931_GUIDELINE = "urn:cen.eu:en16931:2017"

__all__ = ["to_cii"]


_el = partial(element, NSMAP)
_opt = partial(optional, NSMAP)


def _amount(value):
    return f"{money(value):.2f}"


def _number(value):
    """A decimal without exponent nor useless trailing zeros (quantities, prices, percents)."""
    text = format(value.normalize(), "f")
    return text


def _rate(value):
    return f"{value:.2f}"


def _date(parent, tag, value, qualified=False):
    wrapper = _el(parent, tag)
    _el(wrapper, "qdt:DateTimeString" if qualified else "udt:DateTimeString",
        value.strftime("%Y%m%d"), format="102")


def _address(parent, address, tag="ram:PostalTradeAddress"):
    if address is None:
        return
    node = _el(parent, tag)
    _opt(node, "ram:PostcodeCode", address.postcode)
    _opt(node, "ram:LineOne", address.line1)
    _opt(node, "ram:LineTwo", address.line2)
    _opt(node, "ram:LineThree", address.line3)
    _opt(node, "ram:CityName", address.city)
    _el(node, "ram:CountryID", address.country_code)
    _opt(node, "ram:CountrySubDivisionName", address.subdivision)


def _party(parent, tag, party):
    node = _el(parent, tag)
    _opt(node, "ram:GlobalID", party.siret, schemeID="0009")
    _el(node, "ram:Name", party.name)
    if party.siren or party.legal_id or party.trading_name:
        legal = _el(node, "ram:SpecifiedLegalOrganization")
        if party.siren:
            _el(legal, "ram:ID", party.siren, schemeID="0002")
        elif party.legal_id:
            attrs = {"schemeID": party.legal_id_scheme} if party.legal_id_scheme else {}
            _el(legal, "ram:ID", party.legal_id, **attrs)
        _opt(legal, "ram:TradingBusinessName", party.trading_name)
    if party.contact_name or party.contact_email or party.contact_phone:
        contact = _el(node, "ram:DefinedTradeContact")
        _opt(contact, "ram:PersonName", party.contact_name)
        if party.contact_phone:
            _el(_el(contact, "ram:TelephoneUniversalCommunication"), "ram:CompleteNumber",
                party.contact_phone)
        if party.contact_email:
            _el(_el(contact, "ram:EmailURIUniversalCommunication"), "ram:URIID",
                party.contact_email)
    _address(node, party.address)
    if party.electronic_address:
        _el(_el(node, "ram:URIUniversalCommunication"), "ram:URIID", party.electronic_address,
            schemeID=party.electronic_address_scheme)
    if party.vat_number:
        _el(_el(node, "ram:SpecifiedTaxRegistration"), "ram:ID", party.vat_number,
            schemeID="VA")


def _adjustment(parent, adj, amount, base, with_tax):
    node = _el(parent, "ram:SpecifiedTradeAllowanceCharge")
    _el(_el(node, "ram:ChargeIndicator"), "udt:Indicator", "true" if adj.charge else "false")
    if adj.percent is not None:
        _el(node, "ram:CalculationPercent", _number(adj.percent))
        _el(node, "ram:BasisAmount", _amount(adj.base_amount if adj.base_amount is not None
                                             else base))
    elif adj.base_amount is not None:
        _el(node, "ram:BasisAmount", _amount(adj.base_amount))
    _el(node, "ram:ActualAmount", _amount(amount))
    _opt(node, "ram:ReasonCode", adj.reason_code)
    _opt(node, "ram:Reason", adj.reason)
    if with_tax:
        tax = _el(node, "ram:CategoryTradeTax")
        _el(tax, "ram:TypeCode", "VAT")
        _el(tax, "ram:CategoryCode", adj.vat_category.upper())
        if adj.vat_category.upper() != "O":
            _el(tax, "ram:RateApplicablePercent", _rate(adj.vat_rate or ZERO))


def _line(parent, line):
    item = _el(parent, "ram:IncludedSupplyChainTradeLineItem")
    _el(_el(item, "ram:AssociatedDocumentLineDocument"), "ram:LineID", line.id)
    product = _el(item, "ram:SpecifiedTradeProduct")
    _opt(product, "ram:SellerAssignedID", line.seller_item_id)
    _el(product, "ram:Name", line.name)
    _opt(product, "ram:Description", line.description)
    price = _el(_el(item, "ram:SpecifiedLineTradeAgreement"), "ram:NetPriceProductTradePrice")
    _el(price, "ram:ChargeAmount", _number(line.unit_price))
    if line.base_quantity is not None:
        _el(price, "ram:BasisQuantity", _number(line.base_quantity), unitCode=line.unit_code)
    _el(_el(item, "ram:SpecifiedLineTradeDelivery"), "ram:BilledQuantity",
        _number(line.quantity), unitCode=line.unit_code)
    settlement = _el(item, "ram:SpecifiedLineTradeSettlement")
    tax = _el(settlement, "ram:ApplicableTradeTax")
    _el(tax, "ram:TypeCode", "VAT")
    _el(tax, "ram:CategoryCode", line.vat_category)
    if line.vat_category != "O":
        _el(tax, "ram:RateApplicablePercent", _rate(line.vat_rate or ZERO))
    gross = line_gross(line)
    for adj in line.allowances_charges:
        _adjustment(settlement, adj, adj.actual_amount(gross), gross, with_tax=False)
    _el(_el(settlement, "ram:SpecifiedTradeSettlementLineMonetarySummation"),
        "ram:LineTotalAmount", _amount(line.net_amount()))


def _header_agreement(parent, inv):
    node = _el(parent, "ram:ApplicableHeaderTradeAgreement")
    _opt(node, "ram:BuyerReference", inv.buyer_reference)
    _party(node, "ram:SellerTradeParty", inv.seller)
    _party(node, "ram:BuyerTradeParty", inv.buyer)
    if inv.purchase_order:
        _el(_el(node, "ram:BuyerOrderReferencedDocument"), "ram:IssuerAssignedID",
            inv.purchase_order)
    if inv.contract_reference:
        _el(_el(node, "ram:ContractReferencedDocument"), "ram:IssuerAssignedID",
            inv.contract_reference)


def _header_delivery(parent, inv):
    node = _el(parent, "ram:ApplicableHeaderTradeDelivery")
    if inv.delivery_address is not None or inv.delivery_party_name:
        ship_to = _el(node, "ram:ShipToTradeParty")
        _opt(ship_to, "ram:Name", inv.delivery_party_name)
        _address(ship_to, inv.delivery_address)
    if inv.delivery_date:
        _date(_el(node, "ram:ActualDeliverySupplyChainEvent"), "ram:OccurrenceDateTime",
              inv.delivery_date)


def _payment_means(parent, pay):
    node = _el(parent, "ram:SpecifiedTradeSettlementPaymentMeans")
    _el(node, "ram:TypeCode", pay.means_code)
    if pay.debtor_iban:
        _el(_el(node, "ram:PayerPartyDebtorFinancialAccount"), "ram:IBANID", pay.debtor_iban)
    if pay.iban:
        account = _el(node, "ram:PayeePartyCreditorFinancialAccount")
        _el(account, "ram:IBANID", pay.iban.replace(" ", ""))
        _opt(account, "ram:AccountName", pay.account_name)
    if pay.bic:
        _el(_el(node, "ram:PayeeSpecifiedCreditorFinancialInstitution"), "ram:BICID", pay.bic)


def _breakdown(parent, inv, vat):
    node = _el(parent, "ram:ApplicableTradeTax")
    _el(node, "ram:CalculatedAmount", _amount(vat.tax))
    _el(node, "ram:TypeCode", "VAT")
    _opt(node, "ram:ExemptionReason", vat.exemption_reason)
    _el(node, "ram:BasisAmount", _amount(vat.basis))
    _el(node, "ram:CategoryCode", vat.category)
    _opt(node, "ram:ExemptionReasonCode", vat.exemption_reason_code)
    _opt(node, "ram:DueDateTypeCode", inv.vat_due_date_code)
    if vat.rate is not None:
        _el(node, "ram:RateApplicablePercent", _rate(vat.rate))


def _summation(parent, inv, totals):
    node = _el(parent, "ram:SpecifiedTradeSettlementHeaderMonetarySummation")
    _el(node, "ram:LineTotalAmount", _amount(totals.line_total))
    if inv.allowances_charges:
        _el(node, "ram:ChargeTotalAmount", _amount(totals.charge_total))
        _el(node, "ram:AllowanceTotalAmount", _amount(totals.allowance_total))
    _el(node, "ram:TaxBasisTotalAmount", _amount(totals.tax_basis_total))
    _el(node, "ram:TaxTotalAmount", _amount(totals.tax_total), currencyID=inv.currency)
    if inv.currency != "EUR" and inv.tax_total_accounting is not None:
        _el(node, "ram:TaxTotalAmount", _amount(inv.tax_total_accounting), currencyID="EUR")
    if totals.rounding:
        _el(node, "ram:RoundingAmount", _amount(totals.rounding))
    _el(node, "ram:GrandTotalAmount", _amount(totals.grand_total))
    if totals.prepaid:
        _el(node, "ram:TotalPrepaidAmount", _amount(totals.prepaid))
    _el(node, "ram:DuePayableAmount", _amount(totals.due_payable))


def _header_settlement(parent, inv, totals):
    node = _el(parent, "ram:ApplicableHeaderTradeSettlement")
    pay = inv.payment
    _opt(node, "ram:CreditorReferenceID", pay and pay.creditor_id)
    _opt(node, "ram:PaymentReference", pay and pay.reference)
    if inv.currency != "EUR":
        _el(node, "ram:TaxCurrencyCode", "EUR")
    _el(node, "ram:InvoiceCurrencyCode", inv.currency)
    if pay is not None:
        _payment_means(node, pay)
    for vat in totals.vat_breakdown:
        _breakdown(node, inv, vat)
    if inv.period_start or inv.period_end:
        period = _el(node, "ram:BillingSpecifiedPeriod")
        if inv.period_start:
            _date(period, "ram:StartDateTime", inv.period_start)
        if inv.period_end:
            _date(period, "ram:EndDateTime", inv.period_end)
    for adj in inv.allowances_charges:
        amount = document_adjustment_amount(inv, adj)
        base = adj.base_amount if adj.base_amount is not None else group_basis(
            inv, adj.vat_category, adj.vat_rate)
        _adjustment(node, adj, amount, base, with_tax=True)
    if inv.due_date or (pay and (pay.terms or pay.mandate_id)):
        terms = _el(node, "ram:SpecifiedTradePaymentTerms")
        _opt(terms, "ram:Description", pay and pay.terms)
        if inv.due_date:
            _date(terms, "ram:DueDateDateTime", inv.due_date)
        _opt(terms, "ram:DirectDebitMandateID", pay and pay.mandate_id)
    _summation(node, inv, totals)
    ref = inv.preceding_invoice
    if ref is not None:
        doc = _el(node, "ram:InvoiceReferencedDocument")
        _el(doc, "ram:IssuerAssignedID", ref.number)
        if ref.issue_date:
            _date(doc, "ram:FormattedIssueDateTime", ref.issue_date, qualified=True)


def to_cii(inv, check=True):
    """Serialize ``inv`` to CII XML bytes (UTF-8); runs :meth:`Invoice.check` first."""
    if not isinstance(inv, Invoice):
        raise InvoiceError(f"to_cii expects an Invoice, got {type(inv).__name__}.",
                           code="invoice_bad_type")
    if check:
        inv.check()
    totals = inv.totals()
    root = etree.Element(f"{{{RSM}}}CrossIndustryInvoice", nsmap=NSMAP)
    context = _el(root, "rsm:ExchangedDocumentContext")
    if inv.business_process:
        _el(_el(context, "ram:BusinessProcessSpecifiedDocumentContextParameter"), "ram:ID",
            inv.business_process)
    _el(_el(context, "ram:GuidelineSpecifiedDocumentContextParameter"), "ram:ID",
        EN16931_GUIDELINE)
    doc = _el(root, "rsm:ExchangedDocument")
    _el(doc, "ram:ID", inv.number)
    _el(doc, "ram:TypeCode", inv.type_code)
    _date(doc, "ram:IssueDateTime", inv.issue_date)
    for note in inv.notes:
        node = _el(doc, "ram:IncludedNote")
        _el(node, "ram:Content", note.content)
        _opt(node, "ram:SubjectCode", note.subject_code)
    transaction = _el(root, "rsm:SupplyChainTradeTransaction")
    for line in inv.lines:
        _line(transaction, line)
    _header_agreement(transaction, inv)
    _header_delivery(transaction, inv)
    _header_settlement(transaction, inv, totals)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)

