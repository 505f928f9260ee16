# Copyright 2026 The l10n_fr_einvoice_pa authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Soak: nothing lost, nothing doubled under 1,000+ injected faults (run by hand, not a test).

    ODOO_SRC=<odoo 18.0 source> <venv python> tools/soak.py --seed 42 --invoices 1000

Method
  1. Database: a fresh one (``odoo-bin -i l10n_fr_einvoice_pa --stop-after-init
     --without-demo=all`` on a temporary addons directory linking this repository), or a
     copy of an installed one (``--template DB``). A French company gets the ``fr`` chart
     of accounts (as ``AccountTestInvoicingCommon.setup_country('fr')`` does), a
     platform connection to a sandbox platform (``einvoicing.sandbox``, in this process,
     loopback port) and ``--buyers`` French customers, each one a sandbox organisation
     whose simulated buyer plays a scenario (approve, refuse, dispute, pay, ...).
  2. A real Odoo HTTP server (``odoo-bin --workers=N``, free loopback port, same database)
     receives the sandbox's webhooks (duplicated and shuffled, signed as the sandbox signs)
     at the module's webhook route, subscribed as "Register webhook" does.
  3. ``--invoices`` invoices and credit notes (1 in 7) are created and posted, then sent
     while the sandbox injects random faults on its API calls (``--fault-rate``, seeded by
     ``--seed``): 503, 429 with Retry-After, timeouts after and before accept, answers
     dropped after accept, tokens revoked. Concurrently, each thread with its own registry
     cursor, committing per operation as Odoo's cron and HTTP workers do:
     - senders: the "Send to the platform" button (``action_l10n_fr_pa_send``) on one move,
       or Send & Print (``account.move.send.batch.wizard`` with the platform sending
       method) on a few; a chunk is sometimes sent twice at once (double click);
     - the scheduled sync (``l10n_fr_pa.synchronizer._cron_sync``) and the automatic 212
       cron (``l10n_fr_pa.payment.status._cron_push``), in a loop;
     - the per-invoice button ``action_l10n_fr_pa_sync`` on random sent moves;
     - the accountant: "Change status" wizard pushing 212 (payment received), confirmed
       twice at times (same wizard, double click), and payments registered on invoices
       whose VAT is due on receipts (automatic 212 on reconciliation);
     - buyers changing scenario on the sandbox.
     Concurrency errors Odoo retries (serialization failure, lock not available, deadlock)
     are rolled back and retried as ``odoo.service.model.retrying`` does and counted apart;
     a UserError (e.g. "being sent by someone else", "the platform is unavailable") is what
     a user would read, counted per operation; any other exception is an anomaly.
  4. Drain, faults off: what a user would do next (send again the moves in error, retry
     the failed wizard with the same message id, retry the failed 212), then the cron sync
     until the platform has nothing new, and the webhook deliveries are finished.
  5. Check (``tools/soak_check.py``): one platform flow per invoice and the move holds its
     id; every platform lifecycle message stored exactly once in Odoo, none missing, each
     on its move; every move's status equal to the platform's latest; every pushed 212 on
     the platform exactly once. Prints the faults by kind, the retries, the user errors,
     the anomalies (must be 0), seed, duration and command line; exit code 1 on anomalies.

