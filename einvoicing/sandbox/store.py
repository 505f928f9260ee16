"""SQLite persistence of the sandbox platform (WAL, one connection guarded by a lock).

Everything the platform knows lives here, so stopping and restarting a sandbox on
the same data directory loses nothing: organisations, OAuth clients and tokens,
flows and their files, simulator progress, webhooks and pending deliveries.
"""

import json
import sqlite3
import threading
from contextlib import contextmanager
from datetime import datetime, timedelta, timezone
from pathlib import Path

SCHEMA = """
CREATE TABLE IF NOT EXISTS companies (
    siren TEXT PRIMARY KEY, org_id TEXT UNIQUE, name TEXT NOT NULL, siret TEXT,
    electronic_address TEXT NOT NULL, reachable INTEGER NOT NULL DEFAULT 1,
    routing_codes TEXT NOT NULL DEFAULT '[]', scenario TEXT);
CREATE TABLE IF NOT EXISTS clients (client_id TEXT PRIMARY KEY, secret_hash TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS grants (
    client_id TEXT NOT NULL, org_id TEXT NOT NULL, PRIMARY KEY (client_id, org_id));
CREATE TABLE IF NOT EXISTS tokens (
    token TEXT PRIMARY KEY, client_id TEXT NOT NULL, expires_at REAL NOT NULL);
CREATE TABLE IF NOT EXISTS flows (
    seq INTEGER PRIMARY KEY AUTOINCREMENT, flow_id TEXT NOT NULL UNIQUE, org_id TEXT NOT NULL,
    direction TEXT NOT NULL, flow_type TEXT NOT NULL, flow_syntax TEXT NOT NULL,
    flow_profile TEXT NOT NULL, processing_rule TEXT NOT NULL,
    processing_rule_source TEXT NOT NULL, tracking_id TEXT, name TEXT NOT NULL,
    sha256 TEXT NOT NULL, submitted_at TEXT NOT NULL, updated_at TEXT NOT NULL,
    ack_status TEXT NOT NULL, ack_details TEXT, content BLOB NOT NULL,
    invoice_key TEXT, invoice_flow_id TEXT, seller_siren TEXT, buyer_siren TEXT,
    invoice_number TEXT, invoice_date TEXT, status_code INTEGER, message_id TEXT,
    amount TEXT, currency TEXT, invoice_type TEXT);
CREATE UNIQUE INDEX IF NOT EXISTS flows_tracking ON flows(org_id, tracking_id)
    WHERE tracking_id IS NOT NULL;
CREATE UNIQUE INDEX IF NOT EXISTS flows_invoice ON flows(invoice_key)
    WHERE invoice_key IS NOT NULL;
CREATE UNIQUE INDEX IF NOT EXISTS flows_message ON flows(org_id, direction, message_id)
    WHERE message_id IS NOT NULL;
CREATE INDEX IF NOT EXISTS flows_org_seq ON flows(org_id, seq);
CREATE INDEX IF NOT EXISTS flows_invoice_status ON flows(invoice_flow_id, status_code);
CREATE TABLE IF NOT EXISTS simulations (
    invoice_flow_id TEXT PRIMARY KEY, seller_org TEXT NOT NULL, scenario TEXT NOT NULL,
    syncs INTEGER NOT NULL DEFAULT 0, next_step INTEGER NOT NULL DEFAULT 0);
CREATE TABLE IF NOT EXISTS syncs (org_id TEXT PRIMARY KEY, count INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS webhooks (
    webhook_id TEXT PRIMARY KEY, org_id TEXT NOT NULL, callback_url TEXT NOT NULL,
    flow_types TEXT, flow_direction TEXT, ack_status TEXT, signing_key TEXT NOT NULL,
    created_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS deliveries (
    id INTEGER PRIMARY KEY AUTOINCREMENT, webhook_id TEXT NOT NULL, flow_id TEXT NOT NULL,
    body BLOB NOT NULL, attempts INTEGER NOT NULL DEFAULT 0, next_at REAL NOT NULL,
    state TEXT NOT NULL DEFAULT 'pending', last_error TEXT);
CREATE TABLE IF NOT EXISTS settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS vendor_imports (
    invoice_id TEXT PRIMARY KEY, org_id TEXT NOT NULL, number TEXT NOT NULL,
    file_name TEXT NOT NULL, flow_syntax TEXT NOT NULL, sha256 TEXT NOT NULL,
    content BLOB NOT NULL, flow_id TEXT, paid_at TEXT, created_at TEXT NOT NULL);
CREATE UNIQUE INDEX IF NOT EXISTS vendor_imports_file ON vendor_imports(org_id, sha256);
"""


def format_ts(moment):
    """Canonical UTC timestamp text: sortable as a string, RFC 3339, microseconds."""
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


class Store:
    """The sandbox database. ``tx()`` gives a write transaction, ``query`` reads."""

    def __init__(self, data_dir):
        self.path = Path(data_dir) / "sandbox.sqlite3"
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.RLock()
        self._conn = sqlite3.connect(str(self.path), check_same_thread=False,
                                     isolation_level=None, timeout=10)
        self._conn.row_factory = sqlite3.Row
        self._conn.execute("PRAGMA journal_mode=WAL")
        self._conn.execute("PRAGMA synchronous=NORMAL")
        self._conn.executescript(SCHEMA)
        self._last_ts = None

    def close(self):
        with self._lock:
            self._conn.close()

    @contextmanager
    def tx(self):
        """Serialised write transaction; rolls back on any exception."""
        with self._lock:
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                yield self._conn
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
            self._conn.execute("COMMIT")

    def query(self, sql, params=()):
        with self._lock:
            return self._conn.execute(sql, params).fetchall()

    def one(self, sql, params=()):
        rows = self.query(sql, params)
        return rows[0] if rows else None

    def now(self):
        """A strictly increasing UTC timestamp string (so updatedAfter never skips a flow)."""
        with self._lock:
            moment = datetime.now(timezone.utc)
            if self._last_ts is None:
                row = self._conn.execute("SELECT MAX(updated_at) FROM flows").fetchone()
                self._last_ts = _parse_ts(row[0]) if row[0] else moment
            if moment <= self._last_ts:
                moment = self._last_ts + timedelta(microseconds=1)
            self._last_ts = moment
            return format_ts(moment)

    def get_setting(self, key, default=None):
        row = self.one("SELECT value FROM settings WHERE key = ?", (key,))
        return json.loads(row["value"]) if row else default

    def set_setting(self, key, value):
        with self.tx() as conn:
            conn.execute("INSERT OR REPLACE INTO settings(key, value) VALUES (?, ?)",
                         (key, json.dumps(value)))


def _parse_ts(text):
    return datetime.strptime(text, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=timezone.utc)
