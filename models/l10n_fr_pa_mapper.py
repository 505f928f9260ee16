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

from ..einvoicing.codes import ALREADY_PAID_PROCESSES, VAT_ON_DEBITS
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
        ] + ([{"subject_code": "REG", "content": self.env._(
            "Option to pay VAT on debits.")}] if self._get_vat_on_debits(move) else [])

    def _get_supply_kind(self, move):
        """First letter of BT-23: B goods, S services, M mixed or unknown (no product)."""
        lines = move.invoice_line_ids.filtered(
            lambda line: line.display_type == "product") - self._get_down_payment_lines(move)
        types = {line.product_id.type if line.product_id else None for line in lines}
        if types == {"service"}:
            return "S"
        if types == {"consu"}:
            return "B"
        return "M"

    def _get_business_process(self, move):
        """BT-23: 2 already paid at posting (B2/S2/M2), 4 final invoice after down payments
        (B4/S4/M4), else 1; a down-payment invoice (386) is never 4 (BR-FR-CO-08)."""
        kind = self._get_supply_kind(move)
        if self._is_already_paid(move):
            return kind + "2"
        if self._get_type_code(move) == "380" and self._get_down_payment_lines(move):
            return kind + "4"
        return kind + "1"

    def _get_down_payment_lines(self, move):
        """Product lines that are sale down payments (``is_downpayment`` of the sale
        module; none without it)."""
        lines = move.invoice_line_ids.filtered(lambda line: line.display_type == "product")
        if "is_downpayment" not in lines._fields:
            return lines.browse()
        return lines.filtered("is_downpayment")

    def _get_down_payment_invoices(self, move):
        """The posted down-payment invoices a final invoice deducts (oldest first)."""
        lines = self._get_down_payment_lines(move)
        if "sale_line_ids" not in lines._fields:
            return move.browse()
        invoices = lines.sale_line_ids.invoice_lines.move_id.filtered(
            lambda m: m != move and m.state == "posted" and m.move_type == "out_invoice")
        return invoices.sorted(lambda m: (m.invoice_date, m.id))

    def _get_type_code(self, move):
        """BT-3: 381 credit note, 386 down-payment invoice (only down-payment lines),
        else 380. Odoo 18 has no self-billing of customer invoices: a module that adds it
        overrides this hook to return 389."""
        if move.move_type == "out_refund":
            return "381"
        lines = move.invoice_line_ids.filtered(lambda line: line.display_type == "product")
        down = self._get_down_payment_lines(move)
        if down and down == lines:
            return "386"
        return TYPE_CODES[move.move_type]

    def _is_already_paid(self, move):
        """Paid in full when the e-invoice is made (B2/S2/M2 with BT-113 = BT-112)."""
        return (move.move_type == "out_invoice" and move.state == "posted"
                and move.payment_state in ("paid", "in_payment")
                and move.currency_id.is_zero(move.amount_residual))

    def _get_payment_date(self, move):
        """The date of the last payment reconciled with the invoice (BT-9 of B2)."""
        partials = move.line_ids.matched_credit_ids
        dates = partials.credit_move_id.mapped("date")
        return max(dates) if dates else move.invoice_date

    def _get_vat_on_debits(self, move):
        """True when VAT is due on the invoice date (company option, per-invoice override)."""
        return bool(move.l10n_fr_pa_vat_on_debits)

    def _get_vat_due_date_code(self, move):
        """BT-8: 5 (VAT on debits) or nothing (the default rules apply)."""
        return VAT_ON_DEBITS if self._get_vat_on_debits(move) else None

    def _get_buyer_reference(self, move):
        """BT-10: the customer's routing (service) code when it has one (B2G service code),
        else the invoice's customer reference."""
        return move.partner_id._l10n_fr_pa_routing_code() or move.ref or None

    def _get_delivery_date(self, move):
        """BT-72: Odoo's delivery date, else the invoice date (French law asks for the date
        of the operation only when it differs from the invoice date; stating it keeps the
        CII delivery block from being empty, PEPPOL-EN16931-R008)."""
        return move.delivery_date or move.invoice_date

    def _get_delivery(self, move):
        """BG-13: (party name BT-70, address BG-15) from the delivery address when it differs
        from the customer's, else (None, None)."""
        shipping = move.partner_shipping_id
        if not shipping or shipping == move.partner_id or not shipping.country_id:
            return None, None
        return shipping.name or shipping.commercial_partner_id.name, _address(shipping)

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
        type_code = self._get_type_code(move)
        delivery_name, delivery_address = self._get_delivery(move)
        data = {
            "type_code": type_code,
            "number": move.name,
            "issue_date": move.invoice_date.isoformat(),
            "due_date": move.invoice_date_due.isoformat() if move.invoice_date_due else None,
            "currency": move.currency_id.name,
            "business_process": self._get_business_process(move),
            "seller": self._party(move.company_id.partner_id, *seller_ids),
            "buyer": self._party(move.partner_id, *buyer_ids),
            "lines": [self._line(move, line, i, edi) for i, line in enumerate(lines, 1)],
            "notes": self._legal_notes(move),
            "buyer_reference": self._get_buyer_reference(move),
            "delivery_date": self._get_delivery_date(move).isoformat(),
            "payment": self._payment(move),
            "delivery_address": delivery_address,
            "delivery_party_name": delivery_name,
            "vat_due_date_code": self._get_vat_due_date_code(move),
        }
        if data["business_process"] in ALREADY_PAID_PROCESSES:
            data["prepaid_amount"] = str(_dec(abs(move.amount_total)))
            data["due_date"] = self._get_payment_date(move).isoformat()
        down_payments = self._get_down_payment_invoices(move)
        if type_code == "380" and down_payments:
            last = down_payments[-1]
            data["preceding_invoice"] = {
                "number": last.name, "issue_date": last.invoice_date.isoformat()}
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
