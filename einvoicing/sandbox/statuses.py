"""Lifecycle statuses as CDAR flows: emitted by the platform / simulated buyer, or pushed.

Every status becomes a CDAR file (built with :func:`einvoicing.lifecycle.cdar.build_cdar`)
stored as a flow for each party that must see it: the seller sees it as an inbound
``CustomerInvoiceLC`` flow, the buyer as ``SupplierInvoiceLC``.
"""

import uuid
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from ..lifecycle import PaymentAmount
from ..lifecycle.cdar import StatusMessage, build_cdar
from .flows import insert_flow

# Reason codes the sandbox uses when a scenario does not name one (BR-FR-CDV-CL-09 lists).
DEFAULT_REASONS = {206: "QTE_ERR", 207: "PU_ERR", 208: "JUSTIF_ABS", 210: "MONTANTTOTAL_ERR",
                   213: "REJ_SEMAN"}


def org_of(conn, siren):
    row = conn.execute("SELECT org_id FROM companies WHERE siren = ?", (siren,)).fetchone()
    return row["org_id"] if row else None


def _date(text):
    return date.fromisoformat(text) if text else None


def build_status(invoice, code, issuer_role, reason_code=None, reason_text=None, amounts=()):
    """CDAR bytes and message id for a status about the seller's invoice flow row."""
    message_id = str(uuid.uuid4())
    xml = build_cdar(StatusMessage(
        status_code=code, invoice_number=invoice["invoice_number"],
        invoice_date=_date(invoice["invoice_date"]), seller_siren=invoice["seller_siren"],
        buyer_siren=invoice["buyer_siren"], issuer_role=issuer_role,
        reason_code=reason_code, reason_text=reason_text, amounts=list(amounts),
        message_id=message_id, invoice_type_code=invoice["invoice_type"] or "380"))
    return xml, message_id


def _lc_columns(invoice, code, message_id):
    return {"invoice_flow_id": invoice["flow_id"],
            "seller_siren": invoice["seller_siren"], "buyer_siren": invoice["buyer_siren"],
            "invoice_number": invoice["invoice_number"], "invoice_date": invoice["invoice_date"],
            "status_code": code, "message_id": message_id}


def store_status(conn, store, invoice, code, xml, message_id, sides, tracking_id=None):
    """Store a CDAR for each (org_id, direction) in ``sides``; returns the rows."""
    name = f"CDAR_{invoice['invoice_number']}_{code}_{message_id[:8]}.xml"
    rows = []
    seller_org = org_of(conn, invoice["seller_siren"])
    for org_id, direction in sides:
        flow_type = "CustomerInvoiceLC" if org_id == seller_org else "SupplierInvoiceLC"
        cols = _lc_columns(invoice, code, message_id)
        if direction == "Out":
            cols["tracking_id"] = tracking_id
        rows.append(insert_flow(conn, store, org_id, direction, flow_type, "CDAR", name,
                                xml, **cols))
    return rows


def emit(conn, store, invoice, code, issuer_role, reason_code=None, reason_text=None,
         amounts=()):
    """The platform (or the simulated buyer) emits ``code`` about a seller invoice row."""
    if reason_code is None and code in DEFAULT_REASONS:
        reason_code = DEFAULT_REASONS[code]
    xml, message_id = build_status(invoice, code, issuer_role, reason_code, reason_text, amounts)
    sides = [(invoice["org_id"], "In")]
    buyer_org = org_of(conn, invoice["buyer_siren"])
    if issuer_role == "buyer" and buyer_org:
        sides.append((buyer_org, "Out"))
    return store_status(conn, store, invoice, code, xml, message_id, sides)


def amount_of(invoice, fraction=1):
    """PaymentAmount for ``fraction`` of the invoice's amount due (2 decimals)."""
    value = (Decimal(invoice["amount"]) * Decimal(str(fraction))).quantize(
        Decimal("0.01"), rounding=ROUND_HALF_UP)
    return PaymentAmount(amount=value, currency=invoice["currency"] or "EUR", vat_rate=None)
