# Copyright 2026 The l10n_fr_einvoice_pa authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Benchmark (not a test): memory of N worker processes and of their Saxon helpers.

    python3 tools/bench_memory.py [--workers 2] [--invoices 50] [--idle 10]

What is measured: N plain Python processes standing for N Odoo prefork workers. Each
sets the address-space limit Odoo's ``limit_memory_hard`` sets (soft RLIMIT_AS 2.5 GB,
hard unchanged), so that - as in Odoo - its schematrons run in the Saxon helper process;
it then validates ``--invoices`` CII invoices (XSD + the three official schematrons,
``einvoicing.validation.validate_cii``) with the helper's idle stop set to ``--idle``
seconds. RSS and USS (memory only this process holds) come from psutil, for the worker
and its helper: before any validation, after the first one, after all, and once the
helper stopped by itself. An Odoo worker adds its own registry (~150-250 MB) to the
worker figures; the helper's figures are the same under Odoo (same command, same code).
"""

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "einvoicing/tests/data/invoice_fr_b2b.json"
MB = 1 << 20


def _memory(pid):
    import psutil

    try:
        info = psutil.Process(pid).memory_full_info()
    except (psutil.NoSuchProcess, psutil.AccessDenied):
        return None
    return {"rss": info.rss / MB, "uss": info.uss / MB}


def worker(invoices, idle):
    """One worker: validate, measure, wait for the helper's idle stop; JSON on stdout."""
    import resource

    hard = resource.getrlimit(resource.RLIMIT_AS)[1]
    resource.setrlimit(resource.RLIMIT_AS, (2560 << 20, hard))  # as Odoo does
    sys.path.insert(0, str(ROOT))
    from einvoicing.invoice import Invoice
    from einvoicing.syntax import to_cii
    from einvoicing.validation import saxon, saxon_worker, validate_cii

    saxon.set_idle_seconds(idle)
    xml = to_cii(Invoice.from_dict(json.loads(DATA.read_text())))
    out = {"pid": os.getpid(), "worker_start": _memory(os.getpid())}
    start = time.perf_counter()
    if not validate_cii(xml).valid:
        raise SystemExit("the sample invoice should be valid")
    out["first_validation_s"] = time.perf_counter() - start
    helper = saxon_worker.helper_pid()
    out.update(worker_after_first=_memory(os.getpid()), helper_after_first=_memory(helper))
    start = time.perf_counter()
    for _ in range(invoices - 1):
        validate_cii(xml)
    out["validation_ms"] = (time.perf_counter() - start) / max(1, invoices - 1) * 1000
    out.update(worker_after_all=_memory(os.getpid()), helper_after_all=_memory(helper))
    stopped_at = time.monotonic()
    while saxon_worker.helper_pid() is not None and time.monotonic() - stopped_at < idle + 120:
        time.sleep(0.1)
    out["helper_stopped_after_s"] = time.monotonic() - stopped_at
    out["helper_alive_after_stop"] = _memory(helper) is not None
    out["worker_after_stop"] = _memory(os.getpid())
    print(json.dumps(out))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--invoices", type=int, default=50)
    parser.add_argument("--idle", type=float, default=10.0)
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        return worker(args.invoices, args.idle)
    procs = [subprocess.Popen(
        [sys.executable, __file__, "--worker", "--invoices", str(args.invoices),
         "--idle", str(args.idle)], stdout=subprocess.PIPE) for _ in range(args.workers)]
    results = [json.loads(p.communicate()[0]) for p in procs]
    print(f"{args.workers} worker(s), {args.invoices} CII validations each, idle stop "
          f"{args.idle:g} s; Python {sys.version.split()[0]}; MB = MiB (RSS / USS)")
    rows = [("worker before validating", "worker_start"),
            ("worker after 1st validation", "worker_after_first"),
            ("helper after 1st validation", "helper_after_first"),
            ("worker after all", "worker_after_all"),
            ("helper after all", "helper_after_all"),
            ("worker after helper stop", "worker_after_stop")]
    for label, key in rows:
        cells = [f"{r[key]['rss']:.0f} / {r[key]['uss']:.0f}" if r[key] else "-" for r in results]
        print(f"  {label:30} " + "  ".join(f"{c:>11}" for c in cells))
    for r in results:
        print(f"  worker {r['pid']}: 1st validation {r['first_validation_s']:.1f} s (helper start "
              f"+ compile), then {r['validation_ms']:.0f} ms each; helper stopped "
              f"{r['helper_stopped_after_s']:.1f} s after the last one"
              + (" (STILL ALIVE)" if r["helper_alive_after_stop"] else ""))
    total = sum(r["helper_after_all"]["rss"] for r in results if r["helper_after_all"])
    print(f"  helpers' RSS while busy: {total:.0f} MB in all; after idle stop: 0")
    return 0


if __name__ == "__main__":
    sys.exit(main())
