"""Command line: ``python -m einvoicing <command>``.

Each command lives in its own module exposing ``register(subparsers)``;
the parser it adds sets ``func(args) -> int`` (the exit code).
"""

import argparse
import importlib

COMMAND_MODULES = (
    "cdar",
    "lifecycle",
    "sandbox",
    "validate",
    "facturx",
    "parse",
    "demo",
    "ereporting",
)


def build_parser():
    parser = argparse.ArgumentParser(
        prog="python -m einvoicing",
        description="French e-invoicing toolkit: Factur-X/CII/CDAR, AFNOR API, sandbox.",
    )
    subparsers = parser.add_subparsers(dest="command", required=True)
    for name in COMMAND_MODULES:
        module = importlib.import_module(f"{__name__}.{name}")
        module.register(subparsers)
    return parser


def main(argv=None):
    parser = build_parser()
    args = parser.parse_args(argv)
    return args.func(args)
