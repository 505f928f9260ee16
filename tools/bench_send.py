# Copyright 2026 The l10n_fr_einvoice_pa authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Benchmark of sending invoices (not a test): 1,000 invoices through the real send path
to a sandbox platform over loopback; invoices per minute and where the time goes.

Run it inside an Odoo shell of a throw-away database where the addon is installed:

    "$ODOO_PYTHON" "$ODOO_SRC/odoo-bin" shell --addons-path=<addons path> -d <db> --no-http \
        < tools/bench_send.py

Environment variables: BENCH_INVOICES (1000), BENCH_LIMIT_AS (1: set the soft RLIMIT_AS
of Odoo's limit_memory_hard, 2.5 GB, so that the schematrons run in the Saxon helper as
in an Odoo worker; 0: in-process Saxon thread). The posted invoices are created and
committed once (tools/bench_setup.py); the sends are rolled back, and the sandbox lives in
a temporary directory, in this process (its request threads validate each received
invoice too: that time is inside "HTTP submit flow", shown apart).
``action_l10n_fr_pa_send`` (the button) is called for batches of 50 moves; timing hooks
wrap the core calls it makes: the Odoo -> neutral invoice mapping, the CII build, the
validation (XSD + schematrons, and the schematrons alone), the PDF drawing and the
Factur-X embedding, and the HTTP calls of the AFNOR client (submit, directory). The rest
(ORM reads and writes, attachment, chatter, locks) is "Odoo".
"""

import collections
import importlib.util
import os
import resource
import shutil
import tempfile
import threading
import time

import odoo.addons.l10n_fr_einvoice_pa as addon
from odoo.addons.l10n_fr_einvoice_pa.einvoicing import facturx, pdf_render, syntax, validation
from odoo.addons.l10n_fr_einvoice_pa.einvoicing.afnor import DirectoryClient, FlowClient
from odoo.addons.l10n_fr_einvoice_pa.einvoicing.sandbox import SandboxServer
from odoo.addons.l10n_fr_einvoice_pa.einvoicing.validation import validator
from odoo.addons.l10n_fr_einvoice_pa.models import l10n_fr_pa_mapper

env = globals()["env"]  # provided by `odoo-bin shell`
TOTAL = int(os.environ.get("BENCH_INVOICES", "1000"))
BATCH = 50
if os.environ.get("BENCH_LIMIT_AS", "1") == "1":
    resource.setrlimit(resource.RLIMIT_AS,
                       (2560 << 20, resource.getrlimit(resource.RLIMIT_AS)[1]))
SPENT = collections.defaultdict(float)
CALLS = collections.Counter()


def _load_setup():
    """tools/bench_setup.py as a module (a shell script has no ``__file__``)."""
    path = os.path.join(os.path.dirname(addon.__file__), "tools", "bench_setup.py")
    spec = importlib.util.spec_from_file_location("l10n_fr_pa_bench_setup", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


setup = _load_setup()

def hook(owner, name, label, server_label=None):
    """Wrap ``owner.name`` so that its time adds to SPENT[label] (nested: both count);
    calls made by the sandbox's request threads go to ``server_label``."""
    original = getattr(owner, name)

    def timed(*args, **kwargs):
        start = time.perf_counter()
        try:
            return original(*args, **kwargs)
        finally:
            key = label
            if server_label and threading.current_thread() is not threading.main_thread():
                key = server_label
            SPENT[key] += time.perf_counter() - start
            CALLS[key] += 1

    setattr(owner, name, timed)
    return original


def install_hooks():
    Mapper = type(env["l10n_fr_pa.invoice.mapper"])
    hook(Mapper, "_invoice", "map Odoo -> invoice model")
    hook(syntax, "to_cii", "CII XML build")
    hook(validation, "validate_cii", "validation (XSD + schematrons)")
    hook(validator, "run_schematrons", "  of which schematrons",
         "  of which the sandbox's own validation")
    hook(pdf_render, "render_invoice_pdf", "PDF drawing")
    hook(facturx, "embed", "Factur-X embed (incl. PDF drawing)")
    hook(FlowClient, "submit_flow", "HTTP submit flow")
    for name in ("find_line", "get_siren"):  # the HTTP calls of resolve_address
        hook(DirectoryClient, name, "HTTP directory")
    assert l10n_fr_pa_mapper  # imported for its model only


def sandbox_connection(company, data_dir):
    sandbox = SandboxServer(data_dir).start()
    platform = sandbox.platform
    platform.add_organization(setup.SELLER_ORG, setup.SELLER_SIREN, "Seller SA",
                              "seller-client", "seller-secret", siret=setup.SELLER_SIRET)
    platform.add_organization(setup.BUYER_ORG, setup.BUYER_SIREN, "Buyer SARL",
                              "buyer-client", "buyer-secret", siret=setup.BUYER_SIRET,
                              scenario="silent")
    conn = env["l10n_fr_pa.connection"]._for_company(company, raise_if_missing=False)
    vals = {"company_id": company.id, "environment": "sandbox", "platform_api": "afnor",
            "flow_url": sandbox.flow_url, "directory_url": sandbox.directory_url,
            "token_url": sandbox.token_url, "client_id": "seller-client",
            "client_secret": "seller-secret", "organization_id": setup.SELLER_ORG, "timeout": 30}
    conn = conn.write(vals) and conn if conn else env["l10n_fr_pa.connection"].create(vals)
    return sandbox


def main():
    company, _buyer, moves = setup.prepare(env, TOTAL, chunk=25)
    data_dir = tempfile.mkdtemp(prefix="l10n_fr_pa_bench_send_")
    sandbox = sandbox_connection(company, data_dir)
    try:
        install_hooks()
        env.flush_all()
        t0 = time.perf_counter()
        warm = moves[:1]
        warm.action_l10n_fr_pa_send()  # first use: helper start, stylesheets compiled
        first = time.perf_counter() - t0
        SPENT.clear()
        CALLS.clear()
        sent, t0 = 0, time.perf_counter()
        for start in range(1, len(moves), BATCH):
            batch = moves[start:start + BATCH]
            batch.action_l10n_fr_pa_send()
            env.flush_all()
            sent += len(batch.filtered(lambda m: m.l10n_fr_pa_state == "sent"))
        elapsed = time.perf_counter() - t0
        report(len(moves) - 1, sent, elapsed, first)
    finally:
        env.cr.rollback()
        sandbox.stop()
        shutil.rmtree(data_dir, ignore_errors=True)


def report(total, sent, elapsed, first):
    print(f"sent: {sent} of {total} invoices in {elapsed:.1f} s = "
          f"{sent / elapsed * 60:.0f} invoices/min ({elapsed / max(sent, 1) * 1000:.0f} ms "
          f"each); the first send (helper start + compiling) took {first:.1f} s")
    accounted = sum(v for k, v in SPENT.items() if not k.startswith(" ")
                    and k != "PDF drawing")
    for label, spent in sorted(SPENT.items(), key=lambda kv: -kv[1]):
        print(f"  {label:38} {spent:7.1f} s {spent / elapsed:6.1%} "
              f"({spent / max(CALLS[label], 1) * 1000:.0f} ms x {CALLS[label]})")
    print(f"  {'Odoo (ORM, attachment, chatter, ...)':38} {elapsed - accounted:7.1f} s "
          f"{(elapsed - accounted) / elapsed:6.1%}")
    print(f"  process peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


main()
