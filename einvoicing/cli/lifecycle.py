"""``python -m einvoicing lifecycle [--markdown]``: the AFNOR status catalogue.

JSON (default): for each status its labels, emitters, badge, mandatory flag and
allowed reasons, plus badges, reasons and actions per document kind.
``--markdown`` prints the tables of readme/LIFECYCLE.md.
"""

import json
import sys


def register(subparsers):
    parser = subparsers.add_parser(
        "lifecycle", help="print the AFNOR lifecycle catalogue (statuses, badges, reasons)",
        description="Print the AFNOR lifecycle catalogue (statuses 200-214, 220-228, 501) as JSON.")
    parser.add_argument("--markdown", action="store_true",
                        help="print the Markdown tables of readme/LIFECYCLE.md instead of JSON")
    parser.set_defaults(func=main)


def main(args):
    from ..lifecycle import catalogue, lifecycle_markdown

    if args.markdown:
        sys.stdout.write(lifecycle_markdown())
    else:
        json.dump(catalogue(), sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    return 0
