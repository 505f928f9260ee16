# Copyright 2026 The l10n_fr_einvoice_pa authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Purchase tax of a received line: same rate, same type, among the company's taxes."""

from odoo import api, models

from .account_edi_common_pa import REVERSE_CHARGE_CATEGORIES


class L10nFrPaInbound(models.Model):
    _inherit = "l10n_fr_pa.inbound"

    @api.model
    def _l10n_fr_pa_purchase_tax(self, company, rate, category, tax_type="purchase"):
        """The company's active percent tax of ``tax_type`` with this rate, or empty.

        Amounts of an e-invoice are tax excluded: only taxes not included in price. A
        domestic category (S, Z, E, O...) takes a tax without self-assessment (no negative
        repartition line); a reverse-charge category (AE, K...) is never chosen
        automatically because the rate to self-assess is not in the document.
        """
        Tax = self.env["account.tax"]
        if category in REVERSE_CHARGE_CATEGORIES:
            return Tax
        candidates = Tax.search([
            *Tax._check_company_domain(company),
            ("type_tax_use", "=", tax_type), ("amount_type", "=", "percent"),
            ("amount", "=", rate), ("price_include", "=", False),
        ], order="sequence, id")
        return candidates.filtered(lambda tax: not any(
            line.factor_percent < 0 for line in tax.invoice_repartition_line_ids))[:1]
