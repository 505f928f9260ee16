"""Benchmark (not a test): our Factur-X pipeline against the same library calls made directly.

    python3 tools/bench_facturx.py [--reps 40] [--batch 1000] [--procs 2]

Per invoice, for each step, "ours" (the einvoicing function) and "direct" (the
bare library calls doing the same work: same parse, same XSDs, same compiled
stylesheets, same output intent) are timed in the same run, interleaved rep by
rep (the order alternates) so that the load of a shared machine hits both
sides alike. Printed: the median ms of each side and the median, over pairs of
reps, of the ratio ours/direct; "best/best" is the ratio of the fastest reps
(load only ever adds time, so it estimates the unloaded ratio). Then a batch of N
validations spread over P processes, with the CPU time / wall time ratio (2.0 =
both cores busy).
"""

import argparse
import io
import json
import multiprocessing
import os
import resource
import statistics
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from lxml import etree

from einvoicing.facturx import embed
from einvoicing.invoice import Invoice
from einvoicing.pdf_render import render_invoice_pdf
from einvoicing.syntax import to_cii
from einvoicing.validation import saxon_thread
from einvoicing.validation.rulesets import _schema, run_schematrons, run_xsd
from einvoicing.validation.validator import (
    BR_FR_CII,
    CII_XSD,
    EN16931_CII,
    FACTURX_SCH,
    FX_XSD,
    validate_cii,
)
from einvoicing.xmlutil import parse_xml

DATA = Path(__file__).resolve().parents[1] / "einvoicing/tests/data/invoice_fr_b2b.json"
SCHEMATRONS = (EN16931_CII, FACTURX_SCH, BR_FR_CII)
FAST = 20  # calls per sample for the sub-millisecond steps


def timed(func, calls=1):
    """A step timer: runs ``func`` ``calls`` times, returns the seconds per call
    (sub-millisecond steps are timed over several calls, above the noise)."""
    def run():
        start = time.perf_counter()
        for _ in range(calls):
            func()
        return (time.perf_counter() - start) / calls
    return run


def on_saxon_thread(func):
    """A direct Saxon step: saxonche must run on the thread that created it, so the
    bare calls run there and time themselves (the hand-off is not counted)."""
    return lambda: saxon_thread._executor().submit(timed(func)).result()


def via_helper(func):
    """Run ``func`` with the schematrons sent to the Saxon helper process, the path
    taken under a finite RLIMIT_AS (Odoo's limit_memory_hard), see einvoicing.validation.saxon."""
    def run():
        saxon_thread._executor()
        saxon_thread._state["remote"] = True
        try:
            return func()
        finally:
            saxon_thread._state["remote"] = False
    return run


def direct_parse(xml):
    return etree.fromstring(xml, etree.XMLParser(resolve_entities=False, no_network=True))


def direct_xsd(key, root):
    schema = _schema(key)[0]
    return timed(lambda: schema.validate(root), FAST)


def direct_schematrons(paths, text):
    """Saxon parse once, then each precompiled stylesheet to an SVRL string."""
    def calls():
        node = saxon_thread._processor().parse_xml(xml_text=text)
        return [saxon_thread._compiled(path).transform_to_string(xdm_node=node) for path in paths]
    return on_saxon_thread(calls)


def direct_validation(xml, text):
    """lxml parse once, both XSDs on that tree, then the three stylesheets."""
    schemas = [_schema(rs.key)[0] for rs in (FX_XSD, CII_XSD)]
    saxon_part = direct_schematrons([rs.path for rs in SCHEMATRONS], text)

    def run():
        start = time.perf_counter()
        root = direct_parse(xml)
        for schema in schemas:
            schema.validate(root)
        return time.perf_counter() - start + saxon_part()
    return run


