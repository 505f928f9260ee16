# Copyright 2026 The l10n_fr_einvoice_pa authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Webhook notifications of the platform: checked, remembered, and turned into a sync.

The body is never trusted for statuses: a notification only wakes the synchronisation
up, which then asks the platform itself.
"""

import base64
import hashlib
import hmac
import json
import logging
import time
from datetime import timedelta

from odoo import api, fields, models

_logger = logging.getLogger(__name__)

MAX_BODY_BYTES = 64 * 1024
SIGNATURE_WINDOW = 300  # seconds either side of now
SIGNATURE_HEADER = "X-Sandbox-Signature"
AFNOR_SIGNATURE_HEADER = "Afnor-Signature"
AFNOR_TIMESTAMP_HEADER = "Afnor-Signature-Timestamp"


class WebhookRefused(Exception):
    """A notification refused with an HTTP status (4xx) and a short reason."""

    def __init__(self, status, reason):
        super().__init__(reason)
        self.status = status
        self.reason = reason


def parse_signature(header):
    """``t=<ts>,v1=<hex>`` -> (ts: int, v1: str); WebhookRefused(401) when unreadable."""
    parts = dict(p.strip().split("=", 1) for p in header.split(",") if "=" in p)
    try:
        stamp = int(parts["t"])
        digest = parts["v1"].strip().lower()
    except (KeyError, ValueError) as exc:
        raise WebhookRefused(401, "unreadable signature header") from exc
    if len(digest) != 64 or any(c not in "0123456789abcdef" for c in digest):
        raise WebhookRefused(401, "unreadable signature header")
    return stamp, digest


def check_signature(secret, header, body, now=None):
    """Verify the sandbox signature: HMAC-SHA256(secret, f"{t}.{body}"), fresh timestamp."""
    stamp, digest = parse_signature(header)
    now = time.time() if now is None else now
    if abs(now - stamp) > SIGNATURE_WINDOW:
        raise WebhookRefused(401, "signature timestamp outside the accepted window")
    expected = hmac.new(secret.encode(), f"{stamp}.".encode() + body, hashlib.sha256).hexdigest()
    if not hmac.compare_digest(expected, digest):
        raise WebhookRefused(401, "bad signature")
    return digest


def check_afnor_signature(secret, signature, timestamp, body, now=None):
    """Verify the AFNOR spec signature: base64(HMAC(secret, hex(SHA-256(body + "@" + ts))))."""
    try:
        stamp = int(timestamp or "")
    except ValueError as exc:
        raise WebhookRefused(401, "unreadable signature timestamp") from exc
    now = time.time() if now is None else now
    if abs(now - stamp) > SIGNATURE_WINDOW:
        raise WebhookRefused(401, "signature timestamp outside the accepted window")
    fingerprint = hashlib.sha256(body + b"@" + str(stamp).encode()).hexdigest()
    expected = base64.b64encode(
        hmac.new(secret.encode(), fingerprint.encode(), hashlib.sha256).digest()
    ).decode()
    if not hmac.compare_digest(expected.encode(), signature.strip().encode()):
        raise WebhookRefused(401, "bad signature")
    return expected


def verify(secret, headers, body):
    """The verified signature of a notification (to remember), None when unsigned.

    The sandbox header is preferred; the AFNOR headers are checked when alone. When the
    company has a webhook secret, an unsigned notification is refused.
    """
    sandbox = headers.get(SIGNATURE_HEADER)
    afnor = headers.get(AFNOR_SIGNATURE_HEADER)
    if not (sandbox or afnor):
        if secret:
            raise WebhookRefused(401, "signature missing")
        return None
    if not secret:
        raise WebhookRefused(401, "no webhook secret to verify the signature")
    if sandbox:
        return check_signature(secret, sandbox, body)
    return check_afnor_signature(secret, afnor, headers.get(AFNOR_TIMESTAMP_HEADER), body)


def parse_body(body):
    """The flow announced by the body (a JSON object with a flowId), else WebhookRefused."""
    if len(body) > MAX_BODY_BYTES:
        raise WebhookRefused(413, "body too large")
    try:
        data = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise WebhookRefused(400, "body is not JSON") from exc
    flow_id = data.get("flowId") if isinstance(data, dict) else None
    if not isinstance(flow_id, str) or not 0 < len(flow_id) <= 255:
        raise WebhookRefused(400, "body has no flowId")
    updated = data.get("updatedAt")
    return flow_id, updated if isinstance(updated, str) else ""


class L10nFrPaWebhookNotification(models.Model):
    _name = "l10n_fr_pa.webhook.notification"
    _description = "E-invoicing webhook notification"
    _order = "id desc"

    company_id = fields.Many2one("res.company", required=True, index=True, readonly=True)
    flow_id = fields.Char(readonly=True)
    notification_key = fields.Char(readonly=True, index=True)
    signature = fields.Char(readonly=True)

    _sql_constraints = [
        ("signature_uniq", "unique(company_id, signature)", "A signature is accepted once."),
    ]

    @api.model
    def _receive(self, connection, body, headers):
        """Check and record one notification; returns "accepted" or "duplicate".

        Raises WebhookRefused (4xx) for a bad signature, a replay or a malformed body.
        """
        conn = connection.sudo()
        digest = verify(conn.webhook_secret, headers, body)
        flow_id, updated = parse_body(body)
        Notification = self.sudo()
        company = conn.company_id
        if digest and Notification.search_count(
                [("company_id", "=", company.id), ("signature", "=", digest)], limit=1):
            raise WebhookRefused(409, "replayed notification")
        key = f"{flow_id}|{updated}"
        duplicate = bool(Notification.search_count(
            [("company_id", "=", company.id), ("notification_key", "=", key)], limit=1))
        Notification.create({"company_id": company.id, "flow_id": flow_id,
                             "notification_key": key, "signature": digest})
        if duplicate:
            return "duplicate"
        cron = self.env.ref("l10n_fr_einvoice_pa.ir_cron_l10n_fr_pa_sync", raise_if_not_found=False)
        if cron:
            cron.sudo()._trigger()
        return "accepted"

    @api.autovacuum
    def _gc_notifications(self):
        """Signatures older than the accepted window can no longer be replayed."""
        limit = fields.Datetime.now() - timedelta(days=2)
        self.sudo().search([("create_date", "<", limit)]).unlink()
