"""The AFNOR Flow client's surface over any gateway, for hosts written against flows.

The host (the Odoo layer) sends, synchronises and receives in terms of AFNOR flows:
``submit_flow`` (an invoice or a CDAR status), ``search_flows`` / ``iter_flows`` (new
invoices and lifecycle messages), ``get_flow`` (a file or its metadata). A
:class:`FlowView` gives that surface to a platform that has no flows:

- an invoice file goes to ``gateway.submit_invoice`` (the invoice number is read from
  the file: the platforms find a lost submission by it);
- a CDAR file is read and goes to ``gateway.push_status`` about the invoice it names;
- the platform's lifecycle events become lifecycle flows whose "file" is a CDAR built
  from the event, with a stable message id (a re-read event is a duplicate, not news);
- received invoices become ``SupplierInvoice`` flows (``Original`` = the file).
"""

import uuid
from datetime import date, datetime, timezone

from ..afnor.errors import AfnorError
from ..facturx import extract
from ..lifecycle.cdar import StatusMessage, build_cdar, parse_cdar
from ..lifecycle.statuses import get_status
from ..syntax import parse_invoice_xml
from .base import unsupported

LC_PREFIX, IN_PREFIX = "lc:", "in:"
_NAMESPACE = uuid.UUID("9b1f3c56-2a3e-4a57-9f7c-57a1e0b5c0de")
MAX_LIMIT = 100


def _number_of(content, syntax):
    xml = extract(content)[0] if syntax == "Factur-X" else content
    return parse_invoice_xml(xml).number


def _moment(text):
    if not text:
        return datetime.now(timezone.utc)
    moment = datetime.fromisoformat(str(text).replace("Z", "+00:00"))
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def _role(code):
    """Who emits a status, from the official status table (XP Z12-012): its only
    emitter, or the buyer for 211 (the supplier sends it only about a credit note)."""
    emitters = get_status(code).emitters
    return next(iter(emitters)) if len(emitters) == 1 else "buyer"


