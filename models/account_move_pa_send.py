# Copyright 2026 The l10n_fr_einvoice_pa authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Sending a customer invoice or credit note to the platform, idempotently.

Idempotency: the tracking id is deterministic per move (database uuid + move id) and
written before any call; the move row is locked (``FOR UPDATE NOWAIT``) for the whole
send, so a double click or two users at once cannot both submit; a retry after a lost
answer, a crash or a failure looks the tracking id up on the platform first and only
submits when the platform does not have it. No commit in here.
"""

import logging

from odoo import fields, models
from odoo.exceptions import UserError
from odoo.tools import mute_logger
from psycopg2 import errors as pg_errors

from ..einvoicing import identifiers
from ..einvoicing.afnor import AfnorError

_logger = logging.getLogger(__name__)

OUT_TYPES = ("out_invoice", "out_refund")
FLOW_SYNTAX = "Factur-X"
PROCESSING_RULE = "B2B"


class AccountMove(models.Model):
    _inherit = "account.move"

    # ------------------------------------------------------------------ entry points
    def _l10n_fr_pa_send_many(self, pdf_by_move=None):
        """Send each move; returns ``[(move, level, message)]``.

        A refused check on one move (UserError) is reported and rolled back to its own
        savepoint; the other moves go on. With a single move, the UserError is raised.
        """
        results = []
        for move in self:
            pdf = (pdf_by_move or {}).get(move.id)
            if len(self) == 1:
                return [move._l10n_fr_pa_send_one(pdf)]
            try:
                with self.env.cr.savepoint():
                    results.append(move._l10n_fr_pa_send_one(pdf))
            except UserError as exc:
                results.append((move, "danger", f"{move.name}: {exc.args[0]}"))
        return results

    def _l10n_fr_pa_send_one(self, pdf=None):
        """Checks, then Factur-X, then one flow; ``(move, level, message)``.

        Raises UserError when a check fails (nothing sent, nothing stored); a platform
        failure is stored on the move (exact message) and returned, not raised.
        """
        self.ensure_one()
        connection, seller_siren = self._l10n_fr_pa_check_sendable()
        partner = self.commercial_partner_id
        if not partner._l10n_fr_pa_is_french():
            return self._l10n_fr_pa_keep_foreign(connection, seller_siren, pdf)
        buyer_siren = partner._l10n_fr_pa_siren()
        self._l10n_fr_pa_lock()
        if self.l10n_fr_pa_flow_id:
            return self._l10n_fr_pa_update_sent(connection)
        tracking_id = self._l10n_fr_pa_tracking_id()
        tried_before = bool(self["l10n_fr_pa_tracking_id"])
        self.write({"l10n_fr_pa_tracking_id": tracking_id})
        self.flush_recordset(["l10n_fr_pa_tracking_id"])
        try:
            seller = self._l10n_fr_pa_party_ids(connection, self.company_id.partner_id,
                                                 seller_siren, self.company_id._l10n_fr_pa_siret())
            buyer = self._l10n_fr_pa_party_ids(connection, partner, buyer_siren,
                                                partner._l10n_fr_pa_siret())
            content, filename, _report = self._l10n_fr_pa_facturx(seller, buyer, pdf, strict=True)
            client = connection._get_flow_client()
            # A previous attempt may have reached the platform: look it up first. A first
            # attempt relies on the platform's trackingId unicity (the client resolves
            # AlreadyExistingFlow and lost answers by trackingId).
            flow = (tried_before and client.find_by_tracking_id(tracking_id)) or \
                client.submit_flow(content, filename, FLOW_SYNTAX, tracking_id,
                                   processing_rule=PROCESSING_RULE)
        except AfnorError as error:
            return self._l10n_fr_pa_fail(connection, error)
        self._l10n_fr_pa_apply_flow(flow)
        attachment = self._l10n_fr_pa_attach(content, filename)
        message = self.env._(
            "%(move)s was sent to the platform (platform ID %(flow)s).",
            move=self.name, flow=self.l10n_fr_pa_flow_id)
        self._message_log(body=message, attachment_ids=attachment.ids)
        return self, "success", message

    # ------------------------------------------------------------------ checks
    def _l10n_fr_pa_check_sendable(self):
        """(connection, sender SIREN) or UserError; no HTTP here."""
        self.ensure_one()
        if self.move_type not in OUT_TYPES:
            raise UserError(self.env._(
                "%(move)s is not a customer invoice or credit note: only those are sent to "
                "the platform.", move=self.display_name))
        if self.state != "posted":
            raise UserError(self.env._(
                "%(move)s is not confirmed: confirm (post) it before sending it to the "
                "platform. Nothing was sent.", move=self.display_name))
        connection = self.company_id._l10n_fr_pa_connection()
        return connection, self.company_id._l10n_fr_pa_siren()

    def _l10n_fr_pa_lock(self):
        """Lock the move rows for this transaction, or tell the user someone else is sending."""
        try:
            with self.env.cr.savepoint(flush=False), mute_logger("odoo.sql_db"):
                self.env.cr.execute(
                    "SELECT id FROM account_move WHERE id IN %s FOR UPDATE NOWAIT",
                    [tuple(self.ids)])
        except (pg_errors.LockNotAvailable, pg_errors.SerializationFailure) as exc:
            raise UserError(self.env._(
                "%(move)s is being sent to the platform by someone else right now. Wait a few "
                "seconds and reload the page: it will not be sent twice.",
                move=self.display_name)) from exc
        self.invalidate_recordset(["l10n_fr_pa_flow_id", "l10n_fr_pa_tracking_id"])

    def _l10n_fr_pa_tracking_id(self):
        """Deterministic per move and database (a resend reuses it); at most 64 characters."""
        self.ensure_one()
        dbuuid = self.env["ir.config_parameter"].sudo().get_param("database.uuid")
        return f"odoo-{dbuuid}-{self.id}"[:64]

    def _l10n_fr_pa_party_ids(self, connection, partner, siren, siret):
        """(siren, siret, 0225 address); the address from the directory when missing."""
        address = partner._l10n_fr_pa_electronic_address()
        if address:
            try:
                identifiers.validate_electronic_address(address, siren=siren)
            except identifiers.IdentifierError as exc:
                raise UserError(self.env._(
                    "The electronic address (0225) \"%(address)s\" of %(name)s does not match "
                    "its SIREN %(siren)s. Correct it on the contact (e-invoicing address) or "
                    "empty it so it is read from the directory again. Nothing was sent.",
                    address=address, name=partner.display_name, siren=siren)) from exc
            return siren, siret, address
        address, reachable = connection._get_directory_client().resolve_address(siren, siret)
        if not address or not reachable:
            raise UserError(self.env._(
                "%(name)s (SIREN %(siren)s) has no electronic address in the e-invoicing "
                "directory: it cannot receive invoices through a platform yet. Send this "
                "invoice through your usual channel. Nothing was sent.",
                name=partner.display_name, siren=siren))
        partner._l10n_fr_pa_store_electronic_address(address)
        return siren, siret, address

    # ------------------------------------------------------------------ Factur-X
    def _l10n_fr_pa_facturx(self, seller, buyer, pdf=None, strict=True):
        """(pdf bytes, filename, validation report); UserError listing findings when strict."""
        from ..einvoicing import cii, facturx, validation

        invoice = self._l10n_fr_pa_invoice(seller, buyer)
        xml = cii.to_cii(invoice)
        report = validation.validate_cii(xml)
        if strict and not report.valid:
            raise UserError(self.env._(
                "The Factur-X of %(move)s does not pass the official checks, so it was not "
                "sent:\n%(findings)s", move=self.name,
                findings=self._l10n_fr_pa_findings_text(report.errors)))
        if not (pdf and pdf.startswith(b"%PDF")):
            pdf = self.invoice_pdf_report_id.raw if self.invoice_pdf_report_id else None
        content = facturx.embed(xml, pdf if pdf and pdf.startswith(b"%PDF") else None)
        filename = f"{self.name.replace('/', '_')}-factur-x.pdf"
        return content, filename, report

    def _l10n_fr_pa_findings_text(self, findings):
        lines = []
        for finding in findings:
            where = finding.business_term or finding.location or ""
            lines.append(f"- {finding.message}" + (f" ({where}, {finding.rule_id})"
                                                    if where else f" ({finding.rule_id})"))
        return "\n".join(lines)

    def _l10n_fr_pa_attach(self, content, filename):
        return self.env["ir.attachment"].create({
            "name": filename,
            "raw": content,
            "mimetype": "application/pdf",
            "res_model": self._name,
            "res_id": self.id,
        })

    def _l10n_fr_pa_keep_foreign(self, connection, seller_siren, pdf):
        """Foreign customer: Factur-X generated and attached, not sent; say why."""
        partner = self.commercial_partner_id
        try:
            seller = self._l10n_fr_pa_party_ids(
                connection, self.company_id.partner_id, seller_siren,
                self.company_id._l10n_fr_pa_siret())
        except AfnorError as error:
            connection._raise_user_error(error)
        content, filename, report = self._l10n_fr_pa_facturx(
            seller, (None, None, self._l10n_fr_pa_foreign_address()), pdf, strict=False)
        attachment = self._l10n_fr_pa_attach(content, filename)
        message = self.env._(
            "%(move)s was not sent to the platform: %(partner)s is not established in France "
            "and the e-invoicing reform only covers invoices between companies established in "
            "France. Its Factur-X %(file)s is attached: send it to the customer through your "
            "usual channel.", move=self.name, partner=partner.display_name, file=filename)
        if not report.valid:
            message += "\n" + self.env._(
                "Warning, the Factur-X has these findings:\n%(findings)s",
                findings=self._l10n_fr_pa_findings_text(report.errors))
        self._message_log(body=message, attachment_ids=attachment.ids)
        return self, "warning", message

    # ------------------------------------------------------------------ results
    def _l10n_fr_pa_apply_flow(self, flow):
        """Make the move match the platform's flow metadata."""
        ack = flow.get("acknowledgement") or {}
        error = False
        if ack.get("status") == "Error":
            error = "; ".join(
                f"{d.get('reasonCode')}: {d.get('reasonMessage')}"
                for d in ack.get("details") or []) or self.env._("The platform refused the flow.")
        vals = {
            "l10n_fr_pa_flow_id": flow["flowId"],
            "l10n_fr_pa_error": error,
            "l10n_fr_pa_last_sync": fields.Datetime.now(),
        }
        if flow.get("trackingId"):
            vals["l10n_fr_pa_tracking_id"] = flow["trackingId"]
        if not self.l10n_fr_pa_badge:
            vals["l10n_fr_pa_badge"] = "pending"
        if not self.l10n_fr_pa_status_label:
            vals["l10n_fr_pa_status_label"] = self.env._("Submitted to the platform")
        self.write(vals)

    def _l10n_fr_pa_update_sent(self, connection):
        """Already sent: nothing is sent again; local data updated from the platform."""
        try:
            flow = connection._get_flow_client().get_flow(self.l10n_fr_pa_flow_id)
        except AfnorError as error:
            return self._l10n_fr_pa_fail(connection, error, already_sent=True)
        self._l10n_fr_pa_apply_flow(flow)
        return self, "info", self.env._(
            "%(move)s was already sent to the platform (platform ID %(flow)s): nothing was "
            "sent again, its information was updated from the platform.",
            move=self.name, flow=self.l10n_fr_pa_flow_id)

    def _l10n_fr_pa_fail(self, connection, error, already_sent=False):
        """Store the platform's exact message on the move; return it (not raised)."""
        _logger.info("E-invoicing: platform call for move %s failed: %r", self.id, error)
        self.l10n_fr_pa_error = error.platform_message or str(error)
        message = connection._user_message(error)
        if not already_sent:
            message = self.env._(
                "%(move)s could not be sent: %(reason)s You can send it again as many times as "
                "needed: it will never be duplicated.", move=self.name, reason=message)
        self._message_log(body=message)
        return self, "danger", message
