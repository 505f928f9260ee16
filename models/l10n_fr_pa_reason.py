# Copyright 2026 The l10n_fr_einvoice_pa authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""AFNOR lifecycle reason codes as records, so the "Change status" wizard can offer only
the reasons allowed for the chosen status (a Many2one with a domain).

The records mirror ``einvoicing.lifecycle.REASONS``: ``_sync_from_catalogue`` runs from
``data/l10n_fr_pa_reason_data.xml`` at every install and upgrade (codes gone from the
catalogue are archived, never deleted). The core stays the judge: ``check_reason``.
"""

from odoo import api, fields, models

from ..einvoicing import lifecycle


class L10nFrPaReason(models.Model):
    _name = "l10n_fr_pa.reason"
    _description = "E-invoicing: lifecycle reason"
    _order = "code"
    _rec_names_search = ["code", "label_fr", "label_en"]

    code = fields.Char(required=True, readonly=True, index=True)
    label_fr = fields.Char(string="Label (French)", readonly=True)
    label_en = fields.Char(string="Label (English)", readonly=True)
    active = fields.Boolean(default=True, readonly=True)

    _sql_constraints = [("code_uniq", "unique(code)", "A reason code exists once.")]

    @api.depends("code", "label_fr", "label_en")
    @api.depends_context("lang")
    def _compute_display_name(self):
        french = (self.env.lang or "").startswith("fr")
        for reason in self:
            label = reason.label_fr if french else reason.label_en
            reason.display_name = f"{reason.code} - {label}" if label else reason.code

    @api.model
    def _sync_from_catalogue(self):
        """Create or update one record per catalogue reason; archive the others."""
        records = {r.code: r for r in self.with_context(active_test=False).search([])}
        for reason in lifecycle.REASONS.values():
            vals = {"code": reason.code, "label_fr": reason.label_fr,
                    "label_en": reason.label_en, "active": True}
            record = records.pop(reason.code, None)
            if record is None:
                self.create(vals)
            elif any(record[name] != value for name, value in vals.items()):
                record.write(vals)
        self.browse([r.id for r in records.values()]).write({"active": False})

    @api.model
    def _for_status(self, status_code):
        """The reasons allowed for ``status_code`` (empty for an unknown or 0 status)."""
        if status_code not in lifecycle.STATUSES:
            return self.browse()
        codes = [reason.code for reason in lifecycle.reasons_for(status_code)]
        return self.search([("code", "in", codes)])
