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

State: ``l10n_fr_pa_state`` goes to "sending" when the tracking id is written, then to
"sent" or "error"; a failure is recorded in the diagnostics (kind "send") at that moment
and resolved when the move is sent, from any button.
"""

import logging

from odoo import fields, models
from odoo.exceptions import UserError
from odoo.tools import mute_logger
from psycopg2 import errors as pg_errors

from ..einvoicing import identifiers
from ..einvoicing.afnor import AfnorError

_logger = logging.getLogger(__name__)

ERROR_KIND = "send"
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
        move.write({"l10n_fr_pa_tracking_id": tracking_id, "l10n_fr_pa_state": "sending"})
        move.flush_recordset(["l10n_fr_pa_tracking_id", "l10n_fr_pa_state"])
        try:
            seller = self._party_ids(connection, move.company_id.partner_id,
                                     seller_siren, move.company_id._l10n_fr_pa_siret())
            buyer = self._recipient_ids(connection, move, buyer_siren)
            syntax = self._get_invoice_syntax(move, connection)
            content, filename, _report, mimetype = self._document(
                move, seller, buyer, syntax, pdf, strict=True)
            client = connection._get_flow_client()
            # A previous attempt may have reached the platform: look it up first. A first
            # attempt relies on the platform's trackingId unicity (the client resolves
            # AlreadyExistingFlow and lost answers by trackingId).
            flow = (tried_before and client.find_by_tracking_id(tracking_id)) or \
                client.submit_flow(content, filename, syntax, tracking_id,
                                   processing_rule=self._get_processing_rule(move))
        except AfnorError as error:
            return self._fail(move, error)
        self._apply_flow(move, flow)
        attachment = self._attach(move, content, filename, mimetype)
        message = self.env._(
            "%(move)s was sent to the platform (platform ID %(flow)s).",
            move=move.name, flow=move.l10n_fr_pa_flow_id)
        move._message_log(body=message, attachment_ids=attachment.ids)
        return move, "success", message

    # ------------------------------------------------------------------ checks
    def _check_sendable(self, move):
        """(connection, sender SIREN) or UserError; no HTTP here."""
        move.ensure_one()
        if not move.is_sale_document():
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

    def _recipient_ids(self, connection, move, siren):
        """(siren, siret, 0225 address) of the customer, from its directory line read
        before each send (reused for a few minutes); UserError when it has no line or the
        line is disabled or not active yet. Without a directory (Qonto, A-Cube, or no
        directory URL), as for the seller: the stored address, else the SIREN."""
        contact = move.partner_id
        partner = move.commercial_partner_id
        if not connection._has_directory():
            # A platform API without directory: the stored address, else the SIREN.
            return self._party_ids(connection, partner, siren, partner._l10n_fr_pa_siret())
        address, status = contact._l10n_fr_pa_directory_line(connection)
        if not address or status == "none":
            raise self._no_line_error(partner, siren)
        if status != "Enabled":
            raise UserError(self.env._(
                "The directory line %(line)s of %(name)s is %(status)s: invoices cannot be "
                "sent to it. Ask the customer which platform receives its invoices, then "
                "use \"Check in the directory\" on the contact. Nothing was sent.",
                line=address, name=partner.display_name,
                status=dict(partner._fields["l10n_fr_pa_directory_status"]
                            ._description_selection(self.env))[status]))
        if address != partner._l10n_fr_pa_electronic_address():
            partner._l10n_fr_pa_store_electronic_address(address)
        return siren, partner._l10n_fr_pa_siret(), address

    def _no_line_error(self, partner, siren):
        return UserError(self.env._(
            "%(name)s (SIREN %(siren)s) has no electronic address in the e-invoicing "
            "directory: it cannot receive invoices through a platform yet. Send this "
            "invoice through your usual channel. Nothing was sent.",
            name=partner.display_name, siren=siren))

    def _get_processing_rule(self, move):
        """AFNOR processingRule: B2G for a public entity of the directory, else B2B."""
        if move.commercial_partner_id.l10n_fr_pa_directory_public:
            return "B2G"
        return PROCESSING_RULE

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
            raise self._no_line_error(partner, siren)
        partner._l10n_fr_pa_store_electronic_address(address)
        return siren, siret, address

    # ------------------------------------------------------------------ documents
    def _get_invoice_syntax(self, move, connection):
        """Flow syntax of this move's e-invoice: the connection's (Factur-X, CII or UBL)."""
        return connection.invoice_syntax or FLOW_SYNTAX

    def _facturx(self, move, seller, buyer, pdf=None, strict=True):
        """(pdf bytes, filename, validation report); UserError listing findings when strict."""
        content, filename, report, _mimetype = self._document(
            move, seller, buyer, FLOW_SYNTAX, pdf, strict)
        return content, filename, report

    def _document(self, move, seller, buyer, syntax, pdf=None, strict=True):
        """(content, filename, validation report, mimetype) of the e-invoice in ``syntax``
        (Factur-X PDF, CII or UBL XML); UserError listing findings when strict."""
        from ..einvoicing import facturx, validation
        from ..einvoicing.syntax import to_cii, to_ubl

        invoice = self.env["l10n_fr_pa.invoice.mapper"]._invoice(move, seller, buyer)
        if syntax == "UBL":
            xml = to_ubl(invoice)
            report = validation.validate_ubl(xml)
        else:
            xml = to_cii(invoice)
            report = validation.validate_cii(xml)
        if strict and not report.valid:
            raise UserError(self.env._(
                "The %(syntax)s e-invoice of %(move)s does not pass the official checks, so "
                "it was not sent:\n%(findings)s", syntax=syntax, move=move.name,
                findings=findings_text(report.errors)))
        stem = move.name.replace("/", "_")
        if syntax != FLOW_SYNTAX:
            return xml, f"{stem}-{syntax.lower()}.xml", report, "application/xml"
        if not (pdf and pdf.startswith(b"%PDF")):
            pdf = move.invoice_pdf_report_id.raw if move.invoice_pdf_report_id else None
        content = facturx.embed(xml, pdf if pdf and pdf.startswith(b"%PDF") else None)
        return content, f"{stem}-factur-x.pdf", report, "application/pdf"

    def _attach(self, move, content, filename, mimetype="application/pdf"):
        return self.env["ir.attachment"].create({
            "name": filename,
            "raw": content,
            "mimetype": mimetype,
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
            self.env["l10n_fr_pa.messages"]._raise_user_error(error)
        address = self.env["l10n_fr_pa.invoice.mapper"]._foreign_address(move)
        content, filename, report = self._facturx(
            move, seller, (None, None, address), pdf, strict=False)
        attachment = self._attach(move, content, filename)
        message = self.env._(
            "%(move)s was not sent to the platform: %(partner)s is not established in France "
            "and the e-invoicing reform only covers invoices between companies established in "
            "France. Its Factur-X %(file)s is attached: send it to the customer through your "
            "usual channel.", move=move.name, partner=partner.display_name, file=filename)
        message += "\n" + self.env["l10n_fr_pa.ereport"]._get_carrying_message(move)
        if not report.valid:
            message += "\n" + self.env._(
                "Warning, the Factur-X has these findings:\n%(findings)s",
                findings=findings_text(report.errors))
        move._message_log(body=message, attachment_ids=attachment.ids)
        return move, "warning", message

    # ------------------------------------------------------------------ results
    def _get_acknowledgement_error(self, flow):
        """The user's text of a flow the platform acknowledged with an error, else False."""
        ack = flow.get("acknowledgement") or {}
        if ack.get("status") != "Error":
            return False
        said = "; ".join(
            f"{d.get('reasonCode')}: {d.get('reasonMessage')}"
            for d in ack.get("details") or []) or self.env._("The platform refused the flow.")
        return self.env["l10n_fr_pa.messages"]._with_platform_words(
            self.env._("The platform reported a problem with this document."), said)

    def _prepare_flow_vals(self, move, flow):
        """The move's values that match the platform's flow metadata."""
        error = self._get_acknowledgement_error(flow)
        vals = {
            "l10n_fr_pa_flow_id": flow["flowId"],
            "l10n_fr_pa_state": "error" if error else "sent",
            "l10n_fr_pa_error": error,
            "l10n_fr_pa_last_sync": fields.Datetime.now(),
        }
        if flow.get("trackingId"):
            vals["l10n_fr_pa_tracking_id"] = flow["trackingId"]
        if not move.l10n_fr_pa_badge:
            vals["l10n_fr_pa_badge"] = "pending"
        return vals

    def _apply_flow(self, move, flow):
        """Make the move match the platform's flow; its sending errors are resolved."""
        move.write(self._prepare_flow_vals(move, flow))
        self.env["l10n_fr_pa.error"]._resolve(move.company_id, ERROR_KIND, moves=move)

    def _update_sent(self, move, connection):
        """Already sent: nothing is sent again; local data updated from the platform."""
        try:
            flow = connection._get_flow_client().get_flow(move.l10n_fr_pa_flow_id)
        except AfnorError as error:
            return self._fail(move, error, already_sent=True)
        self._apply_flow(move, flow)
        return move, "info", self.env._(
            "%(move)s was already sent to the platform (platform ID %(flow)s): nothing was "
            "sent again, its information was updated from the platform.",
            move=move.name, flow=move.l10n_fr_pa_flow_id)

    def _fail(self, move, error, already_sent=False):
        """Say a failed platform call on the move and in the diagnostics; returned, not raised.

        A move already sent keeps its state: only the update from the platform failed.
        """
        _logger.info("E-invoicing: platform call for move %s failed: %r", move.id, error)
        Messages = self.env["l10n_fr_pa.messages"]
        if already_sent:
            message = Messages._with_platform_words(
                Messages._user_message(error), error.platform_message)
            move.write({"l10n_fr_pa_error": message})
        else:
            message = Messages._send_failed(move, error)
            self._set_error(move, message, code=error.code)
        move._message_log(body=message)
        return move, "danger", message

    def _set_error(self, move, message, code=None):
        """``move`` could not be sent: its state, its text, and a line in the diagnostics."""
        move.write({"l10n_fr_pa_state": "error", "l10n_fr_pa_error": message})
        self.env["l10n_fr_pa.error"]._record(
            move.company_id, ERROR_KIND, message, code=code, move=move)

    def _retry_error(self, error):
        """Retry of a failed sending: send the move again (never a second flow)."""
        self._send_one(error.move_id)