Options: ``--invoices`` (1000), ``--fault-rate`` (0.08), ``--workers`` (HTTP workers, 2),
``--threads`` (senders, 3), ``--buyers`` (8), ``--seed`` (42), ``--keep-db``,
``--template DB``, ``--db NAME``. The database is dropped at the end unless ``--keep-db``.
Report rendering uses Odoo's HTML fallback (no wkhtmltopdf needed): the Factur-X PDF is
then drawn by the core, as for the button.
"""

import argparse
import logging
import os
import random
import shlex
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import traceback
from collections import Counter
from datetime import date, timezone

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "tools"))
import soak_check  # noqa: E402

_log = logging.getLogger("soak")
MODULE = "l10n_fr_einvoice_pa"
SELLER = ("ORG-SOAK-SELLER", "732829320", "73282932000074", "seller-client", "seller-secret")
SCENARIOS = ("approve", "refuse", "dispute", "pay", "partial", "suspend", "pay:3", "silent")
RETRY_PGCODES = {"40001": "serialization_failure", "40P01": "deadlock_detected",
                 "55P03": "lock_not_available"}
# Drawn uniformly from this list: the timeouts (each holds a call ~4.5 s) weigh 2 in 9.
FAULT_KINDS = ("503", "503", "429", "drop_after_accept", "drop_after_accept", "token_revoked",
               "token_revoked", "timeout", "timeout_before_accept")


# ---------------------------------------------------------------------- identifiers
def luhn_ok(digits):
    total = 0
    for i, char in enumerate(reversed(digits)):
        value = int(char) * (2 if i % 2 else 1)
        total += value - 9 if value > 9 else value
    return total % 10 == 0


def complete_luhn(prefix):
    return next(prefix + str(d) for d in range(10) if luhn_ok(prefix + str(d)))


def buyer_ids(rng, count):
    """[(siren, siret, vat)] of ``count`` distinct valid French companies."""
    result, seen = [], {SELLER[1]}
    while len(result) < count:
        siren = complete_luhn(str(rng.randint(10000000, 99999999)))
        if siren in seen:
            continue
        seen.add(siren)
        siret = complete_luhn(siren + "0001")
        vat = f"FR{(12 + 3 * (int(siren) % 97)) % 97:02d}{siren}"
        result.append((siren, siret, vat))
    return result


# ---------------------------------------------------------------------- odoo process
def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class OdooSide:
    """Database, in-process registry and the HTTP server of one soak run."""

    def __init__(self, args):
        self.args = args
        self.src = os.path.abspath(os.environ.get("ODOO_SRC") or "")
        if not os.path.isfile(os.path.join(self.src, "odoo-bin")):
            sys.exit("Set ODOO_SRC to an Odoo 18.0 source tree.")
        self.db = args.db or f"soak_{args.seed}_{os.getpid()}"
        self.addons = tempfile.mkdtemp(prefix="soak_addons_")
        os.symlink(ROOT, os.path.join(self.addons, MODULE))
        self.db_args = ["--db_host=127.0.0.1", "--db_user=odoo", "--db_password=odoo"]
        self.base_args = self.db_args + [
            f"--addons-path={self.src}/odoo/addons,{self.src}/addons,{self.addons}",
            f"--data-dir={self.addons}/.data", "--without-demo=all"]
        self.server = None
        self.port = free_port()

    def pg(self, *cmd):
        env = dict(os.environ, PGPASSWORD="odoo")
        subprocess.run([*cmd, "-h", "127.0.0.1", "-U", "odoo"], check=True, env=env,
                       cwd="/tmp")

    def create_db(self):
        self.pg("dropdb", "--if-exists", self.db)
        if self.args.template:
            self.pg("createdb", "-T", self.args.template, self.db)
            return
        subprocess.run([sys.executable, f"{self.src}/odoo-bin", *self.base_args, "-d", self.db,
                        "-i", MODULE, "--stop-after-init", "--max-cron-threads=0",
                        "--http-port=0", "--log-level=warn"], check=True, cwd="/tmp")

    def load(self):
        sys.path.insert(0, self.src)
        import odoo
        from odoo.tools import config

        config.parse_config([*self.base_args, "-d", self.db, "--max-cron-threads=0",
                             "--log-level=warn"])
        self.odoo = odoo
        self.registry = odoo.modules.registry.Registry(self.db)
        # Report rendering: HTML fallback instead of wkhtmltopdf (see the docstring);
        # set once the registry is loaded (at load time it would run the tests).
        config["test_enable"] = True
        return self.registry

    def start_server(self, log_path):
        self.log_path = log_path
        self.server = subprocess.Popen(
            [sys.executable, f"{self.src}/odoo-bin", *self.base_args, "-d", self.db,
             f"--db-filter=^{self.db}$", f"--workers={self.args.workers}",
             "--max-cron-threads=0", "--http-interface=127.0.0.1",
             f"--http-port={self.port}", "--log-level=info", f"--logfile={log_path}"],
            cwd="/tmp", stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    return f"http://127.0.0.1:{self.port}"
            except OSError:
                time.sleep(0.5)
        raise RuntimeError("the Odoo HTTP server did not start")

    def server_errors(self):
        if not self.server:
            return []
        with open(self.log_path, encoding="utf-8", errors="replace") as log:
            return [line.strip() for line in log if " ERROR " in line or " CRITICAL " in line]

    def stop(self, keep_db):
        if self.server:
            self.server.terminate()
            try:
                self.server.wait(30)
            except subprocess.TimeoutExpired:
                self.server.kill()
        if hasattr(self, "odoo"):
            self.odoo.sql_db.close_all()
        if not keep_db:
            self.pg("dropdb", "--force", "--if-exists", self.db)
        shutil.rmtree(self.addons, ignore_errors=True)


# ---------------------------------------------------------------------- operations
class Driver:
    """Runs operations each in its own cursor, retried like Odoo's service layer."""

    def __init__(self, registry, rng):
        from odoo.exceptions import UserError

        self.registry = registry
        self.rng = rng
        self.rng_lock = threading.Lock()
        self.UserError = UserError
        self.stats = Counter()
        self.retries = Counter()
        self.user_errors = Counter()
        self.crashes = []
        self.stop = threading.Event()

    def rand(self, fn, *args):
        with self.rng_lock:
            return getattr(self.rng, fn)(*args)

    def run(self, name, fn, *args):
        """``fn(env, *args)`` in a fresh cursor, committed; retried on concurrency errors."""
        from odoo import SUPERUSER_ID, api
        from psycopg2 import OperationalError

        for attempt in range(1, 6):
            with self.registry.cursor() as cr:
                env = api.Environment(cr, SUPERUSER_ID, {"tz": "Europe/Paris"})
                try:
                    result = fn(env, *args)
                    env.flush_all()
                    cr.commit()
                    self.stats[name] += 1
                    return result
                except OperationalError as exc:
                    cr.rollback()
                    code = RETRY_PGCODES.get(getattr(exc, "pgcode", None))
                    if code is None:
                        self._crash(name, exc)
                        return None
                    if attempt == 5:  # what Odoo shows the user after its 5 tries
                        self._crash(f"{name} (concurrency retries exhausted)", exc)
                        return None
                    self.retries[code] += 1
                    # odoo.service.model.retrying's wait
                    time.sleep(self.rand("uniform", 0.0, 2 ** attempt))
                except self.UserError as exc:
                    cr.rollback()
                    self.user_errors[f"{name}: {str(exc.args[0])[:70]}"] += 1
                    return None
                except Exception as exc:  # any other failure is an anomaly
                    cr.rollback()
                    self._crash(name, exc)
                    return None
        return None

    def _crash(self, name, exc):
        self.crashes.append((name, "".join(traceback.format_exception(exc))[-1500:]))

    def loop(self, name, fn, pause):
        """Run ``fn`` until told to stop."""
        while not self.stop.is_set():
            self.run(name, fn)
            self.stop.wait(pause)


