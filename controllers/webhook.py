# Copyright 2026 The l10n_fr_einvoice_pa authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The platform's webhook callback: one unguessable URL per company.

URL: /l10n_fr_pa/webhook/<connection id>/<token>. Answers fast: the notification is
checked, remembered and wakes the synchronisation cron up; statuses are read from the
platform by the sync, never from this body. Every refusal is a 4xx, never a 500.
"""

import hmac
import logging

import psycopg2
from odoo import http
from odoo.http import request
from werkzeug.exceptions import abort

from ..models.l10n_fr_pa_webhook import MAX_BODY_BYTES, WebhookRefused

_logger = logging.getLogger(__name__)

WEBHOOK_ROUTE = "/l10n_fr_pa/webhook"


FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def _max_content_length(_controller):
    """The route's body limit, after refusing (in JSON) what Odoo would refuse in HTML.

    Called by Odoo before it parses form bodies (form-urlencoded, multipart) for the
    route: werkzeug answers an oversized or non-UTF-8 form with an HTML 413. A
    notification is JSON, so forms get a JSON 415, and a declared oversized body a JSON 413.
    """
    httprequest = request.httprequest
    if httprequest.mimetype in FORM_TYPES:
        abort(request.make_json_response({"error": "body must be JSON"}, status=415))
    if httprequest.content_length is not None and httprequest.content_length > MAX_BODY_BYTES:
        abort(request.make_json_response({"error": "body too large"}, status=413))
    return MAX_BODY_BYTES + 1


class L10nFrPaWebhook(http.Controller):
    @http.route(
        [f"{WEBHOOK_ROUTE}/<int:connection_id>/<string:token>"],
        type="http", auth="public", methods=["POST"], csrf=False, save_session=False,
        max_content_length=_max_content_length,
    )
    def l10n_fr_pa_webhook(self, connection_id, token, **kwargs):
        try:
            status = self._handle(connection_id, token)
        except WebhookRefused as exc:
            _logger.info("E-invoicing webhook refused (%s): %s", exc.status, exc.reason)
            return request.make_json_response({"error": exc.reason}, status=exc.status)
        except Exception:  # never a 500: the platform will retry on 503
            _logger.exception("E-invoicing webhook could not be recorded")
            return request.make_json_response({"error": "try again later"}, status=503)
        return request.make_json_response({"status": status}, status=200)

    def _handle(self, connection_id, token):
        connection = request.env["l10n_fr_pa.connection"].sudo().browse(connection_id).exists()
        expected = connection.webhook_token if connection else None
        # Constant-time comparison; an unknown id gets the same answer as a bad token.
        if not expected or not hmac.compare_digest(expected.encode(), token.encode()):
            raise WebhookRefused(403, "unknown webhook")
        length = request.httprequest.content_length
        if length is not None and length > MAX_BODY_BYTES:
            raise WebhookRefused(413, "body too large")
        try:
            body = request.httprequest.get_data(cache=False)
        except Exception as exc:  # werkzeug RequestEntityTooLarge on chunked bodies
            raise WebhookRefused(413, "body too large") from exc
        Notification = request.env["l10n_fr_pa.webhook.notification"].sudo()
        try:
            with request.env.cr.savepoint():
                return Notification._receive(connection, body, request.httprequest.headers)
        except psycopg2.IntegrityError:  # the same delivery twice at the same moment
            return "duplicate"