def direct_embed(xml, base, icc_flate):
    """factur-x generate_from_binary, then the sRGB output intent added with pikepdf
    exactly as einvoicing.facturx writes it (same ICC stream, same save options)."""
    import pikepdf
    from facturx import generate_from_binary

    def calls():
        out = generate_from_binary(base, xml, flavor="factur-x", level="en16931",
                                   check_xsd=False, check_schematron=False, lang="fr-FR",
                                   afrelationship="data")
        with pikepdf.open(io.BytesIO(out)) as pdf:
            icc = pikepdf.Stream(pdf, icc_flate)
            icc.N, icc.Filter = 3, pikepdf.Name.FlateDecode
            intent = pikepdf.Dictionary(
                Type=pikepdf.Name.OutputIntent, S=pikepdf.Name.GTS_PDFA1,
                OutputConditionIdentifier="sRGB IEC61966-2.1",
                RegistryName="http://www.color.org", Info="sRGB IEC61966-2.1",
                DestOutputProfile=pdf.make_indirect(icc))
            pdf.Root.OutputIntents = pikepdf.Array([pdf.make_indirect(intent)])
            pdf.save(io.BytesIO(), compress_streams=False)
    return timed(calls)


def interleave(steps, reps):
    """Run every (name, ours, direct) step ``reps`` times, alternating which side goes
    first; return rows (name, median ours ms, median direct ms, ratio, best/best).

    The ratio is the median, over pairs of consecutive reps (one of each order), of
    (ours_a + ours_b) / (direct_a + direct_b): each pair sees the same machine load
    and both positions, so neither drift nor going first biases it."""
    samples = {name: ([], []) for name, _o, _d in steps}
    for rep in range(reps + reps % 2):
        for name, ours, direct in steps:
            sides = [(0, ours), (1, direct)] if rep % 2 == 0 else [(1, direct), (0, ours)]
            for index, func in sides:
                if func is not None:
                    samples[name][index].append(func())
    rows = []
    for name, _o, _d in steps:
        ours, direct = samples[name]
        pairs = zip(ours[0::2], ours[1::2], direct[0::2], direct[1::2], strict=True)
        ratio = statistics.median((a + b) / (c + d) for a, b, c, d in pairs) if direct else None
        best = min(ours) / min(direct) if direct else None
        rows.append((name, _ms(ours), _ms(direct), ratio, best))
    return rows


def _ms(values):
    return statistics.median(values) * 1000 if values else None


def per_invoice(reps):
    import zlib

    from PIL import ImageCms

    data = json.loads(DATA.read_text())
    xml = to_cii(Invoice.from_dict(data))
    text = xml.decode("utf-8")
    base = render_invoice_pdf(parse_xml(xml))  # a plain PDF, no output intent yet
    icc_flate = zlib.compress(ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes())
    root = parse_xml(xml)
    steps = [("build (JSON -> model -> CII)", timed(lambda: to_cii(Invoice.from_dict(data))), None),
             ("parse (hardened lxml parse_xml)", timed(lambda: parse_xml(xml), FAST),
              timed(lambda: direct_parse(xml), FAST)),
             ("Saxon thread hand-off (empty job)",
              timed(lambda: saxon_thread._executor().submit(int).result(), FAST), None)]
    for rs in (FX_XSD, CII_XSD):  # both sides validate the same parsed tree
        steps.append((f"XSD {rs.path.name}", timed(lambda rs=rs: run_xsd(rs, root), FAST),
                      direct_xsd(rs.key, root)))
    for rs in SCHEMATRONS:  # ours: serialise, hand off, Saxon parse + run, read the SVRL
        steps.append((f"schematron {rs.path.name}",
                      timed(lambda rs=rs: run_schematrons([rs], root)),
                      direct_schematrons([rs.path], text)))
    steps.append(("validate_cii (2 XSD + 3 schematrons)", timed(lambda: validate_cii(xml)),
                  direct_validation(xml, text)))
    steps.append(("  same, Saxon in the helper process (Odoo)",
                  timed(via_helper(lambda: validate_cii(xml))), direct_validation(xml, text)))
    steps.append(("embed into PDF/A-3 + sRGB output intent",
                  timed(lambda: embed(xml, pdf=base)), direct_embed(xml, base, icc_flate)))
    for _name, ours, direct in steps:  # compile, load and warm everything up (not timed)
        for func in (ours, direct):
            if func is not None:
                func()
    return interleave(steps, reps)


def _batch_worker(count):
    xml = to_cii(Invoice.from_dict(json.loads(DATA.read_text())))
    validate_cii(xml)  # compile once in this process (not timed)
    start_cpu, start, stamp = time.process_time(), time.perf_counter(), time.time()
    valid = sum(validate_cii(xml).valid for _ in range(count))
    return {"valid": valid, "wall": time.perf_counter() - start,
            "cpu": time.process_time() - start_cpu, "pid": os.getpid(),
            "start": stamp, "end": time.time()}


