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
                       help="0225 electronic address of the counterpart, from the directory "
                            "(e.g. 100000009_STATUTS; default: its SIREN)")
    build.add_argument("--buyer-address",
                       help="the buyer's 0225 address when a platform status also goes to it")
    _characteristic_arguments(build)
    build.set_defaults(func=main_build)
    parse = commands.add_parser("parse", help="print a CDAR message as JSON")
    parse.add_argument("file", metavar="FILE")
    parse.set_defaults(func=main_parse)


def _characteristic_arguments(build):
    group = build.add_argument_group(
        "characteristics (BR-FR-CDV-CL-11)",
        "Amounts use the first --currency (default EUR). --error TERM:EXPECTED[:line N]"
        "[:invoiced VALUE][:COMMENT] gives a data-in-error line (207/208: DIV + DVA), "
        "e.g. --error 'BT-146:9.50:line 3:invoiced 10.00'; --completed TERM:VALUE[:line N] the "
        "completed data of a 209 (MAJ). --characteristics FILE reads a JSON list of objects "
        "{type_code, amount, currency, percent, value, data_id, name, location, description, "
        "changed} for anything else.")
    group.add_argument("--approved-amount", help="MAP: amount approved, VAT excluded (206)")
    group.add_argument("--approved-amount-ttc", help="MAPTTC: amount approved, VAT included")
    group.add_argument("--not-approved-amount", help="MNA: amount not approved, VAT excluded")
    group.add_argument("--not-approved-amount-ttc", help="MNATTC: not approved, VAT included")
    group.add_argument("--characteristic", action="append", default=[], metavar="TYPE:AMOUNT",
                       help="any amount type (RAP:200, ESC:12.50, MAP:800:20 with a VAT rate)")
    group.add_argument("--error", action="append", default=[], metavar="TERM:EXPECTED")
    group.add_argument("--completed", action="append", default=[], metavar="TERM:VALUE")
    group.add_argument("--characteristics", metavar="FILE", help="JSON list of characteristics")
    group.add_argument("--requested-action-code", help="MDT-121, e.g. NIN (corrective invoice)")
    group.add_argument("--requested-action", help="MDT-122, the action expected, in words")


def _term_spec(spec, option, currency, completed=False):
    from ..lifecycle.characteristics import data_error

    parts = [p.strip() for p in spec.split(":")]
    if len(parts) < 2 or not parts[0] or not parts[1]:
        raise InputError(f"{option} {spec!r}: write TERM:VALUE, e.g. BT-146:9.50:line 3.",
                         code="cli_characteristic")
    line = invoiced = comment = None
    for part in parts[2:]:
        word, _, rest = part.partition(" ")
        if word.lower() == "line" and rest.strip().isdigit():
            line = int(rest)
        elif word.lower() == "invoiced" and rest.strip():
            invoiced = rest.strip()
        elif part:
            comment = part
    return data_error(parts[0], parts[1], invoiced=invoiced, line=line, comment=comment,
                      currency=currency, completed=completed)


def _characteristics(args):
    from ..lifecycle.characteristics import Characteristic

    currency = (args.currency or ["EUR"])[0]
    items = []
    for option, code in (("approved_amount", "MAP"), ("approved_amount_ttc", "MAPTTC"),
                         ("not_approved_amount", "MNA"), ("not_approved_amount_ttc", "MNATTC")):
        if getattr(args, option):
            items.append(Characteristic(code, amount=getattr(args, option), currency=currency))
    for spec in args.characteristic:
        code, _, rest = spec.partition(":")
        amount, _, rate = rest.partition(":")
        items.append(Characteristic(code, amount=amount or None, currency=currency,
                                    percent=rate or None))
    for spec in args.error:
        items.extend(_term_spec(spec, "--error", currency))
    for spec in args.completed:
        items.extend(_term_spec(spec, "--completed", currency, completed=True))
    if args.characteristics:
        try:
            data = json.loads(Path(args.characteristics).read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise InputError(f"--characteristics {args.characteristics}: not a readable JSON "
                             f"file ({exc}).", code="cli_characteristics_file") from None
        if not isinstance(data, list):
            raise InputError("--characteristics: the JSON must be a list of objects.",
                             code="cli_characteristics_file")
        items.extend(Characteristic.from_dict(item) for item in data)
    return items


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
    if not amounts and rates:
        raise LifecycleError("--vat-rate given without --amount.", code="cli_amount")
    if not amounts:
        return []
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
            recipient_address=args.recipient_address, buyer_address=args.buyer_address,
            characteristics=_characteristics(args),
            requested_action_code=args.requested_action_code,
            requested_action=args.requested_action))
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
