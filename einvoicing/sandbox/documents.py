"""What the platform reads in a received invoice: kind, validation report, routing keys.

The routing keys (number, date, seller/buyer SIREN, amount) are read with a few
XPath expressions rather than the full invoice model on purpose: a platform must
still identify an invoice it rejects, and an invalid invoice may not load into the
model at all.
"""

import re
from dataclasses import dataclass
from datetime import date

from .. import validation
from ..xmlutil import parse_xml

NS = {
    "rsm": "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100",
    "ram": "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100",
    "udt": "urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100",
    "cac": "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2",
    "cbc": "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2",
}
# flowSyntax -> Report.kind expected from einvoicing.validation.validate
SYNTAX_KINDS = {"CII": "cii", "UBL": "ubl", "Factur-X": "facturx-pdf"}
PROFILE_MAP = {"basic": "Basic", "en16931": "CIUS", "extended": "Extended-CTC-FR"}


@dataclass
class InvoiceKeys:
    number: str | None
    issue_date: date | None
    type_code: str | None
    seller_siren: str | None
    buyer_siren: str | None
    amount: str | None
    currency: str | None

    def missing(self):
        names = {"number": "invoice number (BT-1)", "issue_date": "issue date (BT-2)",
                 "seller_siren": "seller SIREN (BT-30 / BT-34 / BT-31)"}
        return [label for attr, label in names.items() if not getattr(self, attr)]


def _first(root, paths):
    for path in paths:
        values = root.xpath(path, namespaces=NS)
        for value in values:
            text = (value if isinstance(value, str) else value.text or "").strip()
            if text:
                return text
    return None


def _siren(root, party):
    """SIREN of a party: legal registration 0002, 0225 address, SIRET, or French VAT."""
    value = _first(root, [f"{party}/*[local-name()='SpecifiedLegalOrganization']/ram:ID",
                          f"{party}/cac:PartyLegalEntity/cbc:CompanyID",
                          f"{party}/ram:URIUniversalCommunication/ram:URIID[@schemeID='0225']",
                          f"{party}/cbc:EndpointID[@schemeID='0225']"])
    match = re.match(r"^(\d{9})(\d{5})?(?:\D|$)", value or "")
    if match:
        return match.group(1)
    vat = _first(root, [f"{party}/ram:SpecifiedTaxRegistration/ram:ID[@schemeID='VA']",
                        f"{party}/cac:PartyTaxScheme/cbc:CompanyID"])
    match = re.match(r"^FR[0-9A-Z]{2}(\d{9})$", (vat or "").replace(" ", ""))
    return match.group(1) if match else None


def _date(text):
    digits = re.sub(r"\D", "", text or "")
    if len(digits) != 8:
        return None
    try:
        return date(int(digits[:4]), int(digits[4:6]), int(digits[6:]))
    except ValueError:
        return None


def read_keys(xml):
    """Routing keys of a CII or UBL invoice (None where absent)."""
    root = parse_xml(xml)
    if root.tag.endswith("CrossIndustryInvoice"):
        agreement = "//ram:ApplicableHeaderTradeAgreement"
        summary = "//ram:SpecifiedTradeSettlementHeaderMonetarySummation"
        return InvoiceKeys(
            number=_first(root, ["rsm:ExchangedDocument/ram:ID"]),
            issue_date=_date(_first(root, ["rsm:ExchangedDocument/ram:IssueDateTime/*"])),
            type_code=_first(root, ["rsm:ExchangedDocument/ram:TypeCode"]),
            seller_siren=_siren(root, f"{agreement}/ram:SellerTradeParty"),
            buyer_siren=_siren(root, f"{agreement}/ram:BuyerTradeParty"),
            amount=_first(root, [f"{summary}/ram:DuePayableAmount",
                                 f"{summary}/ram:GrandTotalAmount"]),
            currency=_first(root, ["//ram:InvoiceCurrencyCode"]))
    return InvoiceKeys(
        number=_first(root, ["/*/cbc:ID"]),
        issue_date=_date(_first(root, ["/*/cbc:IssueDate"])),
        type_code=_first(root, ["/*/cbc:InvoiceTypeCode", "/*/cbc:CreditNoteTypeCode"]),
        seller_siren=_siren(root, "/*/cac:AccountingSupplierParty/cac:Party"),
        buyer_siren=_siren(root, "/*/cac:AccountingCustomerParty/cac:Party"),
        amount=_first(root, ["/*/cac:LegalMonetaryTotal/cbc:PayableAmount"]),
        currency=_first(root, ["/*/cbc:DocumentCurrencyCode"]))


def invoice_xml(content, syntax):
    """The invoice XML of a received file (extracted from the PDF for Factur-X)."""
    if syntax == "Factur-X":
        from ..facturx import extract
        return extract(content)[0]
    return content


def flow_profile(report):
    """AFNOR FlowProfile from the validation report's Factur-X/CII profile."""
    profile = (report.profile or "").lower()
    for key, value in PROFILE_MAP.items():
        if key in profile:
            return value
    return "Undefined"


def validate(content, name):
    return validation.validate(content, filename=name)


def ack_details(report, limit=20):
    """AFNOR AcknowledgementDetails from the blocking findings of a report."""
    details = []
    for finding in report.errors[:limit]:
        item = finding.rule_id or "invoice"
        if finding.location:
            item = f"{item} at {finding.location}"
        code = "InvalidSchema" if finding.source in ("xsd", "cdar-xsd") else "BusinessRuleError"
        details.append({"level": "Error", "item": item, "reasonCode": code,
                        "reasonMessage": finding.message})
    return details


def cii_of(content, syntax):
    """The flow's invoice as CII (converted from UBL through the invoice model)."""
    xml = invoice_xml(content, syntax)
    if syntax == "UBL":
        from ..syntax import parse_invoice_xml, to_cii
        return to_cii(parse_invoice_xml(xml), check=False)
    return xml


def render(row, doc_type):
    """(bytes, file name) of the Converted or ReadableView document of a flow row."""
    content, syntax, stem = bytes(row["content"]), row["flow_syntax"], row["name"].rsplit(".", 1)[0]
    if syntax not in SYNTAX_KINDS:
        return None
    if doc_type == "Converted":
        return cii_of(content, syntax), f"{stem}.cii.xml"
    if syntax == "Factur-X":
        return content, row["name"]
    from ..facturx import embed
    return embed(cii_of(content, syntax)), f"{stem}.pdf"
