"""AFNOR lifecycle catalogue: statuses 200-214 (+220-228, 501), badges, actions, reasons.

One place for the vocabulary of invoice lifecycle messages (CDAR, flow 6):
labels FR/EN, who may emit each status, the consolidated badge shown to
users, which actions a user may take on each kind of document, which reason
codes each status accepts (BR-FR-CDV schematron), and payment details for
211/212 (:mod:`.payment`). The rows themselves are in :mod:`.data`; their renderings
(JSON, and the Markdown of ``readme/LIFECYCLE.md``) in :mod:`.views`.
"""

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import Enum

from ..codes import code_number
from . import data
from .payment import LifecycleError, PaymentAmount, split_by_vat_rate

__all__ = [
    "ACTIONS", "BADGE_COLORS", "BADGE_LABELS", "DOCUMENT_KINDS", "LIFECYCLE_ORDER", "REASONS",
    "ROLES", "STATUSES", "Action", "Badge", "Event", "LifecycleError", "PaymentAmount", "Reason",
    "Status", "actions_for", "badge_for", "check_payment", "check_reason", "current_status",
    "get_status", "reasons_for", "resolve_reason", "split_by_vat_rate",
]

ROLES = (data.PLATFORM, data.BUYER, data.SUPPLIER)


class Badge(str, Enum):
    PENDING = "pending"
    ACCEPTED = "accepted"
    REJECTED = "rejected"
    PAID = "paid"


BADGE_COLORS = {Badge.PENDING: "orange", Badge.ACCEPTED: "green", Badge.REJECTED: "red",
                Badge.PAID: "blue"}
BADGE_LABELS = {
    Badge.PENDING: {"fr": "En attente", "en": "Pending"},
    Badge.ACCEPTED: {"fr": "Acceptée", "en": "Accepted"},
    Badge.REJECTED: {"fr": "Rejetée", "en": "Rejected"},
    Badge.PAID: {"fr": "Payée", "en": "Paid"},
}
_BADGE_OF = {code: Badge(name) for name, codes in data.BADGE_CODES.items() for code in codes}

# Tie-break of current_status: at equal business timestamps the later status here wins.
LIFECYCLE_ORDER = (200, 201, 202, 203, 213, 221, 501, 204, 214, 208, 209, 207, 206, 205, 210,
                   224, 225, 226, 227, 228, 211, 212, 220)


@dataclass(frozen=True)
class Reason:
    code: str
    label_fr: str
    label_en: str
    statuses: tuple = ()
    aliases: tuple = ()


def _build_reasons():
    reasons = {}
    for code, (label_fr, label_en) in data.REASON_LABELS.items():
        statuses = tuple(s for s, codes in data.STATUS_REASONS.items() if code in codes)
        aliases = tuple(a for a, (target, _) in data.REASON_ALIASES.items() if target == code)
        reasons[code] = Reason(code, label_fr, label_en, statuses, aliases)
    return reasons


REASONS = _build_reasons()


@dataclass(frozen=True)
class Status:
    code: int
    label_fr: str
    label_en: str
    definition_fr: str
    definition_en: str
    emitters: frozenset
    badge: Badge | None
    mandatory: bool | str
    reasons: tuple
    key: str = ""
    reason_required: bool = False
    transmission: bool = False


def _build_statuses():
    statuses = {}
    for code, (key, label_fr, label_en, def_fr, def_en, emitters) in data.STATUS_ROWS.items():
        statuses[code] = Status(
            code=code, label_fr=label_fr, label_en=label_en, definition_fr=def_fr,
            definition_en=def_en, emitters=frozenset(emitters), badge=_BADGE_OF.get(code),
            mandatory=data.MANDATORY.get(code, False), reasons=data.STATUS_REASONS.get(code, ()),
            key=key, reason_required=code in data.REASON_REQUIRED,
            transmission=code in data.TRANSMISSION_STATUSES,
        )
    return statuses


STATUSES = _build_statuses()
_BY_KEY = {status.key: status for status in STATUSES.values()}


def get_status(code):
    """The :class:`Status` for ``code``: 212, "212" or its key "PAYMENT_RECEIVED"."""
    text = str(code).strip() if code is not None and not isinstance(code, bool) else ""
    if code_number(text) in STATUSES:
        return STATUSES[code_number(text)]
    if text.upper() in _BY_KEY:
        return _BY_KEY[text.upper()]
    known = ", ".join(str(c) for c in STATUSES)
    raise LifecycleError(
        f"Lifecycle status {code!r} is unknown; use one of the AFNOR codes {known} "
        "(or a key such as PAYMENT_RECEIVED).",
        code="status_unknown", value=str(code),
    )


def badge_for(code):
    """Consolidated badge of a status code (None for statuses outside the four badges)."""
    return get_status(code).badge


