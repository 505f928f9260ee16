# Copyright 2026 The l10n_fr_einvoice_pa authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Benchmark of the B2C e-report (flux 10.3) of one period (not a test): queries, time, memory.

Run it inside an Odoo shell of a database where the addon is installed (a French
company with a SIREN); everything is rolled back at the end:

    "$ODOO_PYTHON" "$ODOO_SRC/odoo-bin" shell --addons-path=<addons path> -d <db> --no-http \
        < tools/bench_ereporting.py

Environment variables: BENCH_SIZES ("1000,10000": the number of B2C invoices of each
run), BENCH_BATCH (500, invoices created and posted per ORM call). Each run creates the
invoices in its own period (ten days), then times ``_get_core_report`` (the grouped
queries) and ``_prepare_one`` (figures + XML + XSD/schematron + attachment) of the
B2C report, and prints the query counts: they must not grow with the invoices.
"""

import os
import time
import tracemalloc
from datetime import date, timedelta

from odoo import Command
from odoo.addons.l10n_fr_einvoice_pa.einvoicing.ereporting import period_of

env = globals()["env"]  # provided by `odoo-bin shell`
SIZES = [int(s) for s in os.environ.get("BENCH_SIZES", "1000,10000").split(",")]
BATCH = int(os.environ.get("BENCH_BATCH", "500"))


def setup(company):
    company.write({"l10n_fr_pa_vat_regime": "normal_monthly",
                   "l10n_fr_pa_platform_code": "0042"})
    if not company.l10n_fr_pa_connection_ids:
        env["l10n_fr_pa.connection"].create({
            "company_id": company.id, "flow_url": "https://pa.invalid/flow-service",
            "token_url": "https://pa.invalid/token", "client_id": "bench"})
    taxes = env["account.tax"].search([("company_id", "=", company.id),
                                       ("type_tax_use", "=", "sale"),
                                       ("amount", "in", (20.0, 10.0, 5.5)),
                                       ("price_include", "=", False)])
    products = env["product.product"].create([{"name": "Bench goods", "type": "consu"},
                                              {"name": "Bench service", "type": "service"}])
    person = env["res.partner"].create({"name": "Bench person", "is_company": False,
                                        "country_id": env.ref("base.fr").id})
    return taxes, products, person


def create_invoices(count, start, taxes, products, person):
    for offset in range(0, count, BATCH):
        vals = []
        for i in range(offset, min(count, offset + BATCH)):
            vals.append({
                "move_type": "out_invoice", "partner_id": person.id,
                "invoice_date": start + timedelta(days=i % 10),
                "invoice_line_ids": [Command.create({
                    "product_id": products[i % 2].id, "quantity": 1,
                    "price_unit": 10 + i % 90,
                    "tax_ids": [Command.set(taxes[i % len(taxes)].ids)]})],
            })
        env["account.move"].create(vals).action_post()
        env.flush_all()
        env.invalidate_all()


def measure(label, func):
    env.flush_all()
    env.invalidate_all()
    tracemalloc.start()
    queries0, t0 = env.cr.sql_log_count, time.perf_counter()
    result = func()
    env.flush_all()
    elapsed = time.perf_counter() - t0
    queries = env.cr.sql_log_count - queries0
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    print(f"  {label:<22} {elapsed * 1000:9.0f} ms {queries:6d} queries "
          f"{peak / 1e6:8.1f} MB peak (Python)")
    return result


def main():
    company = env.company
    taxes, products, person = setup(company)
    Report = env["l10n_fr_pa.ereport"]
    print(f"company {company.name}, taxes {taxes.mapped('amount')}")
    for n, size in enumerate(SIZES):
        start = date(2026, 10 + n, 1)
        t0 = time.perf_counter()
        create_invoices(size, start, taxes, products, person)
        print(f"{size} B2C invoices created and posted in {time.perf_counter() - t0:.0f} s")
        period = period_of("normal_monthly", "transactions", start)
        report = Report._get_or_create(company, "b2c", period)
        data, moves = measure("figures (grouped)", report._get_core_report)
        measure("prepare (XML+rules)", report._prepare_one)
        print(f"  {len(moves)} invoices, {len(data.transactions)} daily totals, "
              f"state {report.state}, untaxed {report.amount_untaxed:.2f}")
    env.cr.rollback()


main()
