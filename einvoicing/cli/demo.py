"""``python -m einvoicing demo [--out DIR]``: the whole exchange against a local sandbox.

Starts a sandbox platform on a free loopback port with two French companies,
builds a sample invoice and its credit note, validates them, embeds them as
Factur-X, sends them through the AFNOR client, lets the simulated buyer walk
the lifecycle to payment, pushes 212 (payment received) as a CDAR flow,
synchronises, prints a table and writes every exchanged file into DIR.
"""

import sys
import tempfile
from pathlib import Path

from ..errors import EInvoicingError

SELLER_ORG = "DEMO-SELLER"
BUYER_ORG = "DEMO-BUYER"
SELLER_CLIENT = ("demo-seller", "demo-seller-secret")
BUYER_CLIENT = ("demo-buyer", "demo-buyer-secret")
BUYER_SCENARIO = "pay:2"  # 204 at once, 205 after 1 sync, 211 (paid) after 2 syncs
MAX_SYNCS = 8
FAST_RETRIES = {"max_retries": 3, "backoff_factor": 0.05, "backoff_jitter": 0.05,
                "backoff_max": 1.0}


def register(subparsers):
    parser = subparsers.add_parser(
        "demo", help="send a sample invoice and credit note through a local sandbox platform",
        description=__doc__.split("\n\n")[1] if __doc__ else None,
    )
    parser.add_argument("--out", default="einvoicing-demo", metavar="DIR",
                        help="directory receiving every exchanged file (default: %(default)s)")
    parser.set_defaults(func=main)


def main(args):
    try:
        run_demo(Path(args.out), out=sys.stdout)
    except EInvoicingError as exc:
        print(f"demo failed: {exc}", file=sys.stderr)
        return 1
    return 0


def run_demo(out_dir, out=sys.stdout):
    """Run the demo; returns the final table rows (list of dicts)."""
    from ..sandbox import SandboxServer

    out_dir = Path(out_dir)
    (out_dir / "invoices").mkdir(parents=True, exist_ok=True)
    (out_dir / "cdar").mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="einvoicing-sandbox-") as data_dir:
        server = SandboxServer(data_dir, host="127.0.0.1", port=0)
        server.start()
        try:
            return _exchange(server, out_dir, out)
        finally:
            server.stop()


def _setup(server, out):
    from ..afnor import DirectoryClient, FlowClient, OAuth2ClientCredentials
    from ..invoice.samples import BUYER, SELLER

    platform = server.platform
    platform.add_organization(SELLER_ORG, SELLER["siren"], SELLER["name"], *SELLER_CLIENT,
                              siret=SELLER["siret"])
    platform.add_organization(BUYER_ORG, BUYER["siren"], BUYER["name"], *BUYER_CLIENT,
                              siret=BUYER["siret"], scenario=BUYER_SCENARIO)
    print(f"Sandbox platform at {server.url} (seller {SELLER['name']}, "
          f"buyer {BUYER['name']}, buyer scenario {BUYER_SCENARIO!r})", file=out)
    auth = OAuth2ClientCredentials(server.token_url, *SELLER_CLIENT)
    flows = FlowClient(server.flow_url, auth, organization_id=SELLER_ORG, timeout=(2, 30),
                       **FAST_RETRIES)
    directory = DirectoryClient(server.directory_url, auth, organization_id=SELLER_ORG,
                                timeout=(2, 30), **FAST_RETRIES)
    address, reachable = directory.resolve_address(BUYER["siren"])
    print(f"Directory: buyer SIREN {BUYER['siren']} -> address {address} "
          f"({'reachable' if reachable else 'NOT reachable'})", file=out)
    return flows


def _documents():
    from ..invoice.samples import sample_credit_note, sample_invoice

    invoice = sample_invoice()
    return [("Invoice", invoice), ("Credit note", sample_credit_note(invoice))]


def _build(label, invoice, out_dir, out):
    """CII -> validated -> Factur-X PDF (validated again); returns the PDF bytes."""
    from ..facturx import embed
    from ..syntax import to_cii
    from ..validation import validate

    xml = to_cii(invoice)
    pdf = embed(xml)
    for data, name in ((xml, f"{invoice.number}.xml"), (pdf, f"{invoice.number}.pdf")):
        report = validate(data, filename=name)
        if not report.valid:
            problems = "; ".join(f"{f.rule_id}: {f.message}" for f in report.errors[:5])
            raise EInvoicingError(f"The sample {label.lower()} {name} is not valid: {problems}",
                                  code="demo_invalid_sample")
    (out_dir / "invoices" / f"{invoice.number}.pdf").write_bytes(pdf)
    print(f"{label} {invoice.number}: CII and Factur-X PDF valid "
          f"(EN16931 + BR-FR), total due {invoice.totals().due_payable} {invoice.currency}",
          file=out)
    return pdf


def _exchange(server, out_dir, out):
    from .demo_sync import payment_received, print_table, sync, wait_for

    flows = _setup(server, out)
    sent = []
    for label, invoice in _documents():
        pdf = _build(label, invoice, out_dir, out)
        flow = flows.submit_flow(pdf, f"{invoice.number}.pdf", "Factur-X",
                                 tracking_id=f"demo-{invoice.number}", processing_rule="B2B")
        print(f"{label} {invoice.number} sent: flow {flow['flowId']}", file=out)
        sent.append({"label": label, "invoice": invoice, "flow": flow})
    state = {}
    wait_for(flows, sent, state, out_dir, 211, MAX_SYNCS)
    for doc in sent:
        if doc["invoice"].type_code == "380":
            flow = payment_received(flows, doc["invoice"])
            print(f"{doc['label']} {doc['invoice'].number}: 212 payment received pushed "
                  f"(flow {flow['flowId']})", file=out)
    sync(flows, sent, state, out_dir)
    rows = print_table(flows, sent, state, out)
    files = sorted(p for p in out_dir.rglob("*") if p.is_file())
    print(f"\n{len(files)} exchanged files written to {out_dir}/ (invoices/, cdar/)", file=out)
    return rows
