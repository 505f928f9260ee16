"""What the Qonto and A-Cube emulations share: files in, statuses in and out.

Both emulations sit on the same platform as the AFNOR API: an invoice sent through
them is a flow (same checks, same simulated buyer), a status they push is a CDAR
flow (same rules as ``POST /v1/flows``), and the lifecycle they report is read from
the CDAR flows the organisation sees.
"""

import uuid

from ..errors import InputError
from ..lifecycle import PaymentAmount
from ..lifecycle.cdar import parse_cdar
from ..syntax import parse_invoice_xml
from . import documents, intake, pushed
from .errors import ApiError
from .statuses import amount_of, build_status

SYNTAXES = {"cii": "CII", "ubl": "UBL", "facturx-pdf": "Factur-X"}


def read_file(content, name):
    """(flow syntax, invoice number) of an uploaded invoice file, or a 422."""
    try:
        report = documents.validate(content, name)
        syntax = SYNTAXES.get(report.kind)
        if syntax is None:
            raise ApiError(422, "unsupported_format", f"The file {name!r} is {report.kind!r}; "
                           "send a Factur-X PDF, a CII or a UBL invoice.")
        keys = documents.read_keys(documents.invoice_xml(content, syntax))
    except InputError as exc:
        raise ApiError(422, "unsupported_format",
                       f"The file {name!r} cannot be read as an invoice: {exc}") from None
    return syntax, keys.number


def submit(store, org_id, content, name, syntax, tracking_id=None):
    """Send one invoice file as the organisation's flow (the AFNOR intake does the rest)."""
    info = {"flowSyntax": syntax, "name": name}
    if tracking_id:
        info["trackingId"] = tracking_id
    return intake.submit(store, org_id, info, content)


def seller_invoice(store, row):
    """The seller's invoice flow a row (the seller's own or the buyer's copy) is about."""
    flow_id = row["invoice_flow_id"] or row["flow_id"]
    return store.one("SELECT * FROM flows WHERE flow_id = ?", (flow_id,))


def events(store, org_id, invoice):
    """[(code, timestamp, reason code, reason text, message id, amounts)] the org sees."""
    rows = store.query("SELECT content, submitted_at FROM flows WHERE org_id = ? AND "
                       "invoice_flow_id = ? AND flow_syntax = 'CDAR' ORDER BY seq",
                       (org_id, invoice["flow_id"]))
    found = []
    for row in rows:
        event = parse_cdar(bytes(row["content"]))
        found.append((event.status_code, row["submitted_at"], event.reason_code,
                      event.message or event.reason_text, event.message_id, event.amounts))
    return found


def push(store, org_id, invoice, code, reason_code=None, text=None, amounts=None):
    """The organisation sends status ``code`` about the seller's ``invoice`` row.

    The role follows from who the organisation is; 211/212 without amounts carry
    the invoice's whole amount. Checked like a CDAR posted to ``/v1/flows``.
    """
    org = store.one("SELECT siren FROM companies WHERE org_id = ?", (org_id,))
    role = "supplier" if org["siren"] == invoice["seller_siren"] else "buyer"
    if code in (211, 212) and not amounts:
        amounts = whole_payment(invoice)
    xml, message_id = build_status(invoice, code, role, reason_code, text, amounts or ())
    info = {"flowSyntax": "CDAR", "name": f"CDAR_{message_id}.xml"}
    return pushed.receive(store, org_id, info, xml)


def whole_payment(invoice):
    """The invoice's whole amount as paid, one line per VAT rate (BR-FR-CDV-14)."""
    try:
        parsed = parse_invoice_xml(documents.invoice_xml(bytes(invoice["content"]),
                                                         invoice["flow_syntax"]))
        currency = invoice["currency"] or "EUR"
        return [PaymentAmount(line.basis + line.tax, currency, line.rate)
                for line in parsed.totals().vat_breakdown if line.basis + line.tax > 0]
    except InputError:
        return [amount_of(invoice)]


def payment_amounts(details):
    """PaymentAmount list from A-Cube ``paymentDetails`` (a 400 when unreadable)."""
    try:
        return [PaymentAmount(str(d["amount"]), d.get("currency") or "EUR",
                              None if d.get("vatRate") is None else str(d["vatRate"]))
                for d in details or []]
    except (KeyError, TypeError, ValueError) as exc:
        raise ApiError(400, "invalid_payment_details", f"paymentDetails is not valid: {exc}; "
                       "give [{vatRate, amount, currency}].") from None


def new_id():
    return str(uuid.uuid4())