def company_of(env):
    return env["res.company"].search([("company_registry", "=", SELLER[1])], limit=1)


def send_chunk(env, ids, mode):
    moves = env["account.move"].browse(ids)
    if mode == "button":
        moves.action_l10n_fr_pa_send()
    else:
        wizard = env["account.move.send.batch.wizard"].with_context(
            active_model="account.move", active_ids=ids).create({})
        wizard.action_send_and_print(force_synchronous=True)


def sync_button(env, rng_ids):
    moves = env["account.move"].browse(rng_ids).exists()
    if moves:
        moves.action_l10n_fr_pa_sync()


def cron_sync(env):
    env["l10n_fr_pa.synchronizer"]._cron_sync()


def cron_payment_status(env):
    env["l10n_fr_pa.payment.status"]._cron_push()


# ---------------------------------------------------------------------- set-up
def setup_company(env, sandbox, buyers):
    """French company with the fr chart, its connection, customers; returns the connection id."""
    from odoo import Command

    company = env["res.company"].create({
        "name": "Soak Seller SA", "country_id": env.ref("base.fr").id,
        "currency_id": env.ref("base.EUR").id, "company_registry": SELLER[1],
        "siret": SELLER[2], "vat": "FR44732829320", "street": "1 rue de la Paix",
        "zip": "75002", "city": "Paris", "l10n_fr_pa_payment_status_mode": "automatic"})
    env.user.write({"company_ids": [Command.link(company.id)], "company_id": company.id})
    env["account.chart.template"].try_loading("fr", company=company, install_demo=False)
    connection = env["l10n_fr_pa.connection"].create({
        "company_id": company.id, "environment": "sandbox", "flow_url": sandbox.flow_url,
        "directory_url": sandbox.directory_url, "token_url": sandbox.token_url,
        "client_id": SELLER[3], "client_secret": SELLER[4], "organization_id": SELLER[0],
        "timeout": 4})
    for i, (siren, siret, vat) in enumerate(buyers):
        partner = env["res.partner"].create({
            "name": f"Buyer {i} SARL", "is_company": True, "company_registry": siren,
            "siret": siret, "vat": vat, "street": f"{i} avenue des Champs", "zip": "69001",
            "city": "Lyon", "country_id": env.ref("base.fr").id})
        partner.with_company(company).invoice_sending_method = "l10n_fr_pa"
    return connection.id


