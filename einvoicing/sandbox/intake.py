"""``POST /v1/flows``: receive an invoice (CII, UBL, Factur-X) or a CDAR status.

Invoices: technical checks (not stored when they fail: 400/422), duplicate checks
(same trackingId, or same seller SIREN + number + year: 422 AlreadyExistingFlow),
core validation (invalid: stored with ackStatus Error and status 213 Rejetée),
otherwise 200..203, an inbound copy for the buyer organisation and the simulated
recipient. CDAR statuses pushed by an organisation: see :mod:`.pushed`.
"""

import hashlib
import sqlite3

from ..errors import InputError
from . import documents, ereports, pushed, simulator
from .errors import ApiError, bad_field, missing_field
from .flows import ENUMS, MAX_ID, insert_flow
from .statuses import emit, org_of

INVOICE_SYNTAXES = ("CII", "UBL", "Factur-X")


def check_flow_info(info):
    """Validate the ``flowInfo`` part (FlowInfo schema); returns it."""
    if not isinstance(info, dict):
        raise bad_field("flowInfo", info, "a JSON object (FlowInfo)")
    for field in ("flowSyntax", "name"):
        if info.get(field) is None:
            raise missing_field(f"flowInfo.{field}", "it in the flowInfo JSON part")
    name = info["name"]
    if not isinstance(name, str) or not name.strip() or len(name) > 255:
        raise bad_field("flowInfo.name", name, "a file name of 1 to 255 characters")
    for field, enum in (("flowSyntax", "FlowSyntax"), ("processingRule", "ProcessingRule"),
                        ("flowProfile", "FlowProfile")):
        if info.get(field) is not None and info[field] not in ENUMS[enum]:
            raise bad_field(f"flowInfo.{field}", info[field], f"one of {', '.join(ENUMS[enum])}")
    tracking = info.get("trackingId")
    if tracking is not None and (not isinstance(tracking, str) or not tracking.strip()
                                 or len(tracking) > MAX_ID):
        raise bad_field("flowInfo.trackingId", tracking, f"a string of 1 to {MAX_ID} characters")
    sha = info.get("sha256")
    if sha is not None and (not isinstance(sha, str) or len(sha) != 64
                            or any(c not in "0123456789abcdef" for c in sha)):
        raise bad_field("flowInfo.sha256", sha, "64 lowercase hexadecimal characters")
    return info


def duplicate_error(row, why):
    return ApiError(422, "AlreadyExistingFlow",
                    f"This flow was already received: {why}. The existing flow is "
                    f"{row['flow_id']}; it was not stored twice.",
                    instance=f"/v1/flows/{row['flow_id']}")


def check_file(store, org_id, info, content):
    if not content:
        raise ApiError(400, "EmptyFlow", "The 'file' part is empty: attach the invoice or "
                       "CDAR file.")
    digest = hashlib.sha256(content).hexdigest()
    if info.get("sha256") and info["sha256"] != digest:
        raise ApiError(400, "ChecksumMismatch",
                       f"flowInfo.sha256 is {info['sha256']} but the received file's SHA-256 "
                       f"is {digest}: the file was altered or the checksum is wrong.")
    tracking = info.get("trackingId")
    if tracking is not None:
        row = store.one("SELECT flow_id FROM flows WHERE org_id = ? AND tracking_id = ?",
                        (org_id, tracking))
        if row is not None:
            raise duplicate_error(row, f"trackingId {tracking!r} is already used")


def submit(store, org_id, info, content):
    """Receive one flow; returns the stored row of the organisation's flow."""
    check_flow_info(info)
    check_file(store, org_id, info, content)
    syntax = info["flowSyntax"]
    try:
        if syntax == "CDAR":
            return pushed.receive(store, org_id, info, content)
        if syntax in INVOICE_SYNTAXES:
            return _receive_invoice(store, org_id, info, content)
        if syntax == "FRR":
            return ereports.receive(store, org_id, info, content)
    except sqlite3.IntegrityError:
        # A concurrent submission won the race on a unique index: answer as a duplicate.
        row = store.one("SELECT flow_id FROM flows WHERE org_id = ? AND tracking_id = ?",
                        (org_id, info.get("trackingId")))
        raise duplicate_error(row or {"flow_id": "(concurrent)"},
                              "a concurrent submission stored it first") from None
    raise ApiError(422, "FlowTypeError", f"flowInfo.flowSyntax {syntax!r} is not accepted by "
                   "this sandbox: send CII, UBL, Factur-X, CDAR or FRR.")


