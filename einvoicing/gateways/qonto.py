"""The Qonto gateway (Qonto's own API; it does not follow XP Z12-013).

Sources (docs.qonto.com): "E-invoicing via API" (guides/invoicing/e-invoicing), the
API reference of client invoices (bulk import, send via e-invoice, retrieve, list,
mark as paid), supplier invoices (list, retrieve, reject), attachments, errors
(JSON:API ``errors``), pagination (``page``/``per_page``/``meta``) and webhooks
(``X-Qonto-Signature: t=...,v1=...``).

- submit: ``POST /v2/client_invoices/bulk`` (the file kept as is; re-importing the same
  file returns the same ``invoice_id``) then ``POST /v2/client_invoices/{id}/send_by_einvoice``
  (204; calling it again does not resubmit). A lost import answer is resolved by
  looking the invoice number up in ``GET /v2/client_invoices`` first.
- events: ``einvoicing_lifecycle_events`` of ``GET /v2/client_invoices/{id}`` (or of the
  supplier invoice): AFNOR codes 200-214 with a reason label.
- statuses we push: 212 is ``mark_as_paid`` (Qonto derives the amounts from the invoice;
  the API takes a date only), 210 is ``POST /v2/supplier_invoices/{id}/reject`` with the
  AFNOR ``declined_reason_code``. Qonto documents no way to push the others.
- no directory look-up (clients carry ``e_invoicing_reachable`` instead).
"""

import json
import time
from decimal import Decimal

from .. import webhook_signature
from ..afnor.errors import AfnorError, error_from_response, invalid_answer
from ..afnor.http import DEFAULT_TIMEOUT, HttpClient, RetryPolicy, send
from ..identifiers import siren_from_vat
from ..lifecycle import PaymentAmount
from .auth import QontoCredentials
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
    unsupported,
)
from .codes import qonto_reason_code, qonto_status_code, qonto_summary_status
from .registry import register

SIGNATURE_HEADER = "X-Qonto-Signature"
PER_PAGE = 100
DUPLICATE_CODES = frozenset({"already_exists", "taken", "duplicate", "not_unique"})


def _events(invoice):
    events = []
    for item in invoice.get("einvoicing_lifecycle_events") or []:
        reason = item.get("reason")
        events.append(PlatformEvent(
            qonto_status_code(item.get("status_code")), item.get("timestamp"),
            qonto_reason_code(reason), item.get("reason_message") or reason or None))
    return sorted(events, key=lambda e: e.timestamp or "")


def _payments(invoice):
    """The invoice's amounts per VAT rate (client ``items``), else its total (one line)."""
    by_rate, currency = {}, invoice.get("currency") or "EUR"
    for item in invoice.get("items") or []:
        value = (item.get("total_amount") or {}).get("value")
        if value is None or item.get("vat_rate") is None:
            continue
        rate = (Decimal(str(item["vat_rate"])) * 100).quantize(Decimal("0.01"))
        by_rate[rate] = by_rate.get(rate, Decimal(0)) + Decimal(str(value))
    if by_rate:
        return tuple(PaymentAmount(amount, currency, rate)
                     for rate, amount in sorted(by_rate.items()) if amount > 0)
    total = (invoice.get("total_amount") or {}).get("value")
    return (PaymentAmount(str(total), currency),) if total else ()


def _siren(vat):
    return siren_from_vat(vat) if vat else None


def _is_duplicate(error):
    return error.http_status in (409, 422) and (error.error_code or "") in DUPLICATE_CODES


