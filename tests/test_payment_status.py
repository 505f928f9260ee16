# Copyright 2026 The l10n_fr_einvoice_pa authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Automatic "payment received" (212) for services whose VAT is due on receipts."""

from decimal import Decimal

from odoo.tests import tagged

from ..einvoicing import validation
from ..einvoicing.lifecycle import cdar
from .common import L10nFrPaCommon


@tagged("post_install", "-at_install", "l10n_fr_pa")
class TestPaymentStatus(L10nFrPaCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.tax_exigibility = True
        transition = cls.company_data["default_account_tax_sale"].copy({
            "code": "445799", "name": "TVA en attente (test)", "reconcile": True})
        cls.service_20 = cls._service_tax(20.0, transition)
        cls.service_10 = cls._service_tax(10.0, transition)

    @classmethod
    def _service_tax(cls, rate, transition):
        return cls.env["account.tax"].create({
            "name": f"TVA {rate}% encaissements", "amount": rate, "amount_type": "percent",
            "type_tax_use": "sale", "company_id": cls.company.id,
            "tax_exigibility": "on_payment", "cash_basis_transition_account_id": transition.id,
        })

    def _sent_service_invoice(self):
        move = self._invoice(lines=((1000.0, self.service_20), (500.0, self.service_10)))
        move.action_l10n_fr_pa_send()
        return move  # 1200 + 550 = 1750 tax included

    def _pay(self, move, amount):
        return self.env["account.payment.register"].with_context(
            active_model="account.move", active_ids=move.ids).create(
                {"amount": amount})._create_payments()

    def _pushed(self):
        """[(MEN amount, VAT rate)] of each 212 received by the sandbox, checked."""
        client = self.connection._get_flow_client()
        result = []
        for flow in self._sandbox_flows(syntax="CDAR"):
            xml = client.get_flow(flow["flowId"], "Original")
            self.assertTrue(validation.validate_cdar(xml).valid)
            event = cdar.parse_cdar(xml)
            if event.status_code == 212:
                result.append([(a.amount, a.vat_rate) for a in event.amounts])
        return result

    def _cron(self):
        self.env["l10n_fr_pa.payment.status"]._cron_push()

    def test_full_payment_pushes_one_men_per_rate(self):
        move = self._sent_service_invoice()
        self._pay(move, 1750.0)
        self.assertEqual(self._pushed(), [], "nothing is sent inside the reconciliation")
        self._cron()
        self.assertEqual(self._pushed(), [[(Decimal("550.00"), Decimal("10.00")),
                                           (Decimal("1200.00"), Decimal("20.00"))]])
        self.assertEqual(move.l10n_fr_pa_payment_status_ids.mapped("state"), ["sent"])
        self.assertEqual(move.l10n_fr_pa_status_code, 212)

    def test_partial_then_rest_push_two_and_unreconcile_pushes_the_negative(self):
        move = self._sent_service_invoice()
        first = self._pay(move, 700.0)
        self._cron()
        self._pay(move, 1050.0)
        self._cron()
        self.assertEqual(self._pushed(), [
            [(Decimal("220.00"), Decimal("10.00")), (Decimal("480.00"), Decimal("20.00"))],
            [(Decimal("330.00"), Decimal("10.00")), (Decimal("720.00"), Decimal("20.00"))]])
        first.move_id.line_ids.remove_move_reconcile()
        self._cron()
        self.assertEqual(self._pushed()[-1], [(Decimal("-220.00"), Decimal("10.00")),
                                              (Decimal("-480.00"), Decimal("20.00"))])
        self._cron()
        self.assertEqual(len(self._pushed()), 3, "each payment pushes once each way")

    def test_rerun_after_a_crash_sends_nothing_twice(self):
        move = self._sent_service_invoice()
        self._pay(move, 1750.0)
        record = move.l10n_fr_pa_payment_status_ids
        self._cron()
        # the platform got it, then the transaction was lost: the record is pending again
        record.write({"state": "pending"})
        move.l10n_fr_pa_event_ids.filtered(lambda e: e.code == 212).unlink()
        self._cron()
        self.assertEqual(len(self._pushed()), 1)
        self.assertEqual(record.state, "sent")

    def test_goods_and_manual_mode_push_nothing(self):
        goods = self._invoice()  # 20 % on debits
        goods.action_l10n_fr_pa_send()
        self._pay(goods, goods.amount_total)
        self.company.l10n_fr_pa_payment_status_mode = "manual"
        services = self._sent_service_invoice()
        self._pay(services, 1750.0)
        self._cron()
        self.assertFalse((goods | services).l10n_fr_pa_payment_status_ids)
        self.assertEqual(self._pushed(), [])
