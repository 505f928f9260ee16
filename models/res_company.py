# Copyright 2026 The l10n_fr_einvoice_pa authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""E-invoicing on the company: sender identifiers read from its own fields (no parallel
SIREN field), its platform connection, reception settings and rounding accounts."""

from odoo import fields, models

from .res_partner import read_siren, read_siret


class ResCompany(models.Model):
    _inherit = "res.company"

    l10n_fr_pa_connection_ids = fields.One2many(
        "l10n_fr_pa.connection", "company_id", string="E-invoicing connection")
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
    l10n_fr_pa_vat_on_debits = fields.Boolean(
        string="VAT on debits",
        help="The company opted to pay VAT on debits: its e-invoices state that VAT is due "
        "on the invoice date (BT-8 = 5) with the legal mention. Each invoice can override it.",
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

    def _l10n_fr_pa_siren(self):
        """The company's SIREN, validated (UserError naming the field otherwise)."""
        self.ensure_one()
        return read_siren(self, "sender")

    def _l10n_fr_pa_siret(self):
        self.ensure_one()
        return read_siret(self)

    def _l10n_fr_pa_connection(self, raise_if_missing=True):
        self.ensure_one()
        return self.env["l10n_fr_pa.connection"]._for_company(self, raise_if_missing)

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
