"""UBL 2.1 Invoice / CreditNote -> invoice model (in progress)."""

from .invoice_values import InvoiceError


def from_ubl(xml):
    raise InvoiceError("Reading UBL invoices is not available yet in this version.",
                       code="ubl_not_supported")
