"""``python -m einvoicing ereporting build|validate|parse|period``: flux 10 e-reports.

``build REPORT.json -o OUT.xml`` writes the XML and checks it with the XSD and the
PPF Flux 10 schematron; ``validate FILE...`` checks files; ``parse FILE`` prints the
JSON form; ``period --regime R --family F DATE`` prints a period and its due date.
Exit codes: 0 valid, 1 invalid (fatal finding), 2 unreadable input.
"""

import json
import sys
from datetime import date
from pathlib import Path

from ..errors import EInvoicingError

EXIT_VALID, EXIT_INVALID, EXIT_INPUT = 0, 1, 2


def register(subparsers):
    parser = subparsers.add_parser(
        "ereporting", help="build, validate or read flux 10 e-reports (10.1-10.4)",
        description="Flux 10 e-reporting: build the XML from JSON, validate it with the XSD "
                    "and the PPF Flux 10 schematron, read it back, compute periods.")
    commands = parser.add_subparsers(dest="ereporting_command", required=True)
    build = commands.add_parser("build", help="JSON report -> flux 10 XML (validated)")
    build.add_argument("file", metavar="REPORT.json", help="report in JSON ('-' = stdin)")
    build.add_argument("-o", "--output", metavar="OUT.xml", help="XML file (default: stdout)")
    build.set_defaults(func=main_build)
    validate = commands.add_parser("validate", help="check flux 10 XML files")
    validate.add_argument("files", nargs="+", metavar="FILE")
    validate.add_argument("--json", action="store_true", help="print one JSON document")
    validate.set_defaults(func=main_validate)
    parse = commands.add_parser("parse", help="print a flux 10 XML file as JSON")
    parse.add_argument("file", metavar="FILE")
    parse.set_defaults(func=main_parse)
    period = commands.add_parser("period", help="reporting period and due date of a day")
    period.add_argument("day", metavar="DATE", help="YYYY-MM-DD")
    period.add_argument("--regime", required=True,
                        help="normal_monthly, normal_quarterly, simplified or franchise")
    period.add_argument("--family", default="transactions",
                        choices=("transactions", "payments"))
    period.set_defaults(func=main_period)


def _fail(exc):
    print(f"error: {' '.join(str(exc).split())}", file=sys.stderr)
    return EXIT_INPUT


def _read(name):
    if name == "-":
        return sys.stdin.buffer.read()
    try:
        return Path(name).read_bytes()
    except OSError as exc:
        raise EInvoicingError(f"Cannot read {name}: {exc.strerror or exc}.",
                              code="file_unreadable") from exc


def _print_findings(report, stream):
    state = "valid" if report.valid else "INVALID"
    print(f"{report.filename or '-'}: {state} ({report.profile}; "
          f"{', '.join(report.rule_sets)})", file=stream)
    for finding in report.findings:
        print(f"  {finding}", file=stream)


def main_build(args):
    from ..ereporting import build_report, report_from_dict, validate_report

    try:
        data = json.loads(_read(args.file))
        xml = build_report(report_from_dict(data))
        result = validate_report(xml, filename=args.output or "-")
    except json.JSONDecodeError as exc:
        return _fail(f"{args.file} is not JSON: {exc}")
    except EInvoicingError as exc:
        return _fail(exc)
    if args.output:
        Path(args.output).write_bytes(xml)
    else:
        sys.stdout.buffer.write(xml)
    _print_findings(result, sys.stderr)
    return EXIT_VALID if result.valid else EXIT_INVALID


def main_validate(args):
    from ..ereporting import validate_report

    worst, results = EXIT_VALID, []
    for name in args.files:
        try:
            report = validate_report(_read(name), filename=name)
        except EInvoicingError as exc:
            worst = EXIT_INPUT
            results.append({"filename": name, "readable": False, "error": str(exc),
                            "code": exc.code})
            if not args.json:
                print(f"{name}: unreadable: {exc}")
            continue
        if not report.valid:
            worst = max(worst, EXIT_INVALID)
        results.append(report.to_dict())
        if not args.json:
            _print_findings(report, sys.stdout)
    if args.json:
        print(json.dumps(results, indent=2, ensure_ascii=False))
    return worst


def main_parse(args):
    from ..ereporting import parse_report, report_to_dict

    try:
        report = parse_report(_read(args.file), filename=args.file)
    except EInvoicingError as exc:
        return _fail(exc)
    print(json.dumps(report_to_dict(report), indent=2, ensure_ascii=False))
    return EXIT_VALID


def main_period(args):
    from ..ereporting import period_of

    try:
        period = period_of(args.regime, args.family, date.fromisoformat(args.day))
    except ValueError as exc:
        return _fail(exc)
    print(json.dumps({"start": period.start.isoformat(), "end": period.end.isoformat(),
                      "due": period.due.isoformat()}))
    return EXIT_VALID
