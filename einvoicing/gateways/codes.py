"""AFNOR status and reason codes <-> the names of the Qonto and A-Cube APIs.

Both tables come from the lifecycle catalogue (:mod:`einvoicing.lifecycle.data`):

- A-Cube names its statuses like the catalogue keys (``PAYMENT_RECEIVED`` = 212) and
  accepts 200-213 (its documented list); its rejection reasons are the catalogue's
  ``REASON_ALIASES`` (``VAT_RATE_INCORRECT`` = ``TX_TVA_ERR``), each with the statuses
  the documentation allows it for.
- Qonto reports the AFNOR numeric codes 200-214 in ``einvoicing_lifecycle_events``
  with a French reason *label* ("DOUBLE FACTURE"), and takes AFNOR reason codes in
  ``declined_reason_code``; its per-invoice ``einvoicing_status`` is a summary.
"""

from ..codes import code_number
from ..lifecycle import REASONS, STATUSES
from ..lifecycle import data as catalogue
from .base import PUSH_STATUS, unsupported

# A-Cube: its documented status list (seed 002, docs.acubeapi.com gov-fr lifecycle).
ACUBE_STATUS_CODES = tuple(range(200, 214))
ACUBE_STATUS_NAMES = {code: STATUSES[code].key for code in ACUBE_STATUS_CODES}
_ACUBE_STATUS_CODES = {name: code for code, name in ACUBE_STATUS_NAMES.items()}
# A-Cube reason name -> AFNOR reason code, and back.
ACUBE_REASONS = {name: code for name, (code, _statuses) in catalogue.REASON_ALIASES.items()}
ACUBE_REASON_STATUSES = {name: statuses for name, (_c, statuses)
                         in catalogue.REASON_ALIASES.items()}
_ACUBE_REASON_NAMES = {}
for _name, _code in ACUBE_REASONS.items():
    _ACUBE_REASON_NAMES.setdefault(_code, _name)


def acube_status_name(code):
    """The A-Cube name of AFNOR status ``code`` (212 -> PAYMENT_RECEIVED)."""
    if int(code) not in ACUBE_STATUS_NAMES:
        raise unsupported("acube", PUSH_STATUS, f"status {code} is not in A-Cube's list "
                          "(200-213).", partly=True)
    return ACUBE_STATUS_NAMES[int(code)]


def acube_status_code(value):
    """The AFNOR code of an A-Cube status given as a number, "205" or a name."""
    text = str(value).strip().upper()
    if code_number(text) in STATUSES:
        return code_number(text)
    if text in _ACUBE_STATUS_CODES:
        return _ACUBE_STATUS_CODES[text]
    if text == "PAID":  # the invoice.outbound webhook names 212 this way
        return 212
    raise unsupported("acube", "events", f"A-Cube status {value!r} is not known.", partly=True)


def acube_reason_name(reason_code):
    """The A-Cube ``rejectionReason`` of an AFNOR reason code (TX_TVA_ERR -> VAT_RATE_INCORRECT)."""
    if reason_code not in _ACUBE_REASON_NAMES:
        names = ", ".join(f"{code} ({name})" for code, name in sorted(_ACUBE_REASON_NAMES.items()))
        raise unsupported("acube", PUSH_STATUS, f"reason {reason_code} has no A-Cube name; "
                          f"choose one of {names}.", partly=True)
    return _ACUBE_REASON_NAMES[reason_code]


def acube_reason_code(name):
    """The AFNOR reason code of an A-Cube ``rejectionReason`` (None when absent)."""
    if not name:
        return None
    text = str(name).strip().upper()
    if text in ACUBE_REASONS:
        return ACUBE_REASONS[text]
    return text if text in REASONS else None


# Qonto: the codes of its einvoicing_lifecycle_events (docs.qonto.com client invoice object).
QONTO_STATUS_CODES = tuple(range(200, 215))
# einvoicing_status summary -> the AFNOR status that best says the same (choice: the
# documentation gives the names only). pending: asked, not yet deposited.
QONTO_SUMMARY = {"pending": None, "submitted": 200, "approved": 205, "declined": 210,
                 "not_delivered": 221, "submission_failed": 213}
# Reason labels seen in Qonto events that are neither an AFNOR code nor a catalogue label.
QONTO_REASON_LABELS = {"DOUBLE FACTURE": "DOUBLE_FACT"}


def _fold(text):
    import unicodedata

    text = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode()
    return " ".join(text.replace("_", " ").upper().split())


_QONTO_LABELS = {_fold(r.label_fr): r.code for r in REASONS.values()}
_QONTO_LABELS.update({_fold(label): code for label, code in QONTO_REASON_LABELS.items()})


def qonto_status_code(value):
    """The AFNOR code of a Qonto lifecycle ``status_code`` (200-214)."""
    if code_number(value) in QONTO_STATUS_CODES:
        return code_number(value)
    raise unsupported("qonto", "events", f"Qonto status code {value!r} is not in 200-214.",
                      partly=True)


def qonto_reason_code(label):
    """The AFNOR reason code of a Qonto event ``reason`` (code or French label), or None."""
    if not label:
        return None
    text = str(label).strip().upper()
    if text in REASONS:
        return text
    return _QONTO_LABELS.get(_fold(label))


def qonto_reason_label(reason_code):
    """The label Qonto shows for an AFNOR reason code (the catalogue's French label)."""
    return REASONS[reason_code].label_fr.upper()


def qonto_summary_status(summary):
    """The AFNOR status of a Qonto ``einvoicing_status`` (None for pending)."""
    if summary not in QONTO_SUMMARY:
        raise unsupported("qonto", "events", f"einvoicing_status {summary!r} is unknown.",
                          partly=True)
    return QONTO_SUMMARY[summary]
