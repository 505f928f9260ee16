# Copyright 2026 The l10n_fr_einvoice_pa authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Hooks into Odoo's own UBL/CII decoders (``account_edi_ubl_cii``) for platform bills.

Odoo's decoder reads lines, dates, notes, currency, bank account and attachments. For a
bill received from the platform (context key ``l10n_fr_pa_import``, set by the
reception) two of its guesses are replaced by ours:

- the supplier: the one the reception matched (SIREN/SIRET, VAT, name) or created,
  never a second partner created by the decoder;
- the taxes: a purchase tax of the company with the document's rate and VAT category;
  a rate without such a tax is written down as a problem (the reception turns it into
  an error code on the bill), never replaced by another tax.
"""

# The methods extended here live in account_edi_ubl_cii (Odoo inheritance), which pylint
# cannot follow.
# pylint: disable=no-member

from odoo import models

# VAT categories (UNTDID 5305) that the buyer self-assesses: the rate to apply is not in
# the document, so no tax is chosen automatically.
REVERSE_CHARGE_CATEGORIES = ("AE", "K", "L", "M")


class AccountEdiCommon(models.AbstractModel):
    _inherit = "account.edi.common"

    def _l10n_fr_pa_import_context(self):
        return self.env.context.get("l10n_fr_pa_import")

    def _import_partner(self, company_id, *args, **kwargs):
        import_ctx = self._l10n_fr_pa_import_context()
        if import_ctx and import_ctx.get("partner_id"):
            return self.env["res.partner"].browse(import_ctx["partner_id"]), []
        return super()._import_partner(company_id, *args, **kwargs)

    def _import_partner_bank(self, invoice, bank_details):
        if self._l10n_fr_pa_import_context():
            # a document may repeat its account in several payment means (official CII
            # example 1): create it once
            bank_details = list(dict.fromkeys(bank_details))
        return super()._import_partner_bank(invoice, bank_details)

    def _retrieve_taxes(self, record, line_values, tax_type):
        import_ctx = self._l10n_fr_pa_import_context()
        if not import_ctx:
            return super()._retrieve_taxes(record, line_values, tax_type)
        taxes = []
        for tax_node in line_values.pop("tax_nodes"):
            rate = float(tax_node.text)
            parent = tax_node.getparent()
            category = (parent.findtext("{*}CategoryCode") or parent.findtext("{*}ID") or "S")
            tax = self._l10n_fr_pa_purchase_tax(
                record.company_id, rate, category.strip(), tax_type)
            if tax:
                taxes.append(tax.id)
            else:
                import_ctx["problems"].append({
                    "kind": "tax", "rate": rate, "category": category.strip(),
                    "line": line_values.get("name") or "",
                })
        return taxes, []

    def _l10n_fr_pa_purchase_tax(self, company, rate, category, tax_type="purchase"):
        """The company's active percent tax of ``tax_type`` with this rate, or empty.

        Amounts of an e-invoice are tax excluded: only taxes not included in price. A
        domestic category (S, Z, E, O...) takes a tax without self-assessment (no negative
        repartition line); a reverse-charge category (AE, K...) is never chosen
        automatically because the rate to self-assess is not in the document.
        """
        Tax = self.env["account.tax"]
        if category in REVERSE_CHARGE_CATEGORIES:
            return Tax
        candidates = Tax.search([
            *Tax._check_company_domain(company),
            ("type_tax_use", "=", tax_type), ("amount_type", "=", "percent"),
            ("amount", "=", rate), ("price_include", "=", False),
        ], order="sequence, id")
        return candidates.filtered(lambda tax: not any(
            line.factor_percent < 0 for line in tax.invoice_repartition_line_ids))[:1]
