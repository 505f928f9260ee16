# Copyright 2026 The l10n_fr_einvoice_pa authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Webhook notifications of the platform: checked, remembered, and turned into a sync.

The body is never trusted for statuses: a notification only wakes the synchronisation
up, which then asks the platform itself.
"""

import json
import logging
import re
from datetime import timedelta

from odoo import api, fields, models
from odoo.tools import SQL
from psycopg2.errors import UniqueViolation

from ..einvoicing import webhook_signature

_logger = logging.getLogger(__name__)

MAX_BODY_BYTES = 64 * 1024
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


class WebhookRefused(Exception):
    """A notification refused with an HTTP status (4xx) and a short reason."""

    def __init__(self, status, reason):
        super().__init__(reason)
        self.status = status
        self.reason = reason


def verify(secret, headers, body):
    """The verified signature of a notification (to remember), None when unsigned.

    The sandbox header is preferred; the AFNOR headers are checked when alone. When the
    company has a webhook secret, an unsigned notification is refused.
    """
    sandbox = headers.get(webhook_signature.SANDBOX_HEADER)
    afnor = headers.get(webhook_signature.AFNOR_HEADER)
    if not (sandbox or afnor):
        if secret:
            raise WebhookRefused(401, "signature missing")
        return None
    if not secret:
        raise WebhookRefused(401, "no webhook secret to verify the signature")
    try:
        if sandbox:
            return webhook_signature.verify_sandbox(secret, sandbox, body)
        return webhook_signature.verify_afnor(
            secret, afnor, headers.get(webhook_signature.AFNOR_TIMESTAMP_HEADER), body)
    except webhook_signature.SignatureError as exc:
        raise WebhookRefused(401, exc.message) from exc


def verify_gateway(conn, headers, body):
    """(digest, invoice id, event key) of a Qonto or A-Cube notification, or WebhookRefused.

    The platform's own scheme is checked by its gateway; a secret is always required.
    """
    if len(body) > MAX_BODY_BYTES:
        raise WebhookRefused(413, "body too large")
    if not conn.webhook_secret:
        raise WebhookRefused(401, "no webhook secret to verify the notification")
    gateway = conn._get_gateway()
    try:
        digest = gateway.verify_webhook(conn.webhook_secret, headers, body)
        data = gateway.parse_webhook(body)
    except webhook_signature.SignatureError as exc:
        raise WebhookRefused(401, exc.message) from exc
    except (AttributeError, TypeError, ValueError) as exc:
        raise WebhookRefused(400, "body is not a notification of this platform") from exc
    if not data.get("platform_id"):
        raise WebhookRefused(400, "no invoice id in the notification")
    key = data.get("event_id") or data.get("status_code") or data.get("event_type")
    return (digest, *checked_ids(str(data["platform_id"]), str(key)))


def parse_body(body):
    """The flow announced by the body (a JSON object with a flowId), else WebhookRefused."""
    if len(body) > MAX_BODY_BYTES:
        raise WebhookRefused(413, "body too large")
    try:
        data = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise WebhookRefused(400, "body is not JSON") from exc
    flow_id = data.get("flowId") if isinstance(data, dict) else None
    if not isinstance(flow_id, str):
        raise WebhookRefused(400, "body has no flowId")
    updated = data.get("updatedAt")
    return checked_ids(flow_id, updated if isinstance(updated, str) else "")


def checked_ids(flow_id, updated):
    """(flow id, update stamp) when storable, else WebhookRefused 400.

    PostgreSQL refuses NUL characters: a JSON "\\u0000" must be a 400, not a failed insert.
    """
    if not 0 < len(flow_id) <= 255 or _CONTROL.search(flow_id):
        raise WebhookRefused(400, "body has no flowId")
    if len(updated) > 64 or _CONTROL.search(updated):
        raise WebhookRefused(400, "body has an unreadable updatedAt")
    return flow_id, updated


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
        ("notification_key_uniq", "unique(company_id, notification_key)",
         "A notification is accepted once; its repeats are stored without a key."),
    ]

    @api.model
    def _receive(self, connection, body, headers):
        """Check and record one notification; returns "accepted" or "duplicate".

        Raises WebhookRefused (4xx) for a bad signature or a malformed body; a replay of
        a notification already recorded is a "duplicate" that changes nothing.
        """
        conn = connection.sudo()
        if conn.platform_api == "afnor":
            digest = verify(conn.webhook_secret, headers, body)
            flow_id, updated = parse_body(body)
        else:
            digest, flow_id, updated = verify_gateway(conn, headers, body)
        Notification = self.sudo()
        company = conn.company_id
        if digest and Notification.search_count(
                [("company_id", "=", company.id), ("signature", "=", digest)], limit=1):
            # The same delivery again (the platform did not get our answer, or sends
            # twice): acknowledged, nothing changes. A 4xx would make it retry, then
            # count our endpoint as failing.
            return "duplicate"
        key = f"{flow_id}|{updated}"
        values = {"company_id": company.id, "flow_id": flow_id, "signature": digest}
        known = Notification.search_count(
            [("company_id", "=", company.id), ("notification_key", "=", key)], limit=1)
        if known or not Notification._claim_first(values, key):
            Notification.create(values)  # a repeat: stored (its signature) without the key
            return "duplicate"
        cron = self.env.ref("l10n_fr_einvoice_pa.ir_cron_l10n_fr_pa_sync", raise_if_not_found=False)
        if cron:
            cron.sudo()._trigger()
        return "accepted"

    @api.model
    def _claim_first(self, values, key):
        """Store the first delivery of a notification key; False when another one has it.

        The key is unique per company: a concurrent delivery of the same notification
        (another worker, its transaction not committed yet, so invisible to the search)
        waits on the unique index, then fails here. Exactly one delivery is "accepted",
        whatever the timing. Plain SQL, so that the expected conflict is not logged as an
        error; the row is an ordinary record afterwards.
        """
        now = fields.Datetime.now()
        query = SQL(
            "INSERT INTO %s (company_id, flow_id, notification_key, signature, create_uid, "
            "write_uid, create_date, write_date) VALUES (%s, %s, %s, %s, %s, %s, %s, %s)",
            SQL.identifier(self._table), values["company_id"], values["flow_id"], key,
            values["signature"], self.env.uid, self.env.uid, now, now)
        try:
            with self.env.cr.savepoint(flush=False):
                self.env.cr.execute(query, log_exceptions=False)
        except UniqueViolation:
            return False
        return True

    @api.autovacuum
    def _gc_notifications(self):
        """Signatures older than the accepted window can no longer be replayed."""
        limit = fields.Datetime.now() - timedelta(days=2)
        self.sudo().search([("create_date", "<", limit)]).unlink()
