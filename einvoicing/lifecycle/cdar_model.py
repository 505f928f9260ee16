"""CDAR vocabulary and the :class:`StatusMessage` to build (see :mod:`.cdar`)."""

import re
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, timezone

from ..codes import DOCUMENT_TYPES
from ..errors import EInvoicingError, InputError
from ..identifiers import validate_electronic_address, validate_siren
from .characteristics import check_characteristics
from .statuses import ROLES, check_payment, check_reason, get_status

NS = {
    "rsm": "urn:un:unece:uncefact:data:standard:CrossDomainAcknowledgementAndResponse:100",
    "ram": "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100",
    "udt": "urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100",
    "qdt": "urn:un:unece:uncefact:data:standard:QualifiedDataType:100",
}
ROOT_TAG = f"{{{NS['rsm']}}}CrossDomainAcknowledgementAndResponse"
# MDT-3: CDV exchanged between accredited platforms (BR-FR-CDV-02).
GUIDELINE = "urn.cpro.gouv.fr:1p0:CDV:invoice"
GUIDELINE_PPF = "urn.cpro.gouv.fr:1p0:CDV:einvoicingF2"
BUSINESS_PROCESS = "REGULATED"  # MDT-2 (BR-FR-CDV-CL-01)
TYPE_TRANSMISSION, TYPE_PROCESSING = "305", "23"  # MDT-77 (BR-FR-CDV-09)
ROLE_CODES = {"supplier": "SE", "buyer": "BY", "platform": "WK"}  # MDT-40 / MDT-59
# Received role codes (UNTDID 3035) mapped to our three roles: invoicee/payer/buyer's agent
# act for the buyer; invoicer/payee/factor/seller's agent for the supplier.
ROLE_OF_CODE = {"SE": "supplier", "SR": "supplier", "II": "supplier", "PE": "supplier",
                "DL": "supplier", "BY": "buyer", "AB": "buyer", "IV": "buyer", "PR": "buyer",
                "WK": "platform", "DFH": "platform"}
# MDT-88 (UNTDID 1373) per status, as in the XP Z12-012 Annex A correspondence and the
# official examples (200->10, 202->43, 203->48, 204->45, 205->1, 207->46, 211/212->47).
# The element is optional: statuses without an attested pairing omit it.
DOCUMENT_STATUS_CODES = {200: "10", 202: "43", 203: "48", 204: "45", 205: "1", 206: "49",
                         207: "46", 208: "39", 209: "37", 210: "50", 211: "47", 212: "47"}
# MDT-207: payment characteristic per status (MPA = amount paid, MEN = amount received).
PAYMENT_TYPE_CODES = {211: "MPA", 212: "MEN"}
SIREN_SCHEME, ADDRESS_SCHEME = "0002", "0225"
MAX_TEXT = 1024
_XML_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


class CdarError(InputError):
    """A lifecycle message that cannot be built or read; the message says what to fix."""

    def __init__(self, message, code="cdar_error", **params):
        super().__init__(message, code=code, **params)


def as_cdar_error(exc):
    """Re-raise an error of another part of the core as a CdarError (same message/code)."""
    if isinstance(exc, CdarError):
        return exc
    params = exc.params if isinstance(exc, EInvoicingError) else {}
    code = exc.code if isinstance(exc, EInvoicingError) else "cdar_error"
    return CdarError(str(exc), code=code, **params)


@dataclass
class StatusMessage:
    """A lifecycle status about one invoice, to be sent as a CDAR message.

    ``issuer_role`` is who sets the status: "buyer" (204-208, 210, 211 for invoices),
    "supplier" (209, 211 for refunds, 212, 220) or "platform" (200-203, 213, 221, 501).
    ``recipient_address`` is the counterpart's 0225 electronic address (defaults to its
    SIREN, the base address of the directory); ``received_at`` is MDT-95.
    ``characteristics`` are the other MDG-43 blocks (:mod:`.characteristics`: approved
    amounts, data in error...); ``requested_action_code`` / ``requested_action`` MDT-121/122
    (e.g. NIN "issue a corrective invoice"); ``buyer_address`` the buyer's 0225 address when
    a platform status also goes to the buyer (defaults to its SIREN).
    """

    status_code: int
    invoice_number: str
    invoice_date: date
    seller_siren: str
    buyer_siren: str | None
    issuer_role: str
    reason_code: str | None = None
    reason_text: str | None = None
    message: str | None = None
    amounts: list = field(default_factory=list)
    message_id: str | None = None
    issued_at: datetime | None = None
    invoice_type_code: str = "380"
    seller_name: str | None = None
    buyer_name: str | None = None
    recipient_address: str | None = None
    received_at: datetime | None = None
    characteristics: list = field(default_factory=list)
    requested_action_code: str | None = None
    requested_action: str | None = None
    buyer_address: str | None = None


