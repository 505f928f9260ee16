# Copyright 2026 The l10n_fr_einvoice_pa authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""account.move, lifecycle side: what a sent invoice may no longer do, and the detail of
the last dispute / partial approval / suspension shown in the status banner.

Kept apart from ``account_move.py`` (fields, sending, buttons) because it hooks into
Odoo's own reset / cancel / delete flows.
"""

from odoo import api, fields, models
from odoo.exceptions import UserError

OUT_TYPES = ("out_invoice", "out_refund")
# The platform rejected it (213) or found it inadmissible (501): the invoice is deemed
# never issued, so it may be corrected in place.
NOT_ISSUED = (213, 501)
DETAILED = (206, 207, 208, 209)


class AccountMove(models.Model):
    _inherit = "account.move"

    l10n_fr_pa_payment_status_ids = fields.One2many(
        "l10n_fr_pa.payment.status", "move_id", string="Payment statuses", readonly=True,
        copy=False, help="Payment received statuses (212) pushed, or to push, per payment.")
    l10n_fr_pa_status_detail = fields.Char(
        string="Status detail", compute="_compute_l10n_fr_pa_status_detail",
        help="What the other party said with its last status: approved amount, data in "
        "error and the value expected.")

    @api.depends("l10n_fr_pa_event_ids.detail", "l10n_fr_pa_status_code")
    @api.depends_context("lang")
    def _compute_l10n_fr_pa_status_detail(self):
        for move in self:
            event = move._l10n_fr_pa_sorted_events().filtered(lambda e: e.code in DETAILED)[-1:]
            if not event or event.code != move.l10n_fr_pa_status_code or not event.detail:
                move.l10n_fr_pa_status_detail = False
                continue
            move.l10n_fr_pa_status_detail = self.env._(
                "%(status)s: %(detail)s", status=event.label, detail=event.detail)

    # ------------------------------------------------------------------ lock
    def _l10n_fr_pa_is_issued(self):
        """A customer document on the platform that the platform has not rejected."""
        self.ensure_one()
        return bool(self.move_type in OUT_TYPES and self.l10n_fr_pa_flow_id
                    and self.l10n_fr_pa_status_code not in NOT_ISSUED)

    def _l10n_fr_pa_check_not_issued(self):
        issued = self.filtered(lambda m: m._l10n_fr_pa_is_issued())
        if issued:
            raise UserError(self.env._(
                "%(moves)s was sent through the e-invoicing platform: it can no longer be "
                "reset to draft, cancelled or deleted. Correct it with a credit note (and, "
                "if needed, tell the customer with the status \"Cancel\").",
                moves=", ".join(issued.mapped("display_name"))))

    def _check_draftable(self):
        # EXTENDS 'account': reset to draft (and cancel, which resets first).
        self._l10n_fr_pa_check_not_issued()
        return super()._check_draftable()

    def button_cancel(self):
        # EXTENDS 'account': also refuses a sent invoice that is still a draft-less post.
        self._l10n_fr_pa_check_not_issued()
        return super().button_cancel()

    def unlink(self):
        # EXTENDS 'account': checked before Odoo's own rules, so the user reads what to do.
        self._l10n_fr_pa_check_not_issued()
        return super().unlink()
