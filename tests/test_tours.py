# Copyright 2026 The l10n_fr_einvoice_pa authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Browser tours (static/tests/tours/l10n_fr_pa_tours.js) in headless Chromium, each against
a real sandbox platform over loopback; after each tour the server-side effect is checked
here (flow stored, statuses, events, what the sandbox received).

Run them alone::

    PYTHON=<venv python> ODOO_SRC=<odoo 18.0> \\
    ODOO_TEST_TAGS=/l10n_fr_einvoice_pa:TestTours bash tools/odoo_suite.sh

Watch them: Odoo's ``--screencasts=DIR`` (add it to odoo-bin's arguments) records each
tour; ``self.start_tour(..., watch=True)`` opens a visible Chromium (needs a display),
``debug=True`` also opens the devtools and stops at the first step. A tour fails on any
console error, on an error dialog and on a danger/warning notification (the tours'
``installErrorGuard``).
"""

from decimal import Decimal

from odoo.tests import HttpCase, tagged

from ..einvoicing.lifecycle import cdar
from .common import BUYER_ORG, SELLER_ORG
from .common_reception import L10nFrPaReceptionCommon

# Generous: a loaded 2-core machine, every step waits for the sandbox and Factur-X.
TOUR_TIMEOUT = 300
INVOICES_URL = "/odoo/action-account.action_move_out_invoice_type"


@tagged("post_install", "-at_install", "is_tour")
class TestTours(L10nFrPaReceptionCommon, HttpCase):
    """The accountant's and the administrator's screens, driven by tours."""

    def _tour(self, url, name, login=None, **kwargs):
        self.start_tour(url, name, login=login or self.user.login, timeout=TOUR_TIMEOUT,
                        **kwargs)
        self.env.invalidate_all()

    def _pushed_cdar(self, number):
        """The statuses our company pushed about invoice ``number``, parsed from the CDAR
        files the sandbox stored."""
        client = self.connection._get_flow_client()
        return [cdar.parse_cdar(client.get_flow(f["flowId"], "Original"))
                for f in self._sandbox_flows(syntax="CDAR")
                if f.get("invoiceNumber") == number]

    # ------------------------------------------------------------------ 1. invoice flow
    def _invoice_flow(self, tour):
        self.sandbox.platform.set_scenario(BUYER_ORG, "approve")
        move = self._invoice()
        self._tour(f"{INVOICES_URL}/{move.id}", tour)
        self.assertEqual(move.l10n_fr_pa_state, "sent")
        flows = self._sandbox_flows()
        self.assertEqual([f["flowId"] for f in flows], [move.l10n_fr_pa_flow_id])
        self.assertEqual(move.l10n_fr_pa_status_code, 212)
        self.assertEqual(move.l10n_fr_pa_badge, "paid")
        codes = move.l10n_fr_pa_event_ids.mapped("code")
        self.assertTrue({204, 205, 212} <= set(codes), codes)
        paid = move.l10n_fr_pa_event_ids.filtered(lambda e: e.code == 212)
        self.assertEqual(paid.amount, 1200.0)
        pushed = self._pushed_cdar(move.name)
        self.assertEqual([e.status_code for e in pushed], [212])
        self.assertEqual([a.amount for a in pushed[0].amounts], [1200])
        return move

    def test_invoice_flow(self):
        """Send, badge and platform id, Synchronise to Accepted, Payment received, Paid."""
        self._invoice_flow("l10n_fr_pa_tour_invoice_flow")

    def test_invoice_flow_french(self):
        """The same flow for a French-speaking accountant, with the same selectors."""
        self.env["res.lang"]._activate_lang("fr_FR")
        self.env["ir.module.module"]._load_module_terms(
            ["l10n_fr_einvoice_pa"], ["fr_FR"], overwrite=True)
        self.user.lang = "fr_FR"
        self._invoice_flow("l10n_fr_pa_tour_invoice_flow_fr")

    # ------------------------------------------------------------------ 2. Send & Print
    def test_send_and_print_three(self):
        """List view, three invoices selected, Send & Print with the platform method."""
        self.buyer.with_company(self.company).invoice_sending_method = "l10n_fr_pa"
        moves = self._invoice() | self._invoice() | self._invoice()
        self._tour(INVOICES_URL, "l10n_fr_pa_tour_send_and_print")
        # Queued by the batch wizard, with the partner's sending method.
        self.assertTrue(all(moves.mapped("sending_data")))
        method = self.env["account.move.send"]._get_default_sending_method
        self.assertEqual({method(move) for move in moves}, {"l10n_fr_pa"})
        # The batch wizard only queues the sending: run the queue as the cron would.
        self.env["account.move"]._cron_account_move_send(job_count=20)
        self.env.invalidate_all()
        self.assertEqual(set(moves.mapped("l10n_fr_pa_state")), {"sent"})
        self.assertEqual({f["flowId"] for f in self._sandbox_flows()},
                         set(moves.mapped("l10n_fr_pa_flow_id")))
        self.assertEqual(len(self._sandbox_flows()), 3)

    # ------------------------------------------------------------------ 3. settings
    def test_settings_connection_webhook_diagnostics(self):
        """Fill the connection, Test connection, Register webhook, diagnostics, Retry."""
        admin = self.env.ref("base.user_admin")
        admin.write({"company_id": self.company.id,
                     "company_ids": [(4, self.company.id)]})
        dead = "http://127.0.0.1:1"
        self.connection.write({
            "flow_url": f"{dead}/flow-service", "directory_url": f"{dead}/directory-service",
            "token_url": f"{dead}/auth/token", "client_id": "old-client",
            "organization_id": "ORG-OLD",
        })
        move = self._invoice()
        move.action_l10n_fr_pa_send()  # the platform is unreachable: an error to retry
        self.assertEqual(move.l10n_fr_pa_state, "error")
        error = self.env["l10n_fr_pa.error"].search([("move_id", "=", move.id)])
        self.assertEqual(error.kind, "send")
        self._tour("/odoo/settings", "l10n_fr_pa_tour_settings", login="admin",
                   cookies={"l10n_fr_pa_tour_sandbox": self.sandbox.url})
        self.assertRecordValues(self.connection, [{
            "flow_url": self.sandbox.flow_url, "directory_url": self.sandbox.directory_url,
            "token_url": self.sandbox.token_url, "client_id": "seller-client",
            "client_secret": "seller-secret", "organization_id": SELLER_ORG,
        }])
        self.assertTrue(self.connection.webhook_id)
        hooks = self.connection._get_flow_client().list_webhooks()
        self.assertIn(self.connection.webhook_id, str(hooks))
        self.assertFalse(error.exists())
        self.assertEqual(move.l10n_fr_pa_state, "sent")
        self.assertEqual([f["flowId"] for f in self._sandbox_flows()],
                         [move.l10n_fr_pa_flow_id])

    # ------------------------------------------------------------------ 4. reception
    def test_reception_dispute(self):
        """Received e-invoices, the draft bill, Change status: Disputed, reason and data."""
        bill = self._receive()
        self.assertEqual(bill.state, "draft")
        self._tour("/odoo/action-l10n_fr_einvoice_pa.action_l10n_fr_pa_inbound",
                   "l10n_fr_pa_tour_reception_dispute")
        self.assertEqual(bill.l10n_fr_pa_status_code, 207)
        dispute = bill.l10n_fr_pa_event_ids.filtered(lambda e: e.code == 207)
        self.assertEqual(dispute.reason_code, "PU_ERR")
        pushed = self._pushed_cdar(bill.ref or "FS-2026-001")
        self.assertEqual([(e.status_code, e.reason_code) for e in pushed], [(207, "PU_ERR")])
        data = [c for c in pushed[0].characteristics if c.data_id]
        # the unit price, as invoiced and as expected
        self.assertEqual({(c.data_id, c.amount) for c in data},
                         {("BT-146", Decimal("100")), ("BT-146", Decimal("90"))}, data)
