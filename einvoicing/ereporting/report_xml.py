"""Flux 10 XML (root ``Report``, no namespace: ``ereporting.xsd``) from and to the model.

Element order follows the XSD sequences; dates are ``AAAAMMJJ`` (PPF rule G1.09) and
the transmission time ``AAAAMMJJHHMMSS`` (G7.53); transaction amounts have two
decimals (G1.14). Reading goes through :func:`einvoicing.xmlutil.parse_xml` (no
DOCTYPE, no entities, size limit).
"""

from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from lxml import etree

from ..codes import code_number
from ..xmlutil import DEFAULT_MAX_BYTES, parse_xml
from .model import (
    PROFILE_ID,
    SENDER_SCHEME,
    SIREN_SCHEME,
    Company,
    DailyPayments,
    DailyTransactions,
    EReport,
    EReportError,
    InvoiceEntry,
    InvoicePayment,
    RateAmount,
    RateTotal,
    Reference,
    TaxSubtotal,
)

ROOT = "Report"
CENT = Decimal("0.01")


def _d(value):
    return value.strftime("%Y%m%d")


def _amount(value):
    return str(Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP))


def _rate(value):
    return format(Decimal(value).normalize(), "f")


def _sub(parent, tag, text=None, **attrs):
    element = etree.SubElement(parent, tag, {k: v for k, v in attrs.items() if v is not None})
    if text is not None:
        element.text = str(text)
    return element


def build_report(report):
    """The XML bytes (UTF-8, declaration) of an :class:`EReport`."""
    report.check()
    root = etree.Element(ROOT)
    doc = _sub(root, "ReportDocument")
    _sub(doc, "Id", report.transmission_id)
    if report.name:
        _sub(doc, "Name", report.name)
    _sub(_sub(doc, "IssueDateTime"), "DateTimeString", report.issued_at.strftime("%Y%m%d%H%M%S"))
    _sub(doc, "TypeCode", report.type_code)
    sender = _sub(doc, "Sender")
    _sub(sender, "Id", report.platform_id, schemeId=SENDER_SCHEME)
    _sub(sender, "Name", report.platform_name)
    _sub(sender, "RoleCode", "WK")
    issuer = _sub(doc, "Issuer")
    _sub(issuer, "Id", report.issuer_siren, schemeId=SIREN_SCHEME)
    _sub(issuer, "Name", report.issuer_name)
    _sub(issuer, "RoleCode", report.issuer_role)
    if report.is_payments:
        _build_payments(_sub(root, "PaymentsReport"), report)
    else:
        _build_transactions(_sub(root, "TransactionsReport"), report)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def _period(parent, report):
    period = _sub(parent, "ReportPeriod")
    _sub(period, "StartDate", _d(report.period_start))
    _sub(period, "EndDate", _d(report.period_end))


def _company(parent, tag, company):
    node = _sub(parent, tag)
    _sub(node, "CompanyId", company.id, schemeId=company.scheme)
    if company.vat:
        _sub(node, "TaxRegistrationId", company.vat, qualifyingId="VAT")
    if company.country:
        _sub(_sub(node, "PostalAddress"), "CountryId", company.country)


def _build_transactions(parent, report):
    _period(parent, report)
    for entry in report.invoices:
        inv = _sub(parent, "Invoice")
        _sub(inv, "ID", entry.number)
        _sub(inv, "IssueDate", _d(entry.issue_date))
        _sub(inv, "TypeCode", entry.type_code)
        _sub(inv, "CurrencyCode", entry.currency)
        if entry.due_date:
            _sub(inv, "DueDate", _d(entry.due_date))
        if entry.tax_due_date_type_code:
            _sub(inv, "TaxDueDateTypeCode", entry.tax_due_date_type_code)
        process = _sub(inv, "BusinessProcess")
        _sub(process, "ID", entry.business_process)
        _sub(process, "TypeID", PROFILE_ID)
        for ref in entry.references:
            node = _sub(inv, "ReferencedDocument")
            _sub(node, "ID", ref.number)
            if ref.issue_date:
                _sub(node, "IssueDate", _d(ref.issue_date))
        _company(inv, "Seller", entry.seller)
        if entry.buyer:
            _company(inv, "Buyer", entry.buyer)
        totals = _sub(inv, "MonetaryTotal")
        taxable = entry.tax_exclusive_amount
        _sub(totals, "TaxExclusiveAmount",
             _amount(entry.total_taxable if taxable is None else taxable))
        _sub(totals, "TaxAmount", _amount(entry.total_tax), CurrencyCode="EUR")
        for sub in entry.subtotals:
            node = _sub(inv, "TaxSubTotal")
            _sub(node, "TaxableAmount", _amount(sub.taxable_amount))
            _sub(node, "TaxAmount", _amount(sub.tax_amount))
            cat = _sub(node, "TaxCategory")
            _sub(cat, "Code", sub.category)
            _sub(cat, "Percent", _rate(sub.rate))
            if sub.exemption_reason:
                _sub(cat, "TaxExemptionReason", sub.exemption_reason)
            if sub.exemption_code:
                _sub(cat, "TaxExemptionReasonCode", sub.exemption_code)
    for day in report.transactions:
        node = _sub(parent, "Transactions")
        _sub(node, "Date", _d(day.day))
        _sub(node, "TransactionsCurrency", day.currency)
        if day.tax_due_date_type_code:
            _sub(node, "TaxDueDateTypeCode", day.tax_due_date_type_code)
        _sub(node, "CategoryCode", day.category)
        _sub(node, "TaxExclusiveAmount", _amount(day.total_taxable))
        _sub(node, "TaxTotal", _amount(day.total_tax))
        if day.count is not None:
            _sub(node, "TransactionsCount", day.count)
        for sub in day.subtotals:
            rate = _sub(node, "TaxSubtotal")
            _sub(rate, "TaxPercent", _rate(sub.rate))
            _sub(rate, "TaxableAmount", _amount(sub.taxable_amount))
            _sub(rate, "TaxTotal", _amount(sub.tax_amount))


