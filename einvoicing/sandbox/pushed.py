"""CDAR statuses pushed by an organisation (``POST /v1/flows`` with flowSyntax CDAR).

Checked like a platform would: valid CDAR (XSD + BR-FR-CDV), a status the sender's
role may emit (212 by the supplier, 204..211 by the buyer...), an allowed reason,
and an invoice the platform knows between these two parties. Accepted statuses
are stored for the sender (Out) and made visible to the other party (In).
"""

from .. import validation
from ..errors import InputError
from ..lifecycle import LifecycleError, check_reason, get_status
from ..lifecycle.cdar import CdarError, parse_cdar
from .errors import ApiError
from .statuses import org_of, store_status


def _lc_error(code, message):
    return ApiError(422, code, message)


def _read(content, name):
    try:
        report = validation.validate_cdar(content)
    except InputError as exc:
        raise _lc_error("InvalidSchema", f"The CDAR file {name!r} cannot be read: {exc}") from exc
    if not report.valid:
        problems = "; ".join(f"{f.rule_id}: {f.message}" for f in report.errors[:3])
        raise _lc_error("InvoiceLCRuleError", f"The CDAR file {name!r} breaks "
                        f"{len(report.errors)} rule(s): {problems}")
    try:
        return parse_cdar(content)
    except CdarError as exc:
        raise _lc_error("InvalidSchema", f"The CDAR file {name!r} cannot be read: {exc}") from exc


def _role(org_siren, event):
    if org_siren == event.seller_siren:
        return "supplier"
    if org_siren == event.buyer_siren:
        return "buyer"
    raise ApiError(403, "InvoiceLCAccessDenied",
                   f"Organization SIREN {org_siren} is neither the seller ({event.seller_siren}) "
                   f"nor the buyer ({event.buyer_siren}) of invoice {event.invoice_number!r}: "
                   "only the parties may send its statuses.")


def _check_status(event, role):
    try:
        status = get_status(event.status_code)
        check_reason(event.status_code, event.reason_code)
    except LifecycleError as exc:
        raise _lc_error("InvoiceLCStatusError", str(exc)) from exc
    if role not in status.emitters:
        allowed = ", ".join(sorted(status.emitters))
        raise _lc_error("InvoiceLCStatusError",
                        f"Status {event.status_code} ({status.label_en}) may be sent by "
                        f"{allowed} only; this organization is the {role} of invoice "
                        f"{event.invoice_number!r}.")


def _invoice(store, event):
    rows = store.query("SELECT * FROM flows WHERE direction = 'Out' AND flow_type = "
                       "'CustomerInvoice' AND ack_status = 'Ok' AND seller_siren = ? AND "
                       "invoice_number = ? ORDER BY seq", (event.seller_siren,
                                                           event.invoice_number))
    if event.invoice_date is not None:
        rows = [r for r in rows if r["invoice_date"] == event.invoice_date.isoformat()]
    if not rows:
        raise _lc_error("InvoiceLCRuleError",
                        f"No accepted invoice {event.invoice_number!r} dated "
                        f"{event.invoice_date} from seller SIREN {event.seller_siren} on this "
                        "platform: a status must refer to an invoice it transmitted.")
    invoice = rows[-1]
    if invoice["buyer_siren"] != event.buyer_siren:
        raise _lc_error("InvoiceLCRuleError",
                        f"The status names buyer SIREN {event.buyer_siren} but invoice "
                        f"{event.invoice_number!r} was sent to {invoice['buyer_siren']}.")
    return invoice


def receive(store, org_id, info, content):
    """Check and store a pushed CDAR; returns the sender's flow row."""
    event = _read(content, info["name"])
    org_siren = store.one("SELECT siren FROM companies WHERE org_id = ?", (org_id,))["siren"]
    role = _role(org_siren, event)
    _check_status(event, role)
    invoice = _invoice(store, event)
    same = store.one("SELECT flow_id FROM flows WHERE org_id = ? AND direction = 'Out' AND "
                     "message_id = ?", (org_id, event.message_id))
    if same is not None:
        raise ApiError(422, "AlreadyExistingFlow",
                       f"CDAR message {event.message_id!r} was already received as flow "
                       f"{same['flow_id']}; it was not stored twice.",
                       instance=f"/v1/flows/{same['flow_id']}")
    with store.tx() as conn:
        other_siren = event.buyer_siren if role == "supplier" else event.seller_siren
        sides = [(org_id, "Out")]
        other_org = org_of(conn, other_siren)
        if other_org:
            sides.append((other_org, "In"))
        rows = store_status(conn, store, invoice, event.status_code, content,
                            event.message_id, sides, tracking_id=info.get("trackingId"))
    return rows[0]
