# Copyright 2026 The l10n_fr_einvoice_pa authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Sending a customer invoice or credit note to the platform, idempotently.

Service model ``l10n_fr_pa.move.sender``: every method takes the move(s) as argument;
``account.move`` keeps the buttons and Send & Print calls them.

Idempotency: the tracking id is deterministic per move (database uuid + move id) and
written before any call; the move row is locked (``FOR UPDATE NOWAIT``) for the whole
send, so a double click or two users at once cannot both submit; a retry after a lost
answer, a crash or a failure looks the tracking id up on the platform first and only
submits when the platform does not have it. No commit in here.
"""

import json
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


def findings_text(findings):
    """Validation findings as a bullet list for a user message."""
    lines = []
    for finding in findings:
        where = finding.business_term or finding.location or ""
        lines.append(f"- {finding.message}" + (f" ({where}, {finding.rule_id})"
                                                if where else f" ({finding.rule_id})"))
    return "\n".join(lines)


class L10nFrPaMoveSender(models.AbstractModel):
    _name = "l10n_fr_pa.move.sender"
    _description = "E-invoicing: send invoices to the platform"

    # ------------------------------------------------------------------ entry points
    def _send_many(self, moves, pdf_by_move=None):
        """Send each move; returns ``[(move, level, message)]``.

        A refused check on one move (UserError) is reported and rolled back to its own
        savepoint; the other moves go on. With a single move, the UserError is raised.
        """
        results = []
        for move in moves:
            pdf = (pdf_by_move or {}).get(move.id)
            if len(moves) == 1:
                return [self._send_one(move, pdf)]
            try:
                with self.env.cr.savepoint():
                    results.append(self._send_one(move, pdf))
            except UserError as exc:
                results.append((move, "danger", f"{move.name}: {exc.args[0]}"))
        return results

    def _send_one(self, move, pdf=None):
        """Checks, then Factur-X, then one flow; ``(move, level, message)``.

        Raises UserError when a check fails (nothing sent, nothing stored); a platform
        failure is stored on the move (exact message) and returned, not raised.
        """
        move.ensure_one()
        connection, seller_siren = self._check_sendable(move)
        partner = move.commercial_partner_id
        if not partner._l10n_fr_pa_is_french():
            return self._keep_foreign(move, connection, seller_siren, pdf)
        buyer_siren = partner._l10n_fr_pa_siren()
        self._lock(move)
        if move.l10n_fr_pa_flow_id:
            return self._update_sent(move, connection)
        tracking_id = self._tracking_id(move)
        tried_before = bool(move["l10n_fr_pa_tracking_id"])
        move.write({"l10n_fr_pa_tracking_id": tracking_id})
        move.flush_recordset(["l10n_fr_pa_tracking_id"])
        try:
            seller = self._party_ids(connection, move.company_id.partner_id,
                                     seller_siren, move.company_id._l10n_fr_pa_siret())
            buyer = self._party_ids(connection, partner, buyer_siren,
                                    partner._l10n_fr_pa_siret())
            content, filename, _report = self._facturx(move, seller, buyer, pdf, strict=True)
            client = connection._get_flow_client()
            # A previous attempt may have reached the platform: look it up first. A first
            # attempt relies on the platform's trackingId unicity (the client resolves
            # AlreadyExistingFlow and lost answers by trackingId).
            flow = (tried_before and client.find_by_tracking_id(tracking_id)) or \
                client.submit_flow(content, filename, FLOW_SYNTAX, tracking_id,
                                   processing_rule=PROCESSING_RULE)
        except AfnorError as error:
            return self._fail(move, connection, error)
        self._apply_flow(move, flow)
        attachment = self._attach(move, content, filename)
        message = self.env._(
            "%(move)s was sent to the platform (platform ID %(flow)s).",
            move=move.name, flow=move.l10n_fr_pa_flow_id)
        move._message_log(body=message, attachment_ids=attachment.ids)
        return move, "success", message

    # ------------------------------------------------------------------ checks
    def _check_sendable(self, move):
        """(connection, sender SIREN) or UserError; no HTTP here."""
        move.ensure_one()
        if move.move_type not in OUT_TYPES:
            raise UserError(self.env._(
                "%(move)s is not a customer invoice or credit note: only those are sent to "
                "the platform.", move=move.display_name))
        if move.state != "posted":
            raise UserError(self.env._(
                "%(move)s is not confirmed: confirm (post) it before sending it to the "
                "platform. Nothing was sent.", move=move.display_name))
        connection = move.company_id._l10n_fr_pa_connection()
        return connection, move.company_id._l10n_fr_pa_siren()

    def _lock(self, move):
        """Lock the move rows for this transaction, or tell the user someone else is sending."""
        try:
            with self.env.cr.savepoint(flush=False), mute_logger("odoo.sql_db"):
                self.env.cr.execute(
                    "SELECT id FROM account_move WHERE id IN %s FOR UPDATE NOWAIT",
                    [tuple(move.ids)])
        except (pg_errors.LockNotAvailable, pg_errors.SerializationFailure) as exc:
            raise UserError(self.env._(
                "%(move)s is being sent to the platform by someone else right now. Wait a few "
                "seconds and reload the page: it will not be sent twice.",
                move=move.display_name)) from exc
        move.invalidate_recordset(["l10n_fr_pa_flow_id", "l10n_fr_pa_tracking_id"])

    def _tracking_id(self, move):
        """Deterministic per move and database (a resend reuses it); at most 64 characters."""
        move.ensure_one()
        dbuuid = self.env["ir.config_parameter"].sudo().get_param("database.uuid")
        return f"odoo-{dbuuid}-{move.id}"[:64]

    def _party_ids(self, connection, partner, siren, siret):
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
        if not connection._has_directory() and connection.platform_api != "afnor":
            # no directory in this platform's API: the SIREN is the default 0225 address
            return siren, siret, siren
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
    def _facturx(self, move, seller, buyer, pdf=None, strict=True):
        """(pdf bytes, filename, validation report); UserError listing findings when strict."""
        from ..einvoicing import facturx, validation
        from ..einvoicing.syntax import cii

        invoice = self.env["l10n_fr_pa.invoice.mapper"]._invoice(move, seller, buyer)
        xml = cii.to_cii(invoice)
        report = validation.validate_cii(xml)
        if strict and not report.valid:
            raise UserError(self.env._(
                "The Factur-X of %(move)s does not pass the official checks, so it was not "
                "sent:\n%(findings)s", move=move.name,
                findings=findings_text(report.errors)))
        if not (pdf and pdf.startswith(b"%PDF")):
            pdf = move.invoice_pdf_report_id.raw if move.invoice_pdf_report_id else None
        content = facturx.embed(xml, pdf if pdf and pdf.startswith(b"%PDF") else None)
        filename = f"{move.name.replace('/', '_')}-factur-x.pdf"
        return content, filename, report

    def _attach(self, move, content, filename):
        return self.env["ir.attachment"].create({
            "name": filename,
            "raw": content,
            "mimetype": "application/pdf",
            "res_model": move._name,
            "res_id": move.id,
        })

    def _keep_foreign(self, move, connection, seller_siren, pdf):
        """Foreign customer: Factur-X generated and attached, not sent; say why."""
        partner = move.commercial_partner_id
        try:
            seller = self._party_ids(
                connection, move.company_id.partner_id, seller_siren,
                move.company_id._l10n_fr_pa_siret())
        except AfnorError as error:
            connection._raise_user_error(error)
        address = self.env["l10n_fr_pa.invoice.mapper"]._foreign_address(move)
        content, filename, report = self._facturx(
            move, seller, (None, None, address), pdf, strict=False)
        attachment = self._attach(move, content, filename)
        message = self.env._(
            "%(move)s was not sent to the platform: %(partner)s is not established in France "
            "and the e-invoicing reform only covers invoices between companies established in "
            "France. Its Factur-X %(file)s is attached: send it to the customer through your "
            "usual channel.", move=move.name, partner=partner.display_name, file=filename)
        if not report.valid:
            message += "\n" + self.env._(
                "Warning, the Factur-X has these findings:\n%(findings)s",
                findings=findings_text(report.errors))
        move._message_log(body=message, attachment_ids=attachment.ids)
        return move, "warning", message

    # ------------------------------------------------------------------ results
    def _apply_flow(self, move, flow):
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
            "l10n_fr_pa_error_info": False,
            "l10n_fr_pa_last_sync": fields.Datetime.now(),
        }
        if flow.get("trackingId"):
            vals["l10n_fr_pa_tracking_id"] = flow["trackingId"]
        if not move.l10n_fr_pa_badge:
            vals["l10n_fr_pa_badge"] = "pending"
        move.write(vals)

    def _update_sent(self, move, connection):
        """Already sent: nothing is sent again; local data updated from the platform."""
        try:
            flow = connection._get_flow_client().get_flow(move.l10n_fr_pa_flow_id)
        except AfnorError as error:
            return self._fail(move, connection, error, already_sent=True)
        self._apply_flow(move, flow)
        return move, "info", self.env._(
            "%(move)s was already sent to the platform (platform ID %(flow)s): nothing was "
            "sent again, its information was updated from the platform.",
            move=move.name, flow=move.l10n_fr_pa_flow_id)

    def _fail(self, move, connection, error, already_sent=False):
        """Store the platform's exact message on the move; return it (not raised)."""
        _logger.info("E-invoicing: platform call for move %s failed: %r", move.id, error)
        move.write({
            "l10n_fr_pa_error": error.platform_message or str(error),
            # enough to say it again in the reader's language (l10n_fr_pa_error_display)
            "l10n_fr_pa_error_info": json.dumps({
                "code": error.code, "http_status": error.http_status,
                "error_code": error.error_code, "message": str(error),
                "already_sent": already_sent}),
        })
        message = connection._user_message(error)
        if not already_sent:
            message = self.env._(
                "%(move)s could not be sent: %(reason)s You can send it again as many times as "
                "needed: it will never be duplicated.", move=move.name, reason=message)
        move._message_log(body=message)
        return move, "danger", message
