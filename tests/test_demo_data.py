# Copyright 2026 The l10n_fr_einvoice_pa authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""tools/odoo_demo_data.py creates what it claims, once: a second run adds nothing."""

import importlib.util
import pathlib
import shutil
import tempfile

from odoo.tests import TransactionCase, tagged

from ..einvoicing.sandbox import SandboxServer
from .common import LoopbackHttpMixin

SCRIPT = pathlib.Path(__file__).resolve().parent.parent / "tools" / "odoo_demo_data.py"


def _load_script():
    spec = importlib.util.spec_from_file_location("l10n_fr_pa_odoo_demo_data", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@tagged("post_install", "-at_install", "l10n_fr_pa")
class TestDemoData(LoopbackHttpMixin, TransactionCase):
    def setUp(self):
        super().setUp()
        data_dir = tempfile.mkdtemp(prefix="l10n_fr_pa_demo_test_")
        self.addCleanup(shutil.rmtree, data_dir, ignore_errors=True)
        self.sandbox = SandboxServer(data_dir, admin_token="demo-test-token").start()
        self.addCleanup(self.sandbox.stop)
        self.demo = _load_script()

    def _run(self):
        sandbox = self.demo.Sandbox(self.sandbox.url, "demo-test-token")
        new_orgs = self.demo.register_organizations(sandbox)
        return new_orgs, self.demo.build(self.env, self.sandbox.url, commit=lambda: None)

    def test_demo_data_once(self):
        demo = self.demo
        new_orgs, summary = self._run()
        self.assertEqual(new_orgs, 1 + len(demo.CUSTOMERS) + len(demo.SUPPLIERS))
        company = self.env.ref("base.main_company")
        self.assertRecordValues(company, [{
            "name": demo.COMPANY["name"], "company_registry": demo.COMPANY["siren"],
            "chart_template": "fr"}])
        self.assertTrue(company.partner_id.bank_ids)
        connection = company._l10n_fr_pa_connection()
        self.assertEqual(connection.organization_id, demo.COMPANY["org_id"])
        moves = self.env["account.move"].search([("company_id", "=", company.id)])
        invoices = moves.filtered(lambda m: m.move_type == "out_invoice")
        bills = moves.filtered(lambda m: m.move_type == "in_invoice")
        self.assertEqual(len(invoices), len(demo.INVOICES))
        self.assertEqual(set(invoices.mapped("state")), {"posted"})
        self.assertEqual(len(invoices.filtered(lambda m: m.l10n_fr_pa_flow_id)),
                         len(demo.INVOICES) - 1)
        self.assertEqual(len(bills), sum(len(s[-1]) for s in demo.SUPPLIERS))
        self.assertEqual(set(bills.mapped("l10n_fr_pa_state")), {"received"})
        self.assertTrue({"accepted", "paid", "rejected", "pending"}
                        <= set(invoices.mapped("l10n_fr_pa_badge")))
        self.assertEqual(summary["invoices"], len(invoices))
        # A second start creates nothing.
        new_orgs, again = self._run()
        self.assertEqual((new_orgs, again["new_invoices"], again["sent"], again["bills_sent"]),
                         (0, 0, 0, 0))
        after = self.env["account.move"].search([("company_id", "=", company.id)])
        self.assertEqual(after, moves)
        self.assertEqual(len(self.sandbox.platform.organizations()), 1 + len(demo.CUSTOMERS)
                         + len(demo.SUPPLIERS))
