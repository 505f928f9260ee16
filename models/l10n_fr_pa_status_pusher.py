# Copyright 2026 The l10n_fr_einvoice_pa authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Status messages (CDAR) we emit about a move: pre-filled amounts, build, submit, record.

Service model ``l10n_fr_pa.status.pusher``, used by the "Change status" wizard and by the
automatic vendor statuses (``l10n_fr_pa.vendor.automation``); every method takes the move.
"""

import dataclasses
import logging
from collections import defaultdict

from odoo import models
from odoo.exceptions import UserError

from ..einvoicing.afnor import AfnorError
from .l10n_fr_pa_sender import findings_text

_logger = logging.getLogger(__name__)

TYPE_CODES = {"out_invoice": "380", "out_refund": "381", "in_invoice": "380", "in_refund": "381"}
REFUSED = 210


class L10nFrPaStatusPusher(models.AbstractModel):
    _name = "l10n_fr_pa.status.pusher"
    _description = "E-invoicing: send our lifecycle statuses to the platform"

    def _amounts_per_rate(self, move, share=None):
        """[(vat rate, amount tax included)], scaled to ``share`` (e.g. the residual).

        The rounding difference of the scaling goes to the last rate so the lines add up
        exactly to ``share``.
        """
        move.ensure_one()
        currency = move.currency_id
        groups = defaultdict(float)
        for line in move.invoice_line_ids.filtered(lambda x: x.display_type == "product"):
            groups[line.tax_ids[:1].amount if line.tax_ids else 0.0] += line.price_total
        items = [(rate, currency.round(amount)) for rate, amount in sorted(groups.items())]
        total = sum(amount for _rate, amount in items)
        if share is None or not total or currency.compare_amounts(share, total) == 0:
            return [(rate, amount) for rate, amount in items if amount > 0]
        scaled = [(rate, currency.round(amount * share / total)) for rate, amount in items]
        if scaled:
            rate, amount = scaled[-1]
            scaled[-1] = (rate, currency.round(amount + share - sum(a for _r, a in scaled)))
        return [(rate, amount) for rate, amount in scaled if amount > 0]

    def _status_refs(self, move):
        """(number, date, seller SIREN, buyer SIREN, type code) of the invoice a status is about."""
        move.ensure_one()
        company_siren = move.company_id._l10n_fr_pa_siren()
        partner_siren = move.commercial_partner_id._l10n_fr_pa_siren()
        if move.is_sale_document():
            return (move.name, move.invoice_date, company_siren, partner_siren,
                    TYPE_CODES[move.move_type])
        return (move.ref or move.name, move.invoice_date, partner_siren, company_siren,
                TYPE_CODES.get(move.move_type, "380"))

    def _get_recipient_address(self, move):
        """The counterpart's 0225 address for a status about ``move``: its current directory
        line (read again unless checked in the last minutes), else the address stored on
        it, else None (the core then uses its SIREN, the base address)."""
        partner = move.commercial_partner_id
        if not partner._l10n_fr_pa_is_french():
            return None
        try:
            address, status = partner._l10n_fr_pa_directory_line(
                move.company_id._l10n_fr_pa_connection())
        except (AfnorError, UserError) as error:
            _logger.info("E-invoicing: directory look-up of partner %s failed: %r",
                         partner.id, error)
            address, status = False, None
        if address and status == "Enabled":
            return address
        return partner._l10n_fr_pa_electronic_address() or None

    def _build_cdar(self, move, action, amounts, reason_code, message, message_id,
                    characteristics=None):
        """The CDAR bytes, built by the core and checked by the official rules."""
        from ..einvoicing import validation
        from ..einvoicing.lifecycle import cdar

        number, date, seller, buyer, type_code = self._status_refs(move)
        try:
            xml = cdar.build_cdar(cdar.StatusMessage(
                status_code=action.status_code, invoice_number=number, invoice_date=date,
                seller_siren=seller, buyer_siren=buyer, issuer_role=action.issuer_role,
                reason_code=reason_code, message=message, amounts=amounts,
                message_id=message_id, invoice_type_code=type_code,
                characteristics=characteristics or [],
                recipient_address=self._get_recipient_address(move),
            ))
        except cdar.CdarError as exc:
            raise UserError(self.env["l10n_fr_pa.messages"]._status_not_built(exc)) from exc
        report = validation.validate_cdar(xml)
        if not report.valid:
            raise UserError(self.env._(
                "The status message does not pass the official checks, so it was not sent:\n"
                "%(findings)s", findings=findings_text(report.errors)))
        return xml

    def _submit(self, move, action, amounts, reason_code, message, message_id,
                characteristics=None, lookup_first=False):
        """Build, check, submit and record one status message about ``move``.

        ``lookup_first``: look for a flow already sent with this message id (its tracking
        id) and keep it instead of sending again (automatic retries after a crash).
        """
        connection = move.company_id._l10n_fr_pa_connection()
        xml = self._build_cdar(move, action, amounts, reason_code, message, message_id,
                               characteristics)
        tracking_id = f"cdar-{message_id}"
        try:
            client = connection._get_flow_client()
            flow = (lookup_first and client.find_by_tracking_id(tracking_id)) or \
                client.submit_flow(xml, f"CDAR-{message_id}.xml", "CDAR", tracking_id)
        except AfnorError as error:
            self.env["l10n_fr_pa.messages"]._raise_user_error(error)
        self._record_own_status(move, connection, xml, flow)
        return xml

    def _record_own_status(self, move, connection, xml, flow):
        """Record the status we just sent as an event of the move (idempotent).

        A vendor bill we refused (210) is cancelled so it is not paid.
        """
        from ..einvoicing.lifecycle import cdar

        event = cdar.parse_cdar(xml)
        event = dataclasses.replace(event, flow_id=move.l10n_fr_pa_flow_id or flow.get("flowId"))
        self.env["l10n_fr_pa.event"]._ingest(connection, [event])
        move._message_log(body=self.env._(
            "Status %(code)s sent to the platform (message %(message)s).",
            code=event.status_code, message=event.message_id))
        if move.is_purchase_document() and event.status_code == REFUSED:
            self.env["l10n_fr_pa.vendor.automation"]._cancel_refused(move)
