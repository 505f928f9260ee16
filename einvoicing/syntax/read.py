"""Read an invoice in either syntax: CII or UBL 2.1, detected from the root element."""

from ..invoice import InvoiceError
from ..xmlutil import local_name, parse_xml
from .cii_read import from_cii
from .ubl_read import from_ubl

__all__ = ["parse_invoice_xml"]


def parse_invoice_xml(xml, name=None):
    """Read a CII or UBL 2.1 invoice / credit note (detected from the root element)."""
    root = parse_xml(xml, name=name)
    kind = local_name(root)
    if kind == "CrossIndustryInvoice":
        return from_cii(root)
    if kind in ("Invoice", "CreditNote"):
        return from_ubl(root)
    raise InvoiceError(
        f"The XML root element is {kind!r}: expected a CII CrossIndustryInvoice or a UBL "
        "Invoice / CreditNote.", code="invoice_unknown_syntax", root=kind)
