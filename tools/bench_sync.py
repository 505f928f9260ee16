# Copyright 2026 The l10n_fr_einvoice_pa authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Benchmark of lifecycle event ingestion (not a test): 10,000 / 100,000 events, time,
queries, memory.

Run it inside an Odoo shell of a throw-away database where the addon is installed; the
events are rolled back at the end (the invoices stay, see BENCH_INVOICES):

    "$ODOO_PYTHON" "$ODOO_SRC/odoo-bin" shell --addons-path=<addons path> -d <db> --no-http \
        < tools/bench_sync.py

(``ODOO_SRC``: the Odoo 18.0 source tree; ``ODOO_PYTHON``: the interpreter of its
virtualenv, e.g. the one ``tools/odoo_venv.sh`` prints.)

Environment variables: BENCH_EVENTS (10000; several sizes: "10000,100000"), BENCH_BATCH
(100, the sync's page size), BENCH_INVOICES (200 posted invoices, created and committed
once by tools/bench_setup.py: use a throw-away database).
Events refer to those invoices (round robin) so linking and status refresh are measured
too. Each size runs on a fresh savepoint (rolled back); memory is the Python heap traced
by tracemalloc (growth and peak) plus the process's peak RSS.
"""

import importlib.util
import os
import resource
import time
import tracemalloc
import uuid
from datetime import datetime, timedelta, timezone

import odoo.addons.l10n_fr_einvoice_pa as addon
from odoo.addons.l10n_fr_einvoice_pa.einvoicing.lifecycle import Event

env = globals()["env"]  # provided by `odoo-bin shell`
SIZES = [int(n) for n in os.environ.get("BENCH_EVENTS", "10000").split(",")]
BATCH = int(os.environ.get("BENCH_BATCH", "100"))
INVOICES = int(os.environ.get("BENCH_INVOICES", "200"))


def _load_setup():
    """tools/bench_setup.py as a module (a shell script has no ``__file__``)."""
    path = os.path.join(os.path.dirname(addon.__file__), "tools", "bench_setup.py")
    spec = importlib.util.spec_from_file_location("l10n_fr_pa_bench_setup", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


setup = _load_setup()

def connection_for(company):
    conn = env["l10n_fr_pa.connection"]._for_company(company, raise_if_missing=False)
    return conn or env["l10n_fr_pa.connection"].create({
        "company_id": company.id, "flow_url": "https://pa.invalid/flow-service",
        "token_url": "https://pa.invalid/token", "client_id": "bench"})


def events(refs, siren, count, start):
    """Core events of the platform, referring to ``refs`` [(number, date)] round robin
    (built from plain values: reading records here would add queries to the measure)."""
    base = datetime(2026, 9, 1, tzinfo=timezone.utc)
    for i in range(start, start + count):
        number, date = refs[i % len(refs)] if refs else (f"BENCH-{i}", None)
        yield Event(message_id=str(uuid.uuid4()), status_code=(204, 205, 212)[i % 3],
                    timestamp=base + timedelta(seconds=i), issuer_role="buyer",
                    invoice_number=number, invoice_date=date, seller_siren=siren)


def ingest(conn, moves, siren, total):
    Event_ = env["l10n_fr_pa.event"]
    refs = [(move.name, move.invoice_date) for move in moves]
    tracemalloc.start()
    mem0 = tracemalloc.get_traced_memory()[0]
    queries0, t0 = env.cr.sql_log_count, time.perf_counter()
    for start in range(0, total, BATCH):
        batch = list(events(refs, siren, min(BATCH, total - start), start))
        Event_._ingest(conn, batch)
        env.flush_all()
        env.invalidate_all()  # a cron batch starts with a cold cache
    elapsed = time.perf_counter() - t0
    queries = env.cr.sql_log_count - queries0
    mem1, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    linked = Event_.search_count([("company_id", "=", conn.company_id.id),
                                  ("move_id", "!=", False)])
    print(f"events: {total} in batches of {BATCH}, over {len(moves)} invoice(s), "
          f"{linked} linked")
    print(f"  time: {elapsed:.2f} s ({total / elapsed:.0f} events/s)")
    print(f"  queries: {queries} ({queries / total:.3f} per event, "
          f"{queries / -(-total // BATCH):.1f} per batch)")
    print(f"  python heap growth: {(mem1 - mem0) / 1e6:.1f} MB (peak {peak / 1e6:.1f} MB); "
          f"process peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


def main():
    company, _buyer, moves = setup.prepare(env, INVOICES)
    moves = moves if INVOICES else moves.browse()
    conn = connection_for(company)
    siren = company._l10n_fr_pa_find_siren() or None
    env.flush_all()
    for total in SIZES:
        env.cr.execute("SAVEPOINT bench_sync")
        ingest(conn, moves, siren, total)
        env.cr.execute("ROLLBACK TO SAVEPOINT bench_sync")
        env.invalidate_all()
    env.cr.rollback()


main()
