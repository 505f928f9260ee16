# Copyright 2026 The l10n_fr_einvoice_pa authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Vendor-side answers: each status reaches the sandbox as a CDAR passing the official rules."""

from unittest.mock import patch

from odoo import Command, fields
from odoo.exceptions import UserError
from odoo.tests import Form, tagged

from ..einvoicing import lifecycle, validation
from ..einvoicing.afnor import AfnorError, FlowClient
from ..einvoicing.lifecycle import cdar
from .common_reception import L10nFrPaReceptionCommon


@tagged("post_install", "-at_install")
class TestVendorStatus(L10nFrPaReceptionCommon):

    def setUp(self):
        super().setUp()
        self.bill = self._receive()

    def _wizard(self, action_key, **vals):
        return self.env["l10n_fr_pa.status.wizard"].with_context(
            default_move_id=self.bill.id).create(
                {"action_id": self._pa_action(action_key).id, **vals})

    def _sent(self):
        """(flow, core Event) of every CDAR our company pushed, after the official checks."""
        client = self.connection._get_flow_client()
        result = []
        for flow in self.sandbox.platform.flows("ORG-SELLER"):
            if flow["flowDirection"] == "Out" and flow["flowSyntax"] == "CDAR":
                xml = client.get_flow(flow["flowId"], "Original")
                report = validation.validate_cdar(xml)
                self.assertTrue(report.valid, [f.message for f in report.errors])
                result.append((flow, cdar.parse_cdar(xml)))
        return result

    def _send(self, action_key, **vals):
        self._wizard(action_key, **vals).action_confirm()
        (_flow, event), = self._sent()[-1:]
        self.assertEqual(event.issuer_role, "buyer")
        self.assertEqual(event.invoice_number, self.bill.ref)
        self.assertEqual(event.seller_siren, "552100554")
        self.assertEqual(event.buyer_siren, "732829320")
        return event

    def test_each_answer_reaches_the_sandbox(self):
        for key, code, vals in (
            ("in_hand", 204, {}),
            ("approve", 205, {}),
            ("dispute", 207, {"reason_code": "PU_ERR", "message": "Prix unitaire faux"}),
            ("suspend", 208, {"reason_code": "JUSTIF_ABS"}),
        ):
            with self.subTest(action=key):
                event = self._send(key, **vals)
                self.assertEqual(event.status_code, code)
                self.assertEqual(event.reason_code, vals.get("reason_code"))
                self.assertIn(code, self.bill.l10n_fr_pa_event_ids.mapped("code"))
        self.assertEqual(len(self._sent()), 4)
        self.assertEqual(self.bill.l10n_fr_pa_status_code, 208)

    def test_partial_approval_carries_the_amount(self):
        event = self._send("approve_partially", reason_code="QTE_ERR", approved_amount=100.0,
                           message="Deux sacs manquants")
        self.assertEqual(event.status_code, 206)
        self.assertEqual(event.message, "Deux sacs manquants")
        self.assertEqual([(c.type_code, str(c.amount), c.currency)
                          for c in event.characteristics], [("MAPTTC", "100.00", "EUR")])
        self.assertEqual(self.bill.l10n_fr_pa_status_detail,
                         "Partially approved: Approved amount (incl. VAT): 100.00 EUR")

    def test_dispute_carries_the_data_in_error(self):
        event = self._send("dispute", reason_code="PU_ERR", data_line_ids=[
            Command.create({"business_term": "BT-146", "line_number": 1,
                            "invoiced_value": "10.00", "expected_value": "9.50",
                            "comment": "prix du contrat"})])
        self.assertEqual([(c.type_code, c.data_id, str(c.amount), c.line)
                          for c in event.characteristics],
                         [("DIV", "BT-146", "10.00", 1), ("DVA", "BT-146", "9.50", 1)])
        self.assertEqual(self.bill.l10n_fr_pa_status_detail,
                         "Disputed: Unit price of line 1, expected 9.50 EUR (prix du contrat)")
        self.assertIn("expected 9.50 EUR", self.bill.l10n_fr_pa_event_ids[:1].detail)

    def test_only_buyer_actions_offered_on_a_bill(self):
        form = Form(self.env["l10n_fr_pa.status.wizard"].with_context(
            default_move_id=self.bill.id))
        self.assertEqual(form.allowed_action_ids[:].mapped("key"), [
            "in_hand", "approve", "approve_partially", "dispute", "suspend", "refuse",
            "payment_sent"])

    def test_received_draft_bill_shows_its_platform_status(self):
        """A received bill is Pending from its reception, before it is booked."""
        self.assertEqual(self.bill.state, "draft")
        self.assertTrue(self.bill.l10n_fr_pa_flow_id)
        self.assertEqual(self.bill.l10n_fr_pa_badge, "pending")
        self.assertEqual(self.bill.l10n_fr_pa_status_label, "Received from the platform")
        event = self._send("in_hand")
        self.assertEqual(event.status_code, 204)
        self.assertEqual(self.bill.l10n_fr_pa_status_label,
                         lifecycle.STATUSES[204].label_en)

    def test_reason_records_mirror_the_catalogue(self):
        reasons = self.env["l10n_fr_pa.reason"].search([])
        self.assertEqual(
            sorted((r.code, r.label_fr, r.label_en) for r in reasons),
            sorted((r.code, r.label_fr, r.label_en) for r in lifecycle.REASONS.values()))

    def test_only_allowed_reasons_offered(self):
        """The reason dropdown (domain on allowed_reason_ids) follows the chosen status."""
        Reason = self.env["l10n_fr_pa.reason"]
        domain = self.env["l10n_fr_pa.status.wizard"]._fields["reason_id"].domain
        self.assertEqual(domain, "[('id', 'in', allowed_reason_ids)]")
        offered = {}
        for key, code in (("dispute", 207), ("suspend", 208), ("refuse", 210)):
            form = Form(self.env["l10n_fr_pa.status.wizard"].with_context(
                default_move_id=self.bill.id))
            form.action_id = self._pa_action(key)
            self.assertEqual(form.status_code, code)
            # what the dropdown offers: the field's domain evaluated on the form's values
            choices = Reason.search([("id", "in", form.allowed_reason_ids[:].ids)])
            offered[code] = set(choices.mapped("code"))
            self.assertEqual(offered[code], {r.code for r in lifecycle.reasons_for(code)})
        self.assertIn("JUSTIF_ABS", offered[208])
        self.assertNotIn("JUSTIF_ABS", offered[207] | offered[210])
        self.assertIn("PU_ERR", offered[207])
        self.assertNotIn("PU_ERR", offered[208] | offered[210])
        self.assertNotIn("TX_TVA_ERR", offered[208])
        self.assertLess(len(offered[208]), len(Reason.search([])))

    def test_reason_chosen_in_the_form_is_sent(self):
        form = Form(self.env["l10n_fr_pa.status.wizard"].with_context(
            default_move_id=self.bill.id))
        justif_abs = self.env["l10n_fr_pa.reason"].search([("code", "=", "JUSTIF_ABS")])
        form.action_id = self._pa_action("suspend")
        form.reason_id = justif_abs
        # JUSTIF_ABS is not a reason for 207: cleared
        form.action_id = self._pa_action("dispute")
        self.assertFalse(form.reason_id)
        form.action_id = self._pa_action("suspend")
        form.reason_id = justif_abs
        form.save().action_confirm()
        (_flow, event), = self._sent()[-1:]
        self.assertEqual((event.status_code, event.reason_code), (208, "JUSTIF_ABS"))

    def test_invalid_amount_or_reason_refused(self):
        total = self.bill.amount_total
        for key, vals in (
            ("approve_partially", {"reason_code": "QTE_ERR", "approved_amount": 0.0}),
            ("approve_partially", {"reason_code": "QTE_ERR", "approved_amount": total + 1}),
            ("refuse", {}),  # a refusal needs a reason
            ("suspend", {"reason_code": "TX_TVA_ERR"}),  # not a reason for 208
            ("payment_sent", {}),
        ):
            with self.subTest(action=key, vals=vals):
                wizard = self._wizard(key, **vals)
                if key == "payment_sent":
                    wizard.line_ids = [Command.clear(), Command.create(
                        {"vat_rate": 20.0, "amount": -5.0})]
                with self.assertRaises(UserError):
                    wizard.action_confirm()
        self.assertEqual(self._sent(), [])
        self.assertEqual(self.bill.state, "draft")

    def test_refusal_cancels_the_bill(self):
        event = self._send("refuse", reason_code="MONTANTTOTAL_ERR", message="Total faux")
        self.assertEqual(event.status_code, 210)
        self.assertEqual(self.bill.state, "cancel")
        self.assertEqual(self.bill.l10n_fr_pa_badge, "rejected")

    def test_payment_sent_prefilled(self):
        self.bill.action_post()
        with Form(self.env["l10n_fr_pa.status.wizard"].with_context(
                default_move_id=self.bill.id)) as form:
            form.action_id = self._pa_action("payment_sent")
            self.assertEqual(form.currency_id.name, "EUR")
            self.assertAlmostEqual(form.amount_total, self.bill.amount_total)
        wizard = form.save()
        wizard.action_confirm()
        (_flow, event), = self._sent()
        self.assertEqual(event.status_code, 211)
        self.assertAlmostEqual(float(sum(a.amount for a in event.amounts)),
                               self.bill.amount_total)
        self.assertEqual({a.currency for a in event.amounts}, {"EUR"})

    def test_auto_payment_sent_when_paid_in_full(self):
        self.company.l10n_fr_pa_auto_payment_sent = True
        self.bill.action_post()
        self.env["account.payment.register"].with_context(
            active_model="account.move", active_ids=self.bill.ids,
        ).create({"payment_date": fields.Date.today()})._create_payments()
        self.assertIn(self.bill.payment_state, ("paid", "in_payment"))
        sent = self._sent()
        self.assertEqual([e.status_code for _f, e in sent], [211])
        self.assertAlmostEqual(float(sum(a.amount for a in sent[0][1].amounts)),
                               self.bill.amount_total)


