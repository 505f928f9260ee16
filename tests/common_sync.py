# Copyright 2026 The l10n_fr_einvoice_pa authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Base of the synchronisation tests: a sandbox platform over loopback, a French company
connected to it as the sample seller, and helpers to put invoices and statuses on it."""

import tempfile
import uuid
from datetime import datetime, timedelta, timezone
from decimal import Decimal

from odoo.addons.account.tests.common import AccountTestInvoicingCommon

from ..einvoicing.invoice.samples import BUYER, SELLER, sample_invoice
from ..einvoicing.lifecycle import Event, PaymentAmount
from ..einvoicing.sandbox import SandboxServer
from ..einvoicing.syntax import to_cii
from .common import LoopbackHttpMixin

SELLER_ORG = "ORG-SELLER"
BUYER_ORG = "ORG-BUYER"
SELLER_CLIENT = ("seller-client", "seller-secret-0123456789")
BUYER_CLIENT = ("buyer-client", "buyer-secret-0123456789")


class SyncCommon(LoopbackHttpMixin, AccountTestInvoicingCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
        cls.company.company_registry = SELLER["siren"]
        cls.buyer = cls.env["res.partner"].create({
            "name": BUYER["name"], "is_company": True, "company_registry": BUYER["siren"],
            "country_id": cls.env.ref("base.fr").id,
        })
        cls.connection = cls.env["l10n_fr_pa.connection"].create({
            "company_id": cls.company.id, "environment": "sandbox",
            "flow_url": "http://127.0.0.1:9/flow-service", "token_url": "http://127.0.0.1:9/t",
            "client_id": SELLER_CLIENT[0], "client_secret": SELLER_CLIENT[1],
            "organization_id": SELLER_ORG,
        })
        cls.sync = cls.env["l10n_fr_pa.synchronizer"]
        cls.Event = cls.env["l10n_fr_pa.event"]

    def setUp(self):
        """A fresh platform per test (the database is rolled back, invoice numbers repeat)."""
        super().setUp()
        tmp = tempfile.TemporaryDirectory(prefix="pa-sync-")
        self.addCleanup(tmp.cleanup)
        self.sandbox = SandboxServer(tmp.name).start()
        self.addCleanup(self.sandbox.stop)
        platform = self.sandbox.platform
        platform.add_organization(SELLER_ORG, SELLER["siren"], SELLER["name"], *SELLER_CLIENT,
                                  siret=SELLER["siret"])
        platform.add_organization(BUYER_ORG, BUYER["siren"], BUYER["name"], *BUYER_CLIENT,
                                  siret=BUYER["siret"])
        self.connection.sudo().write({
            "flow_url": self.sandbox.flow_url, "directory_url": self.sandbox.directory_url,
            "token_url": self.sandbox.token_url,
        })

    # ------------------------------------------------------------------ helpers
    def new_invoice(self):
        return self.init_invoice("out_invoice", partner=self.buyer, invoice_date="2026-09-15",
                                 post=True, amounts=[1000.0])

    def put_on_platform(self, move, scenario="approve"):
        """Submit ``move`` as our flow (CII) to the sample buyer playing ``scenario``."""
        self.sandbox.platform.set_scenario(BUYER_ORG, scenario)
        content = to_cii(sample_invoice(number=move.name, issue_date=move.invoice_date))
        client = self.connection._get_flow_client()
        return client.submit_flow(content, f"{uuid.uuid4().hex}.xml", "CII",
                                  tracking_id=f"T-{uuid.uuid4().hex[:12]}")

    def platform_events(self, move):
        """Lifecycle messages the sandbox holds for ``move`` (as seen by our organisation)."""
        return {f["flowId"] for f in self.sandbox.platform.flows(SELLER_ORG)
                if f.get("invoiceNumber") == move.name and f.get("flowType", "").endswith("LC")}

    def core_event(self, move, code, minutes=0, message_id=None, amount=None):
        """A lifecycle.Event about ``move`` (as parse_cdar would give it)."""
        stamp = datetime(2026, 9, 16, 10, 0, tzinfo=timezone.utc) + timedelta(minutes=minutes)
        return Event(
            message_id=message_id or str(uuid.uuid4()), status_code=code, timestamp=stamp,
            issuer_role="buyer", invoice_number=move.name, invoice_date=move.invoice_date,
            seller_siren=SELLER["siren"], buyer_siren=BUYER["siren"],
            amounts=[PaymentAmount(Decimal(amount), "EUR", None)] if amount else [],
        )

    def run_cron(self):
        return self.sync._cron_sync()
