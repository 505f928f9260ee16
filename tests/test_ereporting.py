# Copyright 2026 The l10n_fr_einvoice_pa authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""E-reporting (flux 10) on the sandbox platform: a month mixing French B2B (excluded),
B2C goods and services at 20 / 10 / 5.5 %, an export, an intra-EU sale and a foreign
purchase; payments; a late invoice and its rectificative; a rejection and a resend."""

from datetime import date

from lxml import etree
from odoo import Command, fields
from odoo.tests import tagged
from odoo.tools import mute_logger
from psycopg2 import IntegrityError

from ..einvoicing.ereporting import period_of
from .common import SELLER_ORG, L10nFrPaCommon

DAY = date(2026, 9, 15)


@tagged("post_install", "-at_install")
class TestEreporting(L10nFrPaCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.write({"l10n_fr_pa_vat_regime": "normal_monthly",
                           "l10n_fr_pa_platform_code": "0042",
                           "tax_exigibility": True})
        cls.tax_10 = cls._l10n_fr_pa_tax(10.0)
        cls.goods = cls.env["product.product"].create({"name": "Chair", "type": "consu"})
        cls.service = cls.env["product.product"].create({"name": "Repair", "type": "service"})
        cls.person = cls.env["res.partner"].create({
            "name": "Jeanne Martin", "is_company": False, "city": "Paris",
            "country_id": cls.env.ref("base.fr").id})
        cls.us_buyer = cls.env["res.partner"].create({
            "name": "Acme Inc", "is_company": True, "company_registry": "EIN123456789",
            "country_id": cls.env.ref("base.us").id})
        cls.uk_supplier = cls.env["res.partner"].create({
            "name": "Supplier Ltd", "is_company": True, "vat": "GB123456782",
            "country_id": cls.env.ref("base.uk").id})
        cls.tax_0 = cls.env["account.tax"].create({
            "name": "TVA 0% export", "amount": 0.0, "type_tax_use": "sale",
            "company_id": cls.company.id})
        cls.purchase_tax = cls.env["account.tax"].create({
            "name": "TVA 20% achats", "amount": 20.0, "type_tax_use": "purchase",
            "company_id": cls.company.id})
        transition = cls.env["account.account"].create({
            "name": "TVA en attente", "code": "445799", "account_type": "liability_current",
            "reconcile": True, "company_ids": [Command.set(cls.company.ids)]})
        cls.cash_tax = cls.env["account.tax"].create({
            "name": "TVA 20% encaissements", "amount": 20.0, "type_tax_use": "sale",
            "tax_exigibility": "on_payment", "company_id": cls.company.id,
            "cash_basis_transition_account_id": transition.id})

    def _move(self, partner, lines, move_type="out_invoice", day=DAY):
        move = self.env["account.move"].create({
            "move_type": move_type, "partner_id": partner.id, "invoice_date": day,
            "invoice_line_ids": [Command.create({
                "product_id": product.id, "quantity": 1, "price_unit": price,
                "tax_ids": [Command.set(tax.ids)]}) for product, price, tax in lines]})
        move.action_post()
        return move

    def _report(self, kind, day=DAY):
        family = "payments" if kind.startswith("payments") else "transactions"
        period = period_of("normal_monthly", family, day)
        report = self.env["l10n_fr_pa.ereport"]._get_or_create(self.company, kind, period)
        report.action_prepare()
        return report

    def _xml(self, report):
        return etree.fromstring(report.attachment_id.raw)

    def _month(self):
        moves = {
            "french_b2b": self._move(self.buyer, [(self.service, 1000.0, self.tax_20)]),
            "b2c_1": self._move(self.person, [(self.goods, 100.0, self.tax_20),
                                              (self.goods, 200.0, self.tax_5_5)]),
            "b2c_2": self._move(self.person, [(self.service, 80.0, self.tax_10),
                                              (self.goods, 50.0, self.tax_20)]),
            "b2c_refund": self._move(self.person, [(self.goods, 10.0, self.tax_20)],
                                     "out_refund"),
            "export": self._move(self.us_buyer, [(self.goods, 500.0, self.tax_0)]),
            "intra_eu": self._move(self.foreign_buyer, [(self.service, 300.0, self.tax_0)]),
            "purchase": self._move(self.uk_supplier, [(self.goods, 400.0, self.purchase_tax)],
                                   "in_invoice"),
        }
        return moves

    def test_month_of_mixed_sales_gives_the_right_entries(self):
        moves = self._month()
        b2c = self._report("b2c")
        self.assertEqual(b2c.state, "ready", b2c.error_message)
        b2c_moves = moves["b2c_1"] | moves["b2c_2"] | moves["b2c_refund"]
        self.assertEqual(b2c.move_ids, b2c_moves)
        totals = {(line.category, line.rate): (line.amount_untaxed, line.amount_tax)
                  for line in b2c.line_ids}
        self.assertEqual(totals, {("TLB1", 5.5): (200.0, 11.0), ("TLB1", 20.0): (140.0, 28.0),
                                  ("TPS1", 10.0): (80.0, 8.0)})
        signed = sum(b2c_moves.mapped("amount_untaxed_signed"))
        self.assertAlmostEqual(b2c.amount_untaxed, signed)
        self.assertAlmostEqual(b2c.amount_tax, sum(b2c_moves.mapped("amount_tax_signed")))
        days = self._xml(b2c).findall("TransactionsReport/Transactions")
        self.assertEqual([(d.findtext("Date"), d.findtext("CategoryCode"),
                           d.findtext("TaxExclusiveAmount"), d.findtext("TaxTotal"))
                          for d in days],
                         [("20260915", "TLB1", "340.00", "39.00"),
                          ("20260915", "TPS1", "80.00", "8.00")])

        sales = self._report("sales_int")
        self.assertEqual(sales.state, "ready", sales.error_message)
        self.assertEqual(sales.move_ids, moves["export"] | moves["intra_eu"])
        entries = {e.findtext("ID"): e for e in self._xml(sales).iter("Invoice")}
        self.assertEqual(set(entries), {moves["export"].name, moves["intra_eu"].name})
        export, intra = entries[moves["export"].name], entries[moves["intra_eu"].name]
        self.assertEqual((export.find("Buyer/CompanyId").get("schemeId"),
                          export.findtext("TaxSubTotal/TaxCategory/Code"),
                          export.findtext("BusinessProcess/ID")), ("0227", "G", "B1"))
        self.assertEqual((intra.find("Buyer/CompanyId").get("schemeId"),
                          intra.findtext("Buyer/CompanyId"),
                          intra.findtext("TaxSubTotal/TaxCategory/Code"),
                          intra.findtext("BusinessProcess/ID")),
                         ("0223", "DE123456788", "K", "S1"))

        purchases = self._report("purchases_int")
        self.assertEqual(purchases.move_ids, moves["purchase"])
        root = self._xml(purchases)
        self.assertEqual(root.findtext("ReportDocument/Issuer/RoleCode"), "BY")
        self.assertEqual(root.findtext("TransactionsReport/Invoice/Seller/CompanyId"),
                         "GB123456782")

        for report in (b2c, sales, purchases):
            report.action_send()
            self.assertEqual(report.state, "accepted", report.error_message)
        flows = {f["flowType"] for f in self._sandbox_flows("FRR")}
        self.assertEqual(flows, {"AggregatedCustomerTransactionReport",
                                 "UnitaryCustomerTransactionReport",
                                 "UnitarySupplierTransactionReport"})

    def test_no_second_initial_report_for_a_period(self):
        report = self._report("b2c")
        period = period_of("normal_monthly", "transactions", DAY)
        self.assertEqual(self.env["l10n_fr_pa.ereport"]._get_or_create(
            self.company, "b2c", period), report)
        with self.assertRaises(IntegrityError), mute_logger("odoo.sql_db"), \
                self.cr.savepoint():
            self.env["l10n_fr_pa.ereport"].create({
                "company_id": self.company.id, "kind": "b2c",
                "period_start": period.start, "period_end": period.end})
            self.env.flush_all()

    def _pay(self, invoice, day):
        self.env["account.payment.register"].with_context(
            active_model="account.move", active_ids=invoice.ids,
        ).create({"payment_date": day})._create_payments()

    def test_payments_of_services_with_vat_on_receipts(self):
        b2c = self._move(self.person, [(self.service, 100.0, self.cash_tax)])
        intl = self._move(self.us_buyer, [(self.service, 200.0, self.cash_tax)])
        debits = self._move(self.person, [(self.service, 50.0, self.tax_20)])
        for move in (b2c, intl, debits):
            self._pay(move, date(2026, 9, 16))
        daily = self._report("payments_b2c")
        self.assertEqual(daily.state, "ready", daily.error_message)
        self.assertEqual(daily.move_ids, b2c)  # VAT on debits: not reported
        pay = self._xml(daily).find("PaymentsReport/Transactions/Payment")
        self.assertEqual((pay.findtext("Date"), pay.findtext("SubTotals/TaxPercent"),
                          pay.findtext("SubTotals/Amount")), ("20260916", "20", "120.00"))
        unitary = self._report("payments_int")
        self.assertEqual(unitary.move_ids, intl)
        entry = self._xml(unitary).find("PaymentsReport/Invoice")
        self.assertEqual((entry.findtext("InvoiceID"), entry.findtext("Payment/SubTotals/Amount")),
                         (intl.name, "240.00"))
        unitary.action_send()
        self.assertEqual(unitary.state, "accepted", unitary.error_message)

    def test_late_invoice_gives_a_rectificative(self):
        self._move(self.person, [(self.goods, 100.0, self.tax_20)])
        report = self._report("b2c")
        report.action_send()
        self.assertEqual(report.state, "accepted")
        self.assertFalse(report.is_outdated)
        late = self._move(self.person, [(self.goods, 60.0, self.tax_10)])
        report.invalidate_recordset(["is_outdated"])
        self.assertTrue(report.is_outdated)
        action = report.action_rectify()
        fix = self.env["l10n_fr_pa.ereport"].browse(action["res_id"])
        self.assertRecordValues(fix, [{"report_type": "RE", "origin_id": report.id,
                                       "state": "ready", "amount_untaxed": 160.0}])
        self.assertIn(late, fix.move_ids)
        fix.action_send()
        self.assertEqual(fix.state, "accepted", fix.error_message)
        self.assertEqual(self._xml(fix).findtext("ReportDocument/TypeCode"), "RE")

    def test_rejected_report_shows_the_reasons_and_can_be_resent(self):
        future = date(2099, 1, 12)
        invoice = self._move(self.person, [(self.goods, 100.0, self.tax_20)], day=future)
        report = self._report("b2c", future)
        report.action_send()
        self.assertEqual(report.state, "rejected")
        self.assertIn("G1.07", report.error_message)
        self.assertIn("later than the reception date", report.error_message)
        first_id = report.transmission_id
        invoice.button_draft()
        invoice.button_cancel()
        report.action_send()  # recomputed with a new transmission id, then sent
        self.assertEqual(report.state, "accepted", report.error_message)
        self.assertNotEqual(report.transmission_id, first_id)

    def test_platform_error_is_listed_with_retry(self):
        self._move(self.person, [(self.goods, 100.0, self.tax_20)])
        report = self._report("b2c")
        self.sandbox.platform.inject_fault("503", count=20, path="/v1/flows")
        report.action_send()
        self.assertEqual(report.state, "ready")
        error = self.env["l10n_fr_pa.error"].search([("ereport_id", "=", report.id)])
        self.assertEqual(error.kind, "ereport")
        self.sandbox.platform.clear_faults()
        error.action_retry()
        self.assertEqual(report.state, "accepted")
        self.assertFalse(error.exists())

    def test_cron_prepares_closed_periods_and_sends_when_automatic(self):
        self._month()
        self.company.l10n_fr_pa_ereport_auto_send = True
        self.env["l10n_fr_pa.ereport"]._cron_prepare_and_send(today=date(2026, 10, 1))
        reports = self.env["l10n_fr_pa.ereport"].search([("company_id", "=", self.company.id)])
        self.assertEqual(sorted(set(reports.mapped("kind"))),
                         ["b2c", "purchases_int", "sales_int"])
        self.assertEqual(set(reports.mapped("state")), {"accepted"})
        b2c = reports.filtered(lambda r: r.kind == "b2c")
        self.assertRecordValues(b2c, [{"period_start": date(2026, 9, 11),
                                       "period_end": date(2026, 9, 20),
                                       "due_date": date(2026, 9, 30)}])
        flows = [f for f in self.sandbox.platform.flows(SELLER_ORG)
                 if f.get("flowSyntax") == "FRR"]
        self.assertEqual(len(flows), 3)

    def test_foreign_invoice_chatter_names_its_period(self):
        message = self.env["l10n_fr_pa.ereport"]._get_carrying_message(
            self._move(self.foreign_buyer, [(self.service, 300.0, self.tax_0)]))
        self.assertIn("International sales (10.1) of 2026-09-11 - 2026-09-20, due on "
                      "2026-09-30", message)
        self.assertTrue(fields.Date.to_date("2026-09-30"))
