# Copyright 2026 The l10n_fr_einvoice_pa authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""E-reporting send errors in the diagnostics, with Retry (sends the report again)."""

import logging

from odoo import api, fields, models

_logger = logging.getLogger(__name__)

class L10nFrPaError(models.Model):
    _inherit = "l10n_fr_pa.error"

    kind = fields.Selection(selection_add=[("ereport", "E-reporting")],
                            ondelete={"ereport": "cascade"})
    ereport_id = fields.Many2one("l10n_fr_pa.ereport", index="btree_not_null",
                                 ondelete="cascade", readonly=True)

    @api.model
    def _record(self, company, kind, message, code=None, move=None, flow_id=None,
                status_code=None, ereport=None):
        if not ereport:
            return super()._record(company, kind, message, code=code, move=move,
                                   flow_id=flow_id, status_code=status_code)
        _logger.warning("E-reporting error (company %s, report %s): %s", company.id,
                        ereport.id, message)
        existing = self.sudo().search([("ereport_id", "=", ereport.id)], limit=1)
        if existing:
            existing.write({"message": message, "code": code or False,
                            "count": existing.count + 1})
            return existing
        return self.sudo().create({"company_id": company.id, "kind": kind, "message": message,
                                   "code": code or False, "ereport_id": ereport.id})

    @api.model
    def _get_retry_owners(self):
        return dict(super()._get_retry_owners(), ereport="l10n_fr_pa.ereport")
