"""Webhook subscriptions (``/v1/webhooks``) and the signed delivery thread.

Each event is the JSON ``Flow`` of a new flow, POSTed to the callback URL with
``X-Sandbox-Signature: t=<unix ts>,v1=<hex HMAC-SHA256(signingKey, f"{t}.{body}")>``
and, as the AFNOR spec describes, ``Afnor-Signature-Timestamp: <t>`` and
``Afnor-Signature: base64(HMAC-SHA256(signingKey, hex(SHA-256(body + "@" + t))))``.
The key is the ``signingKey`` string exactly as returned at creation (UTF-8 bytes);
both schemes live in ``einvoicing.webhook_signature``.
Failed deliveries are retried; switches deliver each event twice or out of order.
"""

import base64
import json
import logging
import secrets
import threading
import time
import uuid
from urllib.parse import urlsplit

import requests

from ..webhook_signature import afnor_signature
from ..webhook_signature import sandbox_signature as sign
from .errors import ApiError, bad_field, missing_field

_log = logging.getLogger(__name__)
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1", "[::1]")
DEFAULT_RETRY_DELAYS = (0.5, 1.0, 2.0, 4.0, 8.0)
SHUFFLE_HOLD = 0.3


def _matches(hook, row):
    types = json.loads(hook["flow_types"]) if hook["flow_types"] else None
    return ((not types or row["flow_type"] in types)
            and (not hook["flow_direction"] or hook["flow_direction"] == row["direction"])
            and (not hook["ack_status"] or hook["ack_status"] == row["ack_status"]))


def enqueue(conn, row, flow_body):
    """Queue one delivery per matching webhook of the flow's organisation."""
    body = json.dumps(flow_body, ensure_ascii=False).encode("utf-8")
    for hook in conn.execute("SELECT * FROM webhooks WHERE org_id = ?", (row["org_id"],)):
        if _matches(hook, row):
            conn.execute("INSERT INTO deliveries(webhook_id, flow_id, body, next_at) "
                         "VALUES (?, ?, ?, ?)", (hook["webhook_id"], row["flow_id"], body,
                                                 time.time()))


def _check_params(body, enums, allow_remote):
    if not isinstance(body, dict):
        raise bad_field("(body)", body, "a JSON object (WebhookParams)")
    url = body.get("callbackUrl")
    if url is None:
        raise missing_field("callbackUrl", "the http(s) URL to call on new flows")
    parts = urlsplit(url) if isinstance(url, str) else None
    if parts is None or parts.scheme not in ("http", "https") or not parts.hostname:
        raise bad_field("callbackUrl", url, "an absolute http:// or https:// URL")
    if not allow_remote and parts.hostname not in LOOPBACK_HOSTS:
        raise bad_field("callbackUrl", url, "a loopback URL (127.0.0.1, localhost, ::1): "
                        "this sandbox only calls local receivers")
    types = body.get("flowTypes")
    if types is not None and (not isinstance(types, list)
                              or any(t not in enums["FlowType"] for t in types)):
        raise bad_field("flowTypes", types, "an array of FlowType values")
    for field, enum in (("flowDirection", "FlowDirection"), ("ackStatus", "FlowAckStatus")):
        if body.get(field) is not None and body[field] not in enums[enum]:
            raise bad_field(field, body[field], f"one of {', '.join(enums[enum])}")
    return url, types, body.get("flowDirection"), body.get("ackStatus")


def webhook_json(row, with_key=False):
    body = {"webhookId": row["webhook_id"], "createdAt": row["created_at"],
            "callbackUrl": row["callback_url"]}
    if with_key:
        body["signingKey"] = row["signing_key"]
    if row["flow_types"]:
        body["flowTypes"] = json.loads(row["flow_types"])
    for key, column in (("flowDirection", "flow_direction"), ("ackStatus", "ack_status")):
        if row[column]:
            body[key] = row[column]
    return body


def create(store, org_id, body, enums):
    url, types, direction, ack = _check_params(
        body, enums, store.get_setting("allow_remote_webhooks", False))
    webhook_id = str(uuid.uuid4())
    key = base64.b64encode(secrets.token_bytes(32)).decode()
    with store.tx() as conn:
        conn.execute("INSERT INTO webhooks VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                     (webhook_id, org_id, url, json.dumps(types) if types else None,
                      direction, ack, key, store.now()))
    row = _load(store, org_id, webhook_id)
    return {"webhookId": webhook_id, "signingKey": key, "createdAt": row["created_at"]}


