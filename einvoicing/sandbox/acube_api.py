"""Emulation of the A-Cube endpoints the A-Cube gateway uses (under ``/acube``).

Shapes follow docs.acubeapi.com gov-fr (the examples kept in
``tests/_gateway_fixtures.py``): ``POST /login`` gives a token; invoices are JSON
objects with ``uuid``, ``direction``, ``status``, ``invoiceNumber``, ``party`` and
``counterparty``; lifecycle bodies carry ``afnorStatusCode``, ``paymentDetails`` and
``rejectionDetails``; errors are RFC 7807 problem details. The login email is the
organisation's sandbox client id, the password its secret.
"""

from ..afnor.errors import AfnorError
from ..codes import code_number
from ..gateways.codes import ACUBE_STATUS_NAMES, acube_reason_code, acube_reason_name
from ..lifecycle import STATUSES
from . import auth, simulator, vendor
from .errors import ApiError, json_response
from .http import file_response, int_arg, json_body

PREFIX = "/acube"
RULES = [
    ("/login", "POST", "login"),
    ("/invoices", "GET", "list"),
    ("/invoices", "POST", "create"),
    ("/invoices/<uuid>", "GET", "get"),
    ("/invoices/<uuid>/lifecycle", "GET", "history"),
    ("/invoices/<uuid>/lifecycle", "POST", "push"),
    ("/invoices/<uuid>/original", "GET", "original"),
]


def error_response(exc):
    return json_response({"type": f"https://docs.acubeapi.com/errors/{exc.error_code}",
                          "title": exc.error_code, "status": exc.status, "detail": exc.message},
                         exc.status, exc.headers)


def _status_name(code):
    return ACUBE_STATUS_NAMES.get(code) or STATUSES[code].key


def _party(store, siren):
    row = store.one("SELECT name, siret FROM companies WHERE siren = ?", (siren,)) if siren \
        else None
    return {"name": row["name"] if row else None, "siren": siren,
            "siret": row["siret"] if row else None, "identifierScheme": "0225",
            "identifierValue": siren}


def _invoice_json(store, org_id, row):
    seller = vendor.seller_invoice(store, row)
    events = vendor.events(store, org_id, seller)
    status = _status_name(events[-1][0]) if events else "SUBMITTED"
    outbound = row["direction"] == "Out"
    return {"uuid": row["flow_id"], "direction": "OUTBOUND" if outbound else "INBOUND",
            "status": status, "invoiceTypeCode": row["invoice_type"] or "380",
            "invoiceNumber": row["invoice_number"], "invoiceDate": row["invoice_date"],
            "dueDate": None,
            "party": _party(store, row["seller_siren"] if outbound else row["buyer_siren"]),
            "counterparty": _party(store, row["buyer_siren"] if outbound
                                   else row["seller_siren"]),
            "createdAt": row["submitted_at"], "updatedAt": row["updated_at"]}


def _row(store, org_id, uuid):
    row = store.one("SELECT * FROM flows WHERE flow_id = ? AND org_id = ? AND flow_type IN "
                    "('CustomerInvoice', 'SupplierInvoice')", (uuid, org_id))
    if row is None:
        raise ApiError(404, "not_found", f"Invoice {uuid!r} is unknown or belongs to another "
                       "tenant.")
    return row


def _login(store, request):
    body = json_body(request)
    email, password = body.get("email"), body.get("password")
    if not email or not password or not auth.check_client(store, email, password):
        raise ApiError(401, "invalid_credentials", "Wrong email or password.")
    token, _ttl = auth.issue_token(store, email)
    return json_response({"token": token})


