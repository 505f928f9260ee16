# Copyright 2026 The l10n_fr_einvoice_pa authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Benchmark of lifecycle event ingestion (not a test): 10,000 events, time, queries, memory.

Run it inside an Odoo shell of a database where the addon is installed; everything is
rolled back at the end:

    "$ODOO_PYTHON" "$ODOO_SRC/odoo-bin" shell --addons-path=<addons path> -d <db> --no-http \
        < tools/bench_sync.py

(``ODOO_SRC``: the Odoo 18.0 source tree; ``ODOO_PYTHON``: the interpreter of its
virtualenv, e.g. the one ``tools/odoo_venv.sh`` prints.)

Environment variables: BENCH_EVENTS (10000), BENCH_BATCH (100, the sync's page size).
Events refer to the company's posted customer invoices (round robin) so linking and
status refresh are measured too; with no invoice they stay unlinked.
"""

import os
import time
import tracemalloc
import uuid
from datetime import datetime, timedelta, timezone

from odoo.addons.l10n_fr_einvoice_pa.einvoicing.lifecycle import Event
from odoo.addons.l10n_fr_einvoice_pa.models.l10n_fr_pa_event import _siren_of

env = globals()["env"]  # provided by `odoo-bin shell`
TOTAL = int(os.environ.get("BENCH_EVENTS", "10000"))
BATCH = int(os.environ.get("BENCH_BATCH", "100"))


def connection_for(company):
    conn = env["l10n_fr_pa.connection"]._for_company(company, raise_if_missing=False)
    return conn or env["l10n_fr_pa.connection"].create({
        "company_id": company.id, "flow_url": "https://pa.invalid/flow-service",
        "token_url": "https://pa.invalid/token", "client_id": "bench"})


def events(moves, siren, count, start):
    base = datetime(2026, 9, 1, tzinfo=timezone.utc)
    for i in range(start, start + count):
        move = moves[i % len(moves)] if moves else None
        yield Event(message_id=str(uuid.uuid4()), status_code=(204, 205, 212)[i % 3],
                    timestamp=base + timedelta(seconds=i), issuer_role="buyer",
                    invoice_number=move.name if move else f"BENCH-{i}",
                    invoice_date=move.invoice_date if move else None, seller_siren=siren)


def main():
    company = env.company
    conn = connection_for(company)
    moves = env["account.move"].search([("company_id", "=", company.id),
                                        ("move_type", "=", "out_invoice"),
                                        ("state", "=", "posted")], limit=200)
    siren = _siren_of(company) or None
    Event_ = env["l10n_fr_pa.event"]
    tracemalloc.start()
    mem0 = tracemalloc.get_traced_memory()[0]
    queries0, t0 = env.cr.sql_log_count, time.perf_counter()
    for start in range(0, TOTAL, BATCH):
        Event_._ingest(conn, list(events(moves, siren, min(BATCH, TOTAL - start), start)))
        env.flush_all()
        env.invalidate_all()  # a cron batch starts with a cold cache
    elapsed = time.perf_counter() - t0
    queries = env.cr.sql_log_count - queries0
    mem1, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    linked = Event_.search_count([("company_id", "=", company.id), ("move_id", "!=", False)])
    print(f"events: {TOTAL} in batches of {BATCH}, over {len(moves)} invoice(s), "
          f"{linked} linked")
    print(f"time: {elapsed:.2f} s ({TOTAL / elapsed:.0f} events/s)")
    print(f"queries: {queries} ({queries / TOTAL:.3f} per event, "
          f"{queries / -(-TOTAL // BATCH):.1f} per batch)")
    print(f"memory growth: {(mem1 - mem0) / 1e6:.1f} MB (peak {peak / 1e6:.1f} MB)")
    env.cr.rollback()


main()