@tagged("post_install", "-at_install")
class TestVendorAutoStatusRetry(L10nFrPaReceptionCommon):
    """Regression: a failed automatic status is listed under its own kind, and Retry sends
    that status (it used to be a "send" error that Retry refused as "not a customer
    invoice", deleting the line anyway)."""

    def _cdar_codes(self):
        client = self.connection._get_flow_client()
        return [cdar.parse_cdar(client.get_flow(f["flowId"], "Original")).status_code
                for f in self.sandbox.platform.flows("ORG-SELLER")
                if f["flowDirection"] == "Out" and f["flowSyntax"] == "CDAR"]

    def _retry_sends(self, bill, code):
        """The diagnostics list the failed status once, under its own kind; Retry sends it."""
        page = self.env["l10n_fr_pa.diagnostics"].browse(
            self.env["l10n_fr_pa.diagnostics"]._open(self.company)["res_id"])
        error = page.error_ids.filtered(lambda e: e.move_id == bill)
        self.assertEqual(len(error), 1)
        self.assertNotEqual(error.kind, "send")
        error.action_retry()
        self.assertFalse(error.exists())
        self.assertEqual(self._cdar_codes(), [code])
        self.assertIn(code, bill.l10n_fr_pa_event_ids.mapped("code"))

    def test_retry_failed_auto_in_hand(self):
        self.company.l10n_fr_pa_auto_in_hand = True
        self._send_to_us(self._supplier_invoice())
        # the platform refuses our status message only (the sync's searches go through)
        down = AfnorError("HTTP 503", code="afnor_http", http_status=503,
                          platform_message="temporarily unavailable")
        with patch.object(FlowClient, "submit_flow", side_effect=down):
            self._sync()
        bill = self._inbound().move_id
        self.assertTrue(bill)
        self.assertEqual(self._cdar_codes(), [])
        self._retry_sends(bill, 204)

    def test_retry_failed_auto_payment_sent(self):
        self.company.l10n_fr_pa_auto_payment_sent = True
        bill = self._receive()
        bill.action_post()
        self.sandbox.platform.inject_fault("503", count=50, path="/v1/flows", method="POST")
        self.env["account.payment.register"].with_context(
            active_model="account.move", active_ids=bill.ids,
        ).create({"payment_date": fields.Date.today()})._create_payments()
        self.sandbox.platform.clear_faults()
        self._retry_sends(bill, 211)
