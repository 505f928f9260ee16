# Copyright 2026 The l10n_fr_einvoice_pa authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Errors of sending, automatic statuses and synchronisation, listed in the diagnostics.

Whoever fails records its error at the moment of failure and resolves it at the moment
of success (``_record`` / ``_resolve``); Retry hands the line back to its owner
(``_get_retry_owners``), which retries and resolves it.
"""

import logging

from odoo import api, fields, models
from odoo.exceptions import UserError

_logger = logging.getLogger(__name__)

KINDS = [("send", "Send"), ("auto_status", "Automatic status"), ("sync", "Synchronisation")]


class L10nFrPaError(models.Model):
    _name = "l10n_fr_pa.error"
    _description = "E-invoicing error"
    _order = "write_date desc, id desc"
    _check_company_auto = True

    company_id = fields.Many2one(
        "res.company", required=True, index=True, readonly=True, default=lambda s: s.env.company
    )
    kind = fields.Selection(KINDS, required=True, readonly=True)
    move_id = fields.Many2one(
        "account.move", index="btree_not_null", ondelete="cascade", check_company=True,
        readonly=True,
    )
    flow_id = fields.Char(string="Platform flow id", readonly=True, index="btree_not_null")
    status_code = fields.Integer(
        string="Status to send", readonly=True,
        help="The automatic status (e.g. 204, 211) that could not be sent.")
    code = fields.Char(readonly=True, help="Stable error code (core or platform).")
    message = fields.Text(required=True, readonly=True)
    count = fields.Integer(default=1, readonly=True, help="How many times it happened.")

    @api.model
    def _get_domain(self, company, kind, moves=None, flow_ids=None, status_codes=None):
        domain = [("company_id", "=", company.id), ("kind", "=", kind)]
        if moves is not None:
            domain.append(("move_id", "in", moves.ids))
        if flow_ids is not None:
            domain.append(("flow_id", "in", list(flow_ids)))
        if status_codes is not None:
            domain.append(("status_code", "in", list(status_codes)))
        return domain

    @api.model
    def _record(self, company, kind, message, code=None, move=None, flow_id=None,
                status_code=None):
        """Create or refresh the error of (company, kind, move, flow, status); returns it.

        The same failure seen again increments ``count`` instead of adding a line.
        """
        _logger.warning("E-invoicing %s error (company %s, flow %s): %s",
                        kind, company.id, flow_id, message)
        Error = self.sudo()
        existing = Error.search([
            ("company_id", "=", company.id), ("kind", "=", kind),
            ("move_id", "=", move.id if move else False), ("flow_id", "=", flow_id or False),
            ("status_code", "=", status_code or 0),
        ], limit=1)
        if existing:
            existing.write({"message": message, "code": code or False,
                            "count": existing.count + 1})
            return existing
        return Error.create({
            "company_id": company.id, "kind": kind, "message": message, "code": code or False,
            "move_id": move.id if move else False, "flow_id": flow_id or False,
            "status_code": status_code or 0,
        })

    @api.model
    def _resolve(self, company, kind, flow_ids=None, moves=None, status_codes=None):
        """Remove the errors that a successful operation has just cleared.

        ``flow_ids=[False]`` selects the company-level errors (no flow).
        """
        self.sudo().search(self._get_domain(
            company, kind, moves=moves, flow_ids=flow_ids, status_codes=status_codes)).unlink()

    # ------------------------------------------------------------------ retry
    @api.model
    def _get_retry_owners(self):
        """{kind: model whose ``_retry_error(error)`` retries and resolves it}."""
        return {
            "send": "l10n_fr_pa.move.sender",
            "auto_status": "l10n_fr_pa.vendor.automation",
            "sync": "l10n_fr_pa.synchronizer",
        }

    def action_retry(self):
        """Retry the failed operation; the line disappears when it succeeds."""
        owners = self._get_retry_owners()
        for error in self:
            if error.kind not in owners:
                raise UserError(self.env._(
                    "This error (%(message)s) cannot be retried from here: open the invoice "
                    "and use its buttons.", message=error.message))
            self.env[owners[error.kind]].with_company(error.company_id)._retry_error(error)
        return {"type": "ir.actions.client", "tag": "soft_reload"}
