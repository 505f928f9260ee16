"""Benchmark (not a test): our Factur-X pipeline against the same library calls made directly.

    python3 tools/bench_facturx.py [--reps 20] [--batch 1000] [--procs 2]

Per invoice, median milliseconds of: build (model -> CII), each XSD, each
schematron, embed into a PDF, and the whole validation; "direct" is the bare
library call doing the same work in the same run (lxml XMLSchema.validate,
saxonche transform of a precompiled stylesheet, factur-x generate_from_binary).
Then a batch of N validations spread over P processes (both cores).
"""

import argparse
import json
import multiprocessing
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from lxml import etree

from einvoicing import saxon
from einvoicing.cii import to_cii
from einvoicing.facturx import embed
from einvoicing.invoice import Invoice
from einvoicing.rulesets import _schema, run_schematrons, run_xsd
from einvoicing.validation import (
    BR_FR_CII,
    CII_XSD,
    EN16931_CII,
    FACTURX_SCH,
    FX_XSD,
    validate_cii,
)
from einvoicing.xmlutil import parse_xml

DATA = Path(__file__).resolve().parents[1] / "einvoicing/tests/data/invoice_fr_b2b.json"


def median_ms(func, reps):
    times = []
    for _ in range(reps):
        start = time.perf_counter()
        func()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def direct_saxon(path, xml_text, reps):
    """Median ms of the bare saxonche calls, timed on the Saxon thread itself."""
    def job():
        processor = saxon._processor()
        executable = saxon._compiled(path)

        def once():
            node = processor.parse_xml(xml_text=xml_text)
            executable.transform_to_string(xdm_node=node)
        once()
        return median_ms(once, reps)
    return saxon._executor().submit(job).result()


def direct_xsd(key, xml, reps):
    schema, _lock = _schema(key)
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    return median_ms(lambda: schema.validate(etree.fromstring(xml, parser)), reps)


def per_invoice(reps):
    from facturx import generate_from_binary

    data = json.loads(DATA.read_text())
    xml = to_cii(Invoice.from_dict(data))
    text = etree.tostring(parse_xml(xml), encoding="unicode")
    validate_cii(xml)  # compile everything once
    base = embed(xml)  # a PDF to embed into, for both sides
    rows = [("build (JSON -> model -> CII)",
             median_ms(lambda: to_cii(Invoice.from_dict(data)), reps), None)]
    for rs in (FX_XSD, CII_XSD):
        rows.append((f"XSD {rs.path.name}",
                     median_ms(lambda rs=rs: run_xsd(rs, parse_xml(xml)), reps),
                     direct_xsd(rs.key, xml, reps)))
    for rs in (EN16931_CII, FACTURX_SCH, BR_FR_CII):
        rows.append((f"schematron {rs.path.name}",
                     median_ms(lambda rs=rs: run_schematrons([rs], parse_xml(xml)), reps),
                     direct_saxon(rs.path, text, reps)))
    ours_total = median_ms(lambda: validate_cii(xml), reps)
    direct_total = sum(row[2] for row in rows[1:]) - _saxon_parse_double_count(text, reps)
    rows.append(("validate_cii (all of the above)", ours_total, direct_total))
    rows.append(("embed into PDF/A-3", median_ms(lambda: embed(xml, pdf=base), reps),
                 median_ms(lambda: generate_from_binary(base, xml, flavor="factur-x",
                                                        level="en16931", check_xsd=False),
                           reps)))
    return rows


def _saxon_parse_double_count(text, reps):
    """validate_cii parses once for the 3 schematrons; the direct rows parse 3 times."""
    def job():
        processor = saxon._processor()
        return median_ms(lambda: processor.parse_xml(xml_text=text), reps)
    return 2 * saxon._executor().submit(job).result()


def _batch_worker(count):
    xml = to_cii(Invoice.from_dict(json.loads(DATA.read_text())))
    validate_cii(xml)  # compile once in this process (not timed)
    start_cpu, start = time.process_time(), time.perf_counter()
    valid = sum(validate_cii(xml).valid for _ in range(count))
    return valid, time.perf_counter() - start, time.process_time() - start_cpu, os.getpid()


def batch(total, procs):
    ctx = multiprocessing.get_context("spawn")
    shares = [total // procs + (i < total % procs) for i in range(procs)]
    with ctx.Pool(procs) as pool:
        start = time.perf_counter()
        results = pool.map(_batch_worker, shares)
        wall = time.perf_counter() - start
    return results, wall


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reps", type=int, default=20)
    parser.add_argument("--batch", type=int, default=1000)
    parser.add_argument("--procs", type=int, default=2)
    args = parser.parse_args()
    rows = per_invoice(args.reps)
    print(f"Per invoice (median of {args.reps}, ms), sample French B2B invoice, 3 lines")
    print(f"{'step':48} {'ours':>8} {'direct':>8} {'ratio':>6}")
    for name, ours, direct in rows:
        ratio = f"{ours / direct:6.2f}" if direct else "     -"
        direct_txt = f"{direct:8.2f}" if direct else "       -"
        print(f"{name:48} {ours:8.2f} {direct_txt} {ratio}")
    results, wall = batch(args.batch, args.procs)
    valid = sum(r[0] for r in results)
    busy = sum(r[2] for r in results)
    print(f"\nBatch: {args.batch} validations (XSD x2 + 3 schematrons each) on {args.procs} "
          f"processes ({len({r[3] for r in results})} distinct pids): {wall:.1f} s wall incl. "
          f"start-up and compiling, {args.batch / max(r[1] for r in results):.0f} validations/s "
          f"steady, CPU {busy:.1f} s = {busy / wall:.2f} cores busy on average; "
          f"{valid}/{args.batch} valid")


if __name__ == "__main__":
    main()