def update(store, org_id, webhook_id, body, enums):
    """Extension (not in the 1.3.0 spec): replace callback URL and filters, keep the key."""
    _load(store, org_id, webhook_id)
    url, types, direction, ack = _check_params(
        body, enums, store.get_setting("allow_remote_webhooks", False))
    with store.tx() as conn:
        conn.execute("UPDATE webhooks SET callback_url = ?, flow_types = ?, flow_direction = ?, "
                     "ack_status = ? WHERE webhook_id = ?",
                     (url, json.dumps(types) if types else None, direction, ack, webhook_id))
    return webhook_json(_load(store, org_id, webhook_id))


def list_hooks(store, org_id):
    rows = store.query("SELECT * FROM webhooks WHERE org_id = ? ORDER BY created_at", (org_id,))
    return {"count": len(rows), "webhookIds": [r["webhook_id"] for r in rows],
            "webhooks": [webhook_json(r) for r in rows]}


def _load(store, org_id, webhook_id):
    try:
        uuid.UUID(webhook_id)
    except ValueError:
        raise bad_field("webhookUid", webhook_id, "a webhook UUID returned at creation") from None
    row = store.one("SELECT * FROM webhooks WHERE webhook_id = ? AND org_id = ?",
                    (webhook_id, org_id))
    if row is None:
        raise ApiError(404, "MISSING_RESOURCE",
                       f"No webhook {webhook_id!r} for organization {org_id!r}.")
    return row


def delete(store, org_id, webhook_id):
    _load(store, org_id, webhook_id)
    with store.tx() as conn:
        conn.execute("DELETE FROM deliveries WHERE webhook_id = ? AND state = 'pending'",
                     (webhook_id,))
        conn.execute("DELETE FROM webhooks WHERE webhook_id = ?", (webhook_id,))


class Sender(threading.Thread):
    """Background thread posting queued deliveries, with retries and mode switches."""

    def __init__(self, store):
        super().__init__(name="sandbox-webhooks", daemon=True)
        self.store = store
        self.wake = threading.Event()
        self._stop_event = threading.Event()
        self.session = requests.Session()

    def stop(self):
        self._stop_event.set()
        self.wake.set()
        self.join(timeout=10)

    def run(self):
        while not self._stop_event.is_set():
            self.wake.wait(0.2)
            self.wake.clear()
            try:
                self._deliver_due()
            except Exception:  # never let the thread die; log and go on
                _log.exception("webhook delivery loop failed")

    def _due(self):
        return self.store.query(
            "SELECT d.*, w.callback_url, w.signing_key FROM deliveries d JOIN webhooks w "
            "USING (webhook_id) WHERE d.state = 'pending' AND d.next_at <= ? ORDER BY d.id",
            (time.time(),))

    def _deliver_due(self):
        mode = self.store.get_setting("webhook_mode", {"duplicate": False, "shuffle": False})
        due = self._due()
        if due and mode.get("shuffle"):
            time.sleep(SHUFFLE_HOLD)  # gather a batch, then send it newest first
            due = list(reversed(self._due()))
        for delivery in due:
            if self._stop_event.is_set():
                return
            copies = 2 if mode.get("duplicate") else 1
            error = None
            for _ in range(copies):
                error = self._post(delivery) or error
            self._record(delivery, error)

    def _post(self, delivery):
        body = bytes(delivery["body"])
        timestamp = int(time.time())
        key = delivery["signing_key"]
        headers = {"Content-Type": "application/json",
                   "X-Sandbox-Signature": sign(key, body, timestamp),
                   "Afnor-Signature": afnor_signature(key, body, timestamp),
                   "Afnor-Signature-Timestamp": str(timestamp)}
        try:
            answer = self.session.post(delivery["callback_url"], data=body, headers=headers,
                                       timeout=(2, 5), allow_redirects=False)
        except requests.RequestException as exc:
            return f"{type(exc).__name__}: {exc}"
        return None if 200 <= answer.status_code < 300 else f"HTTP {answer.status_code}"

    def _record(self, delivery, error):
        delays = self.store.get_setting("webhook_retry_delays", list(DEFAULT_RETRY_DELAYS))
        attempts = delivery["attempts"] + 1
        if error is None:
            state, next_at = "done", delivery["next_at"]
        elif attempts > len(delays):
            state, next_at = "failed", delivery["next_at"]
        else:
            state, next_at = "pending", time.time() + delays[attempts - 1]
        with self.store.tx() as conn:
            conn.execute("UPDATE deliveries SET attempts = ?, state = ?, next_at = ?, "
                         "last_error = ? WHERE id = ?",
                         (attempts, state, next_at, error, delivery["id"]))