def _burn(seconds):
    """Pure CPU spin: the CPU/wall this machine gives a process right now."""
    start_cpu, start = time.process_time(), time.perf_counter()
    while time.perf_counter() - start < seconds:
        pass
    return (time.process_time() - start_cpu) / (time.perf_counter() - start)


def machine_share(procs, seconds=5.0):
    """CPU/wall that ``procs`` pure spinning processes get at once (the ceiling the
    batch can reach on a shared machine; 2.0 on an idle 2-core machine)."""
    with multiprocessing.get_context("spawn").Pool(procs) as pool:
        return sum(pool.map(_burn, [seconds] * procs))


def batch(total, procs):
    """``total`` validations over ``procs`` spawned processes; CPU includes the
    Saxon thread (process CPU clock) and, for the whole run, start-up and compiling."""
    ctx = multiprocessing.get_context("spawn")
    shares = [total // procs + (i < total % procs) for i in range(procs)]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    pool = ctx.Pool(procs)
    try:
        results = pool.map(_batch_worker, shares)
    finally:
        pool.close()
        pool.join()
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return results, wall, cpu


def print_per_invoice(rows, reps):
    print(f"Per invoice (median of {reps} interleaved reps, ms), sample French B2B invoice")
    print(f"{'step':44} {'ours':>8} {'direct':>8} {'ours/direct':>11} {'best/best':>9}")
    for name, ours, direct, ratio, best in rows:
        direct_txt = f"{direct:8.2f}" if direct is not None else f"{'-':>8}"
        ratio_txt = f"{ratio:11.2f}" if ratio is not None else f"{'-':>11}"
        best_txt = f"{best:9.2f}" if best is not None else f"{'-':>9}"
        print(f"{name:44} {ours:8.2f} {direct_txt} {ratio_txt} {best_txt}")


def print_batch(results, wall, cpu, total, procs):
    steady = max(r["end"] for r in results) - min(r["start"] for r in results)
    overlap = min(r["end"] for r in results) - max(r["start"] for r in results)
    steady_cpu = sum(r["cpu"] for r in results)
    valid = sum(r["valid"] for r in results)
    pids = len({r["pid"] for r in results})
    print(f"\nBatch: {total} validations on {procs} spawned processes ({pids} distinct pids), "
          f"{valid}/{total} valid")
    print(f"  whole run (start-up + compiling + validations): {wall:.1f} s wall, "
          f"{cpu:.1f} s CPU -> CPU/wall = {cpu / wall:.2f}")
    print(f"  validation loops: {steady:.1f} s wall (all {procs} running together for "
          f"{max(overlap, 0):.1f} s), {steady_cpu:.1f} s CPU -> CPU/wall = "
          f"{steady_cpu / steady:.2f}, {total / steady:.0f} validations/s, "
          f"{steady_cpu / total * 1000:.0f} ms CPU per validation")
    per_process = ", ".join(f"{r['cpu'] / r['wall']:.2f}" for r in results)
    print(f"  CPU/wall of each process during its loop: {per_process}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reps", type=int, default=40)
    parser.add_argument("--batch", type=int, default=1000)
    parser.add_argument("--procs", type=int, default=2)
    args = parser.parse_args()
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"{datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC, {os.cpu_count()} CPUs, "
          f"load average at start {load}")
    print_per_invoice(per_invoice(args.reps), args.reps)
    if args.batch:
        load = " ".join(f"{x:.2f}" for x in os.getloadavg())
        print(f"\nload average before the batch {load}")
        before = machine_share(args.procs)
        results, wall, cpu = batch(args.batch, args.procs)
        after = machine_share(args.procs)
        print_batch(results, wall, cpu, args.batch, args.procs)
        print(f"  reference: {args.procs} pure CPU-spinning processes got CPU/wall = "
              f"{before:.2f} just before and {after:.2f} just after (what the machine gave)")
        load = " ".join(f"{x:.2f}" for x in os.getloadavg())
        print(f"load average after the batch {load}")


if __name__ == "__main__":
    main()
