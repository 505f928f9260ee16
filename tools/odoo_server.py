# Copyright 2026 The l10n_fr_einvoice_pa authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""A real Odoo 18.0 HTTP server with the addon installed, for the fuzz and load tools.

Used by tools/fuzz.py (webhook target) and tools/load_webhook.py; small on purpose:

- ``prepare(db)``: creates the database, installs ``l10n_fr_einvoice_pa`` (like
  tools/odoo_suite.sh: a temporary addons directory holding a symlink named after the
  addon), then creates a company connection with a webhook secret through
  ``odoo-bin shell``; returns ``{"connection_id", "token", "secret"}``.
- ``OdooServer(db, workers=2)``: ``odoo-bin`` with ``--workers`` on a free loopback port
  (``with`` block: started, waited for, stopped by its process id).
- ``sql(db, query)``: rows of a query (psycopg2), to check what the server stored.
- ``drop(db)``.

Environment: PYTHON is this interpreter; ODOO_SRC an Odoo 18.0 tree (default
/work/shared/odoo-18.0 when present); PostgreSQL on 127.0.0.1, user/password odoo
(PGUSER_ODOO / PGPASSWORD_ODOO). Command line:
``python tools/odoo_server.py prepare|drop --db NAME``.
"""

import argparse
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ADDON = "l10n_fr_einvoice_pa"
DB_USER = os.environ.get("PGUSER_ODOO", "odoo")
DB_PASSWORD = os.environ.get("PGPASSWORD_ODOO", "odoo")
SECRET = "fuzz-load-webhook-signing-key-0123456789"

SETUP_SCRIPT = """
import json
company = env.company
company.write({"country_id": env.ref("base.fr").id})
conn = env["l10n_fr_pa.connection"].search([("company_id", "=", company.id)], limit=1)
values = {"company_id": company.id, "environment": "sandbox",
          "flow_url": "http://127.0.0.1:1/flow-service",
          "directory_url": "http://127.0.0.1:1/directory-service",
          "token_url": "http://127.0.0.1:1/auth/token",
          "client_id": "fuzz-client", "client_secret": "fuzz-secret",
          "organization_id": "ORG-FUZZ", "webhook_secret": %(secret)r}
conn = conn or env["l10n_fr_pa.connection"].create(values)
conn.write({"webhook_secret": %(secret)r})
env.cr.commit()
print("CONNECTION=" + json.dumps({"connection_id": conn.id, "token": conn.webhook_token,
                                  "secret": conn.webhook_secret}))
"""


def odoo_root():
    src = os.environ.get("ODOO_SRC") or "/work/shared/odoo-18.0"
    return Path(src).resolve()


class _Addons:
    """A temporary addons directory with the worktree linked under the addon's name."""

    def __enter__(self):
        self.path = Path(tempfile.mkdtemp(prefix="odoo-addons-"))
        (self.path / ADDON).symlink_to(ROOT)
        return self.path

    def __exit__(self, *exc):
        shutil.rmtree(self.path, ignore_errors=True)


def _base_args(db, addons, port=None):
    src = odoo_root()
    args = [sys.executable, str(src / "odoo-bin"), "--db_host=127.0.0.1",
            f"--db_user={DB_USER}", f"--db_password={DB_PASSWORD}", "-d", db,
            f"--addons-path={src}/odoo/addons,{src}/addons,{addons}",
            f"--data-dir={addons}/.data", "--without-demo=all", "--max-cron-threads=0"]
    if port is None:
        return args + ["--no-http"]
    return args + ["--http-interface=127.0.0.1", f"--http-port={port}",
                   f"--gevent-port={free_port()}"]


def _env():
    return dict(os.environ, PYTHONDONTWRITEBYTECODE="1")


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def prepare(db, log=sys.stderr):
    """Create ``db`` with the addon and a webhook-ready connection; its URL parts."""
    drop(db)
    with _Addons() as addons:
        subprocess.run(_base_args(db, addons) + ["-i", ADDON, "--stop-after-init",
                                                 "--log-level=warn"],
                       check=True, cwd="/tmp", env=_env(), stdout=log, stderr=log)
        shell = subprocess.run(_base_args(db, addons)[:2] + ["shell"] + _base_args(db, addons)[2:]
                               + ["--log-level=warn"],
                               input=SETUP_SCRIPT % {"secret": SECRET}, text=True,
                               capture_output=True, check=True, cwd="/tmp", env=_env())
    for line in shell.stdout.splitlines():
        if line.startswith("CONNECTION="):
            return json.loads(line.split("=", 1)[1])
    raise RuntimeError(f"connection setup failed: {shell.stdout[-2000:]} {shell.stderr[-2000:]}")


def connection_of(db):
    """The webhook URL parts of the connection ``prepare`` made in ``db``."""
    conn_id, token, secret = sql(db, "SELECT id, webhook_token, webhook_secret "
                                     "FROM l10n_fr_pa_connection ORDER BY id LIMIT 1")[0]
    return {"connection_id": conn_id, "token": token, "secret": secret}


def drop(db):
    subprocess.run(["dropdb", "--if-exists", "-h", "127.0.0.1", "-U", DB_USER, db],
                   check=True, env=dict(os.environ, PGPASSWORD=DB_PASSWORD))


def sql(db, query, params=None):
    import psycopg2

    with psycopg2.connect(host="127.0.0.1", user=DB_USER, password=DB_PASSWORD,
                          dbname=db) as conn, conn.cursor() as cur:
        cur.execute(query, params)
        return cur.fetchall()


class OdooServer:
    """``odoo-bin --workers=N`` on a free loopback port, for one ``with`` block."""

    def __init__(self, db, workers=2, log_path=None, extra_args=()):
        self.db, self.workers, self.extra_args = db, workers, list(extra_args)
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = log_path or os.devnull
        self.process = None
        self._addons = None

    def __enter__(self):
        self._addons = _Addons()
        addons = self._addons.__enter__()
        args = _base_args(self.db, addons, self.port) + [
            f"--workers={self.workers}", "--log-level=warn", f"--db-filter=^{self.db}$",
            "--limit-time-real=120", "--limit-time-cpu=60", *self.extra_args]
        self._log = open(self.log_path, "ab")  # closed in __exit__
        self.process = subprocess.Popen(args, cwd="/tmp", env=_env(), stdout=self._log,
                                        stderr=subprocess.STDOUT, start_new_session=True)
        self._wait_ready()
        return self

    def _wait_ready(self, timeout=180):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"odoo-bin exited ({self.process.returncode}), "
                                   f"see {self.log_path}")
            try:
                with urllib.request.urlopen(f"{self.url}/web/health", timeout=5) as answer:
                    if answer.status == 200:
                        return
            except OSError:
                time.sleep(1)
        raise RuntimeError("odoo-bin did not answer /web/health in time")

    def __exit__(self, *exc):
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)  # its own session: odoo + its workers
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        self._log.close()
        self._addons.__exit__(*exc)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("action", choices=["prepare", "drop"])
    parser.add_argument("--db", required=True)
    args = parser.parse_args(argv)
    if args.action == "prepare":
        print(json.dumps(prepare(args.db)))
    else:
        drop(args.db)


if __name__ == "__main__":
    main()
