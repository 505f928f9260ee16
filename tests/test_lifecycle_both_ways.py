# Copyright 2026 The l10n_fr_einvoice_pa authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Customer side of the richer lifecycle: sent invoices are locked, the buyer's dispute
data reaches the invoice, 209 answers a 208, 220 cancels a sent invoice."""

from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import Form, tagged

from .common import BUYER_ORG, L10nFrPaCommon


@tagged("post_install", "-at_install", "l10n_fr_pa")
class TestLifecycleBothWays(L10nFrPaCommon):
    def _sent_invoice(self, scenario="silent", syncs=0):
        self.sandbox.platform.set_scenario(BUYER_ORG, scenario)
        move = self._invoice()
        move.action_l10n_fr_pa_send()
        for _i in range(syncs):
            move.action_l10n_fr_pa_sync()
        return move

    def _allowed(self, move):
        form = Form(self.env["l10n_fr_pa.status.wizard"].with_context(default_move_id=move.id))
        return form.allowed_action_ids[:].mapped("key")

    def _push(self, move, key, **vals):
        self.env["l10n_fr_pa.status.wizard"].with_context(default_move_id=move.id).create(
            {"action_id": self._pa_action(key).id, **vals}).action_confirm()

    def test_sent_invoice_refuses_reset_cancel_delete(self):
        move = self._sent_invoice()
        for attempt in (move.button_draft, move.button_cancel, move.unlink):
            with self.subTest(attempt=attempt.__name__), \
                    self.assertRaisesRegex(UserError, "credit note"):
                attempt()
        self.assertEqual(move.state, "posted")
        draft = self._invoice()
        draft.button_draft()  # not sent: Odoo's own rules apply
        self.assertEqual(draft.state, "draft")

    def test_buyer_dispute_shows_its_data_on_the_invoice(self):
        move = self._sent_invoice("dispute", syncs=2)
        self.assertEqual(move.l10n_fr_pa_status_code, 207)
        event = move.l10n_fr_pa_event_ids.filtered(lambda e: e.code == 207)
        self.assertEqual([c["type_code"] for c in event.characteristics], ["DIV", "DVA"])
        self.assertIn("Amount due, expected 1080.00 EUR", move.l10n_fr_pa_status_detail)
        self.assertTrue(move.l10n_fr_pa_status_detail.startswith("Disputed: "))

    def test_partial_approval_shows_the_approved_amount(self):
        move = self._sent_invoice("partial", syncs=2)
        self.assertEqual(move.l10n_fr_pa_status_detail,
                         "Partially approved: Approved amount (incl. VAT): 600.00 EUR; "
                         "Amount not approved (incl. VAT): 600.00 EUR")

    def test_209_answers_a_208_then_the_buyer_approves(self):
        move = self._sent_invoice("suspend", syncs=2)
        self.assertEqual(move.l10n_fr_pa_status_code, 208)
        self.assertIn("Purchase order reference", move.l10n_fr_pa_status_detail)
        self.assertIn("complete", self._allowed(move))
        self._push(move, "complete", data_line_ids=[Command.create({
            "business_term": "BT-13", "expected_value": "PO-2026-118"})])
        self.assertEqual(move.l10n_fr_pa_status_code, 209)
        self.assertNotIn("complete", self._allowed(move))
        completed = move.l10n_fr_pa_event_ids.filtered(lambda e: e.code == 209)
        move.action_l10n_fr_pa_sync()  # the buyer reads the 209 and approves
        move.action_l10n_fr_pa_sync()
        approved = move.l10n_fr_pa_event_ids.filtered(lambda e: e.code == 205)
        # (the current status in the same second as the 209 is a tie: see the event order)
        self.assertTrue(approved and approved.id > completed.id)

    def test_cancel_220_offered_on_a_sent_unpaid_invoice(self):
        move = self._sent_invoice()
        self.assertEqual(self._allowed(move), ["payment_received", "mark_paid", "cancel"])
        self._push(move, "cancel", message="Remplacée par un avoir")
        self.assertRecordValues(move, [{"l10n_fr_pa_status_code": 220,
                                        "l10n_fr_pa_badge": "rejected"}])
        self.assertNotIn("cancel", self._allowed(move))