def register_webhook(env, connection_id, base_url):
    """What "Register webhook" does, with the Odoo HTTP server's URL."""
    conn = env["l10n_fr_pa.connection"].browse(connection_id)
    env["ir.config_parameter"].set_param("web.base.url", base_url)
    env["ir.config_parameter"].set_param("web.base.url.freeze", "True")
    settings = env["res.config.settings"].with_company(conn.company_id).create({})
    settings.action_l10n_fr_pa_register_webhook()
    return conn.webhook_url


def sale_taxes(env, company):
    Tax = env["account.tax"].with_company(company)
    domain = [("company_id", "=", company.id), ("type_tax_use", "=", "sale"),
              ("amount", "=", 20.0), ("amount_type", "=", "percent"),
              ("price_include", "=", False)]
    goods = Tax.search(domain + [("tax_exigibility", "=", "on_invoice")], limit=1)
    services = Tax.search(domain + [("tax_exigibility", "=", "on_payment")], limit=1)
    return goods, services


def create_moves(env, count, offset, seed):
    """``count`` posted invoices (1 in 7 a credit note of the previous invoice); ids."""
    from odoo import Command

    company = company_of(env)
    goods, services = sale_taxes(env, company)
    rng = random.Random(f"{seed}-{offset}")
    partners = env["res.partner"].search([("name", "=like", "Buyer % SARL")], order="id")
    moves, last = env["account.move"], {}
    for i in range(offset, offset + count):
        partner = partners[i % len(partners)]
        refund_of = last.get(partner.id) if i % 7 == 6 else None
        vals = {"move_type": "out_refund" if refund_of else "out_invoice",
                "company_id": company.id, "partner_id": partner.id,
                "invoice_date": date.today(),
                "reversed_entry_id": refund_of.id if refund_of else False,
                "invoice_line_ids": [Command.create({
                    "name": f"Service {i}-{n}", "quantity": rng.randint(1, 5),
                    "price_unit": rng.randint(10, 900),
                    "tax_ids": [Command.set((services if rng.random() < 0.5 else goods).ids)],
                }) for n in range(rng.randint(1, 3))]}
        if refund_of:
            vals["invoice_line_ids"] = vals["invoice_line_ids"][:1]
            vals["invoice_line_ids"][0][2]["price_unit"] = 5
        move = env["account.move"].with_company(company).create(vals)
        moves |= move
        if not refund_of:
            last[partner.id] = move
    moves.action_post()
    return moves.ids


# ---------------------------------------------------------------------- roles
def sent_ids(env, move_type="out_invoice"):
    return env["account.move"].search([
        ("company_id", "=", company_of(env).id), ("move_type", "=", move_type),
        ("l10n_fr_pa_flow_id", "!=", False)]).ids


def new_212_wizard(env, move_id):
    """A "Change status" wizard for 212 on the move (None when not allowed now)."""
    move = env["account.move"].browse(move_id)
    action = env["l10n_fr_pa.action"]._for_move(move).filtered(
        lambda a: a.key == "payment_received")
    if not action:
        return None
    wizard = env["l10n_fr_pa.status.wizard"].create({"move_id": move.id,
                                                     "action_id": action.id})
    return wizard.id, wizard.message_id


def confirm_wizard(env, wizard_id):
    env["l10n_fr_pa.status.wizard"].browse(wizard_id).action_confirm()
    return True


def register_payment(env, move_id):
    """Register the full payment of an approved invoice (automatic 212 when eligible)."""
    move = env["account.move"].browse(move_id)
    if move.payment_state != "not_paid" or move.l10n_fr_pa_status_code != 205:
        return False
    env["account.payment.register"].with_context(
        active_model="account.move", active_ids=move.ids).create({})._create_payments()
    return True


