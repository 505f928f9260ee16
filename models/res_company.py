# Copyright 2026 The l10n_fr_einvoice_pa authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Sender identifiers read from the company's own fields (no parallel SIREN field)."""

from odoo import fields, models

from .res_partner import read_siren, read_siret


class ResCompany(models.Model):
    _inherit = "res.company"

    l10n_fr_pa_connection_ids = fields.One2many(
        "l10n_fr_pa.connection", "company_id", string="E-invoicing connection")

    def _l10n_fr_pa_siren(self):
        """The company's SIREN, validated (UserError naming the field otherwise)."""
        self.ensure_one()
        return read_siren(self, "sender")

    def _l10n_fr_pa_siret(self):
        self.ensure_one()
        return read_siret(self)

    def _l10n_fr_pa_connection(self, raise_if_missing=True):
        self.ensure_one()
        return self.env["l10n_fr_pa.connection"]._for_company(self, raise_if_missing)
