# Copyright 2026 The l10n_fr_einvoice_pa authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Two users press "Send" on the same invoice at the same time: one flow on the platform.

Both transactions must see the invoice, so this test commits its own data through
separate registry cursors (in a dedicated company, reused between runs).
"""

import threading

from odoo import SUPERUSER_ID, Command, api, fields
from odoo.exceptions import UserError
from odoo.tests import TransactionCase, tagged
from odoo.tools import mute_logger

from .common import LoopbackHttpMixin, start_sandbox

COMPANY_NAME = "l10n_fr_pa concurrency test company"
SELLER_SIREN = "443061841"
BUYER_SIREN = "542065479"


@tagged("post_install", "-at_install", "l10n_fr_pa")
class TestSendConcurrency(LoopbackHttpMixin, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.sandbox = start_sandbox(cls.addClassCleanup)
        cls.sandbox.platform.add_organization("ORG-CC-SELLER", SELLER_SIREN, "CC Seller",
                                              "cc-seller", "cc-secret")
        cls.sandbox.platform.add_organization("ORG-CC-BUYER", BUYER_SIREN, "CC Buyer",
                                              "cc-buyer", "cc-buyer-secret", scenario="silent")

    def _committed_invoice(self):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            company = env["res.company"].search([("name", "=", COMPANY_NAME)], limit=1)
            if not company:
                company = env["res.company"].create({
                    "name": COMPANY_NAME, "country_id": env.ref("base.fr").id,
                    "company_registry": SELLER_SIREN, "city": "Paris", "zip": "75001",
                    "street": "1 place du Test",
                })
                env["account.chart.template"].try_loading("fr", company=company,
                                                          install_demo=False)
            company.vat = "FR64443061841"
            env = env(context={"allowed_company_ids": company.ids})
            connection = env["l10n_fr_pa.connection"].search([("company_id", "=", company.id)])
            values = {
                "company_id": company.id, "flow_url": self.sandbox.flow_url,
                "directory_url": self.sandbox.directory_url, "token_url": self.sandbox.token_url,
                "client_id": "cc-seller", "client_secret": "cc-secret", "timeout": 10,
            }
            if connection:
                connection.write(values)
            else:
                env["l10n_fr_pa.connection"].create(values)
            partner = env["res.partner"].create({
                "name": "CC Buyer", "is_company": True, "company_registry": BUYER_SIREN,
                "vat": "FR82542065479",
                "country_id": env.ref("base.fr").id, "city": "Lyon", "zip": "69001",
                "street": "2 rue du Test",
            })
            move = env["account.move"].with_company(company).create({
                "move_type": "out_invoice", "partner_id": partner.id,
                "invoice_date": fields.Date.today(),
                "invoice_line_ids": [Command.create({
                    "name": "Service", "quantity": 1, "price_unit": 100.0,
                    "tax_ids": [Command.set(company.account_sale_tax_id.ids)],
                })],
            })
            move.action_post()
            cr.commit()  # pylint: disable=invalid-commit
            return move.id

    def _send_in_own_transaction(self, move_id, barrier, results):
        with self.registry.cursor() as cr:
            # Registry(dbname) would wait for the registry lock the test runner holds.
            cr.transaction = api.Transaction(self.registry)
            env = api.Environment(cr, SUPERUSER_ID, {})
            move = env["account.move"].browse(move_id)
            env = env(context={"allowed_company_ids": move.company_id.ids})
            barrier.wait()
            try:
                action = move.with_env(env).action_l10n_fr_pa_send()
                cr.commit()  # pylint: disable=invalid-commit
                results.append(("sent", action["params"]["message"]))
            except UserError as exc:
                cr.rollback()
                results.append(("refused", exc.args[0]))

    # The loser's FOR UPDATE NOWAIT fails by design; odoo.sql_db logs that query as an error.
    @mute_logger("odoo.sql_db")
    def test_concurrent_send_one_flow(self):
        move_id = self._committed_invoice()
        # The first sender holds the row lock while the platform takes 2 s to answer.
        self.sandbox.platform.inject_fault("timeout", path="/v1/flows", method="POST",
                                           seconds=2)
        barrier, results = threading.Barrier(2), []
        threads = [threading.Thread(target=self._send_in_own_transaction,
                                    args=(move_id, barrier, results)) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
        self.assertEqual(len(results), 2, results)
        flows = [f for f in self.sandbox.platform.flows("ORG-CC-SELLER")
                 if (f.get("trackingId") or "").endswith(f"-{move_id}")]
        self.assertEqual(len(flows), 1, results)
        kinds = sorted(kind for kind, _msg in results)
        self.assertIn("sent", kinds)
        other = [msg for kind, msg in results if kind == "refused" or "already sent" in msg]
        self.assertTrue(other, results)
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            self.assertEqual(env["account.move"].browse(move_id).l10n_fr_pa_flow_id,
                             flows[0]["flowId"])
