"""``python -m einvoicing cdar build|parse``: write or read CDAR lifecycle messages.

``build`` writes the XML on stdout; ``parse FILE`` prints the event as JSON.
Invalid input: exit 2 with a one-line reason on stderr.
"""

import json
import sys
from datetime import date
from pathlib import Path

from ..errors import InputError

EXIT_INPUT = 2


def register(subparsers):
    parser = subparsers.add_parser("cdar", help="build or parse CDAR lifecycle messages",
                                   description="Build or parse CDAR D22B lifecycle messages.")
    commands = parser.add_subparsers(dest="cdar_command", required=True)
    build = commands.add_parser(
        "build", help="write the CDAR message of a status on stdout",
        description="Build the CDAR message of a lifecycle status. Payment amounts (211/212): "
                    "repeat --amount/--vat-rate once per VAT rate; one --currency applies to all.")
    build.add_argument("--status", required=True, help="AFNOR code (212) or key (PAYMENT_RECEIVED)")
    build.add_argument("--invoice-number", required=True)
    build.add_argument("--invoice-date", required=True, help="YYYY-MM-DD")
    build.add_argument("--seller-siren", required=True)
    build.add_argument("--buyer-siren")
    build.add_argument("--issuer-role", choices=("buyer", "supplier", "platform"),
                       help="who sets the status (default: the status's only emitter; for 211 "
                            "the buyer, or the supplier on a credit note)")
    build.add_argument("--invoice-type-code", default="380", help="BT-3 (default 380)")
    build.add_argument("--reason", help="AFNOR reason code (DOUBLON) or alias (DUPLICATE_INVOICE)")
    build.add_argument("--reason-text")
    build.add_argument("--message", help="free text for the counterpart")
    build.add_argument("--amount", action="append", default=[])
    build.add_argument("--currency", action="append", default=[])
    build.add_argument("--vat-rate", action="append", default=[])
    build.add_argument("--message-id")
    build.add_argument("--recipient-address",
                       help="0225 electronic address of the counterpart (default: its SIREN)")
    build.set_defaults(func=main_build)
    parse = commands.add_parser("parse", help="print a CDAR message as JSON")
    parse.add_argument("file", metavar="FILE")
    parse.set_defaults(func=main_parse)


def _fail(exc):
    print(f"error: {' '.join(str(exc).split())}", file=sys.stderr)
    return EXIT_INPUT


def _issuer_role(status, args):
    if args.issuer_role:
        return args.issuer_role
    from ..codes import CREDIT_NOTE_TYPES

    if status.code == 211:
        return "supplier" if args.invoice_type_code in CREDIT_NOTE_TYPES else "buyer"
    return sorted(status.emitters)[0]


def _amounts(args):
    from ..lifecycle import LifecycleError, PaymentAmount

    amounts, rates, currencies = args.amount, args.vat_rate, args.currency
    if not amounts and (rates or currencies):
        raise LifecycleError("--currency/--vat-rate given without --amount.", code="cli_amount")
    if len(currencies) not in (0, 1, len(amounts)) or (rates and len(rates) != len(amounts)):
        raise LifecycleError(
            f"{len(amounts)} --amount but {len(currencies)} --currency and {len(rates)} "
            "--vat-rate: give one currency (or one per amount) and one VAT rate per amount.",
            code="cli_amount_count")
    if amounts and not currencies:
        raise LifecycleError("--currency is required with --amount (e.g. --currency EUR).",
                             code="cli_currency_missing")
    currencies = currencies * len(amounts) if len(currencies) == 1 else currencies
    return [PaymentAmount(a, c, rates[i] if rates else None)
            for i, (a, c) in enumerate(zip(amounts, currencies, strict=True))]


def main_build(args):
    from ..lifecycle import get_status
    from ..lifecycle.cdar import StatusMessage, build_cdar

    try:
        status = get_status(args.status)
        try:
            invoice_date = date.fromisoformat(args.invoice_date)
        except ValueError:
            raise InputError(f"--invoice-date {args.invoice_date!r} is not a date; write it "
                             "as YYYY-MM-DD.", code="cli_date") from None
        xml = build_cdar(StatusMessage(
            status.code, args.invoice_number, invoice_date, args.seller_siren, args.buyer_siren,
            _issuer_role(status, args), reason_code=args.reason, reason_text=args.reason_text,
            message=args.message, amounts=_amounts(args), message_id=args.message_id,
            invoice_type_code=args.invoice_type_code,
            recipient_address=args.recipient_address))
    except InputError as exc:
        return _fail(exc)
    sys.stdout.buffer.write(xml)
    sys.stdout.flush()
    return 0


def main_parse(args):
    from ..lifecycle.cdar import MAX_BYTES, CdarError, parse_cdar

    try:
        path = Path(args.file)
        with path.open("rb") as handle:
            data = handle.read(MAX_BYTES + 1)
        event = parse_cdar(data)
    except OSError as exc:
        return _fail(CdarError(f"Cannot read {args.file}: {exc.strerror or exc}.",
                               code="file_unreadable"))
    except InputError as exc:
        return _fail(exc)
    json.dump(event.to_dict(), sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")
    return 0
