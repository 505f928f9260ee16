# Copyright 2026 The l10n_fr_einvoice_pa authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""E-invoicing fields of a move, status computed from its events, buttons and hooks.

Every account.move field of the addon is here; the logic lives in service models that
take the move as argument: sending in ``l10n_fr_pa.move.sender``, the record -> neutral
invoice mapping in ``l10n_fr_pa.invoice.mapper``, our status messages in
``l10n_fr_pa.status.pusher``, received bills in ``l10n_fr_pa.vendor.automation``.

One stored state per fact: ``l10n_fr_pa_state`` says where the sending stands (written
by the sender and the reception), ``l10n_fr_pa_badge`` what the lifecycle says
(written from the events), ``l10n_fr_pa_error`` the one text of the current problem.
"""

from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import UserError

from ..einvoicing import lifecycle

STATES = [
    ("not_sent", "Not sent"),
    ("sending", "Sending"),
    ("sent", "Sent"),
    ("error", "Error"),
    ("received", "Received"),
]
BADGES = [
    ("pending", "Pending"),
    ("accepted", "Accepted"),
    ("rejected", "Rejected"),
    ("paid", "Paid"),
]
KINDS = {
    "out_invoice": "customer_invoice",
    "out_refund": "customer_credit_note",
    "in_invoice": "vendor_bill",
    "in_refund": "vendor_credit_note",
}
REJECTED_CODES = (210, 213)
DUPLICATE_REASON = "DOUBLON"


def _is_duplicate_rejection(event):
    """A DOUBLON rejection is about a second copy, never about the original invoice."""
    return (event.reason_code or "").upper() == DUPLICATE_REASON


class AccountMove(models.Model):
    _inherit = "account.move"

    l10n_fr_pa_vat_on_debits = fields.Boolean(
        string="VAT on debits", compute="_compute_l10n_fr_pa_vat_on_debits", store=True,
        readonly=False, precompute=True,
        help="VAT is due on the invoice date (BT-8 = 5, with its legal mention). Follows the "
        "company option; change it on this invoice to override.",
    )
    l10n_fr_pa_flow_id = fields.Char(
        string="Platform ID", copy=False, readonly=True, index="btree_not_null",
        help="Identifier the platform gave to the flow carrying this invoice.",
    )
    l10n_fr_pa_tracking_id = fields.Char(
        string="Tracking ID", copy=False, readonly=True, index="btree_not_null",
        help="Our identifier of the sending, stored before calling the platform: sending "
        "again reuses it, so the platform never gets the invoice twice.",
    )
    l10n_fr_pa_state = fields.Selection(
        STATES, string="Platform state", compute="_compute_l10n_fr_pa_state", store=True,
        precompute=True, readonly=True, copy=False, tracking=True, index=True,
        help="Not sent, sending, sent or in error for a customer document; received for a "
        "bill that came from the platform.")
    l10n_fr_pa_status_code = fields.Integer(string="Platform status code", copy=False,
                                            readonly=True)
    l10n_fr_pa_status_label = fields.Char(
        string="Platform status", compute="_compute_l10n_fr_pa_status_label",
        help="Label of the current status code, in your language.")
    l10n_fr_pa_badge = fields.Selection(
        BADGES, string="E-invoicing", copy=False, readonly=True, index=True,
        help="Consolidated status: Pending, Accepted, Rejected or Paid.",
    )
    l10n_fr_pa_last_sync = fields.Datetime(string="Last sync", copy=False, readonly=True)
    l10n_fr_pa_error = fields.Text(
        string="Platform error", copy=False, readonly=True,
        help="What went wrong, with the platform's exact message (or the reason of the "
        "refusal, as received).")
    l10n_fr_pa_error_display = fields.Text(
        string="Platform problem", compute="_compute_l10n_fr_pa_error_display",
        help="What happened, in your language, followed by the platform's exact message.")
    l10n_fr_pa_event_ids = fields.One2many(
        "l10n_fr_pa.event", "move_id", string="Lifecycle events", copy=False, readonly=True,
    )
    l10n_fr_pa_kind = fields.Char(string="Document kind", compute="_compute_l10n_fr_pa_kind")
    l10n_fr_pa_enabled = fields.Boolean(
        string="E-invoicing enabled", compute="_compute_l10n_fr_pa_enabled",
        help="The company has a platform connection.",
    )
    l10n_fr_pa_inbound_ids = fields.One2many(
        "l10n_fr_pa.inbound", "move_id", string="Received flows", readonly=True, copy=False)
    l10n_fr_pa_import_error = fields.Text(
        string="Reception problem", readonly=True, copy=False,
        help="What could not be matched when this bill was received, and what to do.")

    @api.depends("company_id", "move_type")
    def _compute_l10n_fr_pa_vat_on_debits(self):
        for move in self:
            move.l10n_fr_pa_vat_on_debits = (
                move.move_type in ("out_invoice", "out_refund")
                and move.company_id.l10n_fr_pa_vat_on_debits)

    @api.depends("move_type")
    def _compute_l10n_fr_pa_state(self):
        for move in self:
            if move.is_sale_document():
                if move.l10n_fr_pa_state in (False, "received"):
                    move.l10n_fr_pa_state = "not_sent"
            elif move.l10n_fr_pa_state != "received":
                move.l10n_fr_pa_state = False

    @api.depends("move_type")
    def _compute_l10n_fr_pa_kind(self):
        for move in self:
            move.l10n_fr_pa_kind = KINDS.get(move.move_type, False)

    @api.depends("l10n_fr_pa_status_code", "l10n_fr_pa_state", "l10n_fr_pa_badge")
    @api.depends_context("lang")
    def _compute_l10n_fr_pa_status_label(self):
        Event = self.env["l10n_fr_pa.event"]
        for move in self:
            if move.l10n_fr_pa_status_code:
                label = Event._status_label(move.l10n_fr_pa_status_code)
            elif move.l10n_fr_pa_state == "sent":
                label = self.env._("Submitted to the platform")
            elif move.l10n_fr_pa_state == "received" or move.l10n_fr_pa_badge:
                label = self.env._("Received from the platform")
            else:
                label = False
            move.l10n_fr_pa_status_label = label

    @api.depends("l10n_fr_pa_error", "l10n_fr_pa_status_code")
    @api.depends_context("lang")
    def _compute_l10n_fr_pa_error_display(self):
        """The stored text; a refusal is worded from its event, in the reader's language."""
        for move in self:
            error = move.l10n_fr_pa_error
            if error and move.l10n_fr_pa_status_code in REJECTED_CODES:
                error = self.env["l10n_fr_pa.messages"]._with_platform_words(
                    move._l10n_fr_pa_rejection_text(), error)
            move.l10n_fr_pa_error_display = error or False

    def _l10n_fr_pa_rejection_text(self):
        """The refusal as "Refused (210): CODE - reason label", in the user's language."""
        self.ensure_one()
        event = self._l10n_fr_pa_sorted_events().filtered(
            lambda e: e.code in REJECTED_CODES and not _is_duplicate_rejection(e))[-1:]
        text = self.env._("%(status)s (%(code)s)", status=self.l10n_fr_pa_status_label,
                          code=self.l10n_fr_pa_status_code)
        if event.reason_code:
            text = f"{text}: {event.reason_label}"
        return text

    @api.depends("company_id")
    def _compute_l10n_fr_pa_enabled(self):
        companies = self.env["l10n_fr_pa.connection"].sudo().search(
            [("company_id", "in", self.company_id.ids)]
        ).company_id
        for move in self:
            move.l10n_fr_pa_enabled = move.company_id in companies and bool(
                move.l10n_fr_pa_kind)

    # ------------------------------------------------------------------ status
    def _l10n_fr_pa_sorted_events(self):
        """Events in business order: datetime, then lifecycle order of the code."""
        order = {code: i for i, code in enumerate(lifecycle.STATUSES)}
        return self.l10n_fr_pa_event_ids.sorted(
            lambda e: (e.event_datetime, order.get(e.code, len(order)), e.id)
        )

    def _l10n_fr_pa_refresh_status(self):
        """Recompute code, label, badge and error from the event lines (batched).

        Moves getting the same values are written together: one ``write`` per distinct
        status (a handful per sync page) instead of one per move. These fields are not
        accounting data: the write skips the synchronisation of the journal items
        (``skip_invoice_sync``, as account's payments do; it reads every line's taxes, one
        query per move) and does not mark the move as manually modified.
        """
        now = fields.Datetime.now()
        groups = defaultdict(lambda: self.browse())
        for move in self:
            vals = {"l10n_fr_pa_last_sync": now, **move._l10n_fr_pa_status_vals()}
            groups[tuple(sorted(vals.items()))] |= move
        for items, moves in groups.items():
            moves.with_context(skip_invoice_sync=True, skip_is_manually_modified=True).write(
                dict(items))

    def _l10n_fr_pa_status_vals(self):
        """The status values of this move from its event lines ({} without events)."""
        self.ensure_one()
        events = self._l10n_fr_pa_sorted_events().filtered(
            lambda e: not _is_duplicate_rejection(e))
        if not events:
            return {}
        current = events[-1]
        badge = next(
            (b for b in (lifecycle.badge_for(e.code) for e in reversed(events)) if b), None)
        vals = {
            "l10n_fr_pa_status_code": current.code,
            "l10n_fr_pa_badge": badge.value if badge else "pending",
        }
        if current.code in REJECTED_CODES:
            # The platform's own words; the label is shown in the reader's language
            # (l10n_fr_pa_error_display).
            vals["l10n_fr_pa_error"] = " - ".join(
                x for x in (current.reason_text, current.message) if x
            ) or current.reason_code or str(current.code)
        elif self.l10n_fr_pa_flow_id or self.is_purchase_document():
            vals["l10n_fr_pa_error"] = False
            if self.l10n_fr_pa_state == "error":
                vals["l10n_fr_pa_state"] = "sent"  # the platform has it and answers
        return vals

    # ------------------------------------------------------------------ buttons
    def action_l10n_fr_pa_send(self):
        """"Send to the platform": checks, Factur-X, one flow per invoice whatever happens."""
        results = self.env["l10n_fr_pa.move.sender"]._send_many(self)
        return self._l10n_fr_pa_notification(results)

    def action_l10n_fr_pa_sync(self):
        """"Synchronise with the platform": company-wide sync plus this move's full history."""
        return self.env["l10n_fr_pa.synchronizer"]._sync_moves(self)

    def action_l10n_fr_pa_change_status(self):
        """Open the "Change status" wizard (only the actions allowed for this document)."""
        self.ensure_one()
        if not self.l10n_fr_pa_kind:
            raise UserError(self.env._("Only invoices and credit notes have a platform status."))
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Change status"),
            "res_model": "l10n_fr_pa.status.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_move_id": self.id},
        }

    # ------------------------------------------------------------------ Odoo hooks
    def _invoice_paid_hook(self):
        # EXTENDS 'account': "Payment sent" (211) for received bills, when asked for.
        result = super()._invoice_paid_hook()
        self.env["l10n_fr_pa.vendor.automation"]._on_paid(self)
        return result

    def _l10n_fr_pa_notification(self, results):
        """One notification summing up per-move results ``(move, level, message)``."""
        levels = {level for _move, level, _msg in results}
        kind = "danger" if "danger" in levels else "warning" if "warning" in levels else "success"
        return self.env["l10n_fr_pa.messages"]._notification(
            "\n".join(msg for _move, _level, msg in results), level=kind)
