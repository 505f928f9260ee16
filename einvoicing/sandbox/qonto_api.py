"""Emulation of the Qonto endpoints the Qonto gateway uses (under ``/qonto``).

Shapes follow docs.qonto.com (the examples kept in ``tests/_gateway_fixtures.py``):
``Authorization: {login}:{secret-key}`` or ``Bearer``; errors as JSON:API
``{"errors": [{"code", "detail"}]}``; lists paginated with ``page``/``per_page``
and a ``meta`` block. The organisation's login is its sandbox client id.
"""

import hashlib
import hmac
import secrets

from werkzeug.wrappers import Response

from ..gateways.codes import qonto_reason_label
from . import auth, simulator, vendor
from .errors import ApiError, json_response
from .http import file_response, int_arg, json_body

PREFIX = "/qonto"
RULES = [
    ("/v2/organization", "GET", "organization"),
    ("/v2/client_invoices", "GET", "client_list"),
    ("/v2/client_invoices/bulk", "POST", "bulk_import"),
    ("/v2/client_invoices/<iid>", "GET", "client_get"),
    ("/v2/client_invoices/<iid>/send_by_einvoice", "POST", "send"),
    ("/v2/client_invoices/<iid>/mark_as_paid", "POST", "mark_paid"),
    ("/v2/supplier_invoices", "GET", "supplier_list"),
    ("/v2/supplier_invoices/<iid>", "GET", "supplier_get"),
    ("/v2/supplier_invoices/<iid>/reject", "POST", "reject"),
    ("/v2/attachments/<iid>", "GET", "attachment"),
    ("/files/<iid>", "GET", "file"),
]
MAX_FILES = 5
# einvoicing_status from the last status the seller sees (pending before any)
_SUMMARY = {200: "submitted", 201: "submitted", 202: "submitted", 203: "submitted",
            205: "approved", 210: "declined", 213: "submission_failed", 221: "not_delivered"}


def error_response(exc):
    return json_response({"errors": [{"code": exc.error_code, "detail": exc.message}]},
                         exc.status, exc.headers)


def authenticate(store, request):
    """The organisation of an API key (``login:secret``) or a bearer token."""
    header = request.headers.get("Authorization", "")
    if header.lower().startswith("bearer "):
        client_id = auth.authenticate(store, request)
    else:
        login, _, secret = header.partition(":")
        if not login or not auth.check_client(store, login.strip(), secret.strip()):
            raise ApiError(401, "unauthorized", "The Authorization header is not a valid "
                           "'{login}:{secret-key}' pair.")
        client_id = login.strip()
    return auth.resolve_organization(store, client_id, request)