def _payment(parent, when, amounts):
    node = _sub(parent, "Payment")
    _sub(node, "Date", _d(when))
    for item in amounts:
        sub = _sub(node, "SubTotals")
        _sub(sub, "TaxPercent", _rate(item.rate))
        if item.currency:
            _sub(sub, "CurrencyCode", item.currency)
        _sub(sub, "Amount", _amount(item.amount))


def _build_payments(parent, report):
    _period(parent, report)
    for pay in report.invoice_payments:
        inv = _sub(parent, "Invoice")
        _sub(inv, "InvoiceID", pay.invoice_number)
        _sub(inv, "IssueDate", _d(pay.invoice_date))
        _payment(inv, pay.payment_date, pay.amounts)
    for day in report.daily_payments:
        _payment(_sub(parent, "Transactions"), day.day, day.amounts)


# -- reading ------------------------------------------------------------------------------

def is_report(root):
    """True when ``root`` (lxml element) is a flux 10 ``Report``."""
    return etree.QName(root).namespace is None and etree.QName(root).localname == ROOT


def parse_report(data, max_bytes=DEFAULT_MAX_BYTES, filename=None):
    """Read flux 10 XML (bytes or element) into an :class:`EReport`.

    :raises UnreadableInput: hostile or unreadable XML.
    :raises EReportError: not a ``Report``, or a value the model cannot hold (the
        message names the element); run :func:`validate_report` for the rules.
    """
    root = data if isinstance(data, etree._Element) else parse_xml(data, max_bytes, filename)
    if not is_report(root):
        raise EReportError(f"The root element is {etree.QName(root).localname!r}; a flux 10 "
                           "e-report starts with <Report>.", code="ereport_not_report")
    reader = _Reader(root)
    doc = reader.node(root, "ReportDocument")
    trs, pay = root.find("TransactionsReport"), root.find("PaymentsReport")
    body = trs if trs is not None else pay
    if body is None:
        raise EReportError("The report has neither TransactionsReport nor PaymentsReport.",
                           code="ereport_empty")
    report = EReport(
        transmission_id=reader.text(doc, "Id"),
        name=reader.text(doc, "Name", required=False),
        issued_at=reader.timestamp(doc, "IssueDateTime/DateTimeString"),
        type_code=reader.text(doc, "TypeCode"),
        platform_id=reader.text(doc, "Sender/Id"),
        platform_name=reader.text(doc, "Sender/Name"),
        issuer_siren=reader.text(doc, "Issuer/Id"),
        issuer_name=reader.text(doc, "Issuer/Name"),
        issuer_role=reader.text(doc, "Issuer/RoleCode"),
        period_start=reader.day(body, "ReportPeriod/StartDate"),
        period_end=reader.day(body, "ReportPeriod/EndDate"),
    )
    if trs is not None:
        report.invoices = [_read_invoice(reader, n) for n in trs.findall("Invoice")]
        report.transactions = [_read_daily(reader, n) for n in trs.findall("Transactions")]
    if pay is not None:
        report.invoice_payments = [
            InvoicePayment(reader.text(n, "InvoiceID"), reader.day(n, "IssueDate"),
                           reader.day(n, "Payment/Date"), _read_amounts(reader, n))
            for n in pay.findall("Invoice")]
        report.daily_payments = [
            DailyPayments(reader.day(n, "Payment/Date"), _read_amounts(reader, n))
            for n in pay.findall("Transactions")]
    return report


