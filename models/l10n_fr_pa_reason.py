# Copyright 2026 The l10n_fr_einvoice_pa authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""AFNOR lifecycle reason codes as records, so the "Change status" wizard can offer only
the reasons allowed for the chosen status (a Many2one with a domain).

The records mirror ``einvoicing.lifecycle.REASONS`` (see ``l10n_fr_pa.catalogue.mixin``).
The core stays the judge: ``check_reason``.
"""

from odoo import api, fields, models

from ..einvoicing import lifecycle


class L10nFrPaReason(models.Model):
    _name = "l10n_fr_pa.reason"
    _inherit = ["l10n_fr_pa.catalogue.mixin"]
    _description = "E-invoicing: lifecycle reason"
    _order = "code"
    _rec_names_search = ["code", "label_fr", "label_en"]

    code = fields.Char(required=True, readonly=True, index=True)

    _sql_constraints = [("code_uniq", "unique(code)", "A reason code exists once.")]

    @api.depends("code", "label_fr", "label_en")
    @api.depends_context("lang")
    def _compute_display_name(self):
        for reason in self:
            label = reason._label()
            reason.display_name = f"{reason.code} - {label}" if label else reason.code

    @api.model
    def _catalogue_values(self):
        return [{"code": reason.code, "label_fr": reason.label_fr, "label_en": reason.label_en}
                for reason in lifecycle.REASONS.values()]

    @api.model
    def _for_status(self, status_code):
        """The reasons allowed for ``status_code`` (empty for an unknown or 0 status)."""
        if status_code not in lifecycle.STATUSES:
            return self.browse()
        codes = [reason.code for reason in lifecycle.reasons_for(status_code)]
        return self.search([("code", "in", codes)])