class QontoGateway(Gateway):
    platform = "qonto"
    capabilities = frozenset({SUBMIT, EVENTS, PUSH_STATUS, RECEIVED, WEBHOOKS, HEALTH})

    def __init__(self, http, policy, sleep=time.sleep):
        self.http = http
        self.policy = policy
        self._sleep = sleep

    def healthcheck(self):
        self.http.json("GET", "/v2/organization", "the Qonto connection check")
        return True

    # -- sending ------------------------------------------------------------------------
    def submit_invoice(self, content, filename, syntax, tracking_id, invoice_number=None):
        number = invoice_number or tracking_id
        action = f"the import of invoice {number!r}"
        files = [("client_invoices", (filename, content, MIMES.get(syntax, "application/pdf")))]

        def post():
            answer = self.http.json("POST", "/v2/client_invoices/bulk", action,
                                    expected=(200, 201), files=files)
            imported = answer.get("client_invoices") if isinstance(answer, dict) else None
            if not imported or not imported[0].get("invoice_id"):
                raise invalid_answer(action, "no client_invoices[0].invoice_id")
            return Submission(imported[0]["invoice_id"], tracking_id, False, imported[0])

        submission = self._submit_by_number(post, tracking_id, number, _is_duplicate)
        # idempotent on Qonto's side: a second call does not resubmit
        self.http.request("POST", f"/v2/client_invoices/{quoted(submission.platform_id)}"
                          "/send_by_einvoice", f"the e-invoice sending of {number!r}",
                          expected=(200, 202, 204))
        return submission

    def _pages(self, path, key, action, params=None):
        for page in range(1, MAX_PAGES + 1):
            answer = self.http.json("GET", path, action,
                                    params={**(params or {}), "page": page,
                                            "per_page": PER_PAGE})
            items = answer.get(key) if isinstance(answer, dict) else None
            if not isinstance(items, list):
                raise invalid_answer(action, f"no {key} list")
            yield from items
            if not (answer.get("meta") or {}).get("next_page"):
                return

    def find_submission(self, tracking_id, invoice_number=None):
        number = invoice_number or tracking_id
        for invoice in self._pages("/v2/client_invoices", "client_invoices",
                                   "the client invoice list"):
            if invoice.get("number") == number:
                return Submission(invoice["id"], tracking_id, True, invoice)
        return None

    def _invoice(self, platform_id):
        """The client invoice, else the supplier invoice, with this id (and which one)."""
        for kind in ("client_invoice", "supplier_invoice"):
            try:
                answer = self.http.json("GET", f"/v2/{kind}s/{quoted(platform_id)}",
                                        f"the retrieval of {kind.replace('_', ' ')} "
                                        f"{platform_id}")
            except AfnorError as error:
                if error.http_status == 404:
                    continue
                raise
            return kind, answer.get(kind, answer) if isinstance(answer, dict) else {}
        raise AfnorError(f"Qonto has no client or supplier invoice {platform_id!r}.",
                         code="afnor_http_404", http_status=404)

    def invoice_events(self, platform_id, invoice_number=None):
        return _events(self._invoice(platform_id)[1])

    def list_sent(self, since=None):
        return [Submission(item["id"], item.get("number"), True, item)
                for item in self._pages("/v2/client_invoices", "client_invoices",
                                        "the client invoice list")
                if item.get("einvoicing_status") and (
                    not since or (item.get("updated_at") or item.get("created_at") or "")
                    >= since)]

    def _own_siren(self):
        answer = self.http.json("GET", "/v2/organization", "the organization details")
        return (answer.get("organization") or {}).get("legal_number")

    def invoice_refs(self, platform_id):
        """Client invoice: number, organization (seller), client (buyer); supplier invoice:
        invoice_number, the supplier's VAT number (seller), our organization (buyer)."""
        kind, invoice = self._invoice(platform_id)
        if kind == "client_invoice":
            client = invoice.get("client") or {}
            seller = (invoice.get("organization") or {}).get("legal_number") or \
                self._own_siren()
            buyer = client.get("tax_identification_number") or \
                _siren(client.get("vat_number"))
            return InvoiceRefs(invoice.get("number"), invoice.get("issue_date"), seller, buyer,
                               payments=_payments(invoice))
        return InvoiceRefs(invoice.get("invoice_number"), invoice.get("issue_date"),
                           _siren(invoice.get("vat_number")), self._own_siren(),
                           payments=_payments(invoice))

    def current_summary(self, platform_id):
        """The AFNOR status of the invoice's ``einvoicing_status`` (None: pending)."""
        return qonto_summary_status(self._invoice(platform_id)[1].get("einvoicing_status"))

    # -- statuses -----------------------------------------------------------------------
    def push_status(self, platform_id, message):
        ident = quoted(platform_id)
        if message.status_code == 212:
            paid_at = (message.issued_at.date() if message.issued_at else None) or \
                time.strftime("%Y-%m-%d")
            return self._post_json(f"/v2/client_invoices/{ident}/mark_as_paid",
                                   f"marking invoice {platform_id} as paid",
                                   {"paid_at": str(paid_at)})
        if message.status_code == 210:
            return self._reject(platform_id, message)
        raise unsupported(self.platform, PUSH_STATUS, f"it can send status 212 (mark as paid) "
                          f"and 210 (reject) only, not {message.status_code}.", partly=True)

    def _post_json(self, path, action, body):
        response = self.http.request("POST", path, action, expected=(200, 201, 202, 204),
                                     json=body)
        return response.json() if response.content else {}

    def _reject(self, platform_id, message):
        action = f"the refusal of supplier invoice {platform_id}"
        body = {"supplier_invoice": {
            "declined_note": message.message or message.reason_text or "",
            "declined_reason_code": message.reason_code}}
        try:
            return self._post_json(f"/v2/supplier_invoices/{quoted(platform_id)}/reject",
                                   action, body)
        except AfnorError as error:
            # not idempotent on Qonto's side: a second call is an "invalid transition"
            kind, invoice = self._invoice(platform_id)
            if error.http_status == 400 and invoice.get("status") == "rejected":
                return {"supplier_invoice": invoice, "_already_existing": True}
            raise

    # -- reception ----------------------------------------------------------------------
    def list_received(self, since=None):
        params = {"filter[created_at_from]": since} if since else {}
        return [ReceivedInvoice(item["id"], item.get("file_name"), item.get("invoice_number"),
                                item.get("created_at"), item)
                for item in self._pages("/v2/supplier_invoices", "supplier_invoices",
                                        "the supplier invoice list", params)
                if item.get("is_einvoice", True)]

    def download_received(self, platform_id):
        _kind, invoice = self._invoice(platform_id)
        attachment_id = invoice.get("attachment_id")
        if not attachment_id:
            raise invalid_answer(f"the retrieval of supplier invoice {platform_id}",
                                 "no attachment_id")
        action = f"the download of attachment {attachment_id}"
        answer = self.http.json("GET", f"/v2/attachments/{quoted(attachment_id)}", action)
        url = (answer.get("attachment") or {}).get("url") if isinstance(answer, dict) else None
        if not url:
            raise invalid_answer(action, "no attachment.url")
        # a pre-signed URL valid 30 minutes: no Authorization header
        response = send(self.http.session, "GET", url, action, self.http.timeout)
        if response.status_code != 200:
            raise error_from_response(response, action)
        return response.content

    # -- webhooks -----------------------------------------------------------------------
    def verify_webhook(self, secret, headers, body, now=None):
        """``X-Qonto-Signature: t={ts},v1={hex HMAC-SHA256(secret, "{ts}." + raw body)}``."""
        return webhook_signature.verify_sandbox(secret, headers.get(SIGNATURE_HEADER) or "",
                                                body, now=now)

    def parse_webhook(self, body):
        """``{"platform_id", "status_code", "event_id", "event_type"}`` of a notification.

        Qonto's client invoice webhooks carry ``einvoicing_status`` but not the events:
        the host fetches the invoice again (``invoice_events``).
        """
        payload = json.loads(body)
        data = payload.get("data") if isinstance(payload.get("data"), dict) else payload
        summary = data.get("einvoicing_status")
        return {"platform_id": data.get("id") or payload.get("resource_id"),
                "status_code": qonto_summary_status(summary) if summary else None,
                "event_id": payload.get("event_id") or payload.get("id"),
                "event_type": payload.get("event_type")}


def make_qonto(api_url, login=None, secret_key=None, access_token=None, staging_token=None,
               webhook_secret=None, timeout=DEFAULT_TIMEOUT, session=None, max_retries=3,
               sleep=time.sleep):
    policy = RetryPolicy(max_retries)
    auth = QontoCredentials(login, secret_key, access_token, staging_token)
    http = HttpClient(api_url, auth=auth, timeout=timeout, policy=policy, session=session,
                      read_posts=())
    return QontoGateway(http, policy, sleep)


register("qonto", make_qonto)