class FlowView:
    """``FlowClient``'s methods, answered by a gateway (see the module docstring)."""

    def __init__(self, gateway):
        self.gateway = gateway

    def __repr__(self):
        return f"FlowView({self.gateway.platform})"

    def healthcheck(self):
        return self.gateway.healthcheck()

    # -- submit ---------------------------------------------------------------------------
    def submit_flow(self, content, filename, flow_syntax, tracking_id, processing_rule=None,
                    flow_profile=None):
        if flow_syntax == "CDAR":
            return self._push(content, tracking_id)
        number = _number_of(content, flow_syntax)
        sub = self.gateway.submit_invoice(content, filename, flow_syntax, tracking_id, number)
        return {"flowId": sub.platform_id, "trackingId": tracking_id, "name": filename,
                "flowSyntax": flow_syntax, "flowType": "CustomerInvoice",
                "flowDirection": "Out", "acknowledgement": {"status": "Ok"},
                "_already_existing": sub.already_existing}

    def find_by_tracking_id(self, tracking_id):
        """None: these platforms do not know our trackingId; ``submit_flow`` finds a lost
        submission by its invoice number instead."""
        return None

    def _push(self, content, tracking_id):
        event = parse_cdar(content)
        sent = event.issuer_role == "supplier"
        platform_id = self._platform_id(event.invoice_number, sent)
        self.gateway.push_status(platform_id, StatusMessage(
            status_code=event.status_code, invoice_number=event.invoice_number,
            invoice_date=event.invoice_date, seller_siren=event.seller_siren,
            buyer_siren=event.buyer_siren, issuer_role=event.issuer_role,
            reason_code=event.reason_code, reason_text=event.reason_text,
            message=event.message, amounts=list(event.amounts), message_id=event.message_id,
            issued_at=event.timestamp))
        return {"flowId": f"cdar:{event.message_id}", "trackingId": tracking_id,
                "flowSyntax": "CDAR", "acknowledgement": {"status": "Ok"},
                "_already_existing": False}

    def _platform_id(self, number, sent):
        if sent:
            found = self.gateway.find_submission(number, number)
            if found is not None:
                return found.platform_id
        else:
            for item in self.gateway.list_received():
                refs = item.invoice_number or self.gateway.invoice_refs(
                    item.platform_id).invoice_number
                if refs == number:
                    return item.platform_id
        raise AfnorError(f"The platform has no invoice {number!r} to send this status about.",
                         code="afnor_http_404", http_status=404)

    # -- read -------------------------------------------------------------------------------
    def _lifecycle_flows(self, platform_id, sent):
        refs = self.gateway.invoice_refs(platform_id)
        flows = []
        for index, event in enumerate(self.gateway.invoice_events(platform_id,
                                                                 refs.invoice_number)):
            stamp = _moment(event.timestamp)
            flows.append({
                "flowId": f"{LC_PREFIX}{platform_id}:{index}",
                "flowType": "CustomerInvoiceLC" if sent else "SupplierInvoiceLC",
                "flowDirection": "In", "flowSyntax": "CDAR",
                "updatedAt": stamp.isoformat(), "submittedAt": stamp.isoformat(),
                "acknowledgement": {"status": "Ok"},
                "_cdar": (refs, event, stamp)})
        return flows

    def _all_flows(self, flow_types, since):
        flows = []
        wanted = set(flow_types or ("CustomerInvoiceLC", "SupplierInvoiceLC",
                                    "SupplierInvoice"))
        received = self.gateway.list_received() if wanted & {
            "SupplierInvoice", "SupplierInvoiceLC"} else []
        if "SupplierInvoice" in wanted:
            flows += [{"flowId": f"{IN_PREFIX}{r.platform_id}", "flowType": "SupplierInvoice",
                       "flowDirection": "In", "name": r.file_name or f"{r.platform_id}.xml",
                       "flowSyntax": _syntax_of(r.file_name),
                       "updatedAt": _moment(r.received_at).isoformat(),
                       "acknowledgement": {"status": "Ok"}} for r in received]
        if "CustomerInvoiceLC" in wanted:
            for sub in self.gateway.list_sent():
                flows += self._lifecycle_flows(sub.platform_id, True)
        if "SupplierInvoiceLC" in wanted:
            for item in received:
                flows += self._lifecycle_flows(item.platform_id, False)
        if since:
            flows = [f for f in flows if f["updatedAt"] > _moment(since).isoformat()]
        return sorted(flows, key=lambda f: (f["updatedAt"], f["flowId"]))

    def search_flows(self, cursor=None, limit=None, **criteria):
        flow_types = criteria.get("flow_type")
        if isinstance(flow_types, str):
            flow_types = [flow_types]
        since = criteria.get("updated_after")
        if isinstance(since, datetime):
            since = since.isoformat()
        flows = self._all_flows(flow_types, since)
        start = int(cursor or 0)
        size = min(int(limit or MAX_LIMIT), MAX_LIMIT)
        page = [_public(f) for f in flows[start:start + size]]
        more = start + size < len(flows)
        return page, str(start + size) if more else None

    def iter_flows(self, limit=None, **criteria):
        cursor = None
        while True:
            flows, cursor = self.search_flows(cursor=cursor, limit=limit, **criteria)
            yield from flows
            if cursor is None:
                return

    def get_flow(self, flow_id, doc_type="Metadata"):
        if flow_id.startswith(IN_PREFIX):
            if doc_type == "Original":
                return self.gateway.download_received(flow_id[len(IN_PREFIX):])
            if doc_type == "Metadata":
                return {"flowId": flow_id, "flowType": "SupplierInvoice",
                        "acknowledgement": {"status": "Ok"}}
        elif flow_id.startswith(LC_PREFIX):
            platform_id, index = flow_id[len(LC_PREFIX):].rsplit(":", 1)
            for flow in self._lifecycle_flows(platform_id, self._is_sent(platform_id)):
                if flow["flowId"] == flow_id:
                    return _cdar(*flow["_cdar"]) if doc_type == "Original" else _public(flow)
        elif doc_type == "Metadata":
            return {"flowId": flow_id, "flowType": "CustomerInvoice",
                    "acknowledgement": {"status": "Ok"}}
        raise AfnorError(f"The {self.gateway.platform} platform has no {doc_type} document "
                         f"for {flow_id!r}.", code="afnor_http_404", http_status=404)

    def _is_sent(self, platform_id):
        return any(s.platform_id == platform_id for s in self.gateway.list_sent())

    # -- webhooks: subscribed in the platform's own console ------------------------------
    def create_webhook(self, *args, **kwargs):
        raise unsupported(self.gateway.platform, "webhooks", "Subscribe the webhook URL in "
                          "the platform's own console and paste its secret.", partly=True)

    def delete_webhook(self, webhook_id):
        raise unsupported(self.gateway.platform, "webhooks", partly=True)


def _syntax_of(name):
    name = (name or "").lower()
    return "Factur-X" if name.endswith(".pdf") else "CII"


def _public(flow):
    return {key: value for key, value in flow.items() if not key.startswith("_")}


def _cdar(refs, event, stamp):
    """The CDAR of one platform event (message id stable across reads)."""
    key = f"{refs.seller_siren}|{refs.invoice_number}|{event.status_code}|{event.timestamp}"
    amounts = list(event.amounts) or (list(refs.payments) if event.status_code in (211, 212)
                                      else [])
    return build_cdar(StatusMessage(
        status_code=event.status_code, invoice_number=refs.invoice_number,
        invoice_date=date.fromisoformat(refs.invoice_date[:10]) if refs.invoice_date else None,
        seller_siren=refs.seller_siren, buyer_siren=refs.buyer_siren,
        issuer_role=_role(event.status_code), reason_code=event.reason_code,
        reason_text=event.reason_text, amounts=amounts,
        message_id=str(uuid.uuid5(_NAMESPACE, key)), issued_at=stamp,
        invoice_type_code=refs.type_code or "380"))