def _read_company(reader, node):
    if node is None:
        return None
    company_id = node.find("CompanyId")
    return Company(id=(company_id.text or "").strip() if company_id is not None else "",
                   scheme=company_id.get("schemeId") if company_id is not None else "",
                   vat=reader.text(node, "TaxRegistrationId", required=False),
                   country=reader.text(node, "PostalAddress/CountryId", required=False))


def _read_invoice(reader, node):
    entry = InvoiceEntry(
        number=reader.text(node, "ID"),
        issue_date=reader.day(node, "IssueDate"),
        type_code=reader.text(node, "TypeCode"),
        currency=reader.text(node, "CurrencyCode"),
        due_date=reader.day(node, "DueDate", required=False),
        tax_due_date_type_code=reader.text(node, "TaxDueDateTypeCode", required=False),
        business_process=reader.text(node, "BusinessProcess/ID"),
        references=[Reference(reader.text(r, "ID"), reader.day(r, "IssueDate", required=False))
                    for r in node.findall("ReferencedDocument")],
        seller=_read_company(reader, node.find("Seller")),
        buyer=_read_company(reader, node.find("Buyer")),
        tax_exclusive_amount=reader.number(node, "MonetaryTotal/TaxExclusiveAmount",
                                           required=False),
        subtotals=[TaxSubtotal(
            taxable_amount=reader.number(s, "TaxableAmount"),
            tax_amount=reader.number(s, "TaxAmount"),
            rate=reader.number(s, "TaxCategory/Percent"),
            category=reader.text(s, "TaxCategory/Code", required=False) or "S",
            exemption_reason=reader.text(s, "TaxCategory/TaxExemptionReason", required=False),
            exemption_code=reader.text(s, "TaxCategory/TaxExemptionReasonCode", required=False),
        ) for s in node.findall("TaxSubTotal")],
    )
    if entry.tax_exclusive_amount == entry.total_taxable:
        entry.tax_exclusive_amount = None  # None means "the sum of the subtotals"
    return entry


def _read_daily(reader, node):
    count = reader.text(node, "TransactionsCount", required=False)
    return DailyTransactions(
        day=reader.day(node, "Date"),
        currency=reader.text(node, "TransactionsCurrency"),
        category=reader.text(node, "CategoryCode"),
        tax_due_date_type_code=reader.text(node, "TaxDueDateTypeCode", required=False),
        count=code_number(count, 18) if count else None,
        subtotals=[RateTotal(reader.number(s, "TaxPercent"), reader.number(s, "TaxableAmount"),
                             reader.number(s, "TaxTotal"))
                   for s in node.findall("TaxSubtotal")],
    )


def _read_amounts(reader, node):
    return [RateAmount(reader.number(s, "TaxPercent"), reader.number(s, "Amount"),
                       reader.text(s, "CurrencyCode", required=False))
            for s in node.findall("Payment/SubTotals")]


class _Reader:
    """Typed access to child elements with errors that name the element path."""

    def __init__(self, root):
        self.tree = root.getroottree()

    def node(self, parent, path):
        found = parent.find(path)
        if found is None:
            raise EReportError(f"Missing element {self._where(parent)}/{path}.",
                               code="ereport_missing", field=path)
        return found

    def text(self, parent, path, required=True):
        found = parent.find(path)
        value = (found.text or "").strip() if found is not None else ""
        if not value and required:
            raise EReportError(f"Missing or empty element {self._where(parent)}/{path}.",
                               code="ereport_missing", field=path)
        return value or None

    def day(self, parent, path, required=True):
        value = self.text(parent, path, required)
        if value is None:
            return None
        try:
            if len(value) != 8 or not value.isdigit():
                raise ValueError(value)
            return datetime.strptime(value, "%Y%m%d").date()
        except ValueError:
            raise EReportError(f"{self._where(parent)}/{path} is {value!r}; expected a date "
                               "AAAAMMJJ.", code="ereport_bad_value", field=path) from None

    def timestamp(self, parent, path):
        value = self.text(parent, path)
        try:
            return datetime.strptime(value, "%Y%m%d%H%M%S")
        except ValueError:
            raise EReportError(f"{self._where(parent)}/{path} is {value!r}; expected "
                               "AAAAMMJJHHMMSS.", code="ereport_bad_value", field=path) from None

    def number(self, parent, path, required=True):
        value = self.text(parent, path, required)
        if value is None:
            return None
        try:
            result = Decimal(value)
        except InvalidOperation:
            result = None
        if result is None or not result.is_finite():
            raise EReportError(f"{self._where(parent)}/{path} is {value!r}; expected a "
                               "decimal number with a point.", code="ereport_bad_value",
                               field=path)
        return result

    def _where(self, element):
        return self.tree.getpath(element)
