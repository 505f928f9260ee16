"""The AFNOR XP Z12-013 gateway: the Flow and Directory clients behind the neutral interface.

Statuses travel as CDAR flows: pushing one builds the CDAR D22B message and submits
it (idempotent on ``cdar-<message id>``); following an invoice reads the lifecycle
flows and keeps the CDARs about its invoice number.
"""

import time

from .. import webhook_signature
from ..afnor import DirectoryClient, FlowClient, OAuth2ClientCredentials
from ..afnor.http import DEFAULT_TIMEOUT
from ..lifecycle.cdar import build_cdar, parse_cdar
from .base import (
    DIRECTORY,
    EVENTS,
    HEALTH,
    PUSH_STATUS,
    RECEIVED,
    SUBMIT,
    WEBHOOKS,
    Gateway,
    PlatformEvent,
    ReceivedInvoice,
    Submission,
    unsupported,
)
from .registry import register

LC_TYPES = ("CustomerInvoiceLC", "SupplierInvoiceLC")


def _submission(flow, tracking_id):
    return Submission(flow["flowId"], flow.get("trackingId") or tracking_id,
                      bool(flow.get("_already_existing")), flow)


def platform_event(event, flow_id=None):
    """A :class:`PlatformEvent` from a parsed CDAR event (and the flow that carried it)."""
    return PlatformEvent(event.status_code, event.timestamp.isoformat(), event.reason_code,
                         event.reason_text, flow_id or event.message_id)


class AfnorGateway(Gateway):
    platform = "afnor"
    capabilities = frozenset({SUBMIT, EVENTS, PUSH_STATUS, RECEIVED, DIRECTORY, WEBHOOKS,
                              HEALTH})

    def __init__(self, flow_client, directory_client=None):
        self.flows = flow_client
        self.directory = directory_client

    def healthcheck(self):
        return self.flows.healthcheck()

    def submit_invoice(self, content, filename, syntax, tracking_id, invoice_number=None):
        return _submission(self.flows.submit_flow(content, filename, syntax, tracking_id),
                           tracking_id)

    def find_submission(self, tracking_id, invoice_number=None):
        flow = self.flows.find_by_tracking_id(tracking_id)
        return None if flow is None else _submission({**flow, "_already_existing": True},
                                                     tracking_id)

    def invoice_events(self, platform_id, invoice_number=None):
        if not invoice_number:
            raise unsupported(self.platform, EVENTS, "Give the invoice number: AFNOR "
                              "lifecycle flows are matched on it.")
        events = []
        for flow in self.flows.iter_flows(flow_type=list(LC_TYPES)):
            event = parse_cdar(self.flows.get_flow(flow["flowId"], "Original"))
            if event.invoice_number == invoice_number:
                events.append(platform_event(event, flow["flowId"]))
        return sorted(events, key=lambda e: e.timestamp or "")

    def push_status(self, platform_id, message):
        xml = build_cdar(message)
        message_id = parse_cdar(xml).message_id
        flow = self.flows.submit_flow(xml, f"CDAR-{message_id}.xml", "CDAR",
                                      f"cdar-{message_id}")
        return {**flow, "cdar": xml}

    def list_received(self, since=None):
        criteria = {"flow_type": "SupplierInvoice", "flow_direction": "In"}
        if since:
            criteria["updated_after"] = since
        return [ReceivedInvoice(f["flowId"], f.get("name"), None, f.get("submittedAt"), f)
                for f in self.flows.iter_flows(**criteria)]

    def download_received(self, platform_id):
        return self.flows.get_flow(platform_id, "Original")

    def lookup_directory(self, siren, siret=None):
        if self.directory is None:
            raise unsupported(self.platform, DIRECTORY, "No directory URL is configured.")
        return self.directory.resolve_address(siren, siret)

    def verify_webhook(self, secret, headers, body, now=None):
        if headers.get(webhook_signature.SANDBOX_HEADER):
            return webhook_signature.verify_sandbox(
                secret, headers[webhook_signature.SANDBOX_HEADER], body, now=now)
        return webhook_signature.verify_afnor(
            secret, headers.get(webhook_signature.AFNOR_HEADER),
            headers.get(webhook_signature.AFNOR_TIMESTAMP_HEADER), body, now=now)


def make_afnor(flow_url, token_url, client_id, client_secret, directory_url=None, scope=None,
               organization_id=None, webhook_secret=None, timeout=DEFAULT_TIMEOUT, session=None,
               max_retries=3, sleep=time.sleep):
    auth = OAuth2ClientCredentials(token_url, client_id, client_secret, scope=scope,
                                   timeout=timeout, session=session)
    options = {"organization_id": organization_id, "timeout": timeout, "session": session,
               "max_retries": max_retries}
    directory = DirectoryClient(directory_url, auth, **options) if directory_url else None
    return AfnorGateway(FlowClient(flow_url, auth, sleep=sleep, **options), directory)


register("afnor", make_afnor)