def resolve_reason(reason_code):
    """The :class:`Reason` for an AFNOR code (TX_TVA_ERR) or an alias (VAT_RATE_INCORRECT)."""
    text = str(reason_code).strip().upper()
    if text in REASONS:
        return REASONS[text]
    if text in data.REASON_ALIASES:
        return REASONS[data.REASON_ALIASES[text][0]]
    raise LifecycleError(
        f"Reason {reason_code!r} is not an AFNOR lifecycle reason code; use a code such as "
        "TX_TVA_ERR or DOUBLON (see `python -m einvoicing lifecycle`).",
        code="reason_unknown", value=str(reason_code),
    )


def reasons_for(status_code):
    """Reasons allowed for a status, in the schematron's order."""
    return [REASONS[c] for c in get_status(status_code).reasons]


def check_reason(status_code, reason_code):
    """Return the AFNOR reason code to send, or None; raise when not allowed or missing."""
    status = get_status(status_code)
    allowed = ", ".join(status.reasons)
    if reason_code is None or not str(reason_code).strip():
        if status.reason_required:
            raise LifecycleError(
                f"Status {status.code} ({status.label_en}) requires a reason (BR-FR-CDV-15); "
                f"choose one of: {allowed}.",
                code="reason_required", status=status.code,
            )
        return None
    reason = resolve_reason(reason_code)
    if reason.code not in status.reasons:
        hint = f"choose one of: {allowed}" if allowed else "send it without a reason code"
        raise LifecycleError(
            f"Reason {reason_code!r} ({reason.code}) is not allowed for status {status.code} "
            f"({status.label_en}) by rule BR-FR-CDV-CL-09; {hint}.",
            code="reason_not_allowed", status=status.code, reason=reason.code,
        )
    return reason.code


def check_payment(status_code, amounts):
    """Validate payment details for a status; returns the list (may be empty).

    211 and 212 need at least one amount; 212 needs a VAT rate on each line, one
    line per rate (BR-FR-CDV-14). Other statuses carry no amount.
    """
    status = get_status(status_code)
    amounts = list(amounts or [])
    for item in amounts:
        if not isinstance(item, PaymentAmount):
            raise LifecycleError(
                f"Payment details must be PaymentAmount objects, got {type(item).__name__}.",
                code="payment_type",
            )
    if status.code not in (211, 212):
        if amounts:
            raise LifecycleError(
                f"Status {status.code} ({status.label_en}) carries no payment amount; "
                "amounts are for 211 (payment sent) and 212 (payment received).",
                code="payment_not_allowed", status=status.code,
            )
        return amounts
    if not amounts:
        raise LifecycleError(
            f"Status {status.code} ({status.label_en}) needs the amount paid and its currency.",
            code="payment_missing", status=status.code,
        )
    if status.code == 212:
        _check_vat_lines(amounts)
    return amounts


def _check_vat_lines(amounts):
    seen = set()
    for item in amounts:
        if item.vat_rate is None:
            raise LifecycleError(
                f"Payment received (212): the amount {item.amount} {item.currency} needs its "
                "VAT rate (BR-FR-CDV-14: one MEN line per VAT rate).",
                code="payment_vat_rate_missing",
            )
        if item.vat_rate in seen:
            raise LifecycleError(
                f"Payment received (212): VAT rate {item.vat_rate}% appears twice; give one "
                "line per VAT rate (BR-FR-CDV-14).",
                code="payment_vat_rate_duplicate", vat_rate=str(item.vat_rate),
            )
        seen.add(item.vat_rate)
    if len({item.currency for item in amounts}) > 1:
        raise LifecycleError(
            "Payment received (212): all lines must use the same currency.",
            code="payment_currency_mixed",
        )


@dataclass
class Event:
    """One lifecycle event (a parsed CDAR message or a status we emitted)."""

    message_id: str
    status_code: int
    timestamp: datetime
    issuer_role: str
    invoice_number: str
    invoice_date: date | None = None
    seller_siren: str | None = None
    buyer_siren: str | None = None
    reason_code: str | None = None
    reason_text: str | None = None
    message: str | None = None
    amounts: list = field(default_factory=list)
    flow_id: str | None = None
    invoice_type_code: str | None = None
    characteristics: list = field(default_factory=list)
    requested_action_code: str | None = None
    requested_action: str | None = None
    recipient_address: str | None = None

    def to_dict(self):
        """JSON-able dict (dates ISO 8601, amounts as strings)."""
        status = STATUSES.get(self.status_code)
        return {
            "message_id": self.message_id, "status_code": self.status_code,
            "status_label_fr": status.label_fr if status else None,
            "status_label_en": status.label_en if status else None,
            "badge": status.badge.value if status and status.badge else None,
            "timestamp": self.timestamp.isoformat(), "issuer_role": self.issuer_role,
            "invoice_number": self.invoice_number,
            "invoice_date": self.invoice_date.isoformat() if self.invoice_date else None,
            "invoice_type_code": self.invoice_type_code,
            "seller_siren": self.seller_siren, "buyer_siren": self.buyer_siren,
            "reason_code": self.reason_code, "reason_text": self.reason_text,
            "message": self.message, "amounts": [a.to_dict() for a in self.amounts],
            "flow_id": self.flow_id,
            "characteristics": [c.to_dict() for c in self.characteristics],
            "requested_action_code": self.requested_action_code,
            "requested_action": self.requested_action,
            "recipient_address": self.recipient_address,
        }


