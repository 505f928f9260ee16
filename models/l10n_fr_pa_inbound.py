# Copyright 2026 The l10n_fr_einvoice_pa authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Incoming invoice flows (direction In) and their vendor bills.

The synchroniser (and so the webhook, which triggers it) hands every incoming invoice
flow to ``_l10n_fr_pa_receive_flows``. Each flow is downloaded (Original, plus the
ReadableView when the platform offers one), recorded here once (flow id unique per
company) and turned into a draft vendor bill or credit note (``l10n_fr_pa.bill.importer``),
in the same transaction: a crash before the commit leaves nothing, the next sync fetches the
flow again, and the flow id plus the (supplier, number, date) key keep it single.
"""

import logging

from odoo import Command, api, fields, models
from odoo.exceptions import UserError

from ..einvoicing.afnor import AfnorError
from ..einvoicing.errors import InputError
from . import l10n_fr_pa_inbound_errors as errors
from .l10n_fr_pa_inbound_errors import ImportProblem

_logger = logging.getLogger(__name__)

STATES = [
    ("received", "Received"),
    ("error", "Error"),
    ("done", "Bill created"),
    ("duplicate", "Duplicate (linked)"),
]


class L10nFrPaInbound(models.Model):
    _name = "l10n_fr_pa.inbound"
    _description = "E-invoicing: incoming invoice flow"
    _inherit = ["mail.thread"]
    _order = "id desc"
    _check_company_auto = True
    _mail_post_access = "read"

    name = fields.Char(compute="_compute_name", store=True)
    company_id = fields.Many2one("res.company", required=True, readonly=True, index=True,
                                 default=lambda self: self.env.company)
    flow_id = fields.Char(string="Platform flow id", readonly=True, index="btree_not_null",
                          copy=False)
    flow_syntax = fields.Char(readonly=True)
    file_name = fields.Char(readonly=True)
    state = fields.Selection(STATES, required=True, readonly=True, default="received",
                             tracking=True)
    move_id = fields.Many2one("account.move", string="Bill", readonly=True, index=True,
                              check_company=True, ondelete="set null")
    invoice_number = fields.Char(readonly=True, index=True)
    invoice_date = fields.Date(readonly=True)
    seller_name = fields.Char(string="Supplier name", readonly=True)
    seller_siren = fields.Char(string="Supplier SIREN", readonly=True, index=True)
    seller_vat = fields.Char(string="Supplier VAT", readonly=True)
    partner_match = fields.Selection(
        [("siren", "SIREN/SIRET"), ("vat", "VAT number"), ("name", "Name"),
         ("created", "Created")], string="Supplier matched by", readonly=True)
    amount_total = fields.Monetary(readonly=True, currency_field="currency_id")
    currency_id = fields.Many2one("res.currency", readonly=True)
    error_code = fields.Selection([(c, c) for c in errors.CODES], readonly=True, tracking=True)
    error_message = fields.Text(readonly=True)
    error_resolution = fields.Text(compute="_compute_error_resolution")
    attachment_ids = fields.Many2many("ir.attachment", string="Files", readonly=True)

    _sql_constraints = [
        ("flow_company_uniq", "unique(company_id, flow_id)",
         "A platform flow is received once per company."),
    ]

    @api.depends("flow_id", "file_name", "invoice_number")
    def _compute_name(self):
        for record in self:
            record.name = record.invoice_number or record.flow_id or record.file_name or "/"

    @api.depends("error_code")
    def _compute_error_resolution(self):
        for record in self:
            record.error_resolution = (errors.resolution(self.env, record.error_code)
                                       if record.error_code else False)

    # ------------------------------------------------------------------ sync hook
    @api.model
    def _l10n_fr_pa_receive_flows(self, connection, flows):
        """Receive incoming invoice flows (AFNOR ``Flow`` dicts); returns a summary.

        Flows already received are skipped (same flow twice: nothing new); a flow whose
        earlier reception failed before a bill existed is tried again. A platform that
        stops answering raises ``AfnorError`` so the caller keeps its cursor.
        """
        company = connection.company_id
        flow_ids = [f["flowId"] for f in flows if f.get("flowId")]
        known = {r.flow_id: r for r in self.sudo().search([
            ("company_id", "=", company.id), ("flow_id", "in", flow_ids)])}
        summary = {"created": self.browse(), "linked": self.browse(), "errors": self.browse()}
        client = None
        for flow in flows:
            flow_id = flow.get("flowId")
            record = known.get(flow_id)
            done = record and (record.state not in ("received", "error") or record.move_id)
            if not flow_id or done:
                continue
            client = client or connection._get_flow_client()
            try:
                with self.env.cr.savepoint():
                    record = self.with_company(company)._l10n_fr_pa_receive_flow(
                        connection, client, flow, record)
            except AfnorError:
                raise  # platform unavailable: the caller keeps its cursor
            except Exception as exc:  # one bad flow never stops the others
                _logger.exception("Reception of flow %s failed", flow_id)
                record = self._l10n_fr_pa_unexpected(connection, flow, exc)
            key = {"done": "created", "duplicate": "linked"}.get(record.state, "errors")
            summary[key] |= record
        return summary

    @api.model
    def _l10n_fr_pa_receive_flow(self, connection, client, flow, record=None):
        """Download one flow and import it; returns its inbound record."""
        flow_id = flow["flowId"]
        name = flow.get("name") or f"{flow_id}.xml"
        try:
            content = client.get_flow(flow_id, "Original")
            readable = self._l10n_fr_pa_readable_view(client, flow, content)
        except AfnorError as exc:
            if exc.retryable:
                raise
            return self._l10n_fr_pa_download_error(connection, flow, record, exc)
        record = record or self.sudo().create(
            self._l10n_fr_pa_prepare_flow_vals(connection, flow)).sudo(False)
        record._l10n_fr_pa_import(content, name, readable=readable)
        return record

    @api.model
    def _l10n_fr_pa_readable_view(self, client, flow, original):
        """The ReadableView (bytes, name) when offered and different from the original."""
        if flow.get("flowSyntax") == "Factur-X":
            return None  # the original is already the readable PDF
        try:
            data = client.get_flow(flow["flowId"], "ReadableView")
        except AfnorError as exc:
            if exc.retryable:
                raise
            _logger.info("No readable view for flow %s: %s", flow["flowId"], exc)
            return None
        if not data or data == original:
            return None
        stem = (flow.get("name") or flow["flowId"]).rsplit(".", 1)[0]
        return data, f"{stem}.pdf"

    @api.model
    def _l10n_fr_pa_prepare_flow_vals(self, connection, flow):
        """Values of the record of a platform flow."""
        return {
            "company_id": connection.company_id.id, "flow_id": flow["flowId"],
            "flow_syntax": flow.get("flowSyntax"),
            "file_name": flow.get("name") or f"{flow['flowId']}.xml",
        }

    @api.model
    def _l10n_fr_pa_download_error(self, connection, flow, record, exc):
        return self._l10n_fr_pa_flow_error(connection, flow, record, errors.PDF,
                                           self.env["l10n_fr_pa.messages"]._user_message(exc))

    @api.model
    def _l10n_fr_pa_unexpected(self, connection, flow, exc):
        """Record a flow whose reception failed unexpectedly (rolled back, kept to retry)."""
        record = self.sudo().search([("company_id", "=", connection.company_id.id),
                                     ("flow_id", "=", flow["flowId"])], limit=1)
        return self._l10n_fr_pa_flow_error(connection, flow, record, errors.UNEXPECTED,
                                           str(exc) or exc.__class__.__name__)

    @api.model
    def _l10n_fr_pa_flow_error(self, connection, flow, record, code, message):
        """The flow's record (created when missing) in error ``code``."""
        vals = {"state": "error", "error_code": code, "error_message": message}
        if record:
            record.sudo().write(vals)
            return record.sudo(False)
        return self.sudo().create(
            {**self._l10n_fr_pa_prepare_flow_vals(connection, flow), **vals}).sudo(False)

    # ------------------------------------------------------------------ entry point
    def _l10n_fr_pa_import(self, content, filename, readable=None):
        """Import ``content`` into a bill; any problem ends as an error code on the record."""
        self.ensure_one()
        files = self._l10n_fr_pa_store_files(content, filename, readable)
        importer = self.env["l10n_fr_pa.bill.importer"]
        try:
            xml, invoice = importer._read(content, filename)
        except InputError as exc:
            self._l10n_fr_pa_set_error(
                errors.PDF, self.env["l10n_fr_pa.messages"]._file_unreadable(filename, exc))
            return self
        importer._write_header(self, invoice)  # kept even when the import fails below
        try:
            with self.env.cr.savepoint():
                importer._import_document(self, xml, invoice, filename, files)
        except ImportProblem as problem:
            self._l10n_fr_pa_set_error(problem.code, problem.message)
        return self

    def _l10n_fr_pa_store_files(self, content, filename, readable):
        """Keep the original (and readable view) on the record, even when import fails.

        Returns ``[(name, bytes)]``, the original first.
        """
        files = [(filename, content)] + ([(readable[1], readable[0])] if readable else [])
        existing = set(self.attachment_ids.mapped("name"))
        new = self.env["ir.attachment"].sudo().create([
            {"name": name, "raw": data, "res_model": self._name, "res_id": self.id}
            for name, data in files if name not in existing])
        if new:
            self.sudo().attachment_ids = [Command.link(a.id) for a in new]
        return files

    def _l10n_fr_pa_set_error(self, code, message):
        self.sudo().write({"state": "error", "error_code": code, "error_message": message})
        self.message_post(body=self.env._("%(code)s: %(message)s", code=code, message=message))

    # ------------------------------------------------------------------ files
    @api.model
    def _l10n_fr_pa_import_file(self, content, filename, company=None):
        """Import a Factur-X / CII / UBL file received outside the platform; returns the record."""
        company = company or self.env.company
        record = self.sudo().create({"company_id": company.id, "file_name": filename}).sudo(False)
        record.with_company(company)._l10n_fr_pa_import(content, filename)
        return record

    # ------------------------------------------------------------------ buttons
    def action_retry(self):
        """Download (when from the platform) and import again a record in error."""
        for record in self:
            if record.move_id:
                raise UserError(self.env._(
                    "%(name)s already has its bill %(bill)s: correct the bill itself.",
                    name=record.display_name, bill=record.move_id.display_name))
            original = record.attachment_ids.filtered(
                lambda a, name=record.file_name: a.name == name)[:1]
            if record.flow_id:
                connection = self.env["l10n_fr_pa.connection"]._for_company(record.company_id)
                flow = {"flowId": record.flow_id, "flowSyntax": record.flow_syntax,
                        "name": record.file_name}
                try:
                    client = connection._get_flow_client()
                    self.with_company(record.company_id)._l10n_fr_pa_receive_flow(
                        connection, client, flow, record)
                except AfnorError as exc:
                    self.env["l10n_fr_pa.messages"]._raise_user_error(exc)
            elif original:
                record.with_company(record.company_id)._l10n_fr_pa_import(
                    original.raw, record.file_name)
            else:
                raise UserError(self.env._("%(name)s has no file to import again.",
                                           name=record.display_name))
        return True

    def action_open_bill(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window", "res_model": "account.move",
            "res_id": self.move_id.id, "view_mode": "form",
        }
