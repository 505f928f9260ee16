# Copyright 2026 The l10n_fr_einvoice_pa authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Fuzz the entry points that read outside input: every refusal must be a documented error.

    python tools/fuzz.py --seed 1 --inputs 10000 \
        [--target cdar,cii,ubl,facturx,flux10,sandbox,webhook] [--crashes DIR] [--db NAME]

``--inputs`` is the total, shared evenly by the targets. Method:

- Seeds (tools/fuzz_mutators.py): the official CII and CDAR examples vendored in the
  repository, the core's builders (sample invoices as CII and UBL, CDAR messages of every
  status, the flux 10 reports of the e-reporting tests) and Factur-X PDFs of them.
- Each input is one seed mutated 1-3 times (bytes, XML structure, encodings, hostile XML,
  PDF attachments), from ``random.Random(seed)``: a run is reproducible.
- Core targets call the parser and the validator of the family in-process:
  ``cdar`` parse_cdar + validate_cdar (only CdarError / the core's EInvoicingError may
  escape), ``cii`` / ``ubl`` parse_invoice_xml + validate, ``facturx`` extract + validate,
  ``flux10`` parse_report + validate_report. A crash is any other exception.
- ``sandbox``: real HTTP over loopback to a SandboxServer (tools/fuzz_http.py): fuzzed
  methods, paths, headers, tokens and bodies; a crash is a 5xx or a non-JSON error answer.
- ``webhook``: a real Odoo server (tools/odoo_server.py, ``--workers=2``) with the addon
  and a connection holding a webhook secret: unsigned garbage, broken signature headers
  and validly-signed mutated JSON bodies; a crash is a 5xx or a non-JSON answer of the route.

