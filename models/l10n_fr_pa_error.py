# Copyright 2026 The l10n_fr_einvoice_pa authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Errors of sending and synchronisation, listed in the diagnostics with a Retry button."""

import logging

from odoo import api, fields, models
from odoo.exceptions import UserError

_logger = logging.getLogger(__name__)

KINDS = [("send", "Send"), ("sync", "Synchronisation"), ("webhook", "Webhook")]


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
    code = fields.Char(readonly=True, help="Stable error code (core or platform).")
    message = fields.Text(required=True, readonly=True)
    count = fields.Integer(default=1, readonly=True, help="How many times it happened.")

    @api.model
    def _record(self, company, kind, message, code=None, move=None, flow_id=None):
        """Create or refresh the error of (company, kind, move, flow); returns it.

        The same failure seen again increments ``count`` instead of adding a line.
        """
        _logger.warning("E-invoicing %s error (company %s, flow %s): %s",
                        kind, company.id, flow_id, message)
        Error = self.sudo()
        existing = Error.search([
            ("company_id", "=", company.id), ("kind", "=", kind),
            ("move_id", "=", move.id if move else False), ("flow_id", "=", flow_id or False),
        ], limit=1)
        if existing:
            existing.write({"message": message, "code": code or False,
                            "count": existing.count + 1})
            return existing
        return Error.create({
            "company_id": company.id, "kind": kind, "message": message, "code": code or False,
            "move_id": move.id if move else False, "flow_id": flow_id or False,
        })

    @api.model
    def _resolve(self, company, kind, flow_ids=None, moves=None):
        """Remove the errors that a successful operation has just cleared.

        ``flow_ids=[False]`` selects the company-level errors (no flow).
        """
        domain = [("company_id", "=", company.id), ("kind", "=", kind)]
        if flow_ids is not None:
            domain.append(("flow_id", "in", list(flow_ids)))
        if moves is not None:
            domain.append(("move_id", "in", moves.ids))
        self.sudo().search(domain).unlink()

    @api.model
    def _sync_send_errors(self, company):
        """List the moves whose sending failed (error set, no flow) as send errors."""
        moves = self.env["account.move"].search([
            ("company_id", "=", company.id), ("l10n_fr_pa_error", "!=", False),
            ("l10n_fr_pa_flow_id", "=", False),
        ])
        Error = self.sudo()
        existing = Error.search([("company_id", "=", company.id), ("kind", "=", "send")])
        (existing - existing.filtered(lambda e: e.move_id in moves)).unlink()
        missing = moves - existing.move_id
        Error.create([{"company_id": company.id, "kind": "send", "move_id": move.id,
                       "message": move.l10n_fr_pa_error} for move in missing])

    def action_retry(self):
        """Retry the failed operation; the line disappears when it succeeds."""
        for error in self:
            error._retry_one()
        return {"type": "ir.actions.client", "tag": "soft_reload"}

    def _retry_one(self):
        self.ensure_one()
        sync = self.env["l10n_fr_pa.synchronizer"].with_company(self.company_id)
        if self.kind == "send" and self.move_id:
            sync._retry_send(self)
        elif self.flow_id:
            sync._retry_flow(self)
        elif self.kind in ("sync", "webhook"):
            sync._retry_company(self)
        else:
            raise UserError(self.env._(
                "This error (%(message)s) cannot be retried from here: open the invoice and "
                "use its buttons.", message=self.message,
            ))