def _text(value, field_name, required=False, max_len=MAX_TEXT):
    text = "" if value is None else str(value).strip()
    if not text:
        if required:
            raise CdarError(f"{field_name} is missing; it is required in a lifecycle message.",
                            code="cdar_field_missing", field=field_name)
        return None
    if len(text) > max_len or _XML_FORBIDDEN.search(text):
        raise CdarError(
            f"{field_name} {text[:40]!r}... must be at most {max_len} printable characters "
            "(no control characters).",
            code="cdar_text_invalid", field=field_name,
        )
    return text


def _date(value, field_name):
    if isinstance(value, datetime) or not isinstance(value, (date, str)):
        raise CdarError(f"{field_name} {value!r} must be a date (YYYY-MM-DD).",
                        code="cdar_date_invalid", field=field_name)
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            raise CdarError(f"{field_name} {value!r} is not a date; write it as YYYY-MM-DD.",
                            code="cdar_date_invalid", field=field_name) from None
    return value


def _moment(value, field_name, default_now=False):
    if value is None:
        return datetime.now(timezone.utc).replace(microsecond=0) if default_now else None
    if not isinstance(value, datetime) or value.tzinfo is None or value.utcoffset() is None:
        raise CdarError(
            f"{field_name} {value!r} must be a timezone-aware datetime (e.g. in UTC).",
            code="cdar_datetime_invalid", field=field_name,
        )
    return value.astimezone(timezone.utc)


def _check_role(status, role):
    if role not in ROLES:
        raise CdarError(f"Issuer role {role!r} is unknown; use one of: {', '.join(ROLES)}.",
                        code="cdar_role_unknown", value=str(role))
    if role not in status.emitters:
        raise CdarError(
            f"Status {status.code} ({status.label_en}) cannot be emitted by the {role}; "
            f"it is emitted by: {', '.join(sorted(status.emitters))}.",
            code="cdar_role_not_allowed", status=status.code, role=role,
        )


def validated(msg):
    """Check every field of ``msg``; return a dict of clean values (raise CdarError)."""
    try:
        status = get_status(msg.status_code)
        _check_role(status, msg.issuer_role)
        seller = validate_siren(msg.seller_siren, field="Seller SIREN")
        buyer = msg.buyer_siren
        if buyer is not None or msg.issuer_role != "platform":
            buyer = validate_siren(buyer, field="Buyer SIREN")
        type_code = str(msg.invoice_type_code or "").strip()
        if type_code not in DOCUMENT_TYPES:
            raise CdarError(
                f"Invoice type code {msg.invoice_type_code!r} is not allowed in France "
                f"(BR-FR-04); use one of: {', '.join(DOCUMENT_TYPES)}.",
                code="cdar_type_code_invalid", value=str(msg.invoice_type_code))
        recipient_siren = seller if msg.issuer_role != "supplier" else buyer
        address = msg.recipient_address or recipient_siren
        address = validate_electronic_address(address, siren=recipient_siren,
                                              field="Recipient electronic address")
        buyer_address = None
        if buyer:
            buyer_address = validate_electronic_address(
                msg.buyer_address or buyer, siren=buyer, field="Buyer electronic address")
        values = {
            "status": status, "seller": seller, "buyer": buyer, "type_code": type_code,
            "address": address, "buyer_address": buyer_address,
            "characteristics": check_characteristics(status, msg.characteristics),
            "reason": check_reason(status.code, msg.reason_code),
            "amounts": check_payment(status.code, msg.amounts),
        }
    except InputError as exc:
        raise as_cdar_error(exc) from exc
    values.update(
        number=_text(msg.invoice_number, "Invoice number", required=True, max_len=200),
        date=_date(msg.invoice_date, "Invoice date"),
        reason_text=_text(msg.reason_text, "Reason text"),
        message=_text(msg.message, "Message"),
        message_id=_text(msg.message_id, "Message id", max_len=200) or str(uuid.uuid4()),
        issued_at=_moment(msg.issued_at, "Issued at", default_now=True),
        received_at=_moment(msg.received_at, "Received at"),
        seller_name=_text(msg.seller_name, "Seller name", max_len=200),
        buyer_name=_text(msg.buyer_name, "Buyer name", max_len=200),
        action_code=_text(msg.requested_action_code, "Requested action code", max_len=35),
        action=_text(msg.requested_action, "Requested action"),
    )
    return values
