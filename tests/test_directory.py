# Copyright 2026 The l10n_fr_einvoice_pa authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The recipient's directory line is read before each send (reused a few minutes), chosen
by SIRET and routing code, refused when disabled; the partner form's button shows it; a
public entity gets the B2G processing rule and its service code as buyer reference."""

from datetime import timedelta
from unittest.mock import patch

from odoo import fields
from odoo.exceptions import UserError
from odoo.tests import tagged

from ..einvoicing import lifecycle
from ..einvoicing.facturx import extract
from .common import BUYER_SIREN, L10nFrPaCommon


@tagged("post_install", "-at_install", "l10n_fr_pa")
class TestDirectory(L10nFrPaCommon):
    def _send(self):
        move = self._invoice()
        result = move.action_l10n_fr_pa_send()
        self.assertEqual(result["params"]["type"], "success", result["params"]["message"])
        return move

    def _expire_cache(self):
        self.buyer.l10n_fr_pa_directory_checked = fields.Datetime.now() - timedelta(hours=1)

    def _xml(self, move):
        attachment = self.env["ir.attachment"].search(
            [("res_model", "=", "account.move"), ("res_id", "=", move.id)])
        return extract(attachment.raw)[0]

    def _flow(self, move):
        flows = [f for f in self._sandbox_flows()
                 if f.get("trackingId") == move.l10n_fr_pa_tracking_id]
        self.assertEqual(len(flows), 1)
        return flows[0]

    def test_line_changes_between_two_sends(self):
        self._send()
        self.assertRecordValues(self.buyer, [{
            "l10n_fr_pa_directory_address": BUYER_SIREN,
            "l10n_fr_pa_directory_status": "Enabled",
            "l10n_fr_pa_directory_platform": "WK",
            "peppol_endpoint": BUYER_SIREN,
        }])
        new_line = f"{BUYER_SIREN}_NEWPA"
        self.sandbox.platform.set_electronic_address(BUYER_SIREN, new_line)
        # within the cache the stored line is reused; after it, the directory is read again
        self.assertTrue(self.buyer._l10n_fr_pa_directory_fresh())
        self._expire_cache()
        second = self._send()
        self.assertRecordValues(self.buyer, [{
            "l10n_fr_pa_directory_address": new_line, "peppol_endpoint": new_line}])
        self.assertTrue(new_line.encode() in self._xml(second))
        self.assertEqual(self._flow(second)["processingRule"], "B2B")

    def test_disabled_line_blocks_the_send_naming_it(self):
        self.sandbox.platform.set_reachable(BUYER_SIREN, False)
        move = self._invoice()
        with self.assertRaisesRegex(UserError, f"directory line {BUYER_SIREN} of Buyer SARL "
                                               "is Disabled"):
            move.action_l10n_fr_pa_send()
        self.assertEqual(self._sandbox_flows(), [])

    def test_check_in_the_directory_button(self):
        result = self.buyer.action_l10n_fr_pa_check_directory()
        self.assertEqual(result["params"]["type"], "success")
        self.assertIn(BUYER_SIREN, result["params"]["message"])
        self.sandbox.platform.set_reachable(BUYER_SIREN, False)
        result = self.buyer.action_l10n_fr_pa_check_directory()
        self.assertEqual(result["params"]["type"], "warning")
        self.assertEqual(self.buyer.l10n_fr_pa_directory_status, "Disabled")

    def test_routing_code_line_b2g_rule_and_service_code(self):
        public = self.env["res.partner"].create({
            "name": "Mairie de Test", "is_company": True, "company_registry": "404833048",
            "siret": "40483304800022", "street": "1 place de la Mairie", "zip": "75004",
            "city": "Paris", "country_id": self.env.ref("base.fr").id,
            "l10n_fr_pa_routing_code": "SERV-COMPTA",
        })
        line = "404833048_40483304800022_SERV-COMPTA"
        self.sandbox.platform.add_directory_entry(
            "404833048", "Mairie de Test", siret="40483304800022",
            routing_codes=["SERV-COMPTA"])
        client = self.connection._get_directory_client()
        original_get_siren = type(client).get_siren

        def public_siren(self_client, siren):
            return {**original_get_siren(self_client, siren), "entityType": "Public"}

        with patch.object(type(client), "get_siren", public_siren):
            move = self._invoice(partner=public)
            result = move.action_l10n_fr_pa_send()
        self.assertEqual(result["params"]["type"], "success", result["params"]["message"])
        self.assertRecordValues(public, [{
            "l10n_fr_pa_directory_address": line, "l10n_fr_pa_directory_public": True}])
        self.assertEqual(self._flow(move)["processingRule"], "B2G")
        self.assertTrue(line.encode() in self._xml(move))
        invoice = self.env["l10n_fr_pa.invoice.mapper"]._invoice(
            move, ("732829320", False, "732829320"), ("404833048", False, line))
        self.assertEqual(invoice.buyer_reference, "SERV-COMPTA")

    def test_status_is_addressed_to_the_counterpart_directory_line(self):
        move = self._send()
        new_line = f"{BUYER_SIREN}_NEWPA"
        self.sandbox.platform.set_electronic_address(BUYER_SIREN, new_line)
        self._expire_cache()
        action = next(a for a in lifecycle.actions_for("customer_invoice")
                      if a.key == "payment_received")
        xml = self.env["l10n_fr_pa.status.pusher"]._build_cdar(
            move, action, [lifecycle.PaymentAmount("1200.00", "EUR", 20)], None, None,
            "MSG-DIR-1")
        self.assertIn(f'schemeID="0225">{new_line}<'.encode(), xml)
