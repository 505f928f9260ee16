# Copyright 2026 The l10n_fr_einvoice_pa authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Vendor side of a bill received from the platform: reception note, answers, automation.

- ``_l10n_fr_pa_send_buyer_status``: one code path for the statuses we send as buyer
  without the wizard (automatic 204 on reception, 211 when paid in full); deterministic
  message ids, so a retried transaction never sends twice.
- A refused bill (210 sent) is cancelled, never left as a draft to be paid.
"""

# Fields and methods of this model are spread over several files (Odoo inheritance),
# which pylint cannot follow.
# pylint: disable=no-member,access-member-before-definition

import logging
import uuid
from decimal import Decimal

from odoo import fields, models
from odoo.exceptions import UserError

from ..einvoicing import cdar, lifecycle
from ..einvoicing.afnor import AfnorError

_logger = logging.getLogger(__name__)

VENDOR_TYPES = ("in_invoice", "in_refund")
REFUSED = 210
PAID_IN_STATES = ("paid", "in_payment")
ID_NAMESPACE = uuid.UUID("6f1d5c2e-2f4e-4b8e-9a55-0c1e4a7d3b10")


class AccountMove(models.Model):
    _inherit = "account.move"

    l10n_fr_pa_inbound_ids = fields.One2many(
        "l10n_fr_pa.inbound", "move_id", string="Received flows", readonly=True, copy=False)
    l10n_fr_pa_import_error = fields.Text(
        string="Reception problem", readonly=True, copy=False,
        help="What could not be matched when this bill was received, and what to do.")

    # ------------------------------------------------------------------ reception
    def _l10n_fr_pa_after_reception(self, inbound, how):
        """Chatter note of the reception; 204 sent when the company asks for it."""
        self.ensure_one()
        labels = dict(inbound._fields["partner_match"]._description_selection(self.env))
        self.message_post(body=self.env._(
            "Received from the e-invoicing platform%(flow)s. Supplier %(partner)s: %(how)s.",
            flow=(self.env._(" (flow %(flow)s)", flow=inbound.flow_id)
                  if inbound.flow_id else ""),
            partner=self.partner_id.display_name,
            how=(self.env._("created from the invoice") if how == "created" else
                 self.env._("matched by %(key)s", key=labels.get(how, how)))))
        # lifecycle events may have arrived before the bill (same sync, or a crashed run)
        self.env["l10n_fr_pa.synchronizer"]._relink_orphans(self.company_id, self)
        if inbound.flow_id and self.company_id.l10n_fr_pa_auto_in_hand:
            self._l10n_fr_pa_send_buyer_status_safely(204, key=f"{inbound.flow_id}-204")

    # ------------------------------------------------------------------ statuses
    def _l10n_fr_pa_buyer_action(self, status_code):
        self.ensure_one()
        action = next((a for a in lifecycle.actions_for(self.l10n_fr_pa_kind or "")
                       if a.status_code == status_code), None)
        if action is None:
            raise UserError(self.env._(
                "The status %(code)s cannot be sent about %(move)s.",
                code=status_code, move=self.display_name))
        return action

    def _l10n_fr_pa_send_buyer_status(self, status_code, key, reason_code=None, message=None,
                                      amounts=()):
        """Build, check, submit and record a status we send as buyer (idempotent by ``key``)."""
        self.ensure_one()
        action = self._l10n_fr_pa_buyer_action(status_code)
        message_id = str(uuid.uuid5(ID_NAMESPACE, f"{self.company_id.id}-{key}"))
        if self.l10n_fr_pa_event_ids.filtered(lambda e: e.platform_message_id == message_id):
            return False  # already sent and recorded
        connection = self.company_id._l10n_fr_pa_connection()
        xml = self._l10n_fr_pa_build_cdar(action, list(amounts), reason_code, message,
                                          message_id)
        try:
            flow = connection._get_flow_client().submit_flow(
                xml, f"CDAR-{message_id}.xml", "CDAR", f"cdar-{message_id}")
        except AfnorError as error:
            connection._raise_user_error(error)
        self._l10n_fr_pa_record_own_status(connection, xml, flow)
        return True

    def _l10n_fr_pa_record_own_status(self, connection, xml, flow):
        result = super()._l10n_fr_pa_record_own_status(connection, xml, flow)
        if self.move_type in VENDOR_TYPES and cdar.parse_cdar(xml).status_code == REFUSED:
            self._l10n_fr_pa_cancel_refused()
        return result

    def _l10n_fr_pa_check_refusable(self):
        """Before sending 210: the bill must be cancellable afterwards (UserError otherwise)."""
        for move in self.filtered(lambda m: m.move_type in VENDOR_TYPES):
            if move.payment_state in (*PAID_IN_STATES, "partial") or move.state == "cancel":
                raise UserError(self.env._(
                    "%(move)s is paid or already cancelled: it cannot be refused. Unreconcile "
                    "its payments first. Nothing was sent.", move=move.display_name))

    def _l10n_fr_pa_cancel_refused(self):
        for move in self.filtered(lambda m: m.state != "cancel"):
            move.button_cancel()
            move.message_post(body=self.env._(
                "Refused on the platform (status 210): the bill is cancelled so it is not "
                "paid."))

    # ------------------------------------------------------------------ payment
    def _invoice_paid_hook(self):
        result = super()._invoice_paid_hook()
        for move in self.filtered(lambda m: m.move_type in VENDOR_TYPES
                                  and m.l10n_fr_pa_inbound_ids
                                  and m.company_id.l10n_fr_pa_auto_payment_sent
                                  and m.payment_state in PAID_IN_STATES):
            move._l10n_fr_pa_auto_payment_sent()
        return result

    def _l10n_fr_pa_auto_payment_sent(self):
        """211 for the full amount, split per VAT rate like the wizard pre-fills it."""
        self.ensure_one()
        currency = self.currency_id
        amounts = [lifecycle.PaymentAmount(
            amount=Decimal(str(currency.round(amount))), currency=currency.name,
            vat_rate=Decimal(str(rate)))
            for rate, amount in self._l10n_fr_pa_amounts_per_rate()]
        self._l10n_fr_pa_send_buyer_status_safely(211, key=f"{self.id}-211-full",
                                                  amounts=amounts)

    def _l10n_fr_pa_send_buyer_status_safely(self, status_code, key, **kwargs):
        """Automatic statuses: a failure is listed in diagnostics and never blocks the rest."""
        try:
            with self.env.cr.savepoint():
                return self._l10n_fr_pa_send_buyer_status(status_code, key, **kwargs)
        except UserError as exc:
            _logger.warning("Automatic status %s for %s failed: %s", status_code,
                            self.display_name, exc)
            self.env["l10n_fr_pa.error"]._record(self.company_id, "send", str(exc),
                                                  code=f"auto_{status_code}", move=self)
            return False