def handle(app, request, endpoint, args):
    store = app.store
    if endpoint == "login":
        return _login(store, request)
    org_id = auth.resolve_organization(store, auth.authenticate(store, request), request)
    if endpoint == "list":
        if request.args.get("direction") == "OUTBOUND" and int_arg(
                request.args, "page", 1) == 1:
            simulator.on_sync(store, org_id)  # a new scan: the simulated buyer moves on
        return json_response(_list(store, org_id, request.args))
    if endpoint == "create":
        upload = request.files.get("file")
        if upload is None:
            raise ApiError(400, "missing_file", "Send the invoice as a multipart part 'file'.")
        name, content = upload.filename or "invoice.xml", upload.read()
        syntax, _number = vendor.read_file(content, name)
        try:
            row = vendor.submit(store, org_id, content, name, syntax)
        except ApiError as exc:
            if exc.error_code == "AlreadyExistingFlow":
                raise ApiError(409, "duplicate_invoice", exc.message) from None
            raise
        return json_response(_invoice_json(store, org_id, row), 201)
    row = _row(store, org_id, args["uuid"])
    if endpoint == "get":
        return json_response(_invoice_json(store, org_id, row))
    if endpoint == "original":
        return file_response(bytes(row["content"]), row["name"])
    if endpoint == "history":
        return json_response(_history(store, org_id, row))
    return _push(store, org_id, row, json_body(request))


def _list(store, org_id, params):
    direction = {"OUTBOUND": "Out", "INBOUND": "In"}.get(params.get("direction", ""))
    rows = store.query("SELECT * FROM flows WHERE org_id = ? AND flow_type IN "
                       "('CustomerInvoice', 'SupplierInvoice') ORDER BY seq DESC", (org_id,))
    number, since = params.get("invoiceNumber"), params.get("createdAfter")
    rows = [r for r in rows if (direction is None or r["direction"] == direction)
            and (not number or r["invoice_number"] == number)
            and (not since or r["submitted_at"] >= since)]
    page = max(int_arg(params, "page", 1), 1)
    size = min(max(int_arg(params, "itemsPerPage", 30), 1), 100)
    return [_invoice_json(store, org_id, r) for r in rows[(page - 1) * size:page * size]]


def _history(store, org_id, row):
    items = []
    for code, stamp, reason, text, message_id, amounts in vendor.events(
            store, org_id, vendor.seller_invoice(store, row)):
        item = {"uuid": message_id, "afnorStatusCode": code, "status": _status_name(code),
                "createdAt": stamp}
        if amounts:
            item["paymentDetails"] = [
                {"vatRate": float(a.vat_rate) if a.vat_rate is not None else None,
                 "amount": float(a.amount), "currency": a.currency} for a in amounts]
        if reason:
            details = {"rejectionReason": _reason_name(reason)}
            if text:
                details["message"] = text
            item["rejectionDetails"] = details
        items.append(item)
    return items


def _reason_name(reason):
    try:
        return acube_reason_name(reason)
    except AfnorError:  # a reason without an A-Cube name is shown as its AFNOR code
        return reason


def _push(store, org_id, row, body):
    value = body.get("afnorStatusCode")
    text = str(value).strip().upper() if value is not None else ""
    by_name = {name: code for code, name in ACUBE_STATUS_NAMES.items()}
    code = code_number(text) if code_number(text) is not None else by_name.get(text)
    if code not in ACUBE_STATUS_NAMES:
        raise ApiError(422, "invalid_status", f"afnorStatusCode {value!r} is not a known "
                       "InvoiceStatus value.")
    details = body.get("rejectionDetails") or {}
    reason = None
    if details.get("rejectionReason"):
        reason = acube_reason_code(details["rejectionReason"])
        if reason is None:
            raise ApiError(422, "invalid_rejection_reason", f"rejectionReason "
                           f"{details['rejectionReason']!r} is not a known reason.")
    amounts = vendor.payment_amounts(body.get("paymentDetails"))
    vendor.push(store, org_id, vendor.seller_invoice(store, row), code, reason,
                details.get("message"), amounts)
    return json_response({"uuid": row["flow_id"], "status": _status_name(code)}, 202)
