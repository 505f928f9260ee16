"""The neutral invoice model: dataclasses with Decimal amounts, JSON form, totals, checks.

- :mod:`.model`: :class:`Invoice` and its parts (parties, lines, allowances, payment);
- :mod:`.values`: reading JSON values (strings, decimals, dates) and :class:`InvoiceError`;
- :mod:`.totals`: the EN16931 calculation rules (:class:`Totals`, :class:`VatBreakdown`);
- :mod:`.checks` (with :mod:`.parties` and :mod:`.payment`): the EN16931 and BR-FR rules
  the model decides by itself;
- :mod:`.samples`: valid sample invoices (demo, sandbox, tests).
"""

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
from .totals import Totals, VatBreakdown
from .values import InvoiceError

__all__ = [
    "Address", "AllowanceCharge", "Invoice", "InvoiceError", "InvoiceReference", "Line", "Note",
    "Party", "PaymentInfo", "Totals", "VatBreakdown",
]
