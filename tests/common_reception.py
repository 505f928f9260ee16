# Copyright 2026 The l10n_fr_einvoice_pa authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Reception tests: a supplier organisation of the sandbox sends invoices to our company."""

from datetime import date

from ..einvoicing import facturx
from ..einvoicing.afnor import FlowClient, OAuth2ClientCredentials
from ..einvoicing.invoice import samples
from ..einvoicing.syntax import cii
from .common import (
    BUYER_ORG,
    BUYER_SIREN,
    BUYER_SIRET,
    SELLER_SIREN,
    SELLER_SIRET,
    L10nFrPaCommon,
)

OUR_COMPANY = {
    "name": "Seller SA", "siren": SELLER_SIREN, "siret": SELLER_SIRET,
    "vat_number": "FR44732829320", "electronic_address": SELLER_SIREN,
    "address": {"line1": "1 rue de la Paix", "postcode": "75002", "city": "Paris",
                "country_code": "FR"},
}
SUPPLIER_A = {
    "name": "Buyer SARL", "siren": BUYER_SIREN, "siret": BUYER_SIRET,
    "vat_number": "FR96552100554", "electronic_address": BUYER_SIREN,
    "address": {"line1": "2 avenue des Champs", "postcode": "69001", "city": "Lyon",
                "country_code": "FR"},
}
NEW_ORG = "ORG-NEWSUP"
NEW_SIREN = "404833048"
NEW_SUPPLIER = {
    "name": "Nouveau Fournisseur SAS", "siren": NEW_SIREN, "vat_number": "FR83404833048",
    "electronic_address": NEW_SIREN, "contact_email": "factures@nouveau.example",
    "address": {"line1": "5 quai des Brumes", "postcode": "33000", "city": "Bordeaux",
                "country_code": "FR"},
}


class L10nFrPaReceptionCommon(L10nFrPaCommon):
    """Helpers: a supplier sends through the sandbox, our company synchronises."""

    def setUp(self):
        super().setUp()
        self.sandbox.platform.add_organization(
            NEW_ORG, NEW_SIREN, NEW_SUPPLIER["name"], "new-client", "new-secret")

    def _supplier_client(self, org=BUYER_ORG, client=("buyer-client", "buyer-secret")):
        auth = OAuth2ClientCredentials(self.sandbox.token_url, *client)
        return FlowClient(self.sandbox.flow_url, auth, organization_id=org)

    def _supplier_invoice(self, seller=None, number="FS-2026-001", type_code="380", **kw):
        return samples.sample_invoice(
            seller=dict(seller or SUPPLIER_A), buyer=dict(OUR_COMPANY), number=number,
            issue_date=date(2026, 9, 10), type_code=type_code, **kw)

    def _send_to_us(self, invoice, org=BUYER_ORG, client=("buyer-client", "buyer-secret"),
                    pdf=True):
        """The supplier submits ``invoice`` (Factur-X PDF or CII); returns the xml sent."""
        xml = cii.to_cii(invoice)
        content, name, syntax = ((facturx.embed(xml), f"{invoice.number}.pdf", "Factur-X")
                                 if pdf else (xml, f"{invoice.number}.xml", "CII"))
        self._supplier_client(org, client).submit_flow(
            content, name, syntax, f"send-{invoice.number}")
        return xml

    def _sync(self):
        return self.env["l10n_fr_pa.synchronizer"]._sync_connection(self.connection)

    def _inbound(self):
        return self.env["l10n_fr_pa.inbound"].search([("company_id", "=", self.company.id)])

    def _receive(self, invoice=None, **kw):
        """Send and synchronise; returns the bill (one inbound record expected)."""
        self._send_to_us(invoice or self._supplier_invoice(), **kw)
        self._sync()
        inbound = self._inbound()
        self.assertEqual(len(inbound), 1, inbound.mapped("error_message"))
        self.assertFalse(inbound.error_code, inbound.error_message)
        return inbound.move_id

    @classmethod
    def _purchase_tax(cls, rate):
        tax = cls.env["account.edi.common"]._l10n_fr_pa_purchase_tax(cls.company, rate, "S")
        return tax or cls.env["account.tax"].create({
            "name": f"TVA achat {rate}%", "amount": rate, "amount_type": "percent",
            "type_tax_use": "purchase", "company_id": cls.company.id,
        })
