# Copyright 2026 The l10n_fr_einvoice_pa authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Status messages (CDAR) we emit about a move: pre-filled amounts, build, record."""

import dataclasses
from collections import defaultdict

from odoo import models
from odoo.exceptions import UserError

TYPE_CODES = {"out_invoice": "380", "out_refund": "381", "in_invoice": "380", "in_refund": "381"}


class AccountMove(models.Model):
    _inherit = "account.move"

    def _l10n_fr_pa_amounts_per_rate(self, share=None):
        """[(vat rate, amount tax included)], scaled to ``share`` (e.g. the residual).

        The rounding difference of the scaling goes to the last rate so the lines add up
        exactly to ``share``.
        """
        self.ensure_one()
        currency = self.currency_id
        groups = defaultdict(float)
        for line in self.invoice_line_ids.filtered(lambda x: x.display_type == "product"):
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

    def _l10n_fr_pa_status_refs(self):
        """(number, date, seller SIREN, buyer SIREN, type code) of the invoice a status is about."""
        self.ensure_one()
        company_siren = self.company_id._l10n_fr_pa_siren()
        partner_siren = self.commercial_partner_id._l10n_fr_pa_siren()
        if self.move_type in ("out_invoice", "out_refund"):
            return (self.name, self.invoice_date, company_siren, partner_siren,
                    TYPE_CODES[self.move_type])
        return (self.ref or self.name, self.invoice_date, partner_siren, company_siren,
                TYPE_CODES.get(self.move_type, "380"))

    def _l10n_fr_pa_build_cdar(self, action, amounts, reason_code, message, message_id):
        """The CDAR bytes, built by the core and checked by the official rules."""
        from ..einvoicing import cdar, validation

        number, date, seller, buyer, type_code = self._l10n_fr_pa_status_refs()
        try:
            xml = cdar.build_cdar(cdar.StatusMessage(
                status_code=action.status_code, invoice_number=number, invoice_date=date,
                seller_siren=seller, buyer_siren=buyer, issuer_role=action.issuer_role,
                reason_code=reason_code, message=message, amounts=amounts,
                message_id=message_id, invoice_type_code=type_code,
            ))
        except cdar.CdarError as exc:
            raise UserError(self.env._(
                "The status message cannot be built: %(detail)s Nothing was sent.",
                detail=str(exc))) from exc
        report = validation.validate_cdar(xml)
        if not report.valid:
            raise UserError(self.env._(
                "The status message does not pass the official checks, so it was not sent:\n"
                "%(findings)s", findings=self._l10n_fr_pa_findings_text(report.errors)))
        return xml

    def _l10n_fr_pa_record_own_status(self, connection, xml, flow):
        """Record the status we just sent as an event of this move (idempotent)."""
        from ..einvoicing import cdar

        event = cdar.parse_cdar(xml)
        event = dataclasses.replace(event, flow_id=self.l10n_fr_pa_flow_id or flow.get("flowId"))
        self.env["l10n_fr_pa.event"]._ingest(connection, [event])
        self._message_log(body=self.env._(
            "Status %(code)s sent to the platform (message %(message)s).",
            code=event.status_code, message=event.message_id))
