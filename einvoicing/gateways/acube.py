"""The A-Cube gateway (A-Cube's French e-invoicing API, docs.acubeapi.com gov-fr).

Sources: "Send an invoice", "Receive an invoice", "Invoice lifecycle" and "Invoice
events" pages of docs.acubeapi.com/documentation/gov-fr, and the API index of its
Invoices resource. Authentication (``POST /login`` with email and password, a JWT
back) is A-Cube's common login.

- submit: ``POST /invoices`` (multipart ``file``: UBL, CII or Factur-X) answers 201
  with the invoice ``uuid``; a lost answer is resolved by ``GET /invoices`` filtered
  on the invoice number before posting again (the API has no idempotency key).
- events: ``GET /invoices/{uuid}/lifecycle`` (the chronological history) and the
  ``invoice.status`` webhook; statuses are ``afnorStatusCode`` numbers or names.
- statuses we push: ``POST /invoices/{uuid}/lifecycle`` with ``afnorStatusCode``,
  ``paymentDetails`` per VAT rate (211/212) and ``rejectionDetails`` with A-Cube's
  reason names; a lost answer is resolved by reading the history first.
- reception: ``GET /invoices?direction=INBOUND`` and the original file.
- no directory look-up in the API (A-Cube routes with its copy of the directory).

Where the pages are silent (query parameter names, the history and download paths,
the webhook authentication) the choices are listed in the README.
"""

import hashlib
import hmac
import json
import time

from ..afnor.errors import invalid_answer
from ..afnor.http import DEFAULT_TIMEOUT, HttpClient, RetryPolicy
from ..afnor.idempotent import submit_once
from ..lifecycle import PaymentAmount
from ..webhook_signature import SignatureError
from .auth import AcubeLogin
from .base import (
    EVENTS,
    HEALTH,
    MAX_PAGES,
    MIMES,
    PUSH_STATUS,
    RECEIVED,
    SUBMIT,
    WEBHOOKS,
    Gateway,
    InvoiceRefs,
    PlatformEvent,
    ReceivedInvoice,
    Submission,
    quoted,
)
from .codes import acube_reason_code, acube_reason_name, acube_status_code, acube_status_name
from .registry import register

SECRET_HEADER = "X-Webhook-Secret"
PAGE_SIZE = 100


def _number(value):
    """A JSON number for an amount or a rate (A-Cube's examples: 20.00, 1200.50)."""
    return float(value)


def lifecycle_body(message):
    """The JSON body of ``POST /invoices/{uuid}/lifecycle`` for a CDAR StatusMessage."""
    body = {"afnorStatusCode": message.status_code}
    acube_status_name(message.status_code)  # refuses codes outside A-Cube's list
    if message.amounts:
        body["paymentDetails"] = [
            {"vatRate": _number(a.vat_rate) if a.vat_rate is not None else None,
             "amount": _number(a.amount), "currency": a.currency} for a in message.amounts]
    if message.reason_code:
        details = {"rejectionReason": acube_reason_name(message.reason_code)}
        text = message.message or message.reason_text
        if text:
            details["message"] = text
        body["rejectionDetails"] = details
    return body


def event_of(item):
    """A :class:`PlatformEvent` from one lifecycle history item or status webhook."""
    details = item.get("rejectionDetails") or {}
    reason = details.get("rejectionReason") or item.get("rejectionReason")
    code = item.get("afnorStatusCode", item.get("status"))
    amounts = tuple(PaymentAmount(str(d["amount"]), d.get("currency") or "EUR",
                                  None if d.get("vatRate") is None else str(d["vatRate"]))
                    for d in item.get("paymentDetails") or [])
    return PlatformEvent(
        acube_status_code(code), item.get("createdAt") or item.get("timestamp"),
        acube_reason_code(reason), details.get("message") or item.get("message"),
        item.get("eventId") or item.get("uuid"), amounts)