def _page(request, items):
    page = max(int_arg(request.args, "page", 1), 1)
    per_page = min(max(int_arg(request.args, "per_page", 100), 1), 100)
    total = len(items)
    pages = max((total + per_page - 1) // per_page, 1)
    meta = {"current_page": page, "next_page": page + 1 if page < pages else None,
            "prev_page": page - 1 if page > 1 else None, "total_pages": pages,
            "total_count": total, "per_page": per_page}
    return items[(page - 1) * per_page:page * per_page], meta


def _lifecycle(store, org_id, invoice):
    if invoice is None:
        return []
    return [{"status_code": code, "reason": qonto_reason_label(reason) if reason else None,
             "reason_message": text, "timestamp": stamp}
            for code, stamp, reason, text, _mid, _amounts in vendor.events(store, org_id,
                                                                            invoice)]


def _import(store, org_id, iid):
    row = store.one("SELECT * FROM vendor_imports WHERE invoice_id = ? AND org_id = ?",
                    (iid, org_id))
    if row is None:
        raise ApiError(404, "not_found", f"Client invoice {iid!r} does not exist.")
    return row


def _client_json(store, row):
    flow = store.one("SELECT * FROM flows WHERE flow_id = ?", (row["flow_id"],)) \
        if row["flow_id"] else None
    events = _lifecycle(store, row["org_id"], flow)
    summary = _SUMMARY.get(events[-1]["status_code"], "submitted") if events else "pending"
    return {"id": row["invoice_id"], "organization_id": row["org_id"], "number": row["number"],
            "status": "paid" if row["paid_at"] else "unpaid",
            "currency": flow["currency"] if flow else "EUR",
            "total_amount": {"value": flow["amount"] if flow else None,
                             "currency": flow["currency"] if flow else "EUR"},
            "issue_date": flow["invoice_date"] if flow else None,
            "created_at": row["created_at"], "paid_at": row["paid_at"],
            "attachment_id": row["invoice_id"], "einvoicing_status": summary,
            "organization": {"id": row["org_id"],
                             "legal_number": flow["seller_siren"] if flow else None},
            "client": {"tax_identification_number": flow["buyer_siren"] if flow else None},
            "items": [{"vat_rate": str(a.vat_rate / 100), "total_amount": {
                "value": str(a.amount), "currency": a.currency}}
                for a in (vendor.whole_payment(flow) if flow else [])],
            "einvoicing_lifecycle_events": events}


def _supplier(store, org_id, iid):
    row = store.one("SELECT * FROM flows WHERE flow_id = ? AND org_id = ? AND direction = 'In' "
                    "AND flow_type = 'SupplierInvoice'", (iid, org_id))
    if row is None:
        raise ApiError(404, "not_found", f"Supplier invoice {iid!r} does not exist.")
    return row


def _vat(siren):
    """The French VAT number of a SIREN (key = (12 + 3 * (SIREN % 97)) % 97)."""
    return f"FR{(12 + 3 * (int(siren) % 97)) % 97:02d}{siren}" if siren else None


def _supplier_json(store, org_id, row):
    events = _lifecycle(store, org_id, vendor.seller_invoice(store, row))
    refused = any(e["status_code"] == 210 for e in events)
    return {"id": row["flow_id"], "organization_id": org_id, "file_name": row["name"],
            "invoice_number": row["invoice_number"],
            "vat_number": _vat(row["seller_siren"]),
            "total_amount": {"value": row["amount"], "currency": row["currency"]},
            "issue_date": row["invoice_date"], "status": "rejected" if refused else "to_review",
            "created_at": row["submitted_at"], "updated_at": row["updated_at"],
            "attachment_id": row["flow_id"], "is_einvoice": True,
            "einvoicing_lifecycle_events": events}


def handle(app, request, endpoint, args):
    store = app.store
    if endpoint == "file":
        return _file(store, request, args["iid"])
    org_id = authenticate(store, request)
    iid = args.get("iid")
    if endpoint == "organization":
        org = store.one("SELECT siren, name FROM companies WHERE org_id = ?", (org_id,))
        return json_response({"organization": {"slug": org_id, "legal_name": org["name"],
                                               "legal_number": org["siren"]}})
    if endpoint == "bulk_import":
        return json_response({"client_invoices": _bulk(store, org_id, request)})
    if endpoint == "client_list":
        if int_arg(request.args, "page", 1) == 1:
            simulator.on_sync(store, org_id)  # a new scan: the simulated buyer moves on
        rows = store.query("SELECT * FROM vendor_imports WHERE org_id = ? ORDER BY created_at, "
                           "invoice_id", (org_id,))
        items, meta = _page(request, [_client_json(store, r) for r in rows])
        return json_response({"client_invoices": items, "meta": meta})
    if endpoint == "client_get":
        return json_response({"client_invoice": _client_json(store, _import(store, org_id, iid))})
    if endpoint == "send":
        _send(store, org_id, _import(store, org_id, iid))
        return Response(status=204)
    if endpoint == "mark_paid":
        return json_response({"client_invoice": _mark_paid(store, org_id, iid, request)})
    if endpoint == "supplier_list":
        since = request.args.get("filter[created_at_from]")
        rows = [r for r in store.query(
            "SELECT * FROM flows WHERE org_id = ? AND direction = 'In' AND flow_type = "
            "'SupplierInvoice' ORDER BY seq", (org_id,)) if not since or r["submitted_at"] >= since]
        items, meta = _page(request, [_supplier_json(store, org_id, r) for r in rows])
        return json_response({"supplier_invoices": items, "meta": meta})
    if endpoint == "supplier_get":
        return json_response({"supplier_invoice": _supplier_json(
            store, org_id, _supplier(store, org_id, iid))})
    if endpoint == "reject":
        return json_response(_reject(store, org_id, iid, request))
    return _attachment(store, org_id, iid, request)


def _bulk(store, org_id, request):
    uploads = request.files.getlist("client_invoices")
    if not uploads or len(uploads) > MAX_FILES:
        raise ApiError(422, "invalid_files", f"Send 1 to {MAX_FILES} files in the "
                       f"'client_invoices' field; got {len(uploads)}.")
    files = [(u.filename or "invoice", u.read()) for u in uploads]
    read = [vendor.read_file(content, name) for name, content in files]  # all-or-nothing
    answer = []
    with store.tx() as conn:
        for (name, content), (syntax, number) in zip(files, read, strict=True):
            digest = hashlib.sha256(content).hexdigest()
            same = conn.execute("SELECT invoice_id FROM vendor_imports WHERE org_id = ? AND "
                                "sha256 = ?", (org_id, digest)).fetchone()
            if same is None:
                taken = conn.execute("SELECT 1 FROM vendor_imports WHERE org_id = ? AND "
                                     "number = ?", (org_id, number)).fetchone()
                if taken:
                    raise ApiError(422, "taken", f"Invoice number {number!r} is already used "
                                   "in this organization.")
                iid = vendor.new_id()
                conn.execute("INSERT INTO vendor_imports(invoice_id, org_id, number, file_name, "
                             "flow_syntax, sha256, content, created_at) VALUES (?,?,?,?,?,?,?,?)",
                             (iid, org_id, number, name, syntax, digest, content, store.now()))
            else:
                iid = same["invoice_id"]  # re-importing a file is idempotent
            answer.append({"invoice_id": iid, "file_name": name})
    return answer


def _send(store, org_id, row):
    if row["flow_id"]:
        return  # already sent: not resubmitted
    flow = vendor.submit(store, org_id, bytes(row["content"]), row["file_name"],
                         row["flow_syntax"], tracking_id=f"qonto-{row['invoice_id']}")
    with store.tx() as conn:
        conn.execute("UPDATE vendor_imports SET flow_id = ? WHERE invoice_id = ?",
                     (flow["flow_id"], row["invoice_id"]))


def _mark_paid(store, org_id, iid, request):
    row = _import(store, org_id, iid)
    body = json_body(request, required=False)
    paid_at = body.get("paid_at") or store.now()[:10]
    if row["flow_id"] and not row["paid_at"]:
        flow = store.one("SELECT * FROM flows WHERE flow_id = ?", (row["flow_id"],))
        vendor.push(store, org_id, flow, 212)
    with store.tx() as conn:
        conn.execute("UPDATE vendor_imports SET paid_at = ? WHERE invoice_id = ?", (paid_at, iid))
    return _client_json(store, _import(store, org_id, iid))


def _reject(store, org_id, iid, request):
    row = _supplier(store, org_id, iid)
    body = (json_body(request, required=False).get("supplier_invoice") or {})
    reason = body.get("declined_reason_code")
    if not reason:
        raise ApiError(422, "declined_reason_code_required", "Rejecting a French e-invoice "
                       "requires a declined_reason_code from the AFNOR list.")
    if _supplier_json(store, org_id, row)["status"] == "rejected":
        raise ApiError(400, "invalid_transition", f"Supplier invoice {iid!r} is already "
                       "rejected.")
    vendor.push(store, org_id, vendor.seller_invoice(store, row), 210, reason,
                body.get("declined_note") or None)
    return _supplier_json(store, org_id, row)


def _file_token(store, iid):
    key = store.get_setting("qonto_file_key")
    if key is None:
        key = secrets.token_hex(16)
        store.set_setting("qonto_file_key", key)
    return hmac.new(key.encode(), iid.encode(), hashlib.sha256).hexdigest()


def _content(store, org_id, iid):
    row = store.one("SELECT file_name AS name, content FROM vendor_imports WHERE invoice_id = ? "
                    "AND (? IS NULL OR org_id = ?)", (iid, org_id, org_id)) or store.one(
        "SELECT name, content FROM flows WHERE flow_id = ? AND (? IS NULL OR org_id = ?)",
        (iid, org_id, org_id))
    if row is None:
        raise ApiError(404, "not_found", f"Attachment {iid!r} does not exist.")
    return row


def _attachment(store, org_id, iid, request):
    row = _content(store, org_id, iid)
    url = f"{request.host_url.rstrip('/')}{PREFIX}/files/{iid}?token={_file_token(store, iid)}"
    return json_response({"attachment": {
        "id": iid, "file_name": row["name"], "file_size": str(len(row["content"])),
        "file_content_type": "application/pdf" if row["name"].endswith(".pdf")
        else "application/xml", "url": url}})


def _file(store, request, iid):
    if not hmac.compare_digest(request.args.get("token", ""), _file_token(store, iid)):
        raise ApiError(403, "forbidden", "The download URL is not valid.")
    row = _content(store, None, iid)
    return file_response(bytes(row["content"]), row["name"])


