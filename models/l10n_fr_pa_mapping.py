# Copyright 2026 The l10n_fr_einvoice_pa authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""account.move -> neutral ``einvoicing.invoice.Invoice`` (the core builds the CII from it).

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


class AccountMove(models.Model):
    _inherit = "account.move"

    def _l10n_fr_pa_legal_notes(self):
        """BR-FR-05 legal mentions (PMT, PMD, AAB); override to word them differently."""
        self.ensure_one()
        return [
            {"subject_code": "PMT", "content": self.env._(
                "Fixed compensation for recovery costs in case of late payment: 40 EUR.")},
            {"subject_code": "PMD", "content": self.env._(
                "Late payment penalties: three times the French legal interest rate.")},
            {"subject_code": "AAB", "content": self.env._("No discount for early payment.")},
        ]

    def _l10n_fr_pa_business_process(self):
        """BT-23: B1 goods, S1 services, M1 mixed or unknown (lines without product)."""
        lines = self.invoice_line_ids.filtered(lambda line: line.display_type == "product")
        types = {line.product_id.type if line.product_id else None for line in lines}
        if types == {"service"}:
            return "S1"
        if types == {"consu"}:
            return "B1"
        return "M1"

    def _l10n_fr_pa_party(self, partner, siren, siret, address):
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

    def _l10n_fr_pa_foreign_address(self):
        """(scheme, value) of a foreign customer: its Peppol address, else its email."""
        partner = self.commercial_partner_id
        if partner.peppol_eas and partner.peppol_endpoint:
            return partner.peppol_eas, partner.peppol_endpoint
        if partner.email:
            return "EM", partner.email
        raise UserError(self.env._(
            "The Factur-X needs an electronic address of the customer %(name)s: fill its "
            "email or its Peppol address.", name=partner.display_name))

    def _l10n_fr_pa_line(self, line, index, edi):
        supplier = self.company_id.partner_id.commercial_partner_id
        customer = self.commercial_partner_id
        taxes = line.tax_ids.filtered(lambda t: t.amount_type != "group")
        if len(taxes) > 1 or line.tax_ids.filtered(lambda t: t.amount_type != "percent"):
            raise UserError(self.env._(
                "Line \"%(line)s\" of %(move)s has several or non-percentage taxes: the "
                "e-invoice needs one VAT rate per line. Keep one percentage VAT tax.",
                line=line.name or "", move=self.name,
            ))
        codes = edi._get_tax_unece_codes(customer, supplier, taxes[:1])
        category = codes["tax_category_code"]
        quantity = _dec(line.quantity, QTY_STEP)
        if not quantity:
            raise UserError(self.env._(
                "Line \"%(line)s\" of %(move)s has a zero quantity; remove it or set the "
                "quantity.", line=line.name or "", move=self.name))
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

    def _l10n_fr_pa_payment(self):
        """BG-16 credit transfer to the invoice's bank account; none without an account."""
        if not self.partner_bank_id:
            return None
        return {
            "means_code": "30",
            "iban": self.partner_bank_id.sanitized_acc_number,
            "bic": self.partner_bank_id.bank_bic or None,
            "terms": self.invoice_payment_term_id.name or None,
            "reference": self.payment_reference or None,
        }

    def _l10n_fr_pa_invoice_dict(self, seller_ids, buyer_ids):
        """The neutral JSON form of this invoice; ``*_ids`` = (siren, siret, 0225 address)."""
        self.ensure_one()
        edi = self.env["account.edi.common"]
        lines = self.invoice_line_ids.filtered(lambda line: line.display_type == "product")
        data = {
            "type_code": TYPE_CODES[self.move_type],
            "number": self.name,
            "issue_date": self.invoice_date.isoformat(),
            "due_date": self.invoice_date_due.isoformat() if self.invoice_date_due else None,
            "currency": self.currency_id.name,
            "business_process": self._l10n_fr_pa_business_process(),
            "seller": self._l10n_fr_pa_party(self.company_id.partner_id, *seller_ids),
            "buyer": self._l10n_fr_pa_party(self.partner_id, *buyer_ids),
            "lines": [self._l10n_fr_pa_line(line, i, edi) for i, line in enumerate(lines, 1)],
            "notes": self._l10n_fr_pa_legal_notes(),
            "buyer_reference": self.ref or None,
            "delivery_date": self.delivery_date.isoformat() if self.delivery_date else None,
            "payment": self._l10n_fr_pa_payment(),
        }
        if self.currency_id.name != "EUR":
            data["tax_total_accounting"] = str(_dec(abs(self.amount_tax_signed)))
        if self.move_type == "out_refund":
            origin = self.reversed_entry_id
            if not origin:
                raise UserError(self.env._(
                    "The credit note %(move)s does not refer to the invoice it corrects; "
                    "create it with \"Credit Note\" from that invoice.", move=self.name))
            data["preceding_invoice"] = {
                "number": origin.name, "issue_date": origin.invoice_date.isoformat()}
        return data

    def _l10n_fr_pa_invoice(self, seller_ids, buyer_ids):
        """The checked neutral invoice, totals equal to Odoo's (UserError otherwise)."""
        try:
            invoice = Invoice.from_dict(self._l10n_fr_pa_invoice_dict(seller_ids, buyer_ids))
            invoice.check()
        except InvoiceError as exc:
            raise UserError(self.env._(
                "The invoice %(move)s cannot be turned into a French e-invoice: %(problems)s",
                move=self.name, problems=str(exc))) from exc
        totals = invoice.totals()
        expected = (_dec(abs(self.amount_untaxed)), _dec(abs(self.amount_total)))
        if (totals.tax_basis_total, totals.grand_total) != expected:
            raise UserError(self.env._(
                "The e-invoice totals of %(move)s (untaxed %(untaxed)s, total %(total)s) differ "
                "from the invoice (untaxed %(odoo_untaxed)s, total %(odoo_total)s), probably "
                "because of rounding per line. Check the line prices and taxes.",
                move=self.name, untaxed=totals.tax_basis_total, total=totals.grand_total,
                odoo_untaxed=expected[0], odoo_total=expected[1]))
        return invoice
