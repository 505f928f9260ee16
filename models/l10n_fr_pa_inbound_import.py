# Copyright 2026 The l10n_fr_einvoice_pa authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""From a received file to a draft vendor bill.

1. The core reads the document (``facturx.extract`` / ``cii.parse_invoice_xml``): number,
   date, type, parties with SIREN/SIRET/VAT/0225 address, declared totals.
2. Duplicates: the same supplier + number + date already received or booked -> linked.
3. Supplier matched (SIREN/SIRET, VAT, name) or created (``..._partner.py``).
4. Odoo's own decoder (``account_edi_ubl_cii``) fills the bill in the purchase journal,
   with our supplier and our purchase taxes (``account_edi_common_pa.py``).
5. Totals compared with the document: a rounding difference is balanced by an explicit
   line (said in the chatter), anything else is an error code on the bill.
"""

# Fields and methods of this model are spread over several files (Odoo inheritance),
# which pylint cannot follow.
# pylint: disable=no-member,access-member-before-definition

from odoo import Command, api, models
from odoo.exceptions import UserError
from odoo.tools import float_round

from ..einvoicing import cii, facturx
from ..einvoicing.errors import InputError
from . import l10n_fr_pa_inbound_errors as errors

CREDIT_NOTE_TYPES = ("381", "261", "262", "296", "308", "396", "420", "458", "532")


class ImportProblem(Exception):
    """A reception problem with its error code (caught by ``_l10n_fr_pa_import``)."""

    def __init__(self, code, message):
        super().__init__(message)
        self.code = code
        self.message = message


class L10nFrPaInbound(models.Model):
    _inherit = "l10n_fr_pa.inbound"

    # ------------------------------------------------------------------ entry point
    def _l10n_fr_pa_import(self, content, filename, readable=None):
        """Import ``content`` into a bill; any problem ends as an error code on the record."""
        self.ensure_one()
        files = self._l10n_fr_pa_store_files(content, filename, readable)
        try:
            xml, invoice = self._l10n_fr_pa_read(content, filename)
        except InputError as exc:
            self._l10n_fr_pa_set_error(errors.PDF, self.env._(
                "The file %(name)s is not a readable e-invoice: %(error)s",
                name=filename, error=str(exc)))
            return self
        self._l10n_fr_pa_write_header(invoice)  # kept even when the import fails below
        try:
            with self.env.cr.savepoint():
                self._l10n_fr_pa_import_document(xml, invoice, filename, files)
        except ImportProblem as problem:
            self._l10n_fr_pa_set_error(problem.code, problem.message)
        return self

    def _l10n_fr_pa_store_files(self, content, filename, readable):
        """Keep the original (and readable view) on the record, even when import fails.

        Returns ``[(name, bytes)]``, the original first.
        """
        files = [(filename, content)] + ([(readable[1], readable[0])] if readable else [])
        existing = set(self.attachment_ids.mapped("name"))
        new = self.env["ir.attachment"].sudo().create([
            {"name": name, "raw": data, "res_model": self._name, "res_id": self.id}
            for name, data in files if name not in existing])
        if new:
            self.sudo().attachment_ids = [Command.link(a.id) for a in new]
        return files

    def _l10n_fr_pa_set_error(self, code, message):
        self.sudo().write({"state": "error", "error_code": code, "error_message": message})
        self.message_post(body=self.env._("%(code)s: %(message)s", code=code, message=message))

    # ------------------------------------------------------------------ steps
    @api.model
    def _l10n_fr_pa_read(self, content, filename):
        """(xml bytes, neutral Invoice) of a Factur-X PDF or a CII/UBL XML file."""
        xml = facturx.extract(content)[0] if content[:5] == b"%PDF-" else content
        return xml, cii.parse_invoice_xml(xml, name=filename)

    def _l10n_fr_pa_write_header(self, invoice):
        """Number, date, supplier identifiers and total of the received document."""
        currency = self.env["res.currency"].with_context(active_test=False).search(
            [("name", "=", invoice.currency)], limit=1)
        self.sudo().write({
            "invoice_number": invoice.number, "invoice_date": invoice.issue_date,
            "seller_name": invoice.seller.name,
            "seller_siren": self._l10n_fr_pa_party_siren(invoice.seller),
            "seller_vat": invoice.seller.vat_number, "currency_id": currency.id,
            "amount_total": float(self._l10n_fr_pa_declared(invoice).grand_total),
        })

    def _l10n_fr_pa_import_document(self, xml, invoice, filename, files):
        company = self.company_id
        seller = invoice.seller
        siren = self.seller_siren
        currency = self.currency_id
        self._l10n_fr_pa_check_recipient(invoice)
        partner, how = self._l10n_fr_pa_match_partner(seller, siren)
        existing = self._l10n_fr_pa_find_duplicate(partner, invoice, siren)
        if existing:
            return self._l10n_fr_pa_link_duplicate(existing)
        if not currency.active:
            raise ImportProblem(errors.CURRENCY, self.env._(
                "The invoice is in %(currency)s, which is not an active currency of Odoo.",
                currency=invoice.currency))
        journal = self.env["account.journal"].search([
            *self.env["account.journal"]._check_company_domain(company),
            ("type", "=", "purchase")], limit=1)
        if not journal:
            raise ImportProblem(errors.JOURNAL, self.env._(
                "The company %(company)s has no purchase journal.", company=company.name))
        if not partner:
            partner, how = self._l10n_fr_pa_create_partner(seller, siren), "created"
        move, problems = self._l10n_fr_pa_create_bill(journal, partner, invoice, xml,
                                                      filename, files)
        self.sudo().write({"move_id": move.id, "state": "done", "partner_match": how,
                           "error_code": False, "error_message": False})
        self._l10n_fr_pa_check_lines(move, problems)
        self._l10n_fr_pa_balance(move, invoice)
        move._l10n_fr_pa_after_reception(self, how)
        return move

    @api.model
    def _l10n_fr_pa_declared(self, invoice):
        return invoice.declared_totals or invoice.totals()

    def _l10n_fr_pa_check_recipient(self, invoice):
        buyer_siren = self._l10n_fr_pa_party_siren(invoice.buyer)
        company = self.company_id
        if buyer_siren and company.company_registry and hasattr(company, "_l10n_fr_pa_siren"):
            try:
                own = company._l10n_fr_pa_siren()
            except UserError:
                return  # the company's own SIREN is wrong: said when it sends, not here
            if own and buyer_siren != own:
                raise ImportProblem(errors.RECIPIENT, self.env._(
                    "The invoice's buyer SIREN is %(buyer)s but %(company)s has SIREN "
                    "%(siren)s.", buyer=buyer_siren, company=company.name, siren=own))

    def _l10n_fr_pa_find_duplicate(self, partner, invoice, siren):
        """A bill already received or booked for the same supplier + number + date."""
        key = [("invoice_number", "=", invoice.number),
               ("invoice_date", "=", invoice.issue_date), ("move_id", "!=", False),
               ("company_id", "=", self.company_id.id), ("id", "!=", self.id)]
        seller_key = (("seller_siren", "=", siren) if siren else
                      ("seller_vat", "=", invoice.seller.vat_number)
                      if invoice.seller.vat_number else None)
        if seller_key:
            previous = self.sudo().search([*key, seller_key], limit=1)
            if previous:
                return previous.move_id
        if not partner:
            return self.env["account.move"]
        return self.env["account.move"].search([
            ("company_id", "=", self.company_id.id),
            ("move_type", "in", ("in_invoice", "in_refund")),
            ("commercial_partner_id", "=", partner.commercial_partner_id.id),
            ("ref", "=", invoice.number), ("invoice_date", "=", invoice.issue_date),
        ], limit=1)

    def _l10n_fr_pa_link_duplicate(self, move):
        self.sudo().write({"move_id": move.id, "state": "duplicate",
                           "error_code": False, "error_message": False})
        body = self.env._(
            "The same invoice (supplier, number %(number)s, date %(date)s) arrived again%(flow)s: "
            "it is linked to this bill, no second bill was created.",
            number=self.invoice_number, date=self.invoice_date,
            flow=(self.env._(" in flow %(flow)s", flow=self.flow_id) if self.flow_id else ""))
        move.message_post(body=body)
        self.message_post(body=body)
        return move

    # ------------------------------------------------------------------ bill
    def _l10n_fr_pa_create_bill(self, journal, partner, invoice, xml, filename, files):
        move_type = "in_refund" if invoice.type_code in CREDIT_NOTE_TYPES else "in_invoice"
        problems = []
        import_ctx = {"partner_id": partner.id, "problems": problems}
        Move = self.env["account.move"].with_company(self.company_id).with_context(
            default_move_type=move_type, default_journal_id=journal.id,
            l10n_fr_pa_import=import_ctx)
        move = Move.create({"move_type": move_type, "journal_id": journal.id,
                            "partner_id": partner.id})
        xml_att = self.env["ir.attachment"].create({
            "name": "factur-x.xml" if filename.lower().endswith(".pdf") else filename,
            "raw": xml, "res_model": "account.move", "res_id": move.id,
        })
        self._l10n_fr_pa_decode(move, xml_att)
        originals = self.env["ir.attachment"].create([
            {"name": name, "raw": data, "res_model": "account.move", "res_id": move.id}
            for name, data in files if data != xml or name != xml_att.name])
        if files[0][1] != xml:
            xml_att.unlink()  # the original (PDF) is attached; the extracted XML was a helper
        move.write({"l10n_fr_pa_flow_id": self.flow_id or False})
        move._message_set_main_attachment_id(originals[:1] or xml_att, force=True,
                                             filter_xml=False)
        return move, problems

    def _l10n_fr_pa_decode(self, move, attachment):
        """Run Odoo's own UBL/CII decoder on the XML attachment."""
        for file_data in attachment._unwrap_edi_attachments():
            decoder = move._get_edi_decoder(file_data, new=True)
            if decoder and decoder(move, file_data, True):
                move.invoice_line_ids.is_imported = True
                return
        raise ImportProblem(errors.PDF, self.env._(
            "Odoo's Factur-X/UBL reader could not import %(name)s.", name=attachment.name))

    def _l10n_fr_pa_check_lines(self, move, problems):
        missing = [p for p in problems if p["kind"] == "tax"]
        if not missing:
            return
        details = "; ".join(sorted({
            self.env._("%(rate)s%% (VAT category %(category)s)", rate=p["rate"],
                       category=p["category"]) for p in missing}))
        self._l10n_fr_pa_bill_error(move, errors.TAX_RATE, self.env._(
            "No purchase tax matches %(rates)s: the lines concerned have no tax.",
            rates=details))

    def _l10n_fr_pa_bill_error(self, move, code, message):
        """Record a problem found once the bill exists (the bill stays, as a draft)."""
        self.sudo().write({"error_code": code, "error_message": message})
        move.sudo().write({"l10n_fr_pa_import_error": f"{code}: {message}\n"
                           f"{errors.resolution(self.env, code)}"})
        move.message_post(body=self.env._("%(code)s: %(message)s", code=code, message=message))

    # ------------------------------------------------------------------ totals
    def _l10n_fr_pa_balance(self, move, invoice):
        """Compare with the document's total; balance a rounding difference explicitly."""
        if self.error_code:
            return  # taxes missing: the difference is not a rounding one
        currency = move.currency_id
        declared = abs(float(self._l10n_fr_pa_declared(invoice).grand_total))
        diff = float_round(declared - move.amount_total, precision_rounding=currency.rounding)
        if currency.is_zero(diff):
            return
        lines = move.invoice_line_ids.filtered(lambda x: x.display_type == "product")
        tolerance = currency.rounding * (len(lines) + len(lines.tax_ids))
        if abs(diff) > tolerance + currency.rounding / 2:
            self._l10n_fr_pa_bill_error(move, errors.AMOUNT, self.env._(
                "The bill's total is %(odoo)s but the invoice says %(declared)s "
                "(difference %(diff)s, more than a rounding difference).",
                odoo=move.amount_total, declared=declared, diff=diff))
            return
        increases_expense = (diff > 0) == (move.move_type == "in_invoice")
        account = self.company_id._l10n_fr_pa_rounding_account(increases_expense)
        if not account:
            self._l10n_fr_pa_bill_error(move, errors.ACCOUNT, self.env._(
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
