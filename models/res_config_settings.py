# Copyright 2026 The l10n_fr_einvoice_pa authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Settings > Invoicing > E-invoicing: the platform connection of the current company and
its reception settings (stored on the company)."""

from odoo import api, fields, models
from odoo.exceptions import UserError

from ..einvoicing.afnor import AfnorError
from .l10n_fr_pa_connection import API_REQUIRED, ENVIRONMENTS, PLATFORM_APIS

CONNECTION_FIELDS = ("environment", "platform_api", "flow_url", "directory_url", "token_url",
                     "client_id", "client_secret", "organization_id", "webhook_secret",
                     "api_url", "login_url", "access_token", "staging_token")


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    l10n_fr_pa_environment = fields.Selection(ENVIRONMENTS, string="Platform environment")
    l10n_fr_pa_platform_api = fields.Selection(PLATFORM_APIS, string="Platform API",
                                               default="afnor")
    l10n_fr_pa_api_url = fields.Char(string="API URL")
    l10n_fr_pa_login_url = fields.Char(string="Login URL")
    l10n_fr_pa_access_token = fields.Char(string="OAuth2 access token",
                                          groups="base.group_system")
    l10n_fr_pa_staging_token = fields.Char(string="Staging token", groups="base.group_system")
    l10n_fr_pa_flow_url = fields.Char(string="Flow Service URL")
    l10n_fr_pa_directory_url = fields.Char(string="Directory Service URL")
    l10n_fr_pa_token_url = fields.Char(string="OAuth2 token URL")
    l10n_fr_pa_client_id = fields.Char(string="Client ID")
    l10n_fr_pa_client_secret = fields.Char(string="Client secret", groups="base.group_system")
    l10n_fr_pa_organization_id = fields.Char(string="Organization-Id")
    l10n_fr_pa_webhook_secret = fields.Char(string="Webhook secret", groups="base.group_system")
    l10n_fr_pa_connection_id = fields.Many2one(
        "l10n_fr_pa.connection", compute="_compute_l10n_fr_pa_connection_id")
    l10n_fr_pa_webhook_url = fields.Char(related="l10n_fr_pa_connection_id.webhook_url")
    l10n_fr_pa_token_state = fields.Selection(related="l10n_fr_pa_connection_id.token_state")
    l10n_fr_pa_token_valid_until = fields.Datetime(
        related="l10n_fr_pa_connection_id.token_valid_until")
    l10n_fr_pa_last_auto_sync = fields.Datetime(
        related="l10n_fr_pa_connection_id.last_auto_sync")
    # reception
    l10n_fr_pa_auto_in_hand = fields.Boolean(
        related="company_id.l10n_fr_pa_auto_in_hand", readonly=False)
    l10n_fr_pa_vat_on_debits = fields.Boolean(
        related="company_id.l10n_fr_pa_vat_on_debits", readonly=False)
    l10n_fr_pa_auto_payment_sent = fields.Boolean(
        related="company_id.l10n_fr_pa_auto_payment_sent", readonly=False)
    l10n_fr_pa_payment_status_mode = fields.Selection(
        related="company_id.l10n_fr_pa_payment_status_mode", readonly=False)
    l10n_fr_pa_rounding_expense_account_id = fields.Many2one(
        related="company_id.l10n_fr_pa_rounding_expense_account_id", readonly=False)
    l10n_fr_pa_rounding_income_account_id = fields.Many2one(
        related="company_id.l10n_fr_pa_rounding_income_account_id", readonly=False)

    # e-reporting
    l10n_fr_pa_vat_regime = fields.Selection(
        related="company_id.l10n_fr_pa_vat_regime", readonly=False)
    l10n_fr_pa_ereport_auto_send = fields.Boolean(
        related="company_id.l10n_fr_pa_ereport_auto_send", readonly=False)
    l10n_fr_pa_ereport_start = fields.Date(
        related="company_id.l10n_fr_pa_ereport_start", readonly=False)
    l10n_fr_pa_platform_code = fields.Char(
        related="company_id.l10n_fr_pa_platform_code", readonly=False)

    @api.depends("company_id")
    def _compute_l10n_fr_pa_connection_id(self):
        Connection = self.env["l10n_fr_pa.connection"]
        for settings in self:
            settings.l10n_fr_pa_connection_id = Connection._for_company(
                settings.company_id or self.env.company, raise_if_missing=False)

    @api.model
    def get_values(self):
        res = super().get_values()  # pylint: disable=no-member
        conn = self.env["l10n_fr_pa.connection"]._for_company(
            self.env.company, raise_if_missing=False).sudo()
        if conn:
            res.update({f"l10n_fr_pa_{name}": conn[name] for name in CONNECTION_FIELDS})
        return res

    def set_values(self):
        res = super().set_values()  # pylint: disable=no-member
        if self.env.user.has_group("base.group_system"):
            self._l10n_fr_pa_save_connection()
        return res

    def _l10n_fr_pa_save_connection(self):
        """Write the connection fields; create the connection when first filled in."""
        self.ensure_one()
        vals = {name: self[f"l10n_fr_pa_{name}"] for name in CONNECTION_FIELDS}
        conn = self.env["l10n_fr_pa.connection"]._for_company(
            self.env.company, raise_if_missing=False).sudo()
        vals["platform_api"] = vals["platform_api"] or "afnor"
        required = API_REQUIRED[vals["platform_api"]]
        if not conn and not any(vals[name] for name in required):
            return conn
        missing = [self._fields[f"l10n_fr_pa_{name}"].get_description(self.env)["string"]
                   for name in required if not vals[name]]
        if missing:
            raise UserError(self.env._(
                "The platform connection needs %(fields)s: fill them in, or empty all of them "
                "to keep no connection.", fields=", ".join(missing)))
        vals["environment"] = vals["environment"] or "sandbox"
        if conn:
            conn.write({k: v for k, v in vals.items() if conn[k] != v})
        else:
            conn = conn.create({**vals, "company_id": self.env.company.id})
        return conn

    def _l10n_fr_pa_connection(self):
        self.ensure_one()
        conn = self._l10n_fr_pa_save_connection()
        if not conn:
            raise UserError(self.env._(
                "Fill in the settings of the platform API first."))
        return conn

    def action_l10n_fr_pa_test_connection(self):
        """Get a token and call the platform's healthcheck; say what happened."""
        conn = self._l10n_fr_pa_connection()
        conn._test_connection()
        return self.env["l10n_fr_pa.messages"]._notification(self.env._(
            "The platform answered and accepted the credentials of %(company)s.",
            company=conn.company_id.display_name))

    def action_l10n_fr_pa_register_webhook(self):
        """Subscribe this company's webhook URL on the platform (replaces a previous one)."""
        conn = self._l10n_fr_pa_connection()
        url = "%s/l10n_fr_pa/webhook/%s/%s" % (
            conn.company_id.get_base_url(), conn.id, conn.webhook_token)
        client = conn._get_flow_client()
        try:
            if conn.webhook_id:
                try:
                    client.delete_webhook(conn.webhook_id)
                except AfnorError as exc:
                    if exc.http_status != 404:
                        raise
            answer = client.create_webhook(url)
        except AfnorError as exc:
            self.env["l10n_fr_pa.messages"]._raise_user_error(exc)
        conn.write({"webhook_id": answer.get("webhookId"), "webhook_url": url,
                    "webhook_secret": answer.get("signingKey") or conn.webhook_secret})
        return self.env["l10n_fr_pa.messages"]._notification(self.env._(
            "The platform will call %(url)s when flows arrive.", url=url))

    def action_l10n_fr_pa_open_diagnostics(self):
        self.ensure_one()
        return self.env["l10n_fr_pa.diagnostics"]._open(self.env.company)

