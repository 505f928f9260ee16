# Copyright 2026 The l10n_fr_einvoice_pa authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""E-invoicing on the company: sender identifiers read from its own fields (no parallel
SIREN field), its platform connection, reception settings and rounding accounts."""

from odoo import fields, models

from .res_partner import find_siren, read_siren, read_siret


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
    l10n_fr_pa_payment_status_mode = fields.Selection(
        [("automatic", "Automatic"), ("manual", "Manual")],
        string="Payment received status", default="automatic", required=True,
        help="Automatic: when a customer invoice whose VAT is due on receipts (services "
        "without the debits option) is paid, the status \"Payment received\" (212) is sent "
        "by the scheduled action, per payment. Manual: use \"Change status\".")
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

    # e-reporting (flux 10)
    l10n_fr_pa_vat_regime = fields.Selection(
        [("normal_monthly", "Normal, monthly VAT returns"),
         ("normal_quarterly", "Normal, quarterly VAT returns"),
         ("simplified", "Simplified (régime simplifié)"),
         ("franchise", "VAT-exempt (franchise en base)")],
        string="VAT regime",
        help="Drives the e-reporting periods and due dates: normal monthly = transactions "
        "per ten days and payments per month; normal quarterly and simplified = per month; "
        "franchise = every two months. Empty: no e-reporting.",
    )
    l10n_fr_pa_ereport_auto_send = fields.Boolean(
        string="Send e-reports automatically",
        help="Send each e-report as soon as its period is closed (before its due date). "
        "Otherwise the reports wait in Ready for a review and the Send button.",
    )
    l10n_fr_pa_ereport_start = fields.Date(
        string="E-reporting from", default=lambda s: fields.Date.to_date("2026-09-01"),
        help="First day covered by e-reporting (2026-09-01 for large and mid-size "
        "companies, 2027-09-01 for the others).",
    )
    l10n_fr_pa_platform_code = fields.Char(
        string="Platform registration number", size=4,
        help="The 4-character registration number of your accredited platform (scheme "
        "0238), written as the sender of every e-report (TT-8).",
    )

    def _l10n_fr_pa_siren(self):
        """The company's SIREN, validated (UserError naming the field otherwise)."""
        self.ensure_one()
        return read_siren(self, "sender")

    def _l10n_fr_pa_find_siren(self):
        """The SIREN the company shows, or False (for matching; never raises)."""
        self.ensure_one()
        return find_siren(self)

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
