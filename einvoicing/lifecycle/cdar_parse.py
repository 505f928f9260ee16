"""Read a received CDAR lifecycle message into an :class:`~einvoicing.lifecycle.Event`."""

from datetime import datetime, timezone

from ..codes import code_number
from ..errors import InputError
from ..xmlutil import parse_xml
from .cdar_model import NS, ROLE_OF_CODE, ROOT_TAG, SIREN_SCHEME, CdarError, as_cdar_error
from .characteristics import Characteristic
from .statuses import STATUSES, Event, PaymentAmount

# A lifecycle message is a few kilobytes; anything this large is not one.
MAX_BYTES = 2_000_000
_ACK = "rsm:AcknowledgementDocument"
_REF = f"{_ACK}/ram:ReferenceReferencedDocument"
_DETAIL = f"{_REF}/ram:SpecifiedDocumentStatus"


def _first(node, path):
    found = node.find(path, NS)
    if found is None or found.text is None or not found.text.strip():
        return None
    return found.text.strip()


def _parse_moment(text, where):
    """Format 204 (CCYYMMDDHHMMSS, read as UTC), 102 (CCYYMMDD) or ISO 8601."""
    try:
        if text.isdigit() and len(text) == 14:
            return datetime.strptime(text, "%Y%m%d%H%M%S").replace(tzinfo=timezone.utc)
        if text.isdigit() and len(text) == 8:
            return datetime.strptime(text, "%Y%m%d").replace(tzinfo=timezone.utc)
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise CdarError(
            f"{where} {text!r} is not a date-time (expected format 204 CCYYMMDDHHMMSS).",
            code="cdar_datetime_unreadable", field=where, value=text,
        ) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def _status_code(root):
    text = _first(root, f"{_REF}/ram:ProcessConditionCode")
    if text is None:
        raise CdarError(
            "The CDAR message has no status: ReferenceReferencedDocument/ProcessConditionCode "
            "(MDT-105) is missing or empty.",
            code="cdar_status_missing",
        )
    number = code_number(text)
    if number not in STATUSES:
        raise CdarError(
            f"The CDAR status code (MDT-105) {text!r} is not a known AFNOR lifecycle status "
            f"({', '.join(str(c) for c in STATUSES)}).",
            code="cdar_status_unknown", value=text,
        )
    return number


def _timestamp(root):
    for path, where in ((f"{_ACK}/ram:IssueDateTime/udt:DateTimeString", "MDT-78"),
                        ("rsm:ExchangedDocument/ram:IssueDateTime/udt:DateTimeString", "MDT-8")):
        text = _first(root, path)
        if text:
            return _parse_moment(text, f"Status date-time ({where})")
    raise CdarError("The CDAR message has no status date-time (MDT-78 or MDT-8).",
                    code="cdar_datetime_missing")


def _issuer_role(root):
    for path in ("rsm:ExchangedDocument/ram:IssuerTradeParty/ram:RoleCode",
                 "rsm:ExchangedDocument/ram:SenderTradeParty/ram:RoleCode"):
        code = _first(root, path)
        if code:
            if code not in ROLE_OF_CODE:
                raise CdarError(f"The issuer role code {code!r} (MDT-40) is not a known party "
                                "role (SE, BY, WK, ...).", code="cdar_role_unknown", value=code)
            return ROLE_OF_CODE[code]
    raise CdarError("The CDAR message does not say who issued the status (MDT-40 RoleCode).",
                    code="cdar_role_missing")


def _siren_of(party):
    for gid in party.findall("ram:GlobalID", NS):
        if gid.get("schemeID") == SIREN_SCHEME and gid.text and gid.text.strip():
            return gid.text.strip()
    return None


def _buyer_siren(root):
    doc = root.find("rsm:ExchangedDocument", NS)
    parties = doc.findall("ram:IssuerTradeParty", NS) + doc.findall("ram:RecipientTradeParty", NS)
    for party in parties:
        if _first(party, "ram:RoleCode") == "BY":
            return _siren_of(party)
    return None


def _invoice_date(root):
    text = _first(root, f"{_REF}/ram:FormattedIssueDateTime/qdt:DateTimeString")
    if text is None:
        return None
    return _parse_moment(text[:8] if text.isdigit() else text, "Invoice date (MDT-100)").date()


