# Copyright 2026 The l10n_fr_einvoice_pa authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""What an e-report carries, read from posted documents with grouped queries.

Every figure comes from ``_read_group`` on journal items or partial reconciliations,
grouped by day / document / product / tax: the number of queries depends on the
number of groups asked for, never on a loop over invoices. Each step is an
overridable ``_get_*`` method returning plain values for the core model
(``einvoicing.ereporting``).
"""

from collections import defaultdict
from decimal import Decimal

from odoo import api, models

from ..einvoicing import ereporting as core

SALES = ("out_invoice", "out_refund")
PURCHASES = ("in_invoice", "in_refund")
REFUNDS = ("out_refund", "in_refund")
SIGN = {"out_invoice": 1, "out_refund": -1, "in_invoice": 1, "in_refund": -1}
PAYMENT_KINDS = {"payments_int": "sales_int", "payments_b2c": "b2c"}


def _dec(value, digits=2):
    return Decimal(str(round(value or 0.0, digits)))


class L10nFrPaEreportBuilder(models.AbstractModel):
    _name = "l10n_fr_pa.ereport.builder"
    _description = "E-reporting: figures from posted documents"

    # ------------------------------------------------------------------ scope
    @api.model
    def _get_partner_domain(self, kind):
        """Which counterparts ``kind`` covers (account.move domain on the partner)."""
        kind = PAYMENT_KINDS.get(kind, kind)
        foreign = [("commercial_partner_id.country_id", "!=", False),
                   ("commercial_partner_id.country_id.code", "!=", "FR")]
        if kind == "purchases_int":
            return foreign
        if kind == "b2c":
            return [("commercial_partner_id.is_company", "=", False)]
        return [("commercial_partner_id.is_company", "=", True), *foreign]

    @api.model
    def _get_move_domain(self, company, kind, start, end):
        """Posted documents of ``kind`` dated in ``start``..``end`` (account.move domain)."""
        types = PURCHASES if PAYMENT_KINDS.get(kind, kind) == "purchases_int" else SALES
        return [("company_id", "=", company.id), ("state", "=", "posted"),
                ("move_type", "in", types), ("invoice_date", ">=", start),
                ("invoice_date", "<=", end), *self._get_partner_domain(kind)]

    @api.model
    def _get_line_groups(self, company, kind, start, end, groupby, move_domain=None):
        """Sums of product lines: {(move_type, *groupby values): (untaxed, total)}.

        One grouped query per document type (invoice, credit note) so the sign is known.
        """
        moves = move_domain or self._get_move_domain(company, kind, start, end)
        AML, Move = self.env["account.move.line"], self.env["account.move"]
        result = {}
        for move_type in (SALES if kind != "purchases_int" else PURCHASES):
            # The documents first, then their lines by id (tools/bench_ereporting.py: the
            # same filter as a subquery took 45 s for 10,000 freshly posted invoices).
            ids = Move.search([*moves, ("move_type", "=", move_type)]).ids
            if not ids:
                continue
            domain = [("display_type", "=", "product"), ("move_id", "in", ids)]
            for *keys, untaxed, total in AML._read_group(
                    domain, groupby, ["price_subtotal:sum", "price_total:sum"]):
                result[(move_type, *keys)] = (untaxed * SIGN[move_type],
                                              total * SIGN[move_type])
        return result

    @staticmethod
    def _rate_of(taxes):
        taxes = taxes.filtered(lambda t: t.amount_type == "percent")
        return Decimal(str(sum(taxes.mapped("amount")))).normalize() if taxes else Decimal(0)

    @api.model
    def _get_category(self, product, taxes):
        """TT-81 category of a B2C line: TNT1 without French VAT, TPS1 services, TLB1 goods.

        TMA1 (margin scheme) is not derived from Odoo data; override to map it."""
        if not taxes:
            return "TNT1"
        return "TPS1" if product and product.type == "service" else "TLB1"

    # ------------------------------------------------------------------ 10.3
    @api.model
    def _get_daily_transactions(self, company, start, end):
        groups = self._get_line_groups(company, "b2c", start, end,
                                       ["invoice_date:day", "currency_id", "product_id",
                                        "tax_ids"])
        totals = defaultdict(lambda: [Decimal(0), Decimal(0)])
        for (_move_type, day, currency, product, taxes), (untaxed, total) in groups.items():
            key = (day, currency.name, self._get_category(product, taxes), self._rate_of(taxes))
            totals[key][0] += _dec(untaxed)
            totals[key][1] += _dec(total - untaxed)
        days = defaultdict(list)
        for (day, currency, category, rate), (untaxed, tax) in sorted(totals.items()):
            days[(day, currency, category)].append(core.RateTotal(rate, untaxed, tax))
        return [core.DailyTransactions(day=day, category=category, currency=currency,
                                       subtotals=subtotals)
                for (day, currency, category), subtotals in days.items()]

    # ------------------------------------------------------------------ 10.1
    @api.model
    def _get_company_id(self, partner, french_siren=None):
        """core.Company of a party: SIREN 0002 in France, else 0223 (EU) / 0227 (outside)."""
        country = partner.country_id.code or ""
        if french_siren:
            return core.Company(french_siren, "0002", partner.vat or None, country or "FR")
        eu = partner.country_id in self.env.ref("base.europe").country_ids
        identifier = (partner.vat or partner.company_registry or "").replace(" ", "")
        return core.Company(identifier[:18], "0223" if eu else "0227",
                            partner.vat or None, country or None)

    @api.model
    def _get_tax_category(self, rate, tax_amount, partner):
        if rate and not tax_amount:
            return "AE"  # reverse charge: the rate applies, the VAT is self-assessed
        if rate:
            return "S"
        return "K" if partner.country_id in self.env.ref("base.europe").country_ids else "G"

    @api.model
    def _get_invoice_entries(self, company, kind, start, end):
        moves = self.env["account.move"].search(self._get_move_domain(company, kind, start, end),
                                                order="invoice_date, name")
        if not moves:
            return [], moves
        groups = self._get_line_groups(company, kind, start, end,
                                       ["move_id", "product_id", "tax_ids"],
                                       move_domain=[("id", "in", moves.ids)])
        per_move = defaultdict(lambda: defaultdict(lambda: [Decimal(0), Decimal(0)]))
        products = defaultdict(set)
        for (_move_type, move, product, taxes), (untaxed, total) in groups.items():
            sums = per_move[move.id][self._rate_of(taxes)]
            sums[0] += _dec(untaxed)
            sums[1] += _dec(total - untaxed)
            products[move.id].add(product.type if product else "service")
        ours = self._get_company_id(company.partner_id, company._l10n_fr_pa_siren())
        entries = []
        for move in moves:
            partner = move.commercial_partner_id
            subtotals = [core.TaxSubtotal(untaxed, tax, rate,
                                          self._get_tax_category(rate, tax, partner))
                         for rate, (untaxed, tax) in sorted(per_move[move.id].items())]
            types = products[move.id]
            process = "S1" if types == {"service"} else "B1" if "service" not in types else "M1"
            references = []
            if move.move_type in REFUNDS and move.reversed_entry_id:
                origin = move.reversed_entry_id
                references.append(core.Reference(origin.name, origin.invoice_date))
            them = self._get_company_id(partner)
            entries.append(core.InvoiceEntry(
                number=move.name, issue_date=move.invoice_date,
                type_code="381" if move.move_type in REFUNDS else "380",
                currency=move.currency_id.name, due_date=move.invoice_date_due or None,
                business_process=process, references=references,
                seller=them if kind == "purchases_int" else ours,
                buyer=ours if kind == "purchases_int" else them,
                subtotals=subtotals or [core.TaxSubtotal(Decimal(0), Decimal(0), Decimal(0),
                                                         "S")]))
        return entries, moves

    # ------------------------------------------------------------------ 10.2 / 10.4
    @api.model
    def _get_payment_groups(self, company, kind, start, end):
        """{(invoice, payment day): amount received} in the period, for invoices of ``kind``
        with VAT due on receipts (cash-basis taxes), from partial reconciliations."""
        invoice_domain = [("company_id", "=", company.id), ("state", "=", "posted"),
                          ("move_type", "in", SALES), *self._get_partner_domain(kind),
                          ("invoice_line_ids.tax_ids.tax_exigibility", "=", "on_payment")]
        groups = {}
        Partial = self.env["account.partial.reconcile"]
        for side, other in (("debit_move_id", "credit_move_id"),
                            ("credit_move_id", "debit_move_id")):
            domain = [("company_id", "=", company.id), ("max_date", ">=", start),
                      ("max_date", "<=", end),
                      (f"{side}.move_id", "any", invoice_domain),
                      (f"{side}.account_id.account_type", "=", "asset_receivable"),
                      (f"{other}.move_id.move_type", "=", "entry")]
            for line, day, amount in Partial._read_group(
                    domain, [side, "max_date:day"], ["amount:sum"]):
                sign = 1 if side == "debit_move_id" else -1
                key = (line.move_id, day)
                groups[key] = groups.get(key, 0.0) + amount * sign
        return groups

    @api.model
    def _get_payment_rates(self, company, kind, invoices):
        """{invoice id: {rate: share of the invoice total}} of the cash-basis lines."""
        if not invoices:
            return {}
        groups = self._get_line_groups(
            company, kind, None, None, ["move_id", "tax_ids"],
            move_domain=[("id", "in", invoices.ids)])
        totals = defaultdict(lambda: defaultdict(float))
        for (_move_type, move, taxes), (_untaxed, total) in groups.items():
            if any(t.tax_exigibility == "on_payment" for t in taxes):
                totals[move.id][self._rate_of(taxes)] += abs(total)
        shares = {}
        for move_id, rates in totals.items():
            whole = sum(rates.values()) or 1.0
            shares[move_id] = {rate: amount / whole for rate, amount in rates.items()}
        return shares

    @api.model
    def _get_payments(self, company, kind, start, end):
        """10.2 ``InvoicePayment`` or 10.4 ``DailyPayments`` rows, and the invoices paid."""
        groups = self._get_payment_groups(company, PAYMENT_KINDS[kind], start, end)
        invoices = self.env["account.move"].union(*{move for move, _day in groups})
        shares = self._get_payment_rates(company, PAYMENT_KINDS[kind], invoices)
        if kind == "payments_int":
            rows = [core.InvoicePayment(
                move.name, move.invoice_date, day,
                [core.RateAmount(rate, _dec(abs(amount) * share))
                 for rate, share in sorted(shares.get(move.id, {}).items())])
                for (move, day), amount in sorted(groups.items(), key=lambda i: (i[0][1],
                                                                                  i[0][0].id))
                if shares.get(move.id)]
            return rows, invoices
        per_day = defaultdict(lambda: defaultdict(Decimal))
        for (move, day), amount in groups.items():
            for rate, share in shares.get(move.id, {}).items():
                per_day[day][rate] += _dec(abs(amount) * share)
        rows = [core.DailyPayments(day, [core.RateAmount(rate, amount)
                                         for rate, amount in sorted(rates.items())])
                for day, rates in sorted(per_day.items())]
        return rows, invoices
