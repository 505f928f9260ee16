# Copyright 2026 The l10n_fr_einvoice_pa authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Vendor-side additions to the generic "Change status" wizard.

- 206 (partially approved) carries the approved amount: the CDAR has no amount field
  for it (amounts are for payments, BR-FR-CDV), so it is checked here (0 < amount <
  total) and written at the head of the message, as the sandbox's recipient does.
- 210 (refused): the bill must be cancellable, checked before anything is sent; once
  sent, the bill is cancelled (``account_move_pa_vendor.py``).
"""

# Fields and methods of this model are spread over several files (Odoo inheritance),
# which pylint cannot follow.
# pylint: disable=no-member,access-member-before-definition

from odoo import fields, models
from odoo.exceptions import UserError

PARTIAL = 206
REFUSED = 210
VENDOR_TYPES = ("in_invoice", "in_refund")


class L10nFrPaStatusWizard(models.TransientModel):
    _inherit = "l10n_fr_pa.status.wizard"

    approved_amount = fields.Monetary(
        currency_field="move_currency_id",
        help="Amount you approve (tax included); said in the status message.")
    move_currency_id = fields.Many2one(related="move_id.currency_id")

    def _l10n_fr_pa_approved_message(self):
        """The message with the checked approved amount in front (UserError otherwise)."""
        move = self.move_id
        currency = move.currency_id
        amount = self.approved_amount
        if currency.compare_amounts(amount, 0) <= 0:
            raise UserError(self.env._(
                "Give the approved amount (greater than zero) of %(move)s. Nothing was sent.",
                move=move.display_name))
        if currency.compare_amounts(amount, move.amount_total) >= 0:
            raise UserError(self.env._(
                "The approved amount %(amount)s must be less than the total %(total)s of "
                "%(move)s (otherwise approve it in full). Nothing was sent.",
                amount=amount, total=move.amount_total, move=move.display_name))
        shown = "%.*f" % (currency.decimal_places, currency.round(amount))
        head = self.env._("Approved amount: %(amount)s %(currency)s", amount=shown,
                          currency=currency.name)
        return ". ".join((head, self.message)) if self.message else head

    def action_confirm(self):
        self.ensure_one()
        if self.move_id.move_type in VENDOR_TYPES:
            code = self._action().status_code
            if code == PARTIAL:
                self.message = self._l10n_fr_pa_approved_message()
            elif code == REFUSED:
                self.move_id._l10n_fr_pa_check_refusable()
        return super().action_confirm()
