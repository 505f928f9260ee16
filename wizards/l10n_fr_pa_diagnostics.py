# Copyright 2026 The l10n_fr_einvoice_pa authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The administrators' diagnostics page (seed 001 §7).

Configuration and token state, last automatic sync, counters, errors with Retry, and
"Check an invoice on the platform": the platform's metadata and status history next to
what Odoo stored, to explain a difference before opening a support ticket.
"""

from datetime import datetime, timezone

from markupsafe import Markup
from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import format_datetime

from ..einvoicing.afnor import AfnorError
from ..einvoicing.errors import InputError
from ..models.l10n_fr_pa_sync import LC_TYPES

DATE_KEYS = ("submittedAt", "updatedAt")


class L10nFrPaDiagnostics(models.TransientModel):
    _name = "l10n_fr_pa.diagnostics"
    _description = "E-invoicing diagnostics"

    company_id = fields.Many2one("res.company", required=True, readonly=True,
                                 default=lambda s: s.env.company)
    connection_id = fields.Many2one("l10n_fr_pa.connection", compute="_compute_state")
    configured = fields.Boolean(compute="_compute_state")
    token_state = fields.Selection(related="connection_id.token_state")
    token_valid_until = fields.Datetime(related="connection_id.token_valid_until")
    last_auto_sync = fields.Datetime(related="connection_id.last_auto_sync")
    webhook_url = fields.Char(related="connection_id.webhook_url")
    count_sent = fields.Integer(string="Invoices sent", compute="_compute_state")
    count_events = fields.Integer(string="Events synchronised", compute="_compute_state")
    count_errors = fields.Integer(string="Errors", compute="_compute_state")
    error_ids = fields.Many2many("l10n_fr_pa.error", compute="_compute_state")
    reference = fields.Char(string="Invoice reference",
                            help="Number of a customer invoice, or vendor reference of a bill.")
    check_html = fields.Html(readonly=True, sanitize=False)

    @api.model
    def _open(self, company):
        wizard = self.create({"company_id": company.id})
        return {"type": "ir.actions.act_window", "res_model": self._name, "res_id": wizard.id,
                "view_mode": "form", "target": "new",
                "name": self.env._("E-invoicing diagnostics")}

    @api.depends("company_id")
    def _compute_state(self):
        Connection = self.env["l10n_fr_pa.connection"]
        for wiz in self:
            company = wiz.company_id
            errors = self.env["l10n_fr_pa.error"].search([("company_id", "=", company.id)])
            wiz.connection_id = Connection._for_company(company, raise_if_missing=False)
            wiz.configured = bool(wiz.connection_id)
            wiz.count_sent = self.env["account.move"].search_count(
                [("company_id", "=", company.id), ("l10n_fr_pa_state", "=", "sent")])
            wiz.count_events = self.env["l10n_fr_pa.event"].search_count(
                [("company_id", "=", company.id)])
            wiz.count_errors = len(errors)
            wiz.error_ids = errors

    def action_refresh(self):
        self.ensure_one()
        return self._open(self.company_id)

    # ------------------------------------------------------------------ check an invoice
    def action_check_invoice(self):
        """Ask the platform about ``reference`` and show it next to Odoo's data."""
        self.ensure_one()
        if not (self.reference or "").strip():
            raise UserError(self.env._("Enter the invoice reference to check."))
        ref = self.reference.strip()
        conn = self.env["l10n_fr_pa.connection"]._for_company(self.company_id)
        move = self.env["account.move"].search([
            ("company_id", "=", self.company_id.id), "|", ("name", "=", ref), ("ref", "=", ref),
        ], limit=1)
        try:
            metadata, platform_events = self._platform_view(conn, move, ref)
        except AfnorError as exc:
            self.env["l10n_fr_pa.messages"]._raise_user_error(exc)
        self.check_html = self._render(ref, move, metadata, platform_events)
        return {"type": "ir.actions.act_window", "res_model": self._name, "res_id": self.id,
                "view_mode": "form", "target": "new",
                "name": self.env._("E-invoicing diagnostics")}

    def _platform_view(self, conn, move, ref):
        """(flow metadata or None, platform events referring to ``ref``) from the platform."""
        client = conn._get_flow_client()
        metadata = None
        if move and move.l10n_fr_pa_flow_id:
            metadata = client.get_flow(move.l10n_fr_pa_flow_id)
        elif move and move.l10n_fr_pa_tracking_id:
            metadata = client.find_by_tracking_id(move.l10n_fr_pa_tracking_id)
        sync = self.env["l10n_fr_pa.synchronizer"]
        events = []
        for flow in client.iter_flows(flow_type=list(LC_TYPES)):
            try:
                event = sync._event_of_flow(client, flow["flowId"])
            except (AfnorError, InputError):
                continue  # listed as sync errors by the synchronisation itself
            if event.invoice_number == ref:
                events.append(event)
        events.sort(key=lambda e: e.timestamp)
        return metadata, events

    def _metadata_labels(self):
        """Readable labels of the platform's flow metadata keys, in display order."""
        return {
            "flowId": self.env._("Platform ID"),
            "trackingId": self.env._("Tracking ID"),
            "name": self.env._("File name"),
            "flowType": self.env._("Flow type"),
            "flowDirection": self.env._("Direction"),
            "flowSyntax": self.env._("Format"),
            "flowProfile": self.env._("Profile"),
            "submittedAt": self.env._("Submitted on"),
            "updatedAt": self.env._("Updated on"),
        }

    def _when(self, value):
        """A platform timestamp (ISO text or datetime, UTC) in the user's time zone."""
        if isinstance(value, str):
            try:
                value = datetime.fromisoformat(value.replace("Z", "+00:00"))
            except ValueError:
                return value  # not a date: shown as the platform wrote it
        if value.tzinfo:
            value = value.astimezone(timezone.utc).replace(tzinfo=None)
        return format_datetime(self.env, value.replace(microsecond=0), dt_format=False)

    def _reason(self, reason_code, reason_text):
        """The reason as "CODE - label (text)", in the user's language."""
        if not (reason_code or reason_text):
            return ""
        label = self.env["l10n_fr_pa.event"]._reason_label(reason_code)
        if reason_text and reason_text not in label:
            label = f"{label} ({reason_text})" if label else reason_text
        return label

    def _metadata_table(self, metadata):
        rows = Markup("").join(
            Markup("<tr><th>%s</th><td>%s</td></tr>") % (
                label, self._when(metadata[key]) if key in DATE_KEYS else metadata[key])
            for key, label in self._metadata_labels().items() if metadata.get(key))
        ack = (metadata.get("acknowledgement") or {}).get("status")
        rows += Markup("<tr><th>%s</th><td>%s</td></tr>") % (
            self.env._("Acknowledgement"), ack or "-")
        return Markup('<table class="table table-sm">%s</table>') % rows

    def _render(self, ref, move, metadata, platform_events):
        odoo_events = move.l10n_fr_pa_event_ids if move else self.env["l10n_fr_pa.event"]
        stored = set(odoo_events.mapped("platform_message_id"))
        on_platform = {e.message_id for e in platform_events}
        label = self.env["l10n_fr_pa.event"]._status_label
        parts = [Markup("<h5>%s</h5>") % (
            self.env._("Odoo: %(name)s", name=move.display_name) if move
            else self.env._("No invoice %(ref)s in Odoo.", ref=ref))]
        if metadata:
            parts.append(self._metadata_table(metadata))
        else:
            parts.append(Markup("<p>%s</p>") % self.env._(
                "The platform has no flow for this invoice (it was not sent from Odoo)."))
        row = Markup("<tr><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td></tr>")
        head = Markup("<tr><th>%s</th><th>%s</th><th>%s</th><th>%s</th><th>%s</th></tr>") % (
            self.env._("Date"), self.env._("Status"), self.env._("Reason"),
            self.env._("On the platform"), self.env._("In Odoo"))
        rows = [row % (
            self._when(e.timestamp), f"{e.status_code} {label(e.status_code)}",
            self._reason(e.reason_code, e.reason_text), "✔",
            "✔" if e.message_id in stored else self.env._("missing")) for e in platform_events]
        rows += [row % (
            self._when(e.event_datetime), f"{e.code} {e.label}",
            self._reason(e.reason_code, e.reason_text), self.env._("missing"), "✔")
            for e in odoo_events if e.platform_message_id not in on_platform]
        parts.append(Markup('<table class="table table-sm">%s%s</table>') % (
            head, Markup("").join(rows)))
        return Markup("").join(parts)
