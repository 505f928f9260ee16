# Copyright 2026 The l10n_fr_einvoice_pa authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The vendor-bill automation: reception note, automatic statuses, refused bills.

Service model ``l10n_fr_pa.vendor.automation``; every method takes the move(s).

- ``_send_buyer_status``: one code path for the statuses we send as buyer without the
  wizard (automatic 204 on reception, 211 when paid in full); deterministic message
  ids, so a retried transaction never sends twice.
- A failed automatic status is listed in the diagnostics under its own error kind
  ("auto_status", with the status code); its Retry sends that status again
  (``_retry_error``) and the line goes when it is sent.
- A refused bill (210 sent) is cancelled, never left as a draft to be paid.
"""

import logging
import uuid
from decimal import Decimal

from odoo import models
from odoo.exceptions import UserError

from ..einvoicing import lifecycle

_logger = logging.getLogger(__name__)

ERROR_KIND = "auto_status"
IN_HAND = 204
PAYMENT_SENT = 211
PAID_IN_STATES = ("paid", "in_payment")
ID_NAMESPACE = uuid.UUID("6f1d5c2e-2f4e-4b8e-9a55-0c1e4a7d3b10")


class L10nFrPaVendorAutomation(models.AbstractModel):
    _name = "l10n_fr_pa.vendor.automation"
    _description = "E-invoicing: automation of the bills received from the platform"

    # ------------------------------------------------------------------ reception
    def _after_reception(self, move, inbound, how):
        """Chatter note of the reception; 204 sent when the company asks for it."""
        move.ensure_one()
        labels = dict(inbound._fields["partner_match"]._description_selection(self.env))
        move.message_post(body=self.env._(
            "Received from the e-invoicing platform%(flow)s. Supplier %(partner)s: %(how)s.",
            flow=(self.env._(" (flow %(flow)s)", flow=inbound.flow_id)
                  if inbound.flow_id else ""),
            partner=move.partner_id.display_name,
            how=(self.env._("created from the invoice") if how == "created" else
                 self.env._("matched by %(key)s", key=labels.get(how, how)))))
        if inbound.flow_id and not move.l10n_fr_pa_badge:
            move.l10n_fr_pa_badge = "pending"  # received; answered with the statuses below
        # lifecycle events may have arrived before the bill (same sync, or a crashed run)
        self.env["l10n_fr_pa.event"]._link_orphans(move.company_id, move)
        if inbound.flow_id and move.company_id.l10n_fr_pa_auto_in_hand:
            self._send_auto_status(move, IN_HAND)

    # ------------------------------------------------------------------ statuses
    def _buyer_action(self, move, status_code):
        move.ensure_one()
        action = next((a for a in lifecycle.actions_for(move.l10n_fr_pa_kind or "")
                       if a.status_code == status_code), None)
        if action is None:
            raise UserError(self.env._(
                "The status %(code)s cannot be sent about %(move)s.",
                code=status_code, move=move.display_name))
        return action

    def _send_buyer_status(self, move, status_code, key, reason_code=None, message=None,
                           amounts=()):
        """Build, check, submit and record a status we send as buyer (idempotent by ``key``)."""
        move.ensure_one()
        action = self._buyer_action(move, status_code)
        message_id = str(uuid.uuid5(ID_NAMESPACE, f"{move.company_id.id}-{key}"))
        if move.l10n_fr_pa_event_ids.filtered(lambda e: e.platform_message_id == message_id):
            return False  # already sent and recorded
        self.env["l10n_fr_pa.status.pusher"]._submit(
            move, action, list(amounts), reason_code, message, message_id)
        return True

    # ------------------------------------------------------------------ automatic statuses
    def _get_auto_status_args(self, move, status_code):
        """The ``_send_buyer_status`` arguments of an automatic status (key, amounts)."""
        move.ensure_one()
        if status_code == IN_HAND:
            return {"key": f"{move.l10n_fr_pa_flow_id}-{IN_HAND}"}
        if status_code == PAYMENT_SENT:
            return {"key": f"{move.id}-{PAYMENT_SENT}-full",
                    "amounts": self._prepare_payment_amounts(move)}
        raise UserError(self.env._("The status %(code)s is never sent automatically.",
                                   code=status_code))

    def _send_auto_status(self, move, status_code):
        """An automatic status: a failure is listed in diagnostics and never blocks the rest.

        Returns True when the status was sent now.
        """
        Error = self.env["l10n_fr_pa.error"]
        try:
            with self.env.cr.savepoint():
                sent = self._send_buyer_status(
                    move, status_code, **self._get_auto_status_args(move, status_code))
        except UserError as exc:
            _logger.warning("Automatic status %s for %s failed: %s", status_code,
                            move.display_name, exc)
            Error._record(move.company_id, ERROR_KIND, exc.args[0], move=move,
                          status_code=status_code)
            return False
        Error._resolve(move.company_id, ERROR_KIND, moves=move, status_codes=[status_code])
        return sent

    def _retry_error(self, error):
        """Retry of a failed automatic status: send it again (UserError when it fails)."""
        move = error.move_id
        self._send_buyer_status(
            move, error.status_code, **self._get_auto_status_args(move, error.status_code))
        error._resolve(error.company_id, ERROR_KIND, moves=move,
                       status_codes=[error.status_code])

    def _check_refusable(self, moves):
        """Before sending 210: the bill must be cancellable afterwards (UserError otherwise)."""
        for move in moves.filtered(lambda m: m.is_purchase_document()):
            if move.payment_state in (*PAID_IN_STATES, "partial") or move.state == "cancel":
                raise UserError(self.env._(
                    "%(move)s is paid or already cancelled: it cannot be refused. Unreconcile "
                    "its payments first. Nothing was sent.", move=move.display_name))

    def _cancel_refused(self, moves):
        for move in moves.filtered(lambda m: m.state != "cancel"):
            move.button_cancel()
            move.message_post(body=self.env._(
                "Refused on the platform (status 210): the bill is cancelled so it is not "
                "paid."))

    # ------------------------------------------------------------------ payment
    def _on_paid(self, moves):
        """Moves just paid (Odoo's ``_invoice_paid_hook``): 211 when the company asks for it."""
        for move in moves.filtered(lambda m: m.is_purchase_document()
                                   and m.l10n_fr_pa_inbound_ids
                                   and m.company_id.l10n_fr_pa_auto_payment_sent
                                   and m.payment_state in PAID_IN_STATES):
            self._send_auto_status(move, PAYMENT_SENT)

    def _prepare_payment_amounts(self, move):
        """211 for the full amount, split per VAT rate like the wizard pre-fills it."""
        move.ensure_one()
        currency = move.currency_id
        return [lifecycle.PaymentAmount(
            amount=Decimal(str(currency.round(amount))), currency=currency.name,
            vat_rate=Decimal(str(rate)))
            for rate, amount in self.env["l10n_fr_pa.status.pusher"]._amounts_per_rate(move)]
