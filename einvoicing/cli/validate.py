"""``python -m einvoicing validate [--json] FILE...``: offline check with the official rules.

Accepts Factur-X PDF, CII XML, UBL XML, CDAR XML and flux 10 e-reports. Prints per file the kind,
the profile, the rule sets run and the findings. Exit code: 0 all valid,
1 at least one invalid (a fatal finding), 2 at least one unreadable file.
"""

import json
import sys
from pathlib import Path

from ..errors import EInvoicingError
from ..xmlutil import DEFAULT_MAX_BYTES, UnreadableInput

EXIT_VALID, EXIT_INVALID, EXIT_UNREADABLE = 0, 1, 2


def register(subparsers):
    parser = subparsers.add_parser(
        "validate", help="validate Factur-X PDF / CII / UBL / CDAR / flux 10 files with the "
                    "official rules",
        description="Validate e-invoicing files offline with the official XSD and schematrons "
                    "(EN 16931, Factur-X, BR-FR). Exit 0 all valid, 1 any invalid, "
                    "2 unreadable input.")
    parser.add_argument("files", nargs="+", metavar="FILE", help="files to check ('-' = stdin)")
    parser.add_argument("--json", action="store_true", help="print one JSON document")
    parser.add_argument("--quiet", "-q", action="store_true",
                        help="print only warnings and errors (no info findings)")
    parser.set_defaults(func=main)


def _read(name):
    if name == "-":
        return sys.stdin.buffer.read(DEFAULT_MAX_BYTES + 1)
    path = Path(name)
    try:
        size = path.stat().st_size
        if size > DEFAULT_MAX_BYTES:
            # Do not even read huge files: the size check gives the clear message.
            return path.open("rb").read(DEFAULT_MAX_BYTES + 1)
        return path.read_bytes()
    except OSError as exc:
        raise UnreadableInput(f"Cannot read {name}: {exc.strerror or exc}.",
                              code="file_unreadable", path=name) from exc


def check_file(name):
    """(exit code, result dict) for one file."""
    from .. import ereporting  # noqa: F401  (registers flux 10 with validate)
    from ..validation import validate

    try:
        report = validate(_read(name), filename=name)
    except UnreadableInput as exc:
        return EXIT_UNREADABLE, {"filename": name, "readable": False, "error": str(exc),
                                 "code": exc.code}
    except EInvoicingError as exc:
        return EXIT_UNREADABLE, {"filename": name, "readable": False, "error": str(exc),
                                 "code": exc.code}
    data = report.to_dict()
    data["readable"] = True
    return (EXIT_VALID if report.valid else EXIT_INVALID), data


def _print_text(result, quiet, out):
    name = result["filename"]
    if not result["readable"]:
        print(f"{name}: UNREADABLE - {result['error']}", file=out)
        return
    verdict = "VALID" if result["valid"] else "INVALID"
    counts = result["counts"]
    print(f"{name}: {verdict} (kind {result['kind']}, profile {result['profile'] or '-'}; "
          f"{counts['fatal']} error(s), {counts['warning']} warning(s), {counts['info']} info)",
          file=out)
    print(f"  checked: {', '.join(result['rule_sets']) or 'nothing'}", file=out)
    for f in result["findings"]:
        if quiet and f["severity"] == "info":
            continue
        term = f" [{f['business_term']}]" if f["business_term"] else ""
        print(f"  {f['severity'].upper():7} {f['rule_id']} ({f['source']}){term}: {f['message']}",
              file=out)
        if f["location"]:
            print(f"          at {f['location']}", file=out)


def main(args, out=None):
    out = out or sys.stdout
    worst, results = EXIT_VALID, []
    for name in args.files:
        code, result = check_file(name)
        worst = max(worst, code)
        results.append(result)
        if not args.json:
            _print_text(result, args.quiet, out)
    if args.json:
        json.dump({"exit_code": worst, "files": results}, out, ensure_ascii=False, indent=2)
        out.write("\n")
    return worst
