# Copyright 2026 The l10n_fr_einvoice_pa authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The same Odoo scenarios whatever the platform API of the connection.

``TestPlatformApiAfnor`` runs them against the sandbox's AFNOR API; the Qonto and A-Cube
classes only switch the connection to the sandbox's emulation of those APIs (the same
platform underneath) and run the very same tests.
"""

import json
import time

from odoo.tests import tagged

from ..einvoicing import webhook_signature
from ..einvoicing.lifecycle import cdar
from ..models.l10n_fr_pa_webhook import WebhookRefused
from .common import BUYER_ORG, SELLER_ORG
from .common_reception import L10nFrPaReceptionCommon

SELLER_CLIENT = ("seller-client", "seller-secret")


@tagged("post_install", "-at_install", "l10n_fr_pa")
class TestPlatformApiAfnor(L10nFrPaReceptionCommon):
    PLATFORM_API = "afnor"

    def setUp(self):
        super().setUp()
        urls = {"qonto": {"api_url": self.sandbox.qonto_url},
                "acube": {"api_url": self.sandbox.acube_url,
                          "login_url": self.sandbox.acube_login_url}}
        if self.PLATFORM_API != "afnor":
            self.connection.write({"platform_api": self.PLATFORM_API,
                                   **urls[self.PLATFORM_API]})
        # the customer's 0225 address is known (Qonto and A-Cube have no directory API)
        self.buyer._l10n_fr_pa_store_electronic_address(self.buyer.company_registry)

    def _platform_invoices(self, move):
        return [f for f in self.sandbox.platform.flows(SELLER_ORG)
                if f.get("flowType") == "CustomerInvoice" and f.get("flowDirection") == "Out"
                and f.get("invoiceNumber") == move.name]

    def _platform_statuses(self, code):
        """Core events of the CDARs our company pushed with status ``code`` (read as the
        platform stores them, through its AFNOR API)."""
        reader = self._supplier_client(SELLER_ORG, SELLER_CLIENT)
        events = []
        for flow in self.sandbox.platform.flows(SELLER_ORG):
            if flow["flowDirection"] == "Out" and flow["flowSyntax"] == "CDAR":
                event = cdar.parse_cdar(reader.get_flow(flow["flowId"], "Original"))
                if event.status_code == code:
                    events.append(event)
        return events

    def _notification(self, secret):
        """(body, headers) of a webhook call signed the way this platform API signs."""
        stamp = int(time.time())
        if self.PLATFORM_API == "acube":
            body = json.dumps({"eventId": "ev-1", "eventType": "invoice.status",
                               "status": "205", "invoiceUuid": "inv-1"}).encode()
            return body, {"X-Webhook-Secret": secret}
        if self.PLATFORM_API == "qonto":
            body = json.dumps({"event_type": "client_invoices.updated",
                               "data": {"id": "inv-1", "einvoicing_status": "approved"}}).encode()
            return body, {"X-Qonto-Signature": webhook_signature.sandbox_signature(
                secret, body, stamp)}
        body = json.dumps({"flowId": "inv-1", "updatedAt": "2026-09-15T10:00:00Z"}).encode()
        return body, {webhook_signature.SANDBOX_HEADER: webhook_signature.sandbox_signature(
            secret, body, stamp)}

    def test_webhook_verified_by_the_platform_scheme(self):
        self.connection.sudo().webhook_secret = "whsec-test"
        Notification = self.env["l10n_fr_pa.webhook.notification"]
        body, headers = self._notification("whsec-test")
        self.assertEqual(Notification._receive(self.connection, body, headers), "accepted")
        before = Notification.sudo().search_count([])
        # the very same delivery again: acknowledged as a duplicate, nothing recorded
        self.assertEqual(Notification._receive(self.connection, body, headers), "duplicate")
        self.assertEqual(Notification.sudo().search_count([]), before)
        body, headers = self._notification("another-secret")
        with self.assertRaises(WebhookRefused) as wrong:
            Notification._receive(self.connection, body, headers)
        self.assertEqual(wrong.exception.status, 401)

    def test_send_and_double_send_make_one_invoice(self):
        move = self._invoice()
        result = move.action_l10n_fr_pa_send()
        self.assertEqual(result["params"]["type"], "success", result["params"]["message"])
        self.assertTrue(move.l10n_fr_pa_flow_id)
        self.assertEqual(move.l10n_fr_pa_badge, "pending")
        first = move.l10n_fr_pa_flow_id
        again = move.action_l10n_fr_pa_send()
        self.assertIn("already sent", again["params"]["message"])
        self.assertEqual(move.l10n_fr_pa_flow_id, first)
        self.assertEqual(len(self._platform_invoices(move)), 1)

    def test_sync_follows_the_buyer(self):
        self.sandbox.platform.set_scenario(BUYER_ORG, "approve")
        move = self._invoice()
        move.action_l10n_fr_pa_send()
        for _i in range(3):
            move.action_l10n_fr_pa_sync()
        self.assertRecordValues(move, [{"l10n_fr_pa_badge": "accepted",
                                        "l10n_fr_pa_status_code": 205}])
        codes = move.l10n_fr_pa_event_ids.mapped("code")
        self.assertTrue({200, 204, 205} <= set(codes), codes)
        count = len(move.l10n_fr_pa_event_ids)
        move.action_l10n_fr_pa_sync()  # the same events again: nothing new
        self.assertEqual(len(move.l10n_fr_pa_event_ids), count)

    def test_payment_received_with_amounts_per_rate(self):
        move = self._invoice(lines=((1000.0, self.tax_20), (200.0, self.tax_5_5)))
        move.action_l10n_fr_pa_send()
        wizard = self.env["l10n_fr_pa.status.wizard"].with_context(
            default_move_id=move.id).create({"action_id": self._pa_action("mark_paid").id})
        wizard.action_confirm()
        self.assertEqual(move.l10n_fr_pa_badge, "paid")
        pushed = self._platform_statuses(212)
        self.assertEqual(len(pushed), 1)
        self.assertEqual(sorted((float(a.vat_rate), float(a.amount)) for a in pushed[0].amounts),
                         [(5.5, 211.0), (20.0, 1200.0)])
        # The platform reports our 212 back (Qonto and A-Cube under their own event id):
        # still one line, with our amounts.
        self._sync()
        self._sync()
        paid = move.l10n_fr_pa_event_ids.filtered(lambda e: e.code == 212)
        self.assertEqual(len(paid), 1, paid.mapped("platform_message_id"))
        self.assertRecordValues(paid, [{"issuer_role": "supplier", "amount": 1411.0}])
        self.assertEqual(move.l10n_fr_pa_badge, "paid")

    def test_reception_then_refusal_with_reason(self):
        bill = self._receive()
        self.assertEqual(bill.move_type, "in_invoice")
        wizard = self.env["l10n_fr_pa.status.wizard"].with_context(
            default_move_id=bill.id).create({"action_id": self._pa_action("refuse").id,
                                             "reason_code": "MONTANTTOTAL_ERR",
                                             "message": "Total faux"})
        wizard.action_confirm()
        self.assertEqual(bill.state, "cancel")
        refused = self._platform_statuses(210)
        self.assertEqual([(e.reason_code, e.invoice_number) for e in refused],
                         [("MONTANTTOTAL_ERR", bill.ref)])
        self._sync()  # the platform's copy of our refusal is not a second event
        self._sync()
        self.assertEqual(len(self._inbound()), 1)
        refusals = self.env["l10n_fr_pa.event"].search(
            [("company_id", "=", self.company.id), ("code", "=", 210)])
        self.assertEqual(refusals.mapped("move_id"), bill)
        self.assertEqual(refusals.mapped("issuer_role"), ["buyer"])


@tagged("post_install", "-at_install", "l10n_fr_pa")
class TestPlatformApiQonto(TestPlatformApiAfnor):
    PLATFORM_API = "qonto"
    allow_inherited_tests_method = True  # Odoo runs the inherited tests: same cases


@tagged("post_install", "-at_install", "l10n_fr_pa")
class TestPlatformApiAcube(TestPlatformApiAfnor):
    PLATFORM_API = "acube"
    allow_inherited_tests_method = True
