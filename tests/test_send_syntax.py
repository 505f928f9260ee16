# Copyright 2026 The l10n_fr_einvoice_pa authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The connection's invoice format: Factur-X by default, CII or UBL alone; the sandbox
platform receives the flow in that syntax and validates it with the official rules."""

from odoo.tests import tagged

from .common import L10nFrPaCommon


@tagged("post_install", "-at_install", "l10n_fr_pa")
class TestSendSyntax(L10nFrPaCommon):
    def _send(self, syntax, move_type="out_invoice", reversed_entry=None):
        self.connection.invoice_syntax = syntax
        move = self._invoice(move_type=move_type, reversed_entry=reversed_entry)
        result = move.action_l10n_fr_pa_send()
        self.assertEqual(result["params"]["type"], "success", result["params"]["message"])
        flows = [f for f in self._sandbox_flows(syntax)
                 if f.get("trackingId") == move.l10n_fr_pa_tracking_id]
        self.assertEqual(len(flows), 1, self._sandbox_flows(syntax))
        attachment = self.env["ir.attachment"].search(
            [("res_model", "=", "account.move"), ("res_id", "=", move.id)])
        return move, attachment

    def test_default_is_facturx(self):
        self.assertEqual(self.connection.invoice_syntax, "Factur-X")
        _move, attachment = self._send("Factur-X")
        self.assertTrue(attachment.raw.startswith(b"%PDF"))

    def test_cii_alone(self):
        _move, attachment = self._send("CII")
        self.assertEqual(attachment.mimetype, "application/xml")
        self.assertIn(b"CrossIndustryInvoice", attachment.raw)

    def test_ubl_invoice_and_credit_note(self):
        move, attachment = self._send("UBL")
        self.assertIn(b"<Invoice ", attachment.raw)
        _refund, attachment = self._send("UBL", "out_refund", reversed_entry=move)
        self.assertIn(b"<CreditNote ", attachment.raw)
