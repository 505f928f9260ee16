# Copyright 2026 The l10n_fr_einvoice_pa authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Send & Print: the "E-invoicing platform (France)" sending method."""

from odoo import api, models
from odoo.exceptions import UserError

from .res_partner import SENDING_METHOD


class AccountMoveSend(models.AbstractModel):
    _inherit = "account.move.send"

    @api.model
    def _is_applicable_to_company(self, method, company):
        # EXTENDS 'account'
        if method == SENDING_METHOD:
            return bool(company._l10n_fr_pa_connection(raise_if_missing=False))
        return super()._is_applicable_to_company(method, company)

    @api.model
    def _is_applicable_to_move(self, method, move, **move_data):
        # EXTENDS 'account'
        if method == SENDING_METHOD:
            return (
                move.is_sale_document()
                and self._is_applicable_to_company(method, move.company_id)
            )
        return super()._is_applicable_to_move(method, move, **move_data)

    def _get_alerts(self, moves, moves_data):
        # EXTENDS 'account': the checks that need no platform call, before anything runs.
        alerts = super()._get_alerts(moves, moves_data)
        pa_moves = moves.filtered(
            lambda m: SENDING_METHOD in moves_data[m]["sending_methods"])
        blocking, foreign = [], moves.browse()
        for move in pa_moves:
            try:
                self.env["l10n_fr_pa.move.sender"]._check_sendable(move)
                if not move.commercial_partner_id._l10n_fr_pa_is_french():
                    foreign |= move
                else:
                    move.commercial_partner_id._l10n_fr_pa_siren()
            except UserError as exc:
                blocking.append(exc.args[0])
        if blocking:
            alerts["l10n_fr_pa_blocking"] = {
                "level": "danger" if len(moves) == 1 else "warning",
                "message": "\n".join(blocking),
            }
        if foreign:
            alerts["l10n_fr_pa_foreign"] = {
                "level": "info",
                "message": self.env._(
                    "Customers established outside France are not sent to the platform: "
                    "the Factur-X is generated and attached to the invoice instead (%(moves)s).",
                    moves=", ".join(foreign.mapped("name"))),
            }
        return alerts

    def _hook_if_errors(self, moves_data, allow_raising=True):
        # EXTENDS 'account': a move whose documents failed is not sent; say it on the move.
        for move, move_data in moves_data.items():
            if SENDING_METHOD in move_data["sending_methods"] and move_data.get("blocking_error"):
                self.env["l10n_fr_pa.move.sender"]._set_error(move, self.env._(
                    "The documents of the invoice could not be generated, so it was not sent "
                    "to the platform."))
        return super()._hook_if_errors(moves_data, allow_raising=allow_raising)

    def _call_web_service_after_invoice_pdf_render(self, invoices_data):
        # EXTENDS 'account'
        result = super()._call_web_service_after_invoice_pdf_render(invoices_data)
        for invoice, invoice_data in invoices_data.items():
            if SENDING_METHOD not in invoice_data["sending_methods"] or not \
                    self._is_applicable_to_move(SENDING_METHOD, invoice, **invoice_data):
                continue
            pdf_values = invoice_data.get("pdf_attachment_values") or {}
            try:
                with self.env.cr.savepoint():
                    _move, level, message = self.env["l10n_fr_pa.move.sender"]._send_one(
                        invoice, pdf_values.get("raw"))
            except UserError as exc:
                invoice_data["error"] = {
                    "error_title": self.env._("Not sent to the e-invoicing platform:"),
                    "errors": [exc.args[0]],
                }
                continue
            if level == "danger":
                invoice_data["error"] = {
                    "error_title": self.env._("The e-invoicing platform refused the invoice:"),
                    "errors": [message],
                }
        return result
