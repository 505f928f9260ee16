# Copyright 2026 The l10n_fr_einvoice_pa authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""One generic "Change status" wizard, driven by ``lifecycle.actions_for(kind)``.

Amounts are pre-filled per VAT rate from the invoice (residual, or total for "mark as
paid"), editable, and checked before anything is built; the core builds and validates
the CDAR; the AFNOR client submits it; the event is recorded on the move.

Vendor side: 206 (partially approved) carries the approved amount as a MAPTTC
characteristic (BR-FR-CDV-CL-11), checked here (0 < amount < total). 206 / 207 / 208 carry
the data in error (a small line editor: business term, invoice line, value invoiced, value
expected, comment; DIV + DVA in the CDAR), 209 the completed data (MAJ).
210 (refused): the bill must be cancellable, checked before anything is sent; once sent,
the bill is cancelled (``l10n_fr_pa.vendor.automation``).
"""

import uuid
from decimal import Decimal

from odoo import api, fields, models
from odoo.exceptions import UserError

from ..einvoicing import lifecycle

PARTIAL = 206
REFUSED = 210
COMPLETED = 209
WITH_DATA = (206, 207, 208, 209)


class L10nFrPaStatusWizard(models.TransientModel):
    _name = "l10n_fr_pa.status.wizard"
    _description = "E-invoicing: change the status of a document"

    move_id = fields.Many2one("account.move", string="Document", required=True, readonly=True,
                              ondelete="cascade")
    company_id = fields.Many2one(related="move_id.company_id")
    kind = fields.Char(related="move_id.l10n_fr_pa_kind")
    allowed_action_ids = fields.Many2many(
        "l10n_fr_pa.action", string="Allowed actions", compute="_compute_allowed_action_ids")
    action_id = fields.Many2one(
        "l10n_fr_pa.action", required=True,
        domain="[('id', 'in', allowed_action_ids)]",
        help="Only the actions the AFNOR lifecycle allows for this document are offered.")
    action_key = fields.Char(related="action_id.key")
    status_code = fields.Integer(compute="_compute_action_info")
    needs_amount = fields.Boolean(compute="_compute_action_info")
    full_amount = fields.Boolean(compute="_compute_action_info")
    needs_reason = fields.Boolean(compute="_compute_action_info")
    shows_data = fields.Boolean(compute="_compute_action_info")
    data_line_ids = fields.One2many(
        "l10n_fr_pa.status.wizard.data", "wizard_id", string="Data in error",
        help="Which data of the invoice is wrong and the value expected (or, to complete "
        "a suspended invoice, the value completed).")
    currency_id = fields.Many2one(
        "res.currency", string="Payment currency",
        compute="_compute_amounts", store=True, readonly=False,
    )
    line_ids = fields.One2many(
        "l10n_fr_pa.status.wizard.line", "wizard_id", string="Amounts",
        compute="_compute_amounts", store=True, readonly=False,
    )
    amount_total = fields.Monetary(string="Total (tax included)", compute="_compute_amount_total",
                                   currency_field="currency_id")
    allowed_reason_ids = fields.Many2many(
        "l10n_fr_pa.reason", string="Allowed reasons", compute="_compute_allowed_reason_ids")
    reason_id = fields.Many2one(
        "l10n_fr_pa.reason", domain="[('id', 'in', allowed_reason_ids)]",
        help="Only the reasons the AFNOR rules allow for the chosen status are offered.")
    reason_code = fields.Char(compute="_compute_reason_code", store=True, readonly=False)
    message = fields.Text()
    approved_amount = fields.Monetary(
        string="Approved amount (tax included)", currency_field="move_currency_id",
        help="Amount you approve (tax included); said in the status message.")
    move_currency_id = fields.Many2one(related="move_id.currency_id")
    message_id = fields.Char(string="Status message ID", default=lambda self: str(uuid.uuid4()),
                             readonly=True,
                             help="Identifier of the status message: confirming twice sends once.")

    def _action(self):
        self.ensure_one()
        if not self.kind:
            raise UserError(self.env._("Only invoices and credit notes have a platform status."))
        for action in lifecycle.actions_for(self.kind, *self.env["l10n_fr_pa.action"]._state_of(
                self.move_id)):
            if action.key == self.action_key:
                return action
        raise UserError(self.env._(
            "The action \"%(action)s\" is not allowed on %(move)s: choose one of %(allowed)s.",
            action=self.action_id.display_name or "", move=self.move_id.display_name,
            allowed=", ".join(self.allowed_action_ids.mapped("display_name"))))

    @api.depends("kind", "move_id.l10n_fr_pa_status_code", "move_id.l10n_fr_pa_flow_id")
    def _compute_allowed_action_ids(self):
        for wizard in self:
            wizard.allowed_action_ids = self.env["l10n_fr_pa.action"]._for_move(wizard.move_id)

    @api.depends("action_id", "kind")
    def _compute_action_info(self):
        for wizard in self:
            action = next((a for a in lifecycle.actions_for(wizard.kind)
                           if a.key == wizard.action_key), None) if wizard.kind else None
            wizard.status_code = action.status_code if action else 0
            wizard.needs_amount = bool(action and action.needs_amount)
            wizard.full_amount = bool(action and action.full_amount)
            wizard.needs_reason = bool(action and action.needs_reason)
            wizard.shows_data = bool(action and action.status_code in WITH_DATA)

    @api.depends("status_code")
    def _compute_allowed_reason_ids(self):
        for wizard in self:
            wizard.allowed_reason_ids = self.env["l10n_fr_pa.reason"]._for_status(
                wizard.status_code)

    @api.onchange("action_id")
    def _onchange_action_key_reason(self):
        if self.reason_id and self.reason_id not in self.allowed_reason_ids:
            self.reason_id = False

    @api.depends("reason_id")
    def _compute_reason_code(self):
        for wizard in self:
            wizard.reason_code = wizard.reason_id.code or False

    @api.depends("action_id", "move_id")
    def _compute_amounts(self):
        for wizard in self:
            move = wizard.move_id
            wizard.currency_id = move.currency_id
            if not (wizard.needs_amount or wizard.full_amount) or not move:
                wizard.line_ids = [fields.Command.clear()]
                continue
            # What is still due; the total when nothing is (e.g. a credit note already
            # offset against its invoice) or when marking as paid.
            due = move.amount_residual
            share = None if wizard.full_amount or move.currency_id.is_zero(due) else due
            wizard.line_ids = [fields.Command.clear()] + [
                fields.Command.create({"vat_rate": rate, "amount": amount})
                for rate, amount in self.env["l10n_fr_pa.status.pusher"]._amounts_per_rate(
                    move, share)
            ]

    @api.depends("line_ids.amount")
    def _compute_amount_total(self):
        for wizard in self:
            wizard.amount_total = sum(wizard.line_ids.mapped("amount"))

    # ------------------------------------------------------------------ checks
    def _payment_amounts(self, action):
        """The checked ``PaymentAmount`` list (UserError naming the bad value)."""
        if not (action.needs_amount or action.full_amount):
            return []
        currency = self.currency_id
        if not currency:
            raise UserError(self.env._("Choose the currency of the amount. Nothing was sent."))
        if not currency.active:
            raise UserError(self.env._(
                "The currency %(currency)s is not active: activate it or choose another one. "
                "Nothing was sent.", currency=currency.name))
        if not self.line_ids:
            raise UserError(self.env._(
                "Give the amount paid (one line per VAT rate). Nothing was sent."))
        amounts, rates = [], set()
        for line in self.line_ids:
            if currency.compare_amounts(line.amount, 0) <= 0:
                raise UserError(self.env._(
                    "The amount %(amount)s (VAT %(rate)s%%) must be greater than zero. "
                    "Nothing was sent.", amount=line.amount, rate=line.vat_rate))
            if line.vat_rate in rates:
                raise UserError(self.env._(
                    "The VAT rate %(rate)s%% appears twice: give one line per VAT rate. "
                    "Nothing was sent.", rate=line.vat_rate))
            rates.add(line.vat_rate)
            try:
                amounts.append(lifecycle.PaymentAmount(
                    amount=Decimal(str(currency.round(line.amount))), currency=currency.name,
                    vat_rate=Decimal(str(line.vat_rate))))
            except lifecycle.LifecycleError as exc:
                raise UserError(
                    self.env["l10n_fr_pa.messages"]._amount_invalid(exc)) from exc
        total = self.move_id.amount_total
        if currency == self.move_id.currency_id and currency.compare_amounts(
                sum(self.line_ids.mapped("amount")), total) > 0:
            raise UserError(self.env._(
                "The amounts (%(amount)s) exceed the total of %(move)s (%(total)s). Correct "
                "them. Nothing was sent.", amount=sum(self.line_ids.mapped("amount")),
                move=self.move_id.name, total=total))
        return amounts

    def _approved_characteristics(self):
        """[MAPTTC] with the checked approved amount (UserError otherwise)."""
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
        from ..einvoicing.lifecycle.characteristics import Characteristic

        return [Characteristic("MAPTTC", amount=Decimal(str(currency.round(amount))),
                               currency=currency.name)]

    def _characteristics(self, action):
        """Approved amount (206) and data lines (206-209) as core characteristics."""
        items = []
        if self.move_id.is_purchase_document() and action.status_code == PARTIAL:
            items += self._approved_characteristics()
        if action.status_code in WITH_DATA:
            for line in self.data_line_ids:
                items += line._characteristics(completed=action.status_code == COMPLETED)
        return items

    # ------------------------------------------------------------------ confirm
    def action_confirm(self):
        self.ensure_one()
        move = self.move_id
        action = self._action()
        if move.is_purchase_document() and action.status_code == REFUSED:
            self.env["l10n_fr_pa.vendor.automation"]._check_refusable(move)
        amounts = self._payment_amounts(action)
        try:
            characteristics = self._characteristics(action)
            lifecycle.check_payment(action.status_code, amounts)
            if action.needs_reason or self.reason_code:
                lifecycle.check_reason(action.status_code, self.reason_code or None)
        except lifecycle.LifecycleError as exc:
            raise UserError(self.env["l10n_fr_pa.messages"]._nothing_sent(exc)) from exc
        self.env["l10n_fr_pa.status.pusher"]._submit(
            move, action, amounts, self.reason_code or None, self.message or None,
            self.message_id, characteristics=characteristics)
        return self.env["l10n_fr_pa.messages"]._notification(self.env._(
            "Status \"%(status)s\" sent to the platform for %(move)s.",
            status=self.action_id.display_name, move=move.name))


class L10nFrPaStatusWizardLine(models.TransientModel):
    _name = "l10n_fr_pa.status.wizard.line"
    _description = "E-invoicing: amount of a status per VAT rate"

    wizard_id = fields.Many2one("l10n_fr_pa.status.wizard", required=True, ondelete="cascade")
    currency_id = fields.Many2one(related="wizard_id.currency_id")
    vat_rate = fields.Float(string="VAT rate (%)", digits=(5, 2), required=True)
    amount = fields.Monetary(string="Amount (tax included)", currency_field="currency_id",
                             required=True)


def _term_selection(model):
    from ..einvoicing.lifecycle.characteristics import BUSINESS_TERMS

    french = (model.env.lang or "").startswith("fr")
    return [(term, f"{term} - {fr if french else en}")
            for term, (en, fr, _kind, _path) in BUSINESS_TERMS.items()]


class L10nFrPaStatusWizardData(models.TransientModel):
    _name = "l10n_fr_pa.status.wizard.data"
    _description = "E-invoicing: data in error of a status"

    wizard_id = fields.Many2one("l10n_fr_pa.status.wizard", required=True, ondelete="cascade")
    business_term = fields.Selection(
        _term_selection, required=True,
        help="The data of the invoice (EN 16931 business term) that is wrong or completed.")
    line_number = fields.Integer(string="Invoice line",
                                 help="Position of the invoice line (1 for the first); empty "
                                 "for data of the whole invoice.")
    invoiced_value = fields.Char(string="Value invoiced")
    expected_value = fields.Char(string="Value expected", required=True)
    comment = fields.Char()

    def _characteristics(self, completed=False):
        """DIV + DVA (or MAJ when ``completed``) for this line (UserError on bad values)."""
        self.ensure_one()
        from ..einvoicing.lifecycle.characteristics import data_error

        try:
            return data_error(
                self.business_term, self.expected_value, invoiced=self.invoiced_value or None,
                line=self.line_number or None, comment=self.comment or None,
                currency=self.wizard_id.move_id.currency_id.name, completed=completed)
        except lifecycle.LifecycleError as exc:
            raise UserError(self.env._(
                "The data line %(term)s is not valid: %(detail)s Nothing was sent.",
                term=self.business_term,
                detail=self.env["l10n_fr_pa.messages"]._user_message(exc))) from exc
