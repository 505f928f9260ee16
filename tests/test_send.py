# Copyright 2026 The l10n_fr_einvoice_pa authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Sending customer invoices to the sandbox platform over real loopback HTTP."""

from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import BUYER_SIREN, L10nFrPaCommon


@tagged("post_install", "-at_install", "l10n_fr_pa")
class TestSend(L10nFrPaCommon):
    def _flows_of(self, move):
        return [f for f in self._sandbox_flows()
                if f.get("trackingId") == move.l10n_fr_pa_tracking_id]

    def test_send_creates_one_flow(self):
        move = self._invoice()
        result = move.action_l10n_fr_pa_send()
        self.assertEqual(result["params"]["type"], "success", result["params"]["message"])
        flows = self._flows_of(move)
        self.assertEqual(len(flows), 1)
        self.assertEqual(flows[0]["flowId"], move.l10n_fr_pa_flow_id)
        self.assertEqual(flows[0]["invoiceNumber"], move.name)
        self.assertEqual(flows[0]["buyerSiren"], BUYER_SIREN)
        self.assertRecordValues(move, [{"l10n_fr_pa_badge": "pending", "l10n_fr_pa_error": False}])
        dbuuid = self.env["ir.config_parameter"].sudo().get_param("database.uuid")
        self.assertEqual(move.l10n_fr_pa_tracking_id, f"odoo-{dbuuid}-{move.id}")
        # the recipient's 0225 address was read from the directory and kept on the partner
        self.assertEqual((self.buyer.peppol_eas, self.buyer.peppol_endpoint), ("0225", BUYER_SIREN))
        attachment = self.env["ir.attachment"].search(
            [("res_model", "=", "account.move"), ("res_id", "=", move.id),
             ("name", "like", "factur-x")])
        self.assertEqual(len(attachment), 1)
        self.assertTrue(attachment.raw.startswith(b"%PDF"))

    def test_double_send_keeps_one_flow(self):
        move = self._invoice()
        move.action_l10n_fr_pa_send()
        first_flow = move.l10n_fr_pa_flow_id
        result = move.action_l10n_fr_pa_send()
        self.assertIn("already sent", result["params"]["message"])
        self.assertEqual(move.l10n_fr_pa_flow_id, first_flow)
        self.assertEqual(len(self._flows_of(move)), 1)

    def test_resend_after_lost_tracking_reuses_platform_flow(self):
        """Crash after the platform accepted, before our commit: same id, same flow."""
        move = self._invoice()
        move.action_l10n_fr_pa_send()
        first_flow = move.l10n_fr_pa_flow_id
        move.write({"l10n_fr_pa_flow_id": False, "l10n_fr_pa_badge": False})
        move.action_l10n_fr_pa_send()
        self.assertEqual(move.l10n_fr_pa_flow_id, first_flow)
        self.assertEqual(len(self._flows_of(move)), 1)

    def test_send_after_injected_timeout(self):
        """The platform stores the flow but answers after the client gave up."""
        self.connection.timeout = 1
        self.sandbox.platform.inject_fault("timeout", path="/v1/flows", method="POST",
                                           seconds=3)
        move = self._invoice()
        move.action_l10n_fr_pa_send()
        self.assertIn("timeout", [kind for kind, *_rest in self.sandbox.platform.faults.fired])
        self.assertEqual(len(self._flows_of(move)), 1)
        self.assertTrue(move.l10n_fr_pa_flow_id)
        self.assertFalse(move.l10n_fr_pa_error)

    def test_send_after_dropped_answer(self):
        self.sandbox.platform.inject_fault("drop_after_accept", path="/v1/flows", method="POST")
        move = self._invoice()
        move.action_l10n_fr_pa_send()
        self.assertIn("drop_after_accept",
                      [kind for kind, *_rest in self.sandbox.platform.faults.fired])
        self.assertEqual(len(self._flows_of(move)), 1)
        self.assertEqual(move.l10n_fr_pa_flow_id, self._flows_of(move)[0]["flowId"])

    def test_platform_error_is_stored_then_resend_succeeds(self):
        self.sandbox.platform.inject_fault("503", count=10, path="/v1/flows", method="POST")
        move = self._invoice()
        result = move.action_l10n_fr_pa_send()
        self.assertEqual(result["params"]["type"], "danger")
        self.assertTrue(move.l10n_fr_pa_error)
        self.assertFalse(move.l10n_fr_pa_flow_id)
        self.assertTrue(move.l10n_fr_pa_tracking_id)
        # the widget says what the pop-up said, then the platform's exact words
        shown = move.l10n_fr_pa_error_display
        said = f"{move.name} could not be sent: The platform had an internal error (HTTP 503"
        self.assertTrue(shown.startswith(said), shown)
        self.assertIn(said, result["params"]["message"])
        self.assertIn("it will never be duplicated", shown)
        self.assertIn(move.l10n_fr_pa_error, shown)
        self.sandbox.platform.clear_faults()
        move.action_l10n_fr_pa_send()
        self.assertTrue(move.l10n_fr_pa_flow_id)
        self.assertFalse(move.l10n_fr_pa_error)
        self.assertFalse(move.l10n_fr_pa_error_display)
        self.assertEqual(len(self._flows_of(move)), 1)

    def test_draft_invoice_refused(self):
        move = self._invoice(post=False)
        with self.assertRaisesRegex(UserError, "not confirmed"):
            move.action_l10n_fr_pa_send()
        self.assertEqual(self._sandbox_flows(), [])

    def test_company_siren_missing_refused(self):
        self.company.write({"company_registry": False, "siret": False})
        move = self._invoice()
        with self.assertRaisesRegex(UserError, "sender's SIREN is missing"):
            move.action_l10n_fr_pa_send()
        self.assertFalse(move.l10n_fr_pa_tracking_id)

    def test_company_siren_invalid_refused(self):
        self.company.write({"company_registry": "73282932", "siret": False})
        move = self._invoice()
        with self.assertRaisesRegex(UserError, "sender's SIREN is not valid.*73282932"):
            move.action_l10n_fr_pa_send()
        self.company.write({"company_registry": "732829321"})  # bad check digit
        with self.assertRaisesRegex(UserError, "sender's SIREN is not valid.*732829321"):
            move.action_l10n_fr_pa_send()

    def test_recipient_siren_missing_or_invalid_refused(self):
        partner = self.buyer.copy({"company_registry": False, "siret": False})
        move = self._invoice(partner=partner)
        with self.assertRaisesRegex(UserError, "recipient's SIREN is missing"):
            move.action_l10n_fr_pa_send()
        partner.company_registry = "552100555"
        with self.assertRaisesRegex(UserError, "recipient's SIREN is not valid.*552100555"):
            move.action_l10n_fr_pa_send()
        self.assertEqual(self._sandbox_flows(), [])

    def test_recipient_not_in_directory_refused(self):
        partner = self.buyer.copy({"company_registry": "404833048", "siret": False})
        move = self._invoice(partner=partner)
        with self.assertRaisesRegex(UserError, "no electronic address in the e-invoicing"):
            move.action_l10n_fr_pa_send()
        self.assertEqual(self._sandbox_flows(), [])

    def test_foreign_partner_not_sent(self):
        move = self._invoice(partner=self.foreign_buyer)
        result = move.action_l10n_fr_pa_send()
        self.assertEqual(result["params"]["type"], "warning")
        self.assertIn("not established in France", result["params"]["message"])
        self.assertEqual(self._sandbox_flows(), [])
        self.assertFalse(move.l10n_fr_pa_flow_id)
        attachment = self.env["ir.attachment"].search(
            [("res_model", "=", "account.move"), ("res_id", "=", move.id),
             ("name", "like", "factur-x")])
        self.assertEqual(len(attachment), 1)
        self.assertTrue(attachment.raw.startswith(b"%PDF"))

    def test_credit_note_sent(self):
        invoice = self._invoice()
        invoice.action_l10n_fr_pa_send()
        refund = self._invoice(move_type="out_refund", reversed_entry=invoice,
                               lines=((200.0, None),))
        refund.action_l10n_fr_pa_send()
        self.assertTrue(refund.l10n_fr_pa_flow_id)
        self.assertNotEqual(refund.l10n_fr_pa_flow_id, invoice.l10n_fr_pa_flow_id)
        self.assertEqual(len(self._flows_of(refund)), 1)

    def test_send_and_print_method(self):
        move = self._invoice()
        self.buyer.with_company(self.company).invoice_sending_method = "l10n_fr_pa"
        self.env["account.move.send"]._generate_and_send_invoices(
            move, sending_methods=["l10n_fr_pa"])
        self.assertTrue(move.l10n_fr_pa_flow_id)
        self.assertEqual(len(self._flows_of(move)), 1)

    def test_invoicing_user_sends_without_seeing_secrets(self):
        user = self.env["res.users"].create({
            "name": "Invoicing clerk", "login": "pa_clerk",
            "company_id": self.company.id, "company_ids": [Command.set(self.company.ids)],
            "groups_id": [Command.set(self.env.ref("account.group_account_invoice").ids)],
        })
        move = self._invoice()
        result = move.with_user(user).action_l10n_fr_pa_send()
        self.assertEqual(result["params"]["type"], "success", result["params"]["message"])
        self.assertEqual(len(self._flows_of(move)), 1)
        connection = self.connection.with_user(user)
        self.assertNotIn("client_secret", connection.fields_get())
