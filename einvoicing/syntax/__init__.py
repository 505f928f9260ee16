"""Invoice model <-> XML syntaxes (EN16931 with the French CTC mentions).

- :mod:`.cii`: builds UN/CEFACT CII (Factur-X 1.09 EN16931 profile): :func:`to_cii`;
- :mod:`.ubl`: builds UBL 2.1 Invoice / CreditNote (EN16931 binding): :func:`to_ubl`;
- :mod:`.cii_read` / :mod:`.ubl_read`: read CII and UBL 2.1 into the model (sharing
  :mod:`.reading`);
- :mod:`.read`: :func:`parse_invoice_xml`, either syntax, detected from the root element.
"""

from .cii import to_cii
from .cii_read import from_cii
from .read import parse_invoice_xml
from .ubl import to_ubl
from .ubl_read import from_ubl

__all__ = ["from_cii", "from_ubl", "parse_invoice_xml", "to_cii", "to_ubl"]
