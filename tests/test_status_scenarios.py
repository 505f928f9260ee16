# Copyright 2026 The l10n_fr_einvoice_pa authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Badge and timeline follow what the sandbox's simulated buyer does (approve, refuse, pay)."""

from datetime import timedelta

from odoo.tests import tagged

from ..einvoicing import lifecycle
from .common import BUYER_ORG, L10nFrPaCommon


@tagged("post_install", "-at_install", "l10n_fr_pa")
class TestStatusScenarios(L10nFrPaCommon):
    def _send_with_scenario(self, scenario):
        self.sandbox.platform.set_scenario(BUYER_ORG, scenario)
        move = self._invoice()
        move.action_l10n_fr_pa_send()
        self.assertEqual(move.l10n_fr_pa_badge, "pending")
        return move

    def _sync(self, move, times=1):
        for _i in range(times):
            move.action_l10n_fr_pa_sync()

    def test_approve(self):
        move = self._send_with_scenario("approve")
        self._sync(move, 3)
        self.assertRecordValues(move, [{"l10n_fr_pa_badge": "accepted",
                                        "l10n_fr_pa_status_code": 205,
                                        "l10n_fr_pa_error": False}])
        self.assertTrue(move.l10n_fr_pa_last_sync)
        codes = move._l10n_fr_pa_sorted_events().mapped("code")
        self.assertLess(codes.index(204), codes.index(205))

    def test_refuse(self):
        move = self._send_with_scenario("refuse")
        self._sync(move, 3)
        self.assertRecordValues(move, [{"l10n_fr_pa_badge": "rejected",
                                        "l10n_fr_pa_status_code": 210}])
        refusal = move.l10n_fr_pa_event_ids.filtered(lambda e: e.code == 210)
        self.assertEqual(refusal.issuer_role, "buyer")
        self.assertTrue(refusal.reason_code)
        self.assertIn(move.l10n_fr_pa_status_label, move.l10n_fr_pa_error_display)
        self.assertIn(refusal.reason_label, move.l10n_fr_pa_error_display)
        # Synchronised in English, read in French: labels follow the reader's language.
        reason = lifecycle.REASONS[refusal.reason_code]
        self.assertNotIn(lifecycle.STATUSES[210].label_en, move.l10n_fr_pa_error)
        self.env["res.lang"]._activate_lang("fr_FR")
        move_fr = move.with_context(lang="fr_FR")
        self.assertEqual(move_fr.l10n_fr_pa_status_label, lifecycle.STATUSES[210].label_fr)
        self.assertIn(f"{reason.code} - {reason.label_fr}", move_fr.l10n_fr_pa_error_display)
        self.assertEqual(refusal.with_context(lang="fr_FR").reason_label,
                         f"{reason.code} - {reason.label_fr}")
        self.assertEqual(move.l10n_fr_pa_status_label, lifecycle.STATUSES[210].label_en)

    def test_pay(self):
        move = self._send_with_scenario("pay:2")
        self._sync(move, 4)
        self.assertRecordValues(move, [{"l10n_fr_pa_badge": "paid",
                                        "l10n_fr_pa_status_code": 211}])
        payment = move.l10n_fr_pa_event_ids.filtered(lambda e: e.code == 211)
        self.assertEqual(payment.amount, move.amount_total)
        self.assertTrue({204, 205, 211} <= set(move.l10n_fr_pa_event_ids.mapped("code")))

    def test_duplicate_rejection_keeps_original_status(self):
        """A DOUBLON rejection concerns a copy: the original invoice keeps its status."""
        move = self._send_with_scenario("approve")
        self._sync(move, 3)
        self.assertEqual(move.l10n_fr_pa_badge, "accepted")
        latest = move._l10n_fr_pa_sorted_events()[-1]
        self.env["l10n_fr_pa.event"].create({
            "company_id": move.company_id.id, "move_id": move.id, "code": 213,
            "event_datetime": latest.event_datetime + timedelta(minutes=1),
            "issuer_role": "platform",
            "reason_code": "DOUBLON", "platform_message_id": "doublon-test-1",
        })
        move._l10n_fr_pa_refresh_status()
        self.assertRecordValues(move, [{"l10n_fr_pa_badge": "accepted",
                                        "l10n_fr_pa_status_code": 205}])