def _characteristic(line):
    amount = line.find("ram:ValueAmount", NS)
    changed = _first(line, "ram:ValueChangedIndicator/udt:IndicatorString") or _first(
        line, "ram:ValueChangedIndicator/udt:Indicator")
    values = [v.text.strip() for v in line.findall("ram:Value", NS) if v.text and v.text.strip()]
    return Characteristic(
        _first(line, "ram:TypeCode"),
        amount=amount.text.strip() if amount is not None and amount.text else None,
        currency=amount.get("currencyID") if amount is not None else None,
        percent=_first(line, "ram:ValuePercent"), value="; ".join(values) or None,
        data_id=_first(line, "ram:ID"), name=_first(line, "ram:Name"),
        location=_first(line, "ram:Location"), description=_first(line, "ram:Description"),
        changed=None if changed is None else changed.lower() == "true")


def _payment(item):
    """A MEN / MPA characteristic as a PaymentAmount (negative: the reversal of a payment)."""
    if item.amount is None:
        return None
    amount = abs(item.amount)
    payment = PaymentAmount(amount, item.currency, item.percent)
    return payment.reversal() if item.amount < 0 else payment


def _characteristics(root):
    """(payment amounts MEN/MPA, every other characteristic) of the status details."""
    amounts, others = [], []
    for line in root.findall(f"{_DETAIL}/ram:SpecifiedDocumentCharacteristic", NS):
        try:
            item = _characteristic(line)
            payment = _payment(item) if item.type_code in ("MEN", "MPA") else None
        except InputError as exc:
            raise CdarError(f"Characteristic in the CDAR message (MDG-43): {exc}",
                            code="cdar_characteristic_invalid") from exc
        if payment is not None:
            amounts.append(payment)
        elif item.type_code not in ("MEN", "MPA"):
            others.append(item)
    return amounts, others


def _recipient_address(root):
    for party in root.findall("rsm:ExchangedDocument/ram:RecipientTradeParty", NS):
        address = _first(party, "ram:URIUniversalCommunication/ram:URIID")
        if address:
            return address
    return None


def _reason(root):
    for detail in root.findall(_DETAIL, NS):
        code = _first(detail, "ram:ReasonCode")
        if code:
            return code, _first(detail, "ram:Reason")
    return None, _first(root, f"{_DETAIL}/ram:Reason")


def _message(root):
    notes = [n.text.strip() for n in root.findall(f"{_DETAIL}/ram:IncludedNote/ram:Content", NS)
             if n.text and n.text.strip()]
    return "\n".join(notes) or None


def _required(root, path, what):
    text = _first(root, path)
    if text is None:
        raise CdarError(f"The CDAR message has no {what}.", code="cdar_field_missing", field=what)
    return text


def parse_cdar(data):
    """Parse a CDAR message (bytes) into an Event; raise CdarError with the reason if unreadable."""
    try:
        root = parse_xml(data, max_bytes=MAX_BYTES, name="CDAR message")
    except InputError as exc:
        raise as_cdar_error(exc) from exc
    if root.tag != ROOT_TAG:
        raise CdarError(
            f"The root element is {root.tag!r}; a CDAR lifecycle message starts with "
            f"{ROOT_TAG!r}.", code="cdar_wrong_root", value=str(root.tag))
    if root.find(_REF, NS) is None:
        raise CdarError("The CDAR message references no invoice "
                        "(AcknowledgementDocument/ReferenceReferencedDocument is missing).",
                        code="cdar_reference_missing")
    status_code = _status_code(root)
    reason_code, reason_text = _reason(root)
    seller = root.find(f"{_REF}/ram:IssuerTradeParty", NS)
    amounts, characteristics = _characteristics(root)
    return Event(
        message_id=_required(root, "rsm:ExchangedDocument/ram:ID", "message id (MDT-4)"),
        status_code=status_code,
        timestamp=_timestamp(root),
        issuer_role=_issuer_role(root),
        invoice_number=_required(root, f"{_REF}/ram:IssuerAssignedID",
                                 "invoice number (MDT-87)"),
        invoice_date=_invoice_date(root),
        seller_siren=_siren_of(seller) if seller is not None else None,
        buyer_siren=_buyer_siren(root),
        reason_code=reason_code,
        reason_text=reason_text,
        message=_message(root),
        amounts=amounts,
        invoice_type_code=_first(root, f"{_REF}/ram:TypeCode"),
        characteristics=characteristics,
        requested_action_code=_first(root, f"{_DETAIL}/ram:RequestedActionCode"),
        requested_action=_first(root, f"{_DETAIL}/ram:RequestedAction"),
        recipient_address=_recipient_address(root),
    )