def _read(content, info):
    """Validation report and routing keys; 422 when the file is not the declared syntax."""
    syntax, name = info["flowSyntax"], info["name"]
    try:
        report = documents.validate(content, name)
        if report.kind != documents.SYNTAX_KINDS[syntax]:
            raise ApiError(422, "FlowTypeError",
                           f"flowInfo.flowSyntax is {syntax!r} but the file {name!r} is "
                           f"{report.kind!r}: declare the right syntax or send the right file.")
        keys = documents.read_keys(documents.invoice_xml(content, syntax))
    except InputError as exc:
        raise ApiError(422, "InvalidSchema", f"The file {name!r} cannot be read as {syntax}: "
                       f"{exc}") from exc
    missing = keys.missing()
    if missing:
        raise ApiError(422, "InvalidSchema", f"The invoice {name!r} lacks {', '.join(missing)}: "
                       "the platform cannot identify it.")
    return report, keys


def _receive_invoice(store, org_id, info, content):
    report, keys = _read(content, info)
    org = store.one("SELECT siren FROM companies WHERE org_id = ?", (org_id,))
    if keys.seller_siren != org["siren"]:
        raise ApiError(422, "UNPROCESSABLE_ENTITY",
                       f"The invoice seller SIREN is {keys.seller_siren} but organization "
                       f"{org_id!r} has SIREN {org['siren']}: send it with the seller's "
                       "Organization-Id.")
    invoice_key = f"{keys.seller_siren}|{keys.number}|{keys.issue_date.year}"
    existing = store.one("SELECT flow_id FROM flows WHERE invoice_key = ?", (invoice_key,))
    if existing is not None:
        raise duplicate_error(existing, f"invoice {keys.number!r} of {keys.issue_date.year} "
                              f"from SIREN {keys.seller_siren} was already accepted")
    details = documents.ack_details(report)
    with store.tx() as conn:
        buyer_org = org_of(conn, keys.buyer_siren) if keys.buyer_siren else None
        reachable = buyer_org and conn.execute(
            "SELECT reachable FROM companies WHERE org_id = ?", (buyer_org,)).fetchone()[0]
        if report.valid and not reachable:
            details = [{"level": "Error", "item": "BT-47 buyer legal registration identifier",
                        "reasonCode": "UnknownRecipient",
                        "reasonMessage": f"Buyer SIREN {keys.buyer_siren} has no reachable "
                        "directory line on this platform."}]
        accepted = report.valid and bool(reachable)
        cols = _invoice_columns(info, keys, report, accepted, details)
        invoice = insert_flow(conn, store, org_id, "Out", "CustomerInvoice",
                              info["flowSyntax"], info["name"], content, **cols)
        if not accepted:
            reason = "REJ_SEMAN" if not report.valid else "DEST_INC"
            text = "; ".join(f"{d['item']}: {d['reasonMessage']}" for d in details[:5])
            emit(conn, store, invoice, 213, "platform", reason_code=reason,
                 reason_text=text[:1000])
            return invoice
        for code in (200, 201, 202, 203):
            emit(conn, store, invoice, code, "platform")
        insert_flow(conn, store, buyer_org, "In", "SupplierInvoice", info["flowSyntax"],
                    info["name"], content, invoice_flow_id=invoice["flow_id"],
                    **{k: cols[k] for k in _SHARED})
        scenario = conn.execute("SELECT scenario FROM companies WHERE org_id = ?",
                                (buyer_org,)).fetchone()[0]
        if scenario:
            simulator.start(conn, store, invoice, scenario)
    return invoice


_SHARED = ("flow_profile", "processing_rule", "processing_rule_source", "seller_siren",
           "buyer_siren", "invoice_number", "invoice_date", "amount", "currency", "invoice_type")


def _invoice_columns(info, keys, report, accepted, details):
    cols = {"tracking_id": info.get("trackingId"),
            "processing_rule": info.get("processingRule") or "B2B",
            "processing_rule_source": "Input" if info.get("processingRule") else "Computed",
            "flow_profile": info.get("flowProfile") or documents.flow_profile(report),
            "ack_status": "Ok" if accepted else "Error", "ack_details": details or None,
            "seller_siren": keys.seller_siren, "buyer_siren": keys.buyer_siren,
            "invoice_number": keys.number, "invoice_date": keys.issue_date.isoformat(),
            "amount": keys.amount, "currency": keys.currency, "invoice_type": keys.type_code}
    if accepted:
        cols["invoice_key"] = f"{keys.seller_siren}|{keys.number}|{keys.issue_date.year}"
    return cols
