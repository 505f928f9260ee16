# Copyright 2026 The l10n_fr_einvoice_pa authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Reception settings of a company: automatic vendor statuses and rounding accounts."""

from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    l10n_fr_pa_auto_in_hand = fields.Boolean(
        string="Send \"In hand\" on reception",
        help="Send the status In hand (204) to the supplier as soon as a received invoice "
        "is stored as a draft bill.",
    )
    l10n_fr_pa_auto_payment_sent = fields.Boolean(
        string="Send \"Payment sent\" when paid",
        help="Send the status Payment sent (211) when a payment reconciles a received bill "
        "in full.",
    )
    l10n_fr_pa_rounding_expense_account_id = fields.Many2one(
        "account.account", string="Rounding account (debit)", check_company=True,
        help="Books the difference when a received invoice's total is above the sum of its "
        "lines by a rounding difference (generally 658). Empty: the first 658 account.",
    )
    l10n_fr_pa_rounding_income_account_id = fields.Many2one(
        "account.account", string="Rounding account (credit)", check_company=True,
        help="Books the difference when a received invoice's total is below the sum of its "
        "lines by a rounding difference (generally 758). Empty: the first 758 account.",
    )

    def _l10n_fr_pa_rounding_account(self, increases_expense):
        """The configured rounding account, else the first active 658 / 758 account."""
        self.ensure_one()
        account = (self.l10n_fr_pa_rounding_expense_account_id if increases_expense
                   else self.l10n_fr_pa_rounding_income_account_id)
        if account:
            return account
        Account = self.env["account.account"].with_company(self)
        return Account.search([
            *Account._check_company_domain(self),
            ("code", "=like", "658%" if increases_expense else "758%"),
            ("deprecated", "=", False),
        ], order="code", limit=1)


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    l10n_fr_pa_auto_in_hand = fields.Boolean(
        related="company_id.l10n_fr_pa_auto_in_hand", readonly=False)
    l10n_fr_pa_auto_payment_sent = fields.Boolean(
        related="company_id.l10n_fr_pa_auto_payment_sent", readonly=False)
    l10n_fr_pa_rounding_expense_account_id = fields.Many2one(
        related="company_id.l10n_fr_pa_rounding_expense_account_id", readonly=False)
    l10n_fr_pa_rounding_income_account_id = fields.Many2one(
        related="company_id.l10n_fr_pa_rounding_income_account_id", readonly=False)