class Roles:
    """The concurrent actors of the soak."""

    def __init__(self, driver, sandbox, buyers):
        self.driver = driver
        self.sandbox = sandbox
        self.buyers = buyers
        self.queue = []
        self.queue_lock = threading.Lock()
        self.pushes = {}  # message id -> "done" | "maybe"
        self.failed_wizards = []  # (wizard id, message id) to confirm again in the drain

    def sender(self):
        while True:
            with self.queue_lock:
                if not self.queue:
                    return
                ids, mode = self.queue.pop()
            self.driver.run(f"send_{mode}", send_chunk, ids, mode)

    def button_sync(self):
        def step(env):
            ids = sent_ids(env) + sent_ids(env, "out_refund")
            if ids:
                sync_button(env, [self.driver.rand("choice", ids)
                                  for _ in range(self.driver.rand("randint", 1, 3))])
        self.driver.loop("sync_button", step, 0.5)

    def crons(self):
        while not self.driver.stop.is_set():
            self.driver.run("cron_sync", cron_sync)
            self.driver.run("cron_payment_status", cron_payment_status)
            self.driver.stop.wait(0.3)

    def accountant(self):
        while not self.driver.stop.is_set():
            ids = self.driver.run("pick", sent_ids) or []
            if ids:
                move_id = self.driver.rand("choice", ids)
                if self.driver.rand("random") < 0.5:
                    self.push_212(move_id)
                else:
                    self.driver.run("register_payment", register_payment, move_id)
                if self.driver.rand("random") < 0.2:
                    self.driver.run("cron_payment_status", cron_payment_status)
            self.driver.stop.wait(0.2)

    def push_212(self, move_id):
        created = self.driver.run("wizard_212", new_212_wizard, move_id)
        if not created:
            return
        wizard_id, message_id = created
        self.pushes[message_id] = "maybe"
        clicks = 2 if self.driver.rand("random") < 0.3 else 1
        threads = [threading.Thread(target=self._confirm, args=(wizard_id, message_id))
                   for _ in range(clicks)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        if self.pushes[message_id] == "maybe":
            self.failed_wizards.append((wizard_id, message_id))

    def _confirm(self, wizard_id, message_id):
        if self.driver.run("confirm_212", confirm_wizard, wizard_id):
            self.pushes[message_id] = "done"

    def buyers_walk(self):
        while not self.driver.stop.wait(1.5):
            siren = self.driver.rand("choice", self.buyers)[0]
            self.sandbox.platform.set_scenario(siren, self.driver.rand("choice", SCENARIOS))
            self.driver.stats["scenario_change"] += 1


# ---------------------------------------------------------------------- drain
def unsent_ids(env):
    return env["account.move"].search([
        ("company_id", "=", company_of(env).id), ("state", "=", "posted"),
        ("move_type", "in", ("out_invoice", "out_refund")),
        ("l10n_fr_pa_flow_id", "=", False)]).ids


def retry_payment_statuses(env):
    Status = env["l10n_fr_pa.payment.status"]
    Status.search([("state", "=", "error")]).action_retry()
    Status._cron_push()
    return Status.search_count([("state", "!=", "sent")])


def lc_count(sandbox):
    return sandbox.platform.store.one(
        "SELECT count(*) AS n FROM flows WHERE org_id = ? AND flow_type = "
        "'CustomerInvoiceLC'", (SELLER[0],))["n"]


def event_count(env):
    return env["l10n_fr_pa.event"].search_count([("company_id", "=", company_of(env).id)])


def drain(driver, roles, sandbox):
    """Faults off: what users and crons do next, until the platform has nothing new."""
    sandbox.platform.clear_faults()
    for _round in range(6):
        ids = driver.run("pick", unsent_ids) or []
        if not ids:
            break
        for move_id in ids:
            driver.run("drain_send", send_chunk, [move_id], "button")
    for wizard_id, message_id in roles.failed_wizards:
        roles._confirm(wizard_id, message_id)
    for _round in range(6):
        if not driver.run("drain_payment_status", retry_payment_statuses):
            break
    previous, stable = None, 0
    for _round in range(60):
        driver.run("drain_sync", cron_sync)
        now = (lc_count(sandbox), driver.run("count", event_count))
        stable = stable + 1 if now == previous else 0
        previous = now
        if stable >= 3:
            break
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline and sandbox.platform.store.one(
            "SELECT count(*) AS n FROM deliveries WHERE state = 'pending'")["n"]:
        time.sleep(1)


# ---------------------------------------------------------------------- snapshots
def platform_snapshot(sandbox):
    store = sandbox.platform.store
    invoices = [{"flow_id": r["flow_id"], "tracking_id": r["tracking_id"],
                 "number": r["invoice_number"]} for r in store.query(
        "SELECT * FROM flows WHERE org_id = ? AND direction = 'Out' AND flow_syntax != 'CDAR'",
        (SELLER[0],))]
    from einvoicing import lifecycle
    from einvoicing.lifecycle.cdar import parse_cdar

    rank = {code: i for i, code in enumerate(lifecycle.STATUSES)}
    lc = []
    for row in store.query("SELECT * FROM flows WHERE org_id = ? AND flow_type = "
                           "'CustomerInvoiceLC'", (SELLER[0],)):
        stamp = parse_cdar(bytes(row["content"])).timestamp
        if stamp.tzinfo is not None:
            stamp = stamp.astimezone(timezone.utc).replace(tzinfo=None)
        lc.append({"flow_id": row["flow_id"], "message_id": row["message_id"],
                   "invoice_flow_id": row["invoice_flow_id"], "status": row["status_code"],
                   "seq": row["seq"], "at": stamp.replace(microsecond=0).isoformat(),
                   "rank": rank.get(row["status_code"], len(rank))})
    pushed = {r["message_id"]: r["n"] for r in store.query(
        "SELECT message_id, count(*) AS n FROM flows WHERE org_id = ? AND direction = 'Out' "
        "AND flow_syntax = 'CDAR' GROUP BY message_id", (SELLER[0],))}
    return {"invoices": invoices, "lc": lc, "pushed": pushed}


def odoo_snapshot(env, pushes):
    company = company_of(env)
    moves = env["account.move"].search([
        ("company_id", "=", company.id), ("state", "=", "posted"),
        ("move_type", "in", ("out_invoice", "out_refund"))])
    env.cr.execute("SELECT platform_message_id, move_id FROM l10n_fr_pa_event "
                   "WHERE company_id = %s", [company.id])
    events = [{"message_id": m, "move_id": move} for m, move in env.cr.fetchall()]
    pushes = dict(pushes)
    for status in env["l10n_fr_pa.payment.status"].search([("company_id", "=", company.id)]):
        pushes[status.message_id] = "done" if status.state == "sent" else "maybe"
    return {
        "moves": [{"id": m.id, "name": m.name, "tracking_id": m.l10n_fr_pa_tracking_id,
                   "flow_id": m.l10n_fr_pa_flow_id, "status": m.l10n_fr_pa_status_code}
                  for m in moves],
        "events": events, "pushes": pushes}


# ---------------------------------------------------------------------- main
def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--invoices", type=int, default=1000)
    parser.add_argument("--fault-rate", type=float, default=0.08)
    parser.add_argument("--workers", type=int, default=2, help="Odoo HTTP workers")
    parser.add_argument("--threads", type=int, default=3, help="sender threads")
    parser.add_argument("--buyers", type=int, default=8)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--keep-db", action="store_true")
    parser.add_argument("--template", help="copy this installed database instead of -i")
    parser.add_argument("--db", help="database name (default soak_<seed>_<pid>)")
    return parser.parse_args(argv)


def work_queue(ids, rng):
    """Chunks (ids, "button" | "batch"), popped from the end; some sent twice at once."""
    chunks, i = [], 0
    while i < len(ids):
        size = 1 if rng.random() < 0.5 else rng.randint(2, 8)
        chunk = (ids[i:i + size], "button" if size == 1 else "batch")
        chunks.append(chunk)
        if rng.random() < 0.05:
            chunks.append(chunk)  # double click: two senders take it together
        i += size
    chunks.reverse()
    return chunks


def start(target, name):
    thread = threading.Thread(target=target, name=name, daemon=True)
    thread.start()
    return thread


def run_soak(args, side, sandbox, rng):
    registry = side.load()
    driver = Driver(registry, rng)
    buyers = buyer_ids(rng, args.buyers)
    for siren, siret, _vat in buyers:
        sandbox.platform.add_organization(f"ORG-{siren}", siren, f"Buyer {siren}",
                                          f"c-{siren}", "buyer-secret", siret=siret,
                                          scenario=rng.choice(SCENARIOS))
    sandbox.platform.add_organization(SELLER[0], SELLER[1], "Soak Seller SA", SELLER[3],
                                      SELLER[4], siret=SELLER[2])
    connection_id = driver.run("setup", setup_company, sandbox, buyers)
    base_url = side.start_server(os.path.join(side.addons, "odoo-http.log"))
    driver.run("register_webhook", register_webhook, connection_id, base_url)
    sandbox.platform.set_webhook_mode(duplicate=True, shuffle=True)
    ids = []
    for offset in range(0, args.invoices, 50):
        ids += driver.run("create_moves", create_moves, min(50, args.invoices - offset),
                          offset, args.seed) or []
    roles = Roles(driver, sandbox, buyers)
    roles.queue = work_queue(ids, rng)
    sandbox.platform.faults.randomize(args.fault_rate, FAULT_KINDS, seed=args.seed,
                                      retry_after=1, seconds=4.5)
    started = time.monotonic()
    senders = [start(roles.sender, f"sender-{i}") for i in range(args.threads)]
    others = [start(target, target.__name__) for target in (
        roles.crons, roles.button_sync, roles.accountant, roles.buyers_walk)]
    for thread in senders:
        thread.join()
    driver.stop.set()
    for thread in others:
        thread.join()
    faults = sandbox.platform.faults.counts()
    drain(driver, roles, sandbox)
    anomalies = driver.run("check", lambda env: soak_check.check(
        platform_snapshot(sandbox), odoo_snapshot(env, roles.pushes)))
    driver.stats["events_in_odoo"] = driver.run("count", event_count) or 0
    driver.stats["pushes_checked"] = len(roles.pushes)
    return driver, faults, anomalies, ids, time.monotonic() - started


def report(args, driver, faults, anomalies, ids, seconds, side, sandbox):
    anomalies = list(anomalies or [])
    anomalies += [("crash", f"{name}: {text}") for name, text in driver.crashes]
    anomalies += [("server_error", line) for line in side.server_errors()]
    deliveries = sandbox.platform.deliveries()
    failed = Counter(d["last_error"] for d in deliveries if d["state"] == "failed")
    anomalies += [("webhook_failed", f"{n} deliveries failed: {error}")
                  for error, n in failed.items()]
    deliveries = Counter(d["state"] for d in deliveries)
    print("=" * 72)
    print("Soak of l10n_fr_einvoice_pa -", time.strftime("%Y-%m-%d %H:%M:%S UTC",
                                                         time.gmtime()))
    print("command:", " ".join(shlex.quote(a) for a in sys.argv))
    print(f"seed {args.seed}, fault rate {args.fault_rate}, HTTP workers {args.workers}, "
          f"sender threads {args.threads}, buyers {args.buyers}")
    print(f"documents: {len(ids)}; platform flows of the seller: "
          f"{len(sandbox.platform.flows(SELLER[0]))}; lifecycle flows: {lc_count(sandbox)}")
    print(f"faults injected: {sum(faults.values())} {dict(sorted(faults.items()))}")
    print(f"operations: {dict(sorted(driver.stats.items()))}")
    print(f"concurrency retries (not anomalies): {dict(driver.retries)}")
    print(f"user errors shown (not anomalies): {sum(driver.user_errors.values())}")
    for text, count in driver.user_errors.most_common(12):
        print(f"   {count:5d}  {text}")
    print(f"webhook deliveries: {dict(deliveries)}")
    print(f"duration under faults + drain: {seconds:.0f} s")
    print(f"ANOMALIES: {len(anomalies)} {soak_check.summary(anomalies)}")
    for kind, detail in anomalies[:30]:
        print(f"   {kind}: {detail}")
    return 1 if anomalies else 0


def main(argv=None):
    args = parse_args(argv if argv is not None else sys.argv[1:])
    logging.basicConfig(level=logging.WARNING)
    rng = random.Random(args.seed)
    side = OdooSide(args)
    data_dir = tempfile.mkdtemp(prefix="soak_sandbox_")
    sys.path.insert(0, ROOT)
    from einvoicing.sandbox import SandboxServer

    sandbox = None
    try:
        side.create_db()
        sandbox = SandboxServer(data_dir).start()
        driver, faults, anomalies, ids, seconds = run_soak(args, side, sandbox, rng)
        return report(args, driver, faults, anomalies, ids, seconds, side, sandbox)
    finally:
        if sandbox:
            sandbox.stop()
        side.stop(args.keep_db)
        shutil.rmtree(data_dir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
