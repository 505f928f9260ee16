"""``python -m einvoicing parse FILE``: print the invoice of a Factur-X PDF, CII or UBL
XML file as JSON: the neutral model's ``to_dict()`` plus ``totals`` (computed by the
EN16931 rules), ``stated_totals`` (as written in the document) and ``differences``
between them. Exit 2 on unreadable input; 0 otherwise, even when the totals differ
(``validate`` judges a document, ``parse`` only reads it)."""

import dataclasses
import json
import sys
from pathlib import Path

from ..errors import InputError


def register(subparsers):
    parser = subparsers.add_parser("parse", help="print the invoice of a PDF/CII/UBL file as JSON")
    parser.add_argument("file", metavar="FILE")
    parser.set_defaults(func=main)


def parse_file(data, name=None):
    """Invoice model of a Factur-X PDF or CII/UBL XML (bytes)."""
    from ..facturx import extract
    from ..syntax import parse_invoice_xml

    if b"%PDF-" in data[:1024]:
        data, _profile = extract(data)
    return parse_invoice_xml(data, name=name)


def parse_output(invoice):
    """JSON-able dict: the invoice, its computed and stated totals and their differences."""
    from ..invoice.totals import totals_differences
    from ..invoice.values import to_jsonable

    computed = invoice.totals()
    data = invoice.to_dict()
    data["totals"] = to_jsonable(dataclasses.asdict(computed))
    stated = invoice.declared_totals
    data["stated_totals"] = to_jsonable(dataclasses.asdict(stated)) if stated else None
    data["differences"] = [
        {k: None if v is None else str(v) for k, v in d.items()}
        for d in totals_differences(computed, stated)]
    return data


def main(args, out=None, err=None):
    out, err = out or sys.stdout, err or sys.stderr
    try:
        invoice = parse_file(Path(args.file).read_bytes(), name=args.file)
    except OSError as exc:
        print(f"error: cannot read {args.file}: {exc.strerror or exc}.", file=err)
        return 2
    except InputError as exc:
        print(f"error: {exc}", file=err)
        return 2
    json.dump(parse_output(invoice), out, ensure_ascii=False, indent=2, default=str)
    out.write("\n")
    return 0