def _order(code):
    return LIFECYCLE_ORDER.index(code) if code in LIFECYCLE_ORDER else -1


def current_status(events):
    """The event giving the current status: latest business timestamp, ties by lifecycle order."""
    events = list(events)
    if not events:
        return None
    return max(events, key=lambda e: (e.timestamp, _order(e.status_code)))


DOCUMENT_KINDS = ("customer_invoice", "customer_credit_note", "vendor_bill", "vendor_credit_note")


@dataclass(frozen=True)
class Action:
    """A status update a user may push from a document (a button of the Odoo widget)."""

    key: str
    status_code: int
    label_fr: str
    label_en: str
    needs_amount: bool = False
    needs_reason: bool = False
    full_amount: bool = False
    issuer_role: str = ""
    offered_after: tuple = ()  # offered only when the current status is one of these
    not_after: tuple = ()  # never offered when the current status is one of these
    needs_sent: bool = False  # only once the document is on the platform

    def offered(self, current=None, sent=True):
        """Whether the lifecycle allows this action now (``current``: status code or None)."""
        if self.needs_sent and not sent:
            return False
        if self.offered_after and current not in self.offered_after:
            return False
        return current not in self.not_after


_RECEIVED = Action("payment_received", 212, "Paiement encaissé", "Payment received",
                   needs_amount=True, issuer_role=data.SUPPLIER)
_MARK_PAID = Action("mark_paid", 212, "Marquer comme payée", "Mark as paid",
                    full_amount=True, issuer_role=data.SUPPLIER)
_REFUND = Action("refund_sent", 211, "Remboursement effectué", "Payment issued (refund)",
                 needs_amount=True, issuer_role=data.SUPPLIER)
# The supplier answers a suspension (208) with the completed data (209), and may cancel a
# sent invoice (220) as long as it is neither paid, refused, rejected nor cancelled.
_COMPLETE = Action("complete", 209, "Compléter", "Complete", issuer_role=data.SUPPLIER,
                   offered_after=(208,))
_CANCEL = Action("cancel", 220, "Annuler", "Cancel", issuer_role=data.SUPPLIER,
                 needs_sent=True, not_after=(210, 211, 212, 213, 220, 501))
_VENDOR = (
    Action("in_hand", 204, "Prise en charge", "In hand", issuer_role=data.BUYER),
    Action("approve", 205, "Approuver", "Approve", issuer_role=data.BUYER),
    Action("approve_partially", 206, "Approuver partiellement", "Approve partially",
           needs_reason=True, issuer_role=data.BUYER),
    Action("dispute", 207, "Mettre en litige", "Dispute", needs_reason=True,
           issuer_role=data.BUYER),
    Action("suspend", 208, "Suspendre", "Suspend", needs_reason=True, issuer_role=data.BUYER),
    Action("refuse", 210, "Refuser", "Refuse", needs_reason=True, issuer_role=data.BUYER),
    Action("payment_sent", 211, "Paiement transmis", "Payment sent", needs_amount=True,
           issuer_role=data.BUYER),
)
ACTIONS = {
    "customer_invoice": (_RECEIVED, _MARK_PAID, _COMPLETE, _CANCEL),
    "customer_credit_note": (_RECEIVED, _MARK_PAID, _REFUND, _COMPLETE, _CANCEL),
    "vendor_bill": _VENDOR,
    "vendor_credit_note": _VENDOR,
}


def actions_for(kind, current=None, sent=None):
    """Actions offered on a document of ``kind`` (one of :data:`DOCUMENT_KINDS`).

    Without ``current``/``sent``: every action of the kind (the catalogue). With them:
    only those the lifecycle allows now (``current`` the current status code or None,
    ``sent`` whether the document is on the platform), see :meth:`Action.offered`.
    """
    if kind not in ACTIONS:
        raise LifecycleError(
            f"Document kind {kind!r} is unknown; use one of: {', '.join(DOCUMENT_KINDS)}.",
            code="document_kind_unknown", value=str(kind),
        )
    if current is None and sent is None:
        return list(ACTIONS[kind])
    return [a for a in ACTIONS[kind] if a.offered(current, bool(sent) or current is not None)]

