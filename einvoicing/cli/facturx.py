"""``python -m einvoicing facturx build INVOICE.json [--pdf BASE.pdf] -o OUT.(xml|pdf)``.

Builds the CII XML (Factur-X 1.09 EN16931) from the invoice JSON, checks it with
the official rules, and writes it as XML or embedded in a Factur-X PDF/A-3.
Exit 0 written, 1 the invoice breaks a rule (nothing written unless --force),
2 unreadable input.
"""

import json
import sys
from pathlib import Path

from ..errors import InputError


def register(subparsers):
    parser = subparsers.add_parser("facturx", help="build Factur-X XML / PDF from invoice JSON")
    sub = parser.add_subparsers(dest="facturx_command", required=True)
    build = sub.add_parser("build", help="build OUT.xml or OUT.pdf from INVOICE.json",
                           description=__doc__.split("\n\n")[1])
    build.add_argument("invoice", metavar="INVOICE.json")
    build.add_argument("--pdf", metavar="BASE.pdf",
                       help="visual PDF to embed into (default: draw a simple one)")
    build.add_argument("-o", "--output", required=True, metavar="OUT.(xml|pdf)")
    build.add_argument("--force", action="store_true",
                       help="write the output even when official rules fail")
    build.set_defaults(func=main)


def _load_json(path):
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise InputError(f"Cannot read {path}: {exc.strerror or exc}.",
                         code="file_unreadable") from exc
    except (ValueError, UnicodeDecodeError) as exc:
        raise InputError(f"{path} is not valid JSON: {exc}.", code="json_invalid") from exc


def build(invoice_data, base_pdf=None, as_pdf=False):
    """(output bytes, validation report) for an invoice dict."""
    from ..facturx import embed
    from ..invoice import Invoice
    from ..syntax import to_cii
    from ..validation import validate_cii

    xml = to_cii(Invoice.from_dict(invoice_data))
    report = validate_cii(xml)
    return (embed(xml, pdf=base_pdf) if as_pdf else xml), report


def main(args, out=None, err=None):
    out, err = out or sys.stdout, err or sys.stderr
    target = Path(args.output)
    if target.suffix.lower() not in (".xml", ".pdf"):
        print(f"error: -o {args.output}: the output must end in .xml or .pdf.", file=err)
        return 2
    try:
        base = Path(args.pdf).read_bytes() if args.pdf else None
        data, report = build(_load_json(args.invoice), base, target.suffix.lower() == ".pdf")
    except OSError as exc:
        print(f"error: cannot read {args.pdf}: {exc.strerror or exc}.", file=err)
        return 2
    except InputError as exc:
        print(f"error: {exc}", file=err)
        return 2
    for finding in report.findings:
        if finding.severity != "info":
            print(f"  {finding}", file=err)
    if not report.valid and not args.force:
        print(f"error: {len(report.errors)} official rule(s) failed; nothing written "
              "(use --force to write anyway).", file=err)
        return 1
    target.write_bytes(data)
    print(f"wrote {target} ({len(data):,} bytes, profile {report.profile}, "
          f"{'valid' if report.valid else 'INVALID'})", file=out)
    return 0 if report.valid else 1