Each crash is written to ``--crashes`` (input + traceback), minimised for core targets by
removing chunks while the same exception type still happens. Exit status 1 on any crash.
"""

import argparse
import hashlib
import json
import random
import sys
import tempfile
import time
import traceback
from pathlib import Path

import fuzz_mutators as mut

CORE_TARGETS = ("cdar", "cii", "ubl", "facturx", "flux10")
HTTP_TARGETS = ("sandbox", "webhook")


# -- seeds --------------------------------------------------------------------------------

def _files(folder, pattern):
    return [p.read_bytes() for p in sorted((mut.ROOT / folder).glob(pattern))]


def _cdar_seeds():
    from datetime import date, datetime, timezone

    from einvoicing.lifecycle import PaymentAmount
    from einvoicing.lifecycle.cdar import StatusMessage, build_cdar

    at = datetime(2025, 7, 30, 10, 0, 5, tzinfo=timezone.utc)
    built = [build_cdar(StatusMessage(code, "F202500003", date(2025, 7, 1), "100000009",
                                      "200000008", role, issued_at=at, reason_code=reason,
                                      amounts=amounts, message="Message libre é"))
             for code, role, reason, amounts in [
                 (200, "platform", None, []), (205, "buyer", None, []),
                 (207, "buyer", "VAT_RATE_INCORRECT", []), (210, "buyer", "DOUBLON", []),
                 (211, "buyer", None, [PaymentAmount("12000", "EUR")]),
                 (212, "supplier", None, [PaymentAmount("12000", "EUR", "20")])]]
    return built + _files("einvoicing/tests/data/cdar", "*.xml")


def _invoices():
    from einvoicing.invoice.samples import sample_credit_note, sample_invoice

    return [sample_invoice(), sample_credit_note()]


def _cii_seeds():
    from einvoicing.syntax import to_cii

    return [to_cii(i) for i in _invoices()] + _files("einvoicing/standards/examples/cii", "*.xml")


def _ubl_seeds():
    from einvoicing.syntax import to_ubl

    return [to_ubl(i) for i in _invoices()] + _files("einvoicing/tests/data", "*_ubl.xml")


def _facturx_seeds():
    from einvoicing.facturx import embed

    return [embed(xml) for xml in _cii_seeds()[:3]]


def _flux10_seeds():
    from _ereporting_samples import SAMPLES

    from einvoicing.ereporting import build_report, report_from_dict

    return [build_report(report_from_dict(data)) for data in SAMPLES.values()]


SEEDS = {"cdar": _cdar_seeds, "cii": _cii_seeds, "ubl": _ubl_seeds,
         "facturx": _facturx_seeds, "flux10": _flux10_seeds}


# -- core entry points and their documented errors ----------------------------------------

def _check_cdar(data):
    from einvoicing.errors import EInvoicingError
    from einvoicing.lifecycle.cdar import CdarError, parse_cdar
    from einvoicing.validation import validate_cdar

    _expect(parse_cdar, data, CdarError)
    _expect(validate_cdar, data, EInvoicingError)


def _check_invoice(data):
    from einvoicing.errors import EInvoicingError
    from einvoicing.syntax.read import parse_invoice_xml
    from einvoicing.validation import validate

    _expect(parse_invoice_xml, data, EInvoicingError)
    _expect(validate, data, EInvoicingError)


def _check_facturx(data):
    from einvoicing.errors import EInvoicingError
    from einvoicing.facturx import FacturXError, extract
    from einvoicing.validation import validate
    from einvoicing.xmlutil import UnreadableInput

    _expect(extract, data, (FacturXError, UnreadableInput))
    _expect(validate, data, EInvoicingError)


def _check_flux10(data):
    from einvoicing.ereporting import EReportError, parse_report, validate_report
    from einvoicing.xmlutil import UnreadableInput

    _expect(parse_report, data, (EReportError, UnreadableInput))
    _expect(validate_report, data, (EReportError, UnreadableInput))


OUTCOMES = mut.OUTCOMES


def _expect(function, data, allowed):
    """Call ``function(data)``; a documented refusal is fine, anything else propagates."""
    try:
        result = function(data)
    except allowed as exc:
        if not str(exc).strip():
            raise AssertionError(f"{type(exc).__name__} without a message") from exc
        OUTCOMES[f"{function.__name__}: {getattr(exc, 'code', type(exc).__name__)}"] += 1
        return None
    OUTCOMES[f"{function.__name__}: ok"] += 1
    return result


CHECKS = {"cdar": _check_cdar, "cii": _check_invoice, "ubl": _check_invoice,
          "facturx": _check_facturx, "flux10": _check_flux10}


# -- running ------------------------------------------------------------------------------

class Crashes:
    """Crash inputs written to a directory (one file per distinct input)."""

    def __init__(self, folder):
        self.folder = Path(folder)
        self.found = []

    def record(self, target, data, description):
        self.folder.mkdir(parents=True, exist_ok=True)
        digest = hashlib.sha1(data).hexdigest()[:12]
        path = self.folder / f"{target}-{digest}"
        path.with_suffix(".bin").write_bytes(data)
        path.with_suffix(".txt").write_text(description)
        self.found.append((target, str(path), description.strip().splitlines()[-1][:200]))


def minimise(check, data, kind, budget=300):
    """Remove chunks of ``data`` while ``check`` still raises ``kind`` (ddmin, bounded)."""
    chunk = max(1, len(data) // 2)
    while chunk >= 1 and budget > 0:
        start, shrunk = 0, False
        while start < len(data) and budget > 0:
            candidate = data[:start] + data[start + chunk:]
            budget -= 1
            if _raises(check, candidate, kind):
                data, shrunk = candidate, True
            else:
                start += chunk
        if not shrunk:
            chunk //= 2
    return data


def _raises(check, data, kind):
    try:
        check(data)
    except Exception as exc:
        return type(exc) is kind
    return False


def run_core(target, count, rng, crashes, log):
    seeds = SEEDS[target]()
    xml_seeds = _cii_seeds() if target == "facturx" else seeds
    check = CHECKS[target]
    for seed in seeds:  # the seeds themselves must be read without a refusal
        check(seed)
    refused = [k for k in OUTCOMES if not k.endswith(": ok")]
    if refused:
        raise SystemExit(f"{target}: a seed is refused ({refused}); fix the seeds first")
    OUTCOMES.clear()
    for index in range(count):
        data = rng.choice(seeds)
        for _ in range(rng.choice([1, 1, 1, 2, 3])):
            data = mut.mutate(rng, data, xml_seeds)
        try:
            check(data)
        except Exception as exc:
            counted = OUTCOMES.copy()
            small = minimise(check, data, type(exc)) if len(data) < 200_000 else data
            OUTCOMES.clear()
            OUTCOMES.update(counted)
            crashes.record(target, small, f"input #{index}\n{traceback.format_exc()}")
        if index and index % 500 == 0:
            log(f"  {target}: {index}/{count}, {len(crashes.found)} crash(es)")
    return count


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--inputs", type=int, default=10_000, help="total over the targets")
    parser.add_argument("--target", default=",".join(CORE_TARGETS + HTTP_TARGETS))
    parser.add_argument("--crashes", default=str(Path(tempfile.gettempdir()) / "fuzz-crashes"),
                        help="directory receiving each crash input and its traceback")
    parser.add_argument("--db", default="fuzz-load-webhook",
                        help="database of the webhook target (created, then dropped)")
    parser.add_argument("--keep-db", action="store_true",
                        help="reuse --db when it exists and do not drop it")
    args = parser.parse_args(argv)
    targets = [t for t in args.target.split(",") if t]
    unknown = set(targets) - set(CORE_TARGETS + HTTP_TARGETS)
    if unknown:
        parser.error(f"unknown target(s): {', '.join(sorted(unknown))}")
    crashes = Crashes(args.crashes)
    summary = {}
    for position, target in enumerate(targets):
        count = args.inputs // len(targets) + (position < args.inputs % len(targets))
        rng = random.Random(f"{args.seed}-{target}")
        started = time.monotonic()
        before = len(crashes.found)
        _log(f"{target}: {count} inputs")
        if target in CORE_TARGETS:
            run_core(target, count, rng, crashes, _log)
        else:
            import fuzz_http

            fuzz_http.run(target, count, rng, crashes, _log, args)
        summary[target] = {"inputs": count, "crashes": len(crashes.found) - before,
                           "seconds": round(time.monotonic() - started, 1),
                           "outcomes": dict(OUTCOMES.most_common(12))}
        OUTCOMES.clear()
        _log(f"{target}: {json.dumps(summary[target])}")
    total = sum(s["inputs"] for s in summary.values())
    print(json.dumps({"seed": args.seed, "inputs": total, "crashes": len(crashes.found),
                      "targets": summary, "crash_files": crashes.found}, indent=1))
    return 1 if crashes.found else 0


def _log(message):
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


if __name__ == "__main__":
    sys.exit(main())
