# Copyright 2026 The l10n_fr_einvoice_pa authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Shared base of the Odoo suite: a real sandbox platform over loopback HTTP.

``L10nFrPaCommon`` starts a ``SandboxServer`` (temporary SQLite directory, port 0),
registers our French company and a French customer as sandbox organisations, and
points the company's ``l10n_fr_pa.connection`` at it. Every test talks to the sandbox
with real HTTP; nothing is mocked.
"""

import shutil
import tempfile
from urllib.parse import urlsplit

from odoo import Command, fields
from odoo.addons.account.tests.common import AccountTestInvoicingCommon
from odoo.tests.common import _super_send

from ..einvoicing.sandbox import SandboxServer

SELLER_SIREN = "732829320"
SELLER_SIRET = "73282932000074"
BUYER_SIREN = "552100554"
BUYER_SIRET = "55210055400013"
OTHER_SIREN = "404833048"
SELLER_ORG = "ORG-SELLER"
BUYER_ORG = "ORG-BUYER"
LOOPBACK = ("127.0.0.1", "localhost")


class LoopbackHttpMixin:
    """Let loopback HTTP (the sandbox) through untouched."""

    @classmethod
    def _request_handler(cls, s, r, /, **kw):
        # Odoo's handler lets loopback calls through but rewrites short timeouts to 10 s
        # (and cannot compare the (connect, read) tuples the AFNOR client uses): the
        # sandbox is on loopback, so send as is.
        if urlsplit(r.url).hostname in LOOPBACK:
            return _super_send(s, r, **kw)
        return super()._request_handler(s, r, **kw)


def start_sandbox(add_cleanup):
    """A started sandbox in a temporary directory, stopped and removed at cleanup."""
    data_dir = tempfile.mkdtemp(prefix="l10n_fr_pa_test_")
    sandbox = SandboxServer(data_dir).start()
    add_cleanup(shutil.rmtree, data_dir, ignore_errors=True)
    add_cleanup(sandbox.stop)
    return sandbox


class L10nFrPaCommon(LoopbackHttpMixin, AccountTestInvoicingCommon):
    """French company + French customer, both organisations of a live sandbox platform."""

    @classmethod
    @AccountTestInvoicingCommon.setup_country("fr")
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.company_data["company"]
        cls.company.write({
            "name": "Seller SA",
            "company_registry": SELLER_SIREN,
            "siret": SELLER_SIRET,
            "vat": "FR44732829320",
            "street": "1 rue de la Paix",
            "zip": "75002",
            "city": "Paris",
            "country_id": cls.env.ref("base.fr").id,
        })
        cls.connection = cls.env["l10n_fr_pa.connection"].create({
            "company_id": cls.company.id,
            "environment": "sandbox",
            "flow_url": "http://127.0.0.1:1/flow-service",
            "directory_url": "http://127.0.0.1:1/directory-service",
            "token_url": "http://127.0.0.1:1/auth/token",
            "client_id": "seller-client",
            "client_secret": "seller-secret",
            "organization_id": SELLER_ORG,
            "timeout": 10,
        })
        cls.buyer = cls.env["res.partner"].create({
            "name": "Buyer SARL",
            "is_company": True,
            "company_registry": BUYER_SIREN,
            "siret": BUYER_SIRET,
            "vat": "FR96552100554",
            "street": "2 avenue des Champs",
            "zip": "69001",
            "city": "Lyon",
            "country_id": cls.env.ref("base.fr").id,
        })
        cls.foreign_buyer = cls.env["res.partner"].create({
            "name": "Kunde GmbH",
            "is_company": True,
            "vat": "DE123456788",
            "email": "kunde@example.de",
            "street": "Hauptstrasse 1",
            "zip": "10115",
            "city": "Berlin",
            "country_id": cls.env.ref("base.de").id,
        })
        cls.tax_20 = cls._l10n_fr_pa_tax(20.0)
        cls.tax_5_5 = cls._l10n_fr_pa_tax(5.5)

    def setUp(self):
        # A fresh platform per test: Odoo data is rolled back after each test (invoice
        # numbers come back), the platform's flows would not be.
        super().setUp()
        self.sandbox = start_sandbox(self.addCleanup)
        platform = self.sandbox.platform
        platform.add_organization(SELLER_ORG, SELLER_SIREN, "Seller SA", "seller-client",
                                  "seller-secret", siret=SELLER_SIRET)
        platform.add_organization(BUYER_ORG, BUYER_SIREN, "Buyer SARL", "buyer-client",
                                  "buyer-secret", siret=BUYER_SIRET, scenario="silent")
        self.connection.write({
            "flow_url": self.sandbox.flow_url,
            "directory_url": self.sandbox.directory_url,
            "token_url": self.sandbox.token_url,
        })

    @classmethod
    def _l10n_fr_pa_tax(cls, rate):
        tax = cls.env["account.tax"].search([
            ("company_id", "=", cls.company.id), ("type_tax_use", "=", "sale"),
            ("amount_type", "=", "percent"), ("amount", "=", rate),
            ("price_include", "=", False),
        ], limit=1)
        return tax or cls.env["account.tax"].create({
            "name": f"TVA {rate}%", "amount": rate, "amount_type": "percent",
            "type_tax_use": "sale", "company_id": cls.company.id,
        })

    @classmethod
    def _invoice(cls, partner=None, lines=((1000.0, None),), move_type="out_invoice",
                 post=True, reversed_entry=None):
        """A customer invoice; ``lines`` = [(price, tax)] (tax None: 20 %)."""
        move = cls.env["account.move"].create({
            "move_type": move_type,
            "partner_id": (partner or cls.buyer).id,
            "invoice_date": fields.Date.from_string("2026-09-15"),
            "reversed_entry_id": reversed_entry.id if reversed_entry else False,
            "invoice_line_ids": [
                Command.create({
                    "name": f"Consulting {i}",
                    "quantity": 1,
                    "price_unit": price,
                    "tax_ids": [Command.set((tax or cls.tax_20).ids)],
                })
                for i, (price, tax) in enumerate(lines, 1)
            ],
        })
        if post:
            move.action_post()
        return move

    def _sandbox_flows(self, syntax="Factur-X", direction="Out"):
        """Flows our company sent (``Out``) to the sandbox, of one syntax."""
        return [f for f in self.sandbox.platform.flows(SELLER_ORG)
                if f.get("flowSyntax") == syntax and f.get("flowDirection") == direction]

    def _pa_action(self, key):
        """The "Change status" action record of ``key`` (mirrors lifecycle.ACTIONS)."""
        action = self.env["l10n_fr_pa.action"]._by_key(key)
        self.assertTrue(action, key)
        return action
