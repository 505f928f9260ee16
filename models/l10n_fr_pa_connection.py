# Copyright 2026 The l10n_fr_einvoice_pa authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The company's connection to its accredited platform (PA).

The one place of the Odoo layer that builds AFNOR clients; their errors are worded by
``l10n_fr_pa.messages``.
"""

import hashlib
import logging
import secrets
import threading
from datetime import datetime, timezone

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL

from ..einvoicing.afnor import AfnorError, DirectoryClient, FlowClient, OAuth2ClientCredentials
from ..einvoicing.gateways import make_gateway
from ..einvoicing.gateways.flows import FlowView
from ..einvoicing.validation import saxon

_logger = logging.getLogger(__name__)

ENVIRONMENTS = [("sandbox", "Sandbox"), ("test", "Test"), ("production", "Production")]

# OAuth2 tokens are cached per process, keyed by the connection's settings, so a
# token is fetched once and shared by every send and sync of the worker.
_AUTH_CACHE = {}
_AUTH_LOCK = threading.Lock()


# Seconds after which an idle Saxon helper process is stopped (0: never); without this
# parameter, the environment variable L10N_FR_PA_SAXON_IDLE_SECONDS or 300 s.
SAXON_IDLE_PARAM = "l10n_fr_einvoice_pa.saxon_idle_seconds"

# The platform APIs a connection can speak; each shows and needs its own settings.
PLATFORM_APIS = [
    ("afnor", "AFNOR XP Z12-013 standard"),
    ("qonto", "Qonto"),
    ("acube", "A-Cube"),
]
API_REQUIRED = {
    "afnor": ("flow_url", "token_url", "client_id"),
    "qonto": ("api_url",),
    "acube": ("api_url", "login_url", "client_id"),
}


def _new_webhook_token():
    return secrets.token_urlsafe(32)


class L10nFrPaConnection(models.Model):
    _name = "l10n_fr_pa.connection"
    _description = "E-invoicing platform connection"
    _rec_name = "company_id"
    _check_company_auto = True

    company_id = fields.Many2one(
        "res.company", required=True, index=True, ondelete="cascade",
        default=lambda self: self.env.company,
    )
    environment = fields.Selection(ENVIRONMENTS, required=True, default="sandbox")
    platform_api = fields.Selection(
        PLATFORM_APIS, string="Platform API", required=True, default="afnor",
        help="The API the platform speaks: the AFNOR standard, or Qonto's or A-Cube's own.",
    )
    api_url = fields.Char(
        string="API URL",
        help="Base URL of the platform's own API, e.g. https://thirdparty.qonto.com (Qonto).",
    )
    login_url = fields.Char(
        string="Login URL", help="A-Cube: the URL of its login (POST with email and password).")
    access_token = fields.Char(
        string="OAuth2 access token", groups="base.group_system", copy=False,
        help="Qonto: an access token of the OAuth2 flow, instead of the login and secret key.",
    )
    staging_token = fields.Char(
        string="Staging token", groups="base.group_system", copy=False,
        help="Qonto sandbox only: the X-Qonto-Staging-Token of the developer portal.",
    )
    flow_url = fields.Char(
        string="Flow Service URL",
        help="Base URL of the platform's AFNOR Flow Service, e.g. https://pa.example.com/flow-service",
    )
    directory_url = fields.Char(
        string="Directory Service URL",
        help="Base URL of the platform's AFNOR Directory Service.",
    )
    invoice_syntax = fields.Selection(
        [("Factur-X", "Factur-X (PDF with CII)"), ("CII", "CII (XML)"), ("UBL", "UBL (XML)")],
        string="Invoice format", required=True, default="Factur-X",
        help="Format of the invoices sent through this platform: Factur-X by default; CII "
        "or UBL alone when the platform or your customers ask for it.",
    )
    token_url = fields.Char(string="OAuth2 token URL")
    client_id = fields.Char(
        string="Client ID",
        help="AFNOR: the OAuth2 client ID; Qonto: the organisation login; A-Cube: the "
             "account email.",
    )
    client_secret = fields.Char(groups="base.group_system", copy=False)
    scope = fields.Char(string="OAuth2 scope")
    organization_id = fields.Char(
        string="Organization-Id",
        help="Sent as the Organization-Id header when the platform needs it.",
    )
    webhook_secret = fields.Char(groups="base.group_system", copy=False)
    webhook_token = fields.Char(
        groups="base.group_system", copy=False, readonly=True,
        default=lambda self: _new_webhook_token(),
        help="Unguessable token of this company's webhook URL.",
    )
    timeout = fields.Integer(
        string="Timeout (seconds)", default=30, required=True,
        help="How long to wait for an answer of the platform before giving up.",
    )
    token_valid_until = fields.Datetime(compute="_compute_token_state")
    token_state = fields.Selection(
        [("none", "No token yet"), ("valid", "Valid"), ("expired", "Expired")],
        compute="_compute_token_state",
    )
    # synchronisation state (cursor, last syncs, webhook)
    sync_updated_after = fields.Char(
        copy=False, readonly=True,
        help="The platform's updatedAt of the last flow of the last complete scan: the next "
             "scan asks for flows updated after it.",
    )
    sync_page_cursor = fields.Char(
        copy=False, readonly=True,
        help="The platform's cursor of the next page of a scan in progress.",
    )
    sync_scan_max = fields.Char(copy=False, readonly=True)
    last_sync = fields.Datetime(string="Last synchronisation", copy=False, readonly=True)
    last_auto_sync = fields.Datetime(
        string="Last automatic synchronisation", copy=False, readonly=True
    )
    webhook_id = fields.Char(string="Webhook id", copy=False, readonly=True)
    webhook_url = fields.Char(string="Webhook URL", copy=False, readonly=True)

    _sql_constraints = [
        ("company_uniq", "unique(company_id)", "A company has one platform connection."),
        ("timeout_positive", "CHECK(timeout > 0)", "The timeout must be a positive number."),
    ]

    @api.constrains("platform_api", *sorted({f for fs in API_REQUIRED.values() for f in fs}))
    def _check_platform_settings(self):
        for conn in self:
            missing = [conn._fields[name].get_description(self.env)["string"]
                       for name in API_REQUIRED[conn.platform_api] if not conn[name]]
            if missing:
                raise ValidationError(self.env._(
                    "The %(api)s connection needs %(fields)s.",
                    api=dict(conn._fields["platform_api"]._description_selection(self.env))[
                        conn.platform_api], fields=", ".join(missing)))

    # ------------------------------------------------------------------ lookup
    def _register_hook(self):
        super()._register_hook()
        self._l10n_fr_pa_apply_saxon_settings()

    @api.model
    def _l10n_fr_pa_apply_saxon_settings(self):
        """Pass the idle delay of the Saxon helper to the core (read when the registry loads).

        The helper belongs to the worker process, not to a database: with several
        databases, the last one loaded sets it. Unset or unreadable: the core's default.
        """
        raw = self.env["ir.config_parameter"].sudo().get_param(SAXON_IDLE_PARAM)
        try:
            seconds = float(raw) if raw not in (None, False, "") else None
        except ValueError:
            _logger.warning("E-invoicing: ignoring %s=%r (not a number of seconds)",
                            SAXON_IDLE_PARAM, raw)
            seconds = None
        saxon.set_idle_seconds(seconds)
        return saxon.idle_seconds()

    @api.model
    def _for_company(self, company, raise_if_missing=True):
        """The connection of ``company`` (empty recordset when none and not raising)."""
        connection = self.sudo().search([("company_id", "=", company.id)], limit=1)
        if not connection and raise_if_missing:
            raise UserError(self.env._(
                "The company %(company)s has no e-invoicing platform connection. "
                "An administrator sets it up in Settings > Invoicing > E-invoicing.",
                company=company.display_name,
            ))
        return connection.sudo(False)

    # ------------------------------------------------------------------ clients
    def _auth(self):
        """The process-wide OAuth2 helper of this connection (token shared)."""
        self.ensure_one()
        conn = self.sudo()
        secret_hash = hashlib.sha256((conn.client_secret or "").encode()).hexdigest()
        key = (self.env.cr.dbname, conn.id, conn.token_url, conn.client_id, conn.scope,
               secret_hash)
        with _AUTH_LOCK:
            auth = _AUTH_CACHE.get(key)
            if auth is None:
                if not conn.client_secret:
                    raise UserError(self.env._(
                        "The platform connection of %(company)s has no client secret. "
                        "An administrator enters it in Settings > Invoicing > E-invoicing.",
                        company=conn.company_id.display_name,
                    ))
                try:
                    auth = OAuth2ClientCredentials(
                        conn.token_url, conn.client_id, conn.client_secret,
                        scope=conn.scope or None,
                    )
                except AfnorError as error:  # bad URL or missing credential
                    self.env["l10n_fr_pa.messages"]._raise_user_error(error)
                _AUTH_CACHE[key] = auth
        return auth

    def _client_kwargs(self):
        return {
            "organization_id": self.organization_id or None,
            "timeout": (min(5, self.timeout), self.timeout),
        }

    def _gateway_settings(self):
        """The settings of this connection's platform API, as ``make_gateway`` takes them."""
        conn = self.sudo()
        timeout = (min(5, conn.timeout), conn.timeout)
        if conn.platform_api == "qonto":
            return {"api_url": conn.api_url, "login": conn.client_id,
                    "secret_key": conn.client_secret, "access_token": conn.access_token,
                    "staging_token": conn.staging_token, "timeout": timeout}
        return {"api_url": conn.api_url, "login_url": conn.login_url, "email": conn.client_id,
                "password": conn.client_secret, "timeout": timeout}

    def _get_gateway(self):
        """The process-wide gateway of a Qonto or A-Cube connection (token shared)."""
        self.ensure_one()
        settings = self._gateway_settings()
        digest = hashlib.sha256(repr(sorted(settings.items())).encode()).hexdigest()
        key = (self.env.cr.dbname, self.id, self.platform_api, digest)
        with _AUTH_LOCK:
            gateway = _AUTH_CACHE.get(key)
            if gateway is None:
                try:
                    gateway = make_gateway(self.platform_api, **settings)
                except AfnorError as error:  # missing setting, bad URL or credential
                    self.env["l10n_fr_pa.messages"]._raise_user_error(error)
                _AUTH_CACHE[key] = gateway
        return gateway

    def _has_directory(self):
        """Whether the recipient's address can be looked up (the AFNOR Directory only)."""
        self.ensure_one()
        return self.platform_api == "afnor" and bool(self.directory_url)

    def _get_flow_client(self):
        """A ready ``FlowClient`` for this connection (its flow view for other APIs)."""
        self.ensure_one()
        if self.platform_api != "afnor":
            return FlowView(self._get_gateway())
        try:
            return FlowClient(self.flow_url, self._auth(), **self._client_kwargs())
        except AfnorError as error:  # bad URL or timeout setting
            self.env["l10n_fr_pa.messages"]._raise_user_error(error)

    def _get_directory_client(self):
        """A ready ``DirectoryClient``; UserError when no directory URL is configured."""
        self.ensure_one()
        if self.platform_api != "afnor":
            raise UserError(self.env._(
                "The %(api)s API has no directory look-up: give the recipient's electronic "
                "address (0225) on the contact.",
                api=dict(self._fields["platform_api"]._description_selection(self.env))[
                    self.platform_api]))
        if not self.directory_url:
            raise UserError(self.env._(
                "The platform connection of %(company)s has no Directory Service URL: the "
                "recipient's electronic address cannot be looked up. An administrator sets it "
                "in Settings > Invoicing > E-invoicing.",
                company=self.company_id.display_name,
            ))
        try:
            return DirectoryClient(self.directory_url, self._auth(), **self._client_kwargs())
        except AfnorError as error:
            self.env["l10n_fr_pa.messages"]._raise_user_error(error)

    @api.depends("token_url", "client_id")
    def _compute_token_state(self):
        now = datetime.now(timezone.utc)
        for conn in self:
            expires = None
            for key, auth in list(_AUTH_CACHE.items()):
                if key[0] == self.env.cr.dbname and key[1] == conn.id:
                    expires = getattr(auth, "expires_at", None) or expires
            if isinstance(expires, (int, float)):
                expires = datetime.fromtimestamp(expires, timezone.utc)
            if expires is None:
                conn.token_valid_until = False
                conn.token_state = "none"
            else:
                conn.token_valid_until = expires.astimezone(timezone.utc).replace(tzinfo=None)
                conn.token_state = "valid" if expires > now else "expired"

    # ------------------------------------------------------------------ sync
    def _lock_for_sync(self, wait=True):
        """Row-lock the connection for the transaction; False when busy and not waiting.

        One synchronisation per company at a time: the cursor and the events are written
        by whoever holds the lock.
        """
        self.ensure_one()
        self.env.cr.execute(SQL(
            "SELECT id FROM l10n_fr_pa_connection WHERE id = %s FOR NO KEY UPDATE%s",
            self.id, SQL("") if wait else SQL(" SKIP LOCKED"),
        ))
        return bool(self.env.cr.fetchone())

    # ------------------------------------------------------------------ actions
    def _test_connection(self):
        """Fetch a fresh token (AFNOR) and call the platform's health check."""
        self.ensure_one()
        try:
            if self.platform_api == "afnor":
                auth = self._auth()
                auth.invalidate()
                auth.token()
            self._get_flow_client().healthcheck()
        except AfnorError as exc:
            self.env["l10n_fr_pa.messages"]._raise_user_error(exc)
        return True

    def action_regenerate_webhook_token(self):
        self.ensure_one()
        self.sudo().webhook_token = _new_webhook_token()
        return True
