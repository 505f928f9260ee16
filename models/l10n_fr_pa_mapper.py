# Copyright 2026 The l10n_fr_einvoice_pa authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""account.move -> neutral ``einvoicing.invoice.Invoice`` (the core builds the CII from it).

Service model ``l10n_fr_pa.invoice.mapper``: every method takes the move as argument;
inherit it to change the mapping (e.g. ``_legal_notes``).

Odoo's own EDI helpers give the UN/ECE unit and VAT category codes
(``account.edi.common``); the French legal mentions come from an overridable hook.
"""

from decimal import ROUND_HALF_UP, Decimal

from odoo import models
from odoo.exceptions import UserError

from ..einvoicing.invoice import Invoice, InvoiceError

TYPE_CODES = {"out_invoice": "380", "out_refund": "381"}
PRICE_STEP = Decimal("0.000001")
QTY_STEP = Decimal("0.0001")


def _dec(value, step=Decimal("0.01")):
    return Decimal(str(value)).quantize(step, rounding=ROUND_HALF_UP)


def _address(partner):
    if not partner.country_id:
        return None
    return {
        "country_code": partner.country_id.code,
        "line1": partner.street or None,
        "line2": partner.street2 or None,
        "postcode": partner.zip or None,
        "city": partner.city or None,
    }


class L10nFrPaInvoiceMapper(models.AbstractModel):
    _name = "l10n_fr_pa.invoice.mapper"
    _description = "E-invoicing: invoice to neutral e-invoice mapping"

    def _legal_notes(self, move):
        """BR-FR-05 legal mentions (PMT, PMD, AAB); override to word them differently."""
        move.ensure_one()
        return [
            {"subject_code": "PMT", "content": self.env._(
                "Fixed compensation for recovery costs in case of late payment: 40 EUR.")},
            {"subject_code": "PMD", "content": self.env._(
                "Late payment penalties: three times the French legal interest rate.")},
            {"subject_code": "AAB", "content": self.env._("No discount for early payment.")},
        ]

    def _business_process(self, move):
        """BT-23: B1 goods, S1 services, M1 mixed or unknown (lines without product)."""
        lines = move.invoice_line_ids.filtered(lambda line: line.display_type == "product")
        types = {line.product_id.type if line.product_id else None for line in lines}
        if types == {"service"}:
            return "S1"
        if types == {"consu"}:
            return "B1"
        return "M1"

    def _party(self, partner, siren, siret, address):
        """Party dict; ``address`` is a 0225 address or a (scheme, value) pair."""
        partner = partner.commercial_partner_id
        scheme, value = address if isinstance(address, tuple) else ("0225", address)
        return {
            "name": partner.name,
            "siren": siren or None,
            "siret": siret or None,
            "vat_number": partner.vat or None,
            "address": _address(partner),
            "electronic_address": value or None,
            "electronic_address_scheme": scheme,
        }

    def _foreign_address(self, move):
        """(scheme, value) of a foreign customer: its Peppol address, else its email."""
        partner = move.commercial_partner_id
        if partner.peppol_eas and partner.peppol_endpoint:
            return partner.peppol_eas, partner.peppol_endpoint
        if partner.email:
            return "EM", partner.email
        raise UserError(self.env._(
            "The Factur-X needs an electronic address of the customer %(name)s: fill its "
            "email or its Peppol address.", name=partner.display_name))

    def _line(self, move, line, index, edi):
        supplier = move.company_id.partner_id.commercial_partner_id
        customer = move.commercial_partner_id
        taxes = line.tax_ids.filtered(lambda t: t.amount_type != "group")
        if len(taxes) > 1 or line.tax_ids.filtered(lambda t: t.amount_type != "percent"):
            raise UserError(self.env._(
                "Line \"%(line)s\" of %(move)s has several or non-percentage taxes: the "
                "e-invoice needs one VAT rate per line. Keep one percentage VAT tax.",
                line=line.name or "", move=move.name,
            ))
        codes = edi._get_tax_unece_codes(customer, supplier, taxes[:1])
        category = codes["tax_category_code"]
        quantity = _dec(line.quantity, QTY_STEP)
        if not quantity:
            raise UserError(self.env._(
                "Line \"%(line)s\" of %(move)s has a zero quantity; remove it or set the "
                "quantity.", line=line.name or "", move=move.name))
        unit_price = (Decimal(str(line.price_subtotal)) / quantity).quantize(PRICE_STEP)
        if unit_price < 0:
            quantity, unit_price = -quantity, -unit_price
        return {
            "id": str(index),
            "name": (line.name or line.product_id.display_name or "").splitlines()[0][:200]
            or str(index),
            "quantity": str(quantity),
            "unit_price": str(unit_price),
            "unit_code": edi._get_uom_unece_code(line.product_uom_id),
            "vat_category": category,
            "vat_rate": None if category == "O" else str(_dec(taxes[:1].amount or 0)),
            "exemption_reason": codes.get("tax_exemption_reason") or None,
            "exemption_reason_code": codes.get("tax_exemption_reason_code") or None,
        }

    def _payment(self, move):
        """BG-16 credit transfer to the invoice's bank account; none without an account."""
        if not move.partner_bank_id:
            return None
        return {
            "means_code": "30",
            "iban": move.partner_bank_id.sanitized_acc_number,
            "bic": move.partner_bank_id.bank_bic or None,
            "terms": move.invoice_payment_term_id.name or None,
            "reference": move.payment_reference or None,
        }

    def _invoice_dict(self, move, seller_ids, buyer_ids):
        """The neutral JSON form of this invoice; ``*_ids`` = (siren, siret, 0225 address)."""
        move.ensure_one()
        edi = self.env["account.edi.common"]
        lines = move.invoice_line_ids.filtered(lambda line: line.display_type == "product")
        data = {
            "type_code": TYPE_CODES[move.move_type],
            "number": move.name,
            "issue_date": move.invoice_date.isoformat(),
            "due_date": move.invoice_date_due.isoformat() if move.invoice_date_due else None,
            "currency": move.currency_id.name,
            "business_process": self._business_process(move),
            "seller": self._party(move.company_id.partner_id, *seller_ids),
            "buyer": self._party(move.partner_id, *buyer_ids),
            "lines": [self._line(move, line, i, edi) for i, line in enumerate(lines, 1)],
            "notes": self._legal_notes(move),
            "buyer_reference": move.ref or None,
            "delivery_date": move.delivery_date.isoformat() if move.delivery_date else None,
            "payment": self._payment(move),
        }
        if move.currency_id.name != "EUR":
            data["tax_total_accounting"] = str(_dec(abs(move.amount_tax_signed)))
        if move.move_type == "out_refund":
            origin = move.reversed_entry_id
            if not origin:
                raise UserError(self.env._(
                    "The credit note %(move)s does not refer to the invoice it corrects; "
                    "create it with \"Credit Note\" from that invoice.", move=move.name))
            data["preceding_invoice"] = {
                "number": origin.name, "issue_date": origin.invoice_date.isoformat()}
        return data

    def _invoice(self, move, seller_ids, buyer_ids):
        """The checked neutral invoice, totals equal to Odoo's (UserError otherwise)."""
        try:
            invoice = Invoice.from_dict(self._invoice_dict(move, seller_ids, buyer_ids))
            invoice.check()
        except InvoiceError as exc:
            raise UserError(
                self.env["l10n_fr_pa.messages"]._invoice_not_mappable(move, exc)) from exc
        totals = invoice.totals()
        expected = (_dec(abs(move.amount_untaxed)), _dec(abs(move.amount_total)))
        if (totals.tax_basis_total, totals.grand_total) != expected:
            raise UserError(self.env._(
                "The e-invoice totals of %(move)s (untaxed %(untaxed)s, total %(total)s) differ "
                "from the invoice (untaxed %(odoo_untaxed)s, total %(odoo_total)s), probably "
                "because of rounding per line. Check the line prices and taxes.",
                move=move.name, untaxed=totals.tax_basis_total, total=totals.grand_total,
                odoo_untaxed=expected[0], odoo_total=expected[1]))
        return invoice
