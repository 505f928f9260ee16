# Copyright 2026 The l10n_fr_einvoice_pa authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Automatic "payment received" (212) statuses, one record per payment and direction.

The status is due when the VAT of a customer invoice is due on receipts (services without
the debits option: its taxes are ``on_payment`` in Odoo). Reconciling a payment with the
invoice records what to push (the amount of that partial reconciliation); removing the
reconciliation records a negative 212 when the positive one was sent (or drops it when it
was not). The scheduled action sends them in batches, never inside the reconciliation:
one MEN line per VAT rate, pro rata of the amount paid. Each record holds the message id
used on the platform (its tracking id), so a rerun after a crash finds the flow instead
of sending it again; the unique key (partial, sign) makes a payment push once each way.
"""

import logging
import uuid
from decimal import Decimal

from odoo import api, fields, models
from odoo.exceptions import UserError

from ..einvoicing import lifecycle
from ..einvoicing.afnor import AfnorError

_logger = logging.getLogger(__name__)
BATCH_SIZE = 50
STATES = [("pending", "To send"), ("sent", "Sent"), ("error", "Error")]


class L10nFrPaPaymentStatus(models.Model):
    _name = "l10n_fr_pa.payment.status"
    _description = "E-invoicing: automatic payment received status"
    _order = "id"
    _check_company_auto = True

    company_id = fields.Many2one(related="move_id.company_id", store=True, index=True)
    move_id = fields.Many2one("account.move", required=True, index=True, ondelete="cascade",
                              check_company=True, readonly=True)
    partial_ref = fields.Integer(
        string="Reconciliation", required=True, readonly=True,
        help="Id of the partial reconciliation (kept once the reconciliation is removed).")
    sign = fields.Integer(required=True, readonly=True,
                          help="1: payment received; -1: its reversal (un-reconciled).")
    amount = fields.Monetary(currency_field="currency_id", required=True, readonly=True,
                             help="Amount paid (tax included), in the invoice currency.")
    currency_id = fields.Many2one("res.currency", required=True, readonly=True)
    state = fields.Selection(STATES, default="pending", required=True, readonly=True, index=True)
    message_id = fields.Char(string="Status message ID", required=True, readonly=True,
                             default=lambda self: str(uuid.uuid4()), copy=False)
    error = fields.Text(readonly=True)

    _sql_constraints = [(
        "partial_sign_uniq", "unique(partial_ref, sign)",
        "A payment pushes its payment status once (and its reversal once).")]

    # ------------------------------------------------------------------ recording
    @api.model
    def _is_eligible(self, move):
        """A sent customer invoice whose VAT is due on receipts, company in automatic mode."""
        return bool(
            move.move_type == "out_invoice" and move.l10n_fr_pa_flow_id
            and move.company_id.l10n_fr_pa_payment_status_mode == "automatic"
            and any(tax.tax_exigibility == "on_payment"
                    for tax in move.invoice_line_ids.tax_ids))

    @api.model
    def _on_reconciled(self, partials):
        """Record the 212 due for each payment reconciled with an eligible invoice."""
        vals_list = []
        for partial in partials:
            move = partial.debit_move_id.move_id
            counterpart = partial.credit_move_id.move_id
            # a payment or a bank entry, not a credit note offset against the invoice
            if counterpart.is_invoice(include_receipts=True) or not self._is_eligible(move):
                continue
            vals_list.append({"move_id": move.id, "partial_ref": partial.id, "sign": 1,
                              "amount": partial.debit_amount_currency,
                              "currency_id": partial.debit_currency_id.id})
        if vals_list:
            self.sudo().create(vals_list)
            self.env.ref("l10n_fr_einvoice_pa.ir_cron_l10n_fr_pa_payment_status")._trigger()

    @api.model
    def _on_unreconciled(self, partials):
        """A removed reconciliation: drop its unsent 212, or record the negative one."""
        pushed = self.sudo().search([("partial_ref", "in", partials.ids), ("sign", "=", 1)])
        pushed.filtered(lambda p: p.state != "sent").unlink()
        sent = pushed.exists()
        if sent:
            self.sudo().create([{"move_id": p.move_id.id, "partial_ref": p.partial_ref,
                                 "sign": -1, "amount": p.amount, "currency_id": p.currency_id.id}
                                for p in sent])
            self.env.ref("l10n_fr_einvoice_pa.ir_cron_l10n_fr_pa_payment_status")._trigger()

    # ------------------------------------------------------------------ sending
    def _amounts(self):
        """One MEN line per VAT rate, pro rata of the amount (negative for a reversal)."""
        self.ensure_one()
        gross = self.env["l10n_fr_pa.status.pusher"]._amounts_per_rate(self.move_id)
        lines = lifecycle.split_by_vat_rate(
            Decimal(str(self.currency_id.round(self.amount))), self.currency_id.name,
            {Decimal(str(rate)): Decimal(str(amount)) for rate, amount in gross})
        return [line.reversal() for line in lines] if self.sign < 0 else lines

    def _send(self):
        """Send one 212 (UserError / AfnorError on failure); the flow is found, not sent
        again, when a previous run got it through before failing."""
        self.ensure_one()
        action = next(a for a in lifecycle.actions_for("customer_invoice")
                      if a.key == "payment_received")
        self.env["l10n_fr_pa.status.pusher"]._submit(
            self.move_id, action, self._amounts(), None, None, self.message_id,
            lookup_first=True)
        self.write({"state": "sent", "error": False})

    @api.model
    def _cron_push(self, batch_size=BATCH_SIZE):
        """Scheduled action: send the pending payment statuses, a batch at a time."""
        todo = self.search([("state", "=", "pending")], limit=batch_size + 1)
        for record in todo[:batch_size]:
            try:
                with self.env.cr.savepoint():
                    record._send()
            except (UserError, AfnorError, lifecycle.LifecycleError) as exc:
                _logger.info("E-invoicing: payment status %s not sent: %s", record.id, exc)
                record.write({"state": "error", "error": str(exc)})
        if len(todo) > batch_size:
            self.env.ref("l10n_fr_einvoice_pa.ir_cron_l10n_fr_pa_payment_status")._trigger()

    def action_retry(self):
        self.filtered(lambda r: r.state == "error").write({"state": "pending", "error": False})
        self.env.ref("l10n_fr_einvoice_pa.ir_cron_l10n_fr_pa_payment_status")._trigger()


class AccountPartialReconcile(models.Model):
    _inherit = "account.partial.reconcile"

    @api.model_create_multi
    def create(self, vals_list):
        # EXTENDS 'account': record the 212 due (sent later by the scheduled action).
        partials = super().create(vals_list)
        self.env["l10n_fr_pa.payment.status"]._on_reconciled(partials)
        return partials

    def unlink(self):
        # EXTENDS 'account': a sent 212 is reversed by a negative one.
        self.env["l10n_fr_pa.payment.status"]._on_unreconciled(self)
        return super().unlink()
