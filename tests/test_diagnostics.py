# Copyright 2026 The l10n_fr_einvoice_pa authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Diagnostics, Retry, settings and the security of the synchronisation models."""

from odoo import fields
from odoo.exceptions import AccessError
from odoo.tests import Form, new_test_user, tagged

from .common import SELLER_ORG, L10nFrPaCommon
from .common_sync import SyncCommon


@tagged("post_install", "-at_install")
class TestDiagnostics(SyncCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_2 = cls.setup_other_company(name="Second company")["company"]
        cls.user = new_test_user(
            cls.env, login="pa_invoicing", groups="account.group_account_invoice",
            company_id=cls.company.id, company_ids=[cls.company.id])

    def diagnostics(self, company=None):
        action = self.env["l10n_fr_pa.diagnostics"]._open(company or self.company)
        return self.env["l10n_fr_pa.diagnostics"].browse(action["res_id"])

    def test_error_listed_then_retry_clears_it(self):
        move = self.new_invoice()
        self.put_on_platform(move, "approve")
        self.sandbox.platform.inject_fault("503", count=20, path="/v1/flows/search")
        self.run_cron()
        self.sandbox.platform.clear_faults()
        page = self.diagnostics()
        self.assertEqual(page.count_errors, 1)
        error = page.error_ids
        self.assertEqual(error.kind, "sync")
        self.assertIn("503", error.message)
        self.assertFalse(move.l10n_fr_pa_event_ids)
        error.action_retry()
        self.assertFalse(error.exists())
        self.assertTrue(move.l10n_fr_pa_event_ids)
        page = self.diagnostics()
        self.assertEqual(page.count_errors, 0)
        self.assertEqual(page.count_events, self.Event.search_count(
            [("company_id", "=", self.company.id)]))
        self.assertFalse(page.last_auto_sync, "no automatic sync has succeeded yet")
        self.run_cron()
        self.assertTrue(self.diagnostics().last_auto_sync)

    def test_check_invoice_on_platform(self):
        move = self.new_invoice()
        self.put_on_platform(move, "approve")
        self.run_cron()
        page = self.diagnostics()
        page.reference = move.name
        page.action_check_invoice()
        html = str(page.check_html)
        self.assertIn(move.name, html)
        for event in move.l10n_fr_pa_event_ids:
            self.assertIn(str(event.code), html)
        self.assertNotIn("missing", html)  # Odoo and the platform agree

    def test_check_invoice_readable(self):
        """Readable labels, dates in the user's time zone, the refusal's reason, a title."""
        self.env.user.tz = "Europe/Paris"
        move = self.new_invoice()
        move.l10n_fr_pa_flow_id = self.put_on_platform(move, "refuse")["flowId"]
        self.run_cron()
        refusal = move.l10n_fr_pa_event_ids.filtered(lambda e: e.code == 210)
        self.assertTrue(refusal.reason_code)
        page = self.diagnostics()
        page.reference = move.name
        action = page.action_check_invoice()
        self.assertEqual(action["name"], "E-invoicing diagnostics")
        html = str(page.check_html)
        self.assertIn(refusal.reason_label, html)
        for raw in ("flowId", "trackingId", "submittedAt", "+00:00"):
            self.assertNotIn(raw, html)
        self.assertIn("Platform ID", html)
        paris = fields.Datetime.context_timestamp(page, refusal.event_datetime)
        self.assertIn(paris.strftime("%H:%M:%S"), html)
        self.assertNotEqual(paris.utcoffset().total_seconds(), 0)

    def test_multi_company_rules(self):
        move = self.new_invoice()
        self.Event._ingest(self.connection, [self.core_event(move, 204)])
        errors = self.env["l10n_fr_pa.error"]
        errors._record(self.company, "sync", "first company problem")
        errors._record(self.company_2, "sync", "second company problem")
        other = self.Event.sudo().create({
            "company_id": self.company_2.id, "code": 204, "platform_message_id": "m-2",
            "event_datetime": "2026-09-16 10:00:00"})
        user_env = self.env(user=self.user)
        self.assertEqual(user_env["l10n_fr_pa.event"].search([]).company_id, self.company)
        self.assertNotIn(other, user_env["l10n_fr_pa.event"].search([]))
        self.assertEqual(user_env["l10n_fr_pa.error"].search([]).mapped("message"),
                         ["first company problem"])
        # the same message id is allowed once per company, not once overall
        self.Event.sudo().create({
            "company_id": self.company.id, "code": 204, "platform_message_id": "m-2",
            "event_datetime": "2026-09-16 10:00:00"})
        self.assertEqual(self.diagnostics(self.company_2).count_errors, 1)

    def test_invoicing_user_syncs_but_does_not_configure(self):
        move = self.new_invoice()
        self.put_on_platform(move, "approve")
        message = move.with_user(self.user).action_l10n_fr_pa_sync()["params"]["message"]
        self.assertEqual(message, "This record was updated with the platform's new events.")
        with self.assertRaises(AccessError):
            self.connection.with_user(self.user).write({"client_id": "changed"})
        with self.assertRaises(AccessError):
            self.env["l10n_fr_pa.diagnostics"].with_user(self.user).create({})

    def test_settings_show_the_connection_summary(self):
        """The diagnostics block (hidden without a connection) finds the company's one."""
        form = Form(self.env["res.config.settings"])
        self.assertEqual(form.l10n_fr_pa_connection_id, self.connection)
        self.assertEqual(form.l10n_fr_pa_token_state, self.connection.token_state)
        form = Form(self.env["res.config.settings"].with_company(self.company_2))
        self.assertFalse(form.l10n_fr_pa_connection_id)

    def test_settings_save_connection(self):
        settings = self.env["res.config.settings"].create({})
        self.assertEqual(settings.l10n_fr_pa_flow_url, self.sandbox.flow_url)
        settings.l10n_fr_pa_organization_id = "ORG-CHANGED"
        settings.execute()
        self.assertEqual(self.connection.organization_id, "ORG-CHANGED")
        settings = self.env["res.config.settings"].with_company(self.company_2).create({
            "l10n_fr_pa_flow_url": "https://pa.example.com/flow-service"})
        with self.assertRaisesRegex(Exception, "OAuth2 token URL"):
            settings.execute()


@tagged("post_install", "-at_install")
class TestDiagnosticsSendError(L10nFrPaCommon):
    def test_send_error_listed_then_retry_sends(self):
        move = self._invoice()
        self.sandbox.platform.inject_fault("503", count=50, path="/v1/flows", method="POST")
        move.action_l10n_fr_pa_send()
        self.assertTrue(move.l10n_fr_pa_error)
        self.assertFalse(move.l10n_fr_pa_flow_id)
        action = self.env["l10n_fr_pa.diagnostics"]._open(self.company)
        page = self.env["l10n_fr_pa.diagnostics"].browse(action["res_id"])
        error = page.error_ids.filtered(lambda e: e.kind == "send")
        self.assertEqual(error.move_id, move)
        self.sandbox.platform.clear_faults()
        error.action_retry()
        self.assertTrue(move.l10n_fr_pa_flow_id)
        self.assertFalse(move.l10n_fr_pa_error)
        self.assertFalse(error.exists())
        invoices = [f for f in self.sandbox.platform.flows(SELLER_ORG)
                    if f["flowDirection"] == "Out" and not f["flowType"].endswith("LC")]
        self.assertEqual(len(invoices), 1, "the retry sent a second flow")

    def test_diagnostics_reopened_after_resend_from_the_invoice(self):
        """Regression: a failed send, then sent again from the invoice's own button, then the
        diagnostics reopened: the send error is gone, nothing crashes (was MissingError)."""
        move = self._invoice()
        self.sandbox.platform.inject_fault("503", count=50, path="/v1/flows", method="POST")
        move.action_l10n_fr_pa_send()
        page = self.env["l10n_fr_pa.diagnostics"].browse(
            self.env["l10n_fr_pa.diagnostics"]._open(self.company)["res_id"])
        self.assertEqual(page.error_ids.filtered(lambda e: e.kind == "send").move_id, move)
        self.sandbox.platform.clear_faults()
        move.action_l10n_fr_pa_send()
        self.assertTrue(move.l10n_fr_pa_flow_id)
        page = self.env["l10n_fr_pa.diagnostics"].browse(
            self.env["l10n_fr_pa.diagnostics"]._open(self.company)["res_id"])
        self.assertFalse(page.error_ids.filtered(lambda e: e.kind == "send"))
        self.assertEqual(page.count_errors, 0)
