"""CDAR D22B lifecycle messages (CDV, flow 6): build what we emit, read what we receive.

Built messages follow the French profile ``urn.cpro.gouv.fr:1p0:CDV:invoice``
(exchanges between accredited platforms) and pass the official D22B XSD and
the BR-FR-CDV schematron (checked in tests): transmission statuses (200-203,
213, ...) use TypeCode 305, processing statuses TypeCode 23; the issuer is
SE (supplier), BY (buyer) or WK (platform); payments are MPA (211) or MEN
(212, one line per VAT rate, BR-FR-CDV-14; a negative MEN reverses a payment); every
other characteristic of BR-FR-CDV-CL-11 (approved amounts, data in error DIV/DVA,
completed data MAJ, ...) is a :class:`~.characteristics.Characteristic`. The
recipient is addressed as the official examples do: its SIREN (0002), name, role
and its 0225 electronic address from the directory (e.g. ``100000009_STATUTS``).

Date-times use format 204 (CCYYMMDDHHMMSS), which carries no time zone: we
write them in UTC and read them as UTC. The business timestamp of an event
is MDT-78 (when the status was set), falling back to MDT-8.
"""

from .cdar_build import build_cdar
from .cdar_model import (
    DOCUMENT_STATUS_CODES,
    GUIDELINE,
    ROLE_CODES,
    CdarError,
    StatusMessage,
)
from .cdar_parse import MAX_BYTES, parse_cdar

__all__ = [
    "DOCUMENT_STATUS_CODES", "GUIDELINE", "MAX_BYTES", "ROLE_CODES", "CdarError", "StatusMessage",
    "build_cdar", "parse_cdar",
]
