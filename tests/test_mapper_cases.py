# Copyright 2026 The l10n_fr_einvoice_pa authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Every kind of invoice Odoo makes goes out complete: the mapper's choices (delivery
address, VAT on debits, operation category, down payments) and the generated Factur-X
XML judged by the official rules (XSD, EN16931, Factur-X, BR-FR: zero failed-assert)."""

from unittest.mock import patch

from odoo import Command, fields
from odoo.tests import tagged

from ..einvoicing.syntax import to_cii, to_ubl
from ..einvoicing.validation import validate_cii, validate_ubl
from .common import BUYER_SIREN, BUYER_SIRET, SELLER_SIREN, SELLER_SIRET, L10nFrPaCommon

SELLER_IDS = (SELLER_SIREN, SELLER_SIRET, SELLER_SIREN)
BUYER_IDS = (BUYER_SIREN, BUYER_SIRET, BUYER_SIREN)


@tagged("post_install", "-at_install")
class TestMapperCases(L10nFrPaCommon):
    def setUp(self):
        # The mapper talks to no platform: skip the per-test sandbox of the common base.
        super(L10nFrPaCommon, self).setUp()  # pylint: disable=bad-super-call
        self.mapper = self.env["l10n_fr_pa.invoice.mapper"]

    def _map(self, move):
        """The mapped invoice, after checking it in each output syntax: the CII (alone and
        as the Factur-X XML: XSD, EN16931, Factur-X, BR-FR) and the UBL (UBL XSD,
        EN16931-UBL, BR-FR UBL), no failed-assert at all."""
        invoice = self.mapper._invoice(move, SELLER_IDS, BUYER_IDS)
        for xml, validate in ((to_cii(invoice), validate_cii), (to_ubl(invoice), validate_ubl)):
            failed = [(f.rule_id, f.message) for f in validate(xml).findings
                      if f.severity in ("fatal", "warning")]
            self.assertFalse(failed, f"official rules refuse {move.name}: {failed}\n"
                             f"{xml.decode()}")
        return invoice

    def test_plain_invoice_and_credit_note(self):
        move = self._invoice()
        invoice = self._map(move)
        self.assertEqual((invoice.type_code, invoice.business_process), ("380", "M1"))
        self.assertIsNone(invoice.vat_due_date_code)
        self.assertIsNone(invoice.delivery_address)
        refund = self._invoice(move_type="out_refund", reversed_entry=move)
        self.assertEqual(self._map(refund).type_code, "381")

    def test_delivery_address_and_date(self):
        shop = self.env["res.partner"].create({
            "name": "Buyer SARL - Shop", "type": "delivery", "parent_id": self.buyer.id,
            "street": "5 rue du Commerce", "zip": "13001", "city": "Marseille",
            "country_id": self.env.ref("base.fr").id,
        })
        move = self._invoice(post=False)
        move.write({"partner_shipping_id": shop.id,
                    "delivery_date": fields.Date.from_string("2026-09-10")})
        move.action_post()
        invoice = self._map(move)
        self.assertEqual(invoice.delivery_address.city, "Marseille")
        self.assertEqual(invoice.delivery_address.postcode, "13001")
        self.assertEqual(invoice.delivery_party_name, "Buyer SARL - Shop")
        self.assertEqual(str(invoice.delivery_date), "2026-09-10")

    def test_vat_on_debits_company_option_and_override(self):
        self.company.l10n_fr_pa_vat_on_debits = True
        move = self._invoice()
        self.assertTrue(move.l10n_fr_pa_vat_on_debits)
        invoice = self._map(move)
        self.assertEqual(invoice.vat_due_date_code, "5")
        self.assertTrue(invoice.note("REG"))
        other = self._invoice(post=False)
        other.l10n_fr_pa_vat_on_debits = False
        other.action_post()
        invoice = self._map(other)
        self.assertIsNone(invoice.vat_due_date_code)
        self.assertIsNone(invoice.note("REG"))

    def test_already_paid_invoice_is_b2_s2_m2(self):
        move = self._invoice()
        self.env["account.payment.register"].with_context(
            active_model="account.move", active_ids=move.ids,
        ).create({"payment_date": "2026-09-16"})._create_payments()
        self.assertIn(move.payment_state, ("paid", "in_payment"))
        invoice = self._map(move)
        self.assertEqual(invoice.business_process, "M2")
        totals = invoice.totals()
        self.assertEqual((totals.prepaid, totals.due_payable), (totals.grand_total, 0))
        self.assertEqual(str(invoice.due_date), "2026-09-16")

    def test_down_payment_invoice_is_386(self):
        move = self._invoice(lines=((300.0, None),))
        mapper_class = type(self.mapper)
        with patch.object(mapper_class, "_get_down_payment_lines",
                          lambda self, m: m.invoice_line_ids):
            invoice = self._map(move)
        self.assertEqual((invoice.type_code, invoice.business_process), ("386", "M1"))

    def test_final_invoice_after_down_payment_is_b4_and_refers_to_it(self):
        down = self._invoice(lines=((300.0, None),))
        final = self.env["account.move"].create({
            "move_type": "out_invoice", "partner_id": self.buyer.id,
            "invoice_date": fields.Date.from_string("2026-09-20"),
            "invoice_line_ids": [
                Command.create({"name": "Goods", "quantity": 1, "price_unit": 1000.0,
                                "tax_ids": [Command.set(self.tax_20.ids)]}),
                Command.create({"name": "Down payment", "quantity": 1, "price_unit": -300.0,
                                "tax_ids": [Command.set(self.tax_20.ids)]}),
            ],
        })
        final.action_post()
        mapper_class = type(self.mapper)
        with patch.object(mapper_class, "_get_down_payment_lines",
                          lambda self, m: m.invoice_line_ids.filtered(
                              lambda line: line.price_unit < 0)), \
                patch.object(mapper_class, "_get_down_payment_invoices",
                             lambda self, m: down):
            invoice = self._map(final)
        self.assertEqual((invoice.type_code, invoice.business_process), ("380", "M4"))
        self.assertEqual(invoice.preceding_invoice.number, down.name)
        self.assertEqual(invoice.totals().grand_total, 840)