class AcubeGateway(Gateway):
    platform = "acube"
    capabilities = frozenset({SUBMIT, EVENTS, PUSH_STATUS, RECEIVED, WEBHOOKS, HEALTH})

    def __init__(self, http, policy, sleep=time.sleep):
        self.http = http
        self.policy = policy
        self._sleep = sleep

    def healthcheck(self):
        self.http.json("GET", "/invoices", "the A-Cube connection check",
                       params={"itemsPerPage": 1})
        return True

    def _list(self, action, **filters):
        for page in range(1, MAX_PAGES + 1):
            items = self.http.json("GET", "/invoices", action,
                                   params={**filters, "page": page, "itemsPerPage": PAGE_SIZE})
            if not isinstance(items, list):
                raise invalid_answer(action, "the answer is not a list")
            yield from items
            if len(items) < PAGE_SIZE:
                return

    # -- sending ------------------------------------------------------------------------
    def submit_invoice(self, content, filename, syntax, tracking_id, invoice_number=None):
        number = invoice_number or tracking_id
        action = f"the submission of invoice {number!r}"
        files = {"file": (filename, content, MIMES.get(syntax, "application/xml"))}

        def post():
            body = self.http.json("POST", "/invoices", action, expected=(200, 201, 202),
                                  files=files)
            if not isinstance(body, dict) or not body.get("uuid"):
                raise invalid_answer(action, "no uuid in the answer", 201)
            return Submission(body["uuid"], tracking_id, False, body)

        return self._submit_by_number(post, tracking_id, number,
                                      lambda error: error.http_status == 409)

    def find_submission(self, tracking_id, invoice_number=None):
        number = invoice_number or tracking_id
        for item in self._list("the invoice search", direction="OUTBOUND",
                               invoiceNumber=number):
            if item.get("invoiceNumber") == number and item.get("uuid"):
                return Submission(item["uuid"], tracking_id, True, item)
        return None

    def list_sent(self, since=None):
        filters = {"direction": "OUTBOUND"}
        if since:
            filters["createdAfter"] = since
        return [Submission(item["uuid"], item.get("invoiceNumber"), True, item)
                for item in self._list("the sent invoice list", **filters)]

    def invoice_refs(self, platform_id):
        invoice = self.http.json("GET", f"/invoices/{quoted(platform_id)}",
                                 f"the retrieval of invoice {platform_id}")
        party, other = invoice.get("party") or {}, invoice.get("counterparty") or {}
        seller, buyer = (party, other) if invoice.get("direction") == "OUTBOUND" \
            else (other, party)
        return InvoiceRefs(invoice.get("invoiceNumber"), invoice.get("invoiceDate"),
                           seller.get("siren"), buyer.get("siren"),
                           invoice.get("invoiceTypeCode") or "380")

    def invoice_events(self, platform_id, invoice_number=None):
        action = f"the lifecycle history of invoice {platform_id}"
        items = self.http.json("GET", f"/invoices/{quoted(platform_id)}/lifecycle", action)
        if not isinstance(items, list):
            raise invalid_answer(action, "the answer is not a list")
        return [event_of(item) for item in items]

    # -- statuses -----------------------------------------------------------------------
    def push_status(self, platform_id, message):
        body = lifecycle_body(message)
        action = f"sending status {message.status_code} of invoice {platform_id}"
        path = f"/invoices/{quoted(platform_id)}/lifecycle"

        def post():
            response = self.http.request("POST", path, action,
                                         expected=(200, 201, 202, 204), json=body)
            return response.json() if response.content else {"accepted": True}

        def find():
            wanted = (message.status_code, message.reason_code)
            for event in self.invoice_events(platform_id):
                if (event.status_code, event.reason_code) == wanted:
                    return {"accepted": True, "_already_existing": True}
            return None

        answer, _existing = submit_once(
            post, find, f"status {message.status_code} of {platform_id}", self.policy,
            self._sleep, lambda error: False, None, key_name="status")
        return answer

    # -- reception ----------------------------------------------------------------------
    def list_received(self, since=None):
        filters = {"direction": "INBOUND"}
        if since:
            filters["createdAfter"] = since
        return [ReceivedInvoice(item["uuid"], None, item.get("invoiceNumber"),
                                item.get("createdAt"), item)
                for item in self._list("the received invoice list", **filters)]

    def download_received(self, platform_id):
        return self.http.request("GET", f"/invoices/{quoted(platform_id)}/original",
                                 f"the download of invoice {platform_id}").content

    # -- webhooks -----------------------------------------------------------------------
    def verify_webhook(self, secret, headers, body, now=None):
        """A-Cube sends back the secret configured on the webhook in ``X-Webhook-Secret``.

        There is no timestamp to check: the digest of the body is what the host remembers.
        """
        given = (headers.get(SECRET_HEADER) or "").encode()
        if not secret or not hmac.compare_digest(given, secret.encode()):
            raise SignatureError("The webhook secret does not match.", code="signature_bad")
        return hashlib.sha256(body).hexdigest()

    def parse_webhook(self, body):
        """``{"platform_id", "status_code", "event_id", "event_type", "direction"}``."""
        payload = json.loads(body)
        kind = payload.get("eventType") or payload.get("event")
        if kind == "invoice.inbound.received":
            return {"platform_id": payload.get("invoice_id"), "status_code": None,
                    "event_id": payload.get("eventId"), "event_type": kind,
                    "direction": "INBOUND"}
        event = event_of(payload)
        return {"platform_id": payload.get("invoiceUuid"), "status_code": event.status_code,
                "event_id": event.event_id, "event_type": kind,
                "direction": payload.get("direction")}


def make_acube(api_url, login_url, email, password, webhook_secret=None,
               timeout=DEFAULT_TIMEOUT, session=None, max_retries=3, sleep=time.sleep):
    policy = RetryPolicy(max_retries)
    auth = AcubeLogin(login_url, email, password, timeout=timeout, session=session,
                      policy=policy)
    http = HttpClient(api_url, auth=auth, timeout=timeout, policy=policy, session=session)
    return AcubeGateway(http, policy, sleep)


register("acube", make_acube)



