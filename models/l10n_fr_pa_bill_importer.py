# Copyright 2026 The l10n_fr_einvoice_pa authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""From a received file to a draft vendor bill: service model ``l10n_fr_pa.bill.importer``.

``l10n_fr_pa.inbound._l10n_fr_pa_import`` stores the files and calls these steps, each a
method taking the inbound record (another addon overrides one step):

1. The core reads the document (``facturx.extract`` / ``cii.parse_invoice_xml``): number,
   date, type, parties with SIREN/SIRET/VAT/0225 address, declared totals.
2. Duplicates: the same supplier + number + date already received or booked -> linked.
3. Supplier matched (SIREN/SIRET, VAT, name) or created (``l10n_fr_pa.supplier.matcher``).
4. Odoo's own decoder (``account_edi_ubl_cii``) fills the bill in the purchase journal
   (``_get_purchase_journal``, ``_prepare_bill_vals``), with our supplier and our purchase
   taxes (``account_edi_common.py``).
5. Totals compared with the document: a rounding difference is balanced by an explicit
   line (said in the chatter), anything else is an error code on the bill.
"""

from odoo import Command, models
from odoo.exceptions import UserError
from odoo.tools import float_round

from ..einvoicing import facturx
from ..einvoicing import syntax as cii  # parse_invoice_xml reads CII and UBL
from . import l10n_fr_pa_inbound_errors as errors
from .l10n_fr_pa_inbound_errors import ImportProblem

CREDIT_NOTE_TYPES = ("381", "261", "262", "296", "308", "396", "420", "458", "532")


class L10nFrPaBillImporter(models.AbstractModel):
    _name = "l10n_fr_pa.bill.importer"
    _description = "E-invoicing: received document to draft vendor bill"

    # ------------------------------------------------------------------ steps
    def _read(self, content, filename):
        """(xml bytes, neutral Invoice) of a Factur-X PDF or a CII/UBL XML file."""
        xml = facturx.extract(content)[0] if content[:5] == b"%PDF-" else content
        return xml, cii.parse_invoice_xml(xml, name=filename)

    def _write_header(self, inbound, invoice):
        inbound.sudo().write(self._prepare_header_vals(invoice))

    def _prepare_header_vals(self, invoice):
        """Number, date, supplier identifiers and total of the received document."""
        currency = self.env["res.currency"].with_context(active_test=False).search(
            [("name", "=", invoice.currency)], limit=1)
        return {
            "invoice_number": invoice.number, "invoice_date": invoice.issue_date,
            "seller_name": invoice.seller.name,
            "seller_siren": self.env["l10n_fr_pa.supplier.matcher"]._party_siren(invoice.seller),
            "seller_vat": invoice.seller.vat_number, "currency_id": currency.id,
            "amount_total": float(self._declared_totals(invoice).grand_total),
        }

    def _import_document(self, inbound, xml, invoice, filename, files):
        """Match the supplier, find duplicates, create and check the bill (``ImportProblem``)."""
        seller = invoice.seller
        siren = inbound.seller_siren
        Matcher = self.env["l10n_fr_pa.supplier.matcher"]
        self._check_recipient(inbound, invoice)
        partner, how = Matcher._match_partner(inbound, seller, siren)
        existing = self._find_duplicate(inbound, partner, invoice, siren)
        if existing:
            return self._link_duplicate(inbound, existing)
        if not inbound.currency_id.active:
            raise ImportProblem(errors.CURRENCY, self.env._(
                "The invoice is in %(currency)s, which is not an active currency of Odoo.",
                currency=invoice.currency))
        journal = self._get_purchase_journal(inbound.company_id)
        if not partner:
            partner, how = Matcher._create_partner(inbound, seller, siren), "created"
        move, problems = self._create_bill(inbound, journal, partner, invoice, xml, filename,
                                           files)
        inbound.sudo().write({"move_id": move.id, "state": "done", "partner_match": how,
                              "error_code": False, "error_message": False})
        self._check_lines(inbound, move, problems)
        self._balance(inbound, move, invoice)
        self.env["l10n_fr_pa.vendor.automation"]._after_reception(move, inbound, how)
        return move

    def _get_purchase_journal(self, company):
        """The journal of the received bills (``ImportProblem`` when the company has none)."""
        Journal = self.env["account.journal"]
        journal = Journal.search([*Journal._check_company_domain(company),
                                  ("type", "=", "purchase")], limit=1)
        if not journal:
            raise ImportProblem(errors.JOURNAL, self.env._(
                "The company %(company)s has no purchase journal.", company=company.name))
        return journal

    def _declared_totals(self, invoice):
        return invoice.declared_totals or invoice.totals()

    def _check_recipient(self, inbound, invoice):
        buyer_siren = self.env["l10n_fr_pa.supplier.matcher"]._party_siren(invoice.buyer)
        company = inbound.company_id
        if buyer_siren and company.company_registry:
            try:
                own = company._l10n_fr_pa_siren()
            except UserError:
                return  # the company's own SIREN is wrong: said when it sends, not here
            if own and buyer_siren != own:
                raise ImportProblem(errors.RECIPIENT, self.env._(
                    "The invoice's buyer SIREN is %(buyer)s but %(company)s has SIREN "
                    "%(siren)s.", buyer=buyer_siren, company=company.name, siren=own))

    def _find_duplicate(self, inbound, partner, invoice, siren):
        """A bill already received or booked for the same supplier + number + date."""
        key = [("invoice_number", "=", invoice.number),
               ("invoice_date", "=", invoice.issue_date), ("move_id", "!=", False),
               ("company_id", "=", inbound.company_id.id), ("id", "!=", inbound.id)]
        seller_key = (("seller_siren", "=", siren) if siren else
                      ("seller_vat", "=", invoice.seller.vat_number)
                      if invoice.seller.vat_number else None)
        if seller_key:
            previous = inbound.sudo().search([*key, seller_key], limit=1)
            if previous:
                return previous.move_id
        if not partner:
            return self.env["account.move"]
        return self.env["account.move"].search([
            ("company_id", "=", inbound.company_id.id),
            ("move_type", "in", self.env["account.move"].get_purchase_types()),
            ("commercial_partner_id", "=", partner.commercial_partner_id.id),
            ("ref", "=", invoice.number), ("invoice_date", "=", invoice.issue_date),
        ], limit=1)

    def _link_duplicate(self, inbound, move):
        inbound.sudo().write({"move_id": move.id, "state": "duplicate",
                              "error_code": False, "error_message": False})
        body = self.env._(
            "The same invoice (supplier, number %(number)s, date %(date)s) arrived "
            "again%(flow)s: it is linked to this bill, no second bill was created.",
            number=inbound.invoice_number, date=inbound.invoice_date,
            flow=(self.env._(" in flow %(flow)s", flow=inbound.flow_id)
                  if inbound.flow_id else ""))
        move.message_post(body=body)
        inbound.message_post(body=body)
        return move

    # ------------------------------------------------------------------ bill
    def _prepare_bill_vals(self, inbound, journal, partner, invoice):
        """Values of the draft bill, before Odoo's decoder fills it from the document."""
        return {
            "move_type": "in_refund" if invoice.type_code in CREDIT_NOTE_TYPES else "in_invoice",
            "journal_id": journal.id,
            "partner_id": partner.id,
        }

    def _create_bill(self, inbound, journal, partner, invoice, xml, filename, files):
        """The draft bill with the files attached; ``(move, problems of the decoding)``."""
        vals = self._prepare_bill_vals(inbound, journal, partner, invoice)
        problems = []
        import_ctx = {"partner_id": partner.id, "problems": problems}
        Move = self.env["account.move"].with_company(inbound.company_id).with_context(
            default_move_type=vals["move_type"], default_journal_id=journal.id,
            l10n_fr_pa_import=import_ctx)
        move = Move.create(vals)
        xml_att = self.env["ir.attachment"].create({
            "name": "factur-x.xml" if filename.lower().endswith(".pdf") else filename,
            "raw": xml, "res_model": "account.move", "res_id": move.id,
        })
        self._decode(inbound, move, xml_att)
        originals = self.env["ir.attachment"].create([
            {"name": name, "raw": data, "res_model": "account.move", "res_id": move.id}
            for name, data in files if data != xml or name != xml_att.name])
        if files[0][1] != xml:
            xml_att.unlink()  # the original (PDF) is attached; the extracted XML was a helper
        if inbound.flow_id:
            move.write({"l10n_fr_pa_flow_id": inbound.flow_id, "l10n_fr_pa_state": "received"})
        move._message_set_main_attachment_id(originals[:1] or xml_att, force=True,
                                             filter_xml=False)
        return move, problems

    def _decode(self, inbound, move, attachment):
        """Run Odoo's own UBL/CII decoder on the XML attachment."""
        for file_data in attachment._unwrap_edi_attachments():
            decoder = move._get_edi_decoder(file_data, new=True)
            if decoder and decoder(move, file_data, True):
                move.invoice_line_ids.is_imported = True
                return
        raise ImportProblem(errors.PDF, self.env._(
            "Odoo's Factur-X/UBL reader could not import %(name)s.", name=attachment.name))

    def _check_lines(self, inbound, move, problems):
        missing = [p for p in problems if p["kind"] == "tax"]
        if not missing:
            return
        details = "; ".join(sorted({
            self.env._("%(rate)s%% (VAT category %(category)s)", rate=p["rate"],
                          category=p["category"]) for p in missing}))
        self._bill_error(inbound, move, errors.TAX_RATE, self.env._(
            "No purchase tax matches %(rates)s: the lines concerned have no tax.",
            rates=details))

    def _bill_error(self, inbound, move, code, message):
        """Record a problem found once the bill exists (the bill stays, as a draft)."""
        inbound.sudo().write({"error_code": code, "error_message": message})
        move.sudo().write({"l10n_fr_pa_import_error": f"{code}: {message}\n"
                           f"{errors.resolution(inbound.env, code)}"})
        move.message_post(body=self.env._("%(code)s: %(message)s", code=code, message=message))

    # ------------------------------------------------------------------ totals
    def _balance(self, inbound, move, invoice):
        """Compare with the document's total; balance a rounding difference explicitly."""
        if inbound.error_code:
            return  # taxes missing: the difference is not a rounding one
        currency = move.currency_id
        declared = abs(float(self._declared_totals(invoice).grand_total))
        diff = float_round(declared - move.amount_total, precision_rounding=currency.rounding)
        if currency.is_zero(diff):
            return
        lines = move.invoice_line_ids.filtered(lambda x: x.display_type == "product")
        tolerance = currency.rounding * (len(lines) + len(lines.tax_ids))
        if abs(diff) > tolerance + currency.rounding / 2:
            self._bill_error(inbound, move, errors.AMOUNT, self.env._(
                "The bill's total is %(odoo)s but the invoice says %(declared)s "
                "(difference %(diff)s, more than a rounding difference).",
                odoo=move.amount_total, declared=declared, diff=diff))
            return
        increases_expense = (diff > 0) == (move.move_type == "in_invoice")
        account = inbound.company_id._l10n_fr_pa_rounding_account(increases_expense)
        if not account:
            self._bill_error(inbound, move, errors.ACCOUNT, self.env._(
                "A rounding difference of %(diff)s %(currency)s could not be booked.",
                diff=diff, currency=currency.name))
            return
        move.write({"invoice_line_ids": [Command.create({
            "name": self.env._("Rounding difference of the e-invoice"),
            "quantity": 1, "price_unit": diff, "account_id": account.id, "tax_ids": [],
        })]})
        move.message_post(body=self.env._(
            "The lines add up to %(odoo)s but the invoice's total is %(declared)s: the "
            "rounding difference of %(diff)s %(currency)s was booked on account %(account)s.",
            odoo=float_round(declared - diff, precision_rounding=currency.rounding),
            declared=declared, diff=diff, currency=currency.name,
            account=account.display_name))
