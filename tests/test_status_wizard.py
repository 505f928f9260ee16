# Copyright 2026 The l10n_fr_einvoice_pa authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The "Change status" wizard: 212 / 211 pushed to the sandbox as CDAR, events recorded."""

from odoo.exceptions import UserError
from odoo.tests import Form, tagged

from ..einvoicing import lifecycle
from .common import L10nFrPaCommon


@tagged("post_install", "-at_install", "l10n_fr_pa")
class TestStatusWizard(L10nFrPaCommon):
    def setUp(self):
        super().setUp()
        self.invoice = self._invoice(lines=((1000.0, self.tax_20), (200.0, self.tax_5_5)))
        self.invoice.action_l10n_fr_pa_send()
        self.assertTrue(self.invoice.l10n_fr_pa_flow_id)

    def _wizard(self, move, action_key):
        form = Form(self.env["l10n_fr_pa.status.wizard"].with_context(default_move_id=move.id))
        form.action_id = self._pa_action(action_key)
        return form

    def _cdar_flows(self):
        return self._sandbox_flows("CDAR")

    def _lines(self, wizard):
        return sorted((line.vat_rate, line.amount) for line in wizard.line_ids)

    def _offered(self, move):
        """Keys of the actions the form's radio offers (its domain on allowed_action_ids)."""
        form = Form(self.env["l10n_fr_pa.status.wizard"].with_context(default_move_id=move.id))
        domain = self.env["l10n_fr_pa.status.wizard"]._fields["action_id"].domain
        self.assertEqual(domain, "[('id', 'in', allowed_action_ids)]")
        return form.allowed_action_ids[:].mapped("key")

    def test_only_allowed_actions_offered(self):
        # sent: the supplier may also cancel it (220); "complete" (209) only after a 208
        self.assertEqual(self._offered(self.invoice),
                         ["payment_received", "mark_paid", "cancel"])
        refund = self._invoice(move_type="out_refund", reversed_entry=self.invoice,
                               lines=((100.0, self.tax_20),))
        self.assertEqual(self._offered(refund), ["payment_received", "mark_paid", "refund_sent"])

    def test_action_records_mirror_the_catalogue(self):
        actions = self.env["l10n_fr_pa.action"].search([])
        expected = {a.key: (a.status_code, a.label_fr, a.label_en)
                    for kind in lifecycle.DOCUMENT_KINDS for a in lifecycle.actions_for(kind)}
        self.assertEqual({a.key: (a.status_code, a.label_fr, a.label_en) for a in actions},
                         expected)
        self.env["res.lang"]._activate_lang("fr_FR")
        self.assertEqual(self._pa_action("refuse").with_context(lang="fr_FR").display_name,
                         "Refuser")

    def test_wrong_action_names_its_label(self):
        wizard = self.env["l10n_fr_pa.status.wizard"].with_context(
            default_move_id=self.invoice.id).create({"action_id": self._pa_action("in_hand").id})
        with self.assertRaisesRegex(UserError, r'"In hand" is not allowed.*Payment received'):
            wizard.action_confirm()
        self.assertEqual(self._cdar_flows(), [])

    def test_payment_received_prefilled_per_vat_rate(self):
        form = self._wizard(self.invoice, "payment_received")
        self.assertEqual(form.currency_id, self.invoice.currency_id)
        wizard = form.save()
        self.assertEqual(self._lines(wizard), [(5.5, 211.0), (20.0, 1200.0)])
        wizard.action_confirm()
        self.assertEqual(len(self._cdar_flows()), 1)
        event = self.invoice.l10n_fr_pa_event_ids.filtered(lambda e: e.code == 212)
        self.assertEqual(len(event), 1)
        self.assertEqual(event.amount, 1411.0)
        self.assertEqual(event.currency_id, self.invoice.currency_id)
        self.assertRecordValues(self.invoice, [{"l10n_fr_pa_badge": "paid",
                                                "l10n_fr_pa_status_code": 212}])

    def test_payment_received_edited_amount(self):
        form = self._wizard(self.invoice, "payment_received")
        with form.line_ids.edit(1) as line:
            line.amount = 600.0
        wizard = form.save()
        wizard.action_confirm()
        event = self.invoice.l10n_fr_pa_event_ids.filtered(lambda e: e.code == 212)
        self.assertEqual(event.amount, 811.0)
        self.assertIn("600", event.amount_detail)

    def test_invalid_amount_refused(self):
        form = self._wizard(self.invoice, "payment_received")
        with form.line_ids.edit(0) as line:
            line.amount = 0.0
        wizard = form.save()
        with self.assertRaisesRegex(UserError, "must be greater than zero"):
            wizard.action_confirm()
        form = self._wizard(self.invoice, "payment_received")
        with form.line_ids.edit(0) as line:
            line.amount = -5.0
        with self.assertRaisesRegex(UserError, "must be greater than zero"):
            form.save().action_confirm()
        self.assertEqual(self._cdar_flows(), [])
        self.assertFalse(self.invoice.l10n_fr_pa_event_ids.filtered(lambda e: e.code == 212))

    def test_amount_above_total_refused(self):
        form = self._wizard(self.invoice, "payment_received")
        with form.line_ids.edit(1) as line:
            line.amount = 5000.0
        with self.assertRaisesRegex(UserError, "exceed the total"):
            form.save().action_confirm()
        self.assertEqual(self._cdar_flows(), [])

    def test_inactive_currency_refused(self):
        inactive = self.env["res.currency"].with_context(active_test=False).search(
            [("active", "=", False)], limit=1)
        self.assertTrue(inactive)
        wizard = self._wizard(self.invoice, "payment_received").save()
        wizard.currency_id = inactive
        with self.assertRaisesRegex(UserError, f"currency {inactive.name} is not active"):
            wizard.action_confirm()
        self.assertEqual(self._cdar_flows(), [])

    def test_mark_as_paid_uses_full_amount(self):
        wizard = self._wizard(self.invoice, "mark_paid").save()
        self.assertEqual(sum(wizard.line_ids.mapped("amount")), self.invoice.amount_total)
        wizard.action_confirm()
        self.assertEqual(self.invoice.l10n_fr_pa_badge, "paid")
        self.assertEqual(len(self._cdar_flows()), 1)

    def test_refund_issued_on_credit_note(self):
        refund = self._invoice(move_type="out_refund", reversed_entry=self.invoice,
                               lines=((100.0, self.tax_20),))
        refund.action_l10n_fr_pa_send()
        form = self._wizard(refund, "refund_sent")
        wizard = form.save()
        self.assertEqual(self._lines(wizard), [(20.0, 120.0)])
        with form.line_ids.edit(0) as line:
            line.amount = 50.0
        form.save().action_confirm()
        event = refund.l10n_fr_pa_event_ids.filtered(lambda e: e.code == 211)
        self.assertEqual(event.amount, 50.0)
        self.assertEqual(len(self._cdar_flows()), 1)
        self.assertFalse(self.invoice.l10n_fr_pa_event_ids.filtered(lambda e: e.code == 211))
