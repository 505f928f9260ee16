# Copyright 2026 The l10n_fr_einvoice_pa authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Load the webhook endpoint of a real Odoo server: N requests/s for S seconds, then audit.

    python tools/load_webhook.py [--rate 50] [--seconds 60] [--workers 2]
                                 [--duplicates 0.10] [--replays 0.05] [--db NAME] [--keep-db]

Method:

- tools/odoo_server.py creates the database (addon installed, a connection with a webhook
  secret) and starts ``odoo-bin --workers=N`` on a free loopback port (no cron thread: the
  triggered synchronisations are counted, not run).
- Open loop: request ``i`` is due at ``start + i / rate`` whatever the previous answers
  (asyncio: one task per call, the whole request written at once), one new connection
  per call, as a platform calls. Latency is measured from the due time (queueing included) and from
  the actual send.
- Each call is a validly-signed notification (``X-Sandbox-Signature``, fresh timestamp).
  Most announce a new flow; ``--duplicates`` re-announce an earlier flow with other bytes
  (so another valid signature; half of them sent at the same instant as the first one,
  to race it on the two workers); ``--replays`` resend an earlier call byte for byte.
- Expected answers: a new flow 200 "accepted", a re-announced one 200 "duplicate", a
  replay 200 "duplicate" with nothing stored. A 5xx or a connection error is retried
  (up to 5 times, 1 s apart, signed again), as a platform does. Audit in the database
  afterwards: every flow announced has exactly one row holding its key (0 lost, 0
  doubled), at most one "accepted" answer and exactly one cron trigger per flow, a row
  for every 200 answer but the replays'.

Prints a JSON summary (latencies p50/p99/max, achieved rate, errors, audit, the CPU time
odoo-bin and its workers spent per request, CPU count and load average); exit status 1
when something was lost, doubled or answered 5xx.
"""

import argparse
import asyncio
import json
import os
import random
import statistics
import sys
import time
import uuid
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import odoo_server

from einvoicing.webhook_signature import sandbox_signature

RETRIES = 5


def plan(count, duplicates, replays, rng, run_id):
    """The calls, in due order: (kind, flow key, body)."""
    calls, keys = [], []
    for index in range(count):
        draw = rng.random()
        if keys and draw < replays:
            calls.append(("replay", None, rng.randrange(len(calls))))
        elif keys and draw < replays + duplicates:
            key = keys[-1] if rng.random() < 0.5 else rng.choice(keys)
            calls.append(("duplicate", key, None))
        else:
            key = f"load-{run_id}-{index}"
            keys.append(key)
            calls.append(("new", key, None))
    return calls


def body_of(key, variant):
    """JSON of one notification; ``variant`` changes the bytes, not the content."""
    data = {"flowId": key, "updatedAt": "2026-12-01T10:00:00Z"}
    return json.dumps(data, indent=variant or None).encode()


class Sender:
    """The calls of one run over asyncio: one light task per call, so that the client
    itself never holds a request back (threads would fight for the interpreter lock)."""

    def __init__(self, server, conn, calls, rate):
        self.port = server.port
        self.path = f"/l10n_fr_pa/webhook/{conn['connection_id']}/{conn['token']}"
        self.secret = conn["secret"]
        self.calls, self.rate = calls, rate
        self.results = [None] * len(calls)
        self.retried = [0] * len(calls)  # attempts answered 5xx / lost in transport
        self.sent = [None] * len(calls)  # (body, headers) of each call, for replays
        self.variants = Counter()

    async def request_of(self, index, attempt=0):
        kind, key, target = self.calls[index]
        if kind == "replay":
            while self.sent[target] is None:  # its original is due earlier: wait for it
                await asyncio.sleep(0.001)
            return self.sent[target]
        if attempt:  # a platform retries the same notification, signed again
            body = self.sent[index][0]
        else:
            body = body_of(key, self.variants[key])
            self.variants[key] += 1
        headers = {"Content-Type": "application/json", "Connection": "close",
                   "X-Sandbox-Signature": sandbox_signature(self.secret, body, int(time.time()))}
        return body, headers

    async def call(self, index, due):
        await asyncio.sleep(max(0.0, due - time.monotonic()))
        started = time.monotonic()
        for attempt in range(RETRIES + 1):
            body, headers = await self.request_of(index, attempt)
            self.sent[index] = (body, headers)
            status, text = await self.post(body, headers)
            if 0 < status < 500:
                break
            self.retried[index] = attempt + 1
            await asyncio.sleep(1.0)
        done = time.monotonic()
        self.results[index] = (status, text, done - due, done - started, done)

    async def post(self, body, headers):
        """One HTTP/1.1 POST on a new connection, written in one go; (status, body text)."""
        lines = [f"POST {self.path} HTTP/1.1", f"Host: 127.0.0.1:{self.port}",
                 f"Content-Length: {len(body)}", *(f"{k}: {v}" for k, v in headers.items())]
        request = ("\r\n".join(lines) + "\r\n\r\n").encode() + body
        try:
            reader, writer = await asyncio.wait_for(
                asyncio.open_connection("127.0.0.1", self.port), 60)
            writer.write(request)
            answer = await asyncio.wait_for(reader.read(), 60)  # Connection: close
            writer.close()
        except (OSError, asyncio.TimeoutError) as exc:
            return 0, repr(exc)
        head, _, payload = answer.partition(b"\r\n\r\n")
        try:
            return int(head.split(b" ", 2)[1]), payload.decode("utf-8", "replace")
        except (IndexError, ValueError):
            return 0, f"unreadable answer {answer[:80]!r}"


def run(sender, rate):
    """Open loop: call ``i`` starts at ``start + i / rate``, whatever is still running."""
    async def main():
        start = time.monotonic() + 1.0
        tasks = []
        for index, (kind, _key, _target) in enumerate(sender.calls):
            due = start + index / rate
            if kind == "duplicate" and index % 2 == 0 and index:  # race the previous call
                due = start + (index - 1) / rate
            tasks.append(asyncio.create_task(sender.call(index, due)))
        await asyncio.gather(*tasks)
        return start
    return asyncio.run(main())


def audit(db, run_id, sender):
    """What the database holds for this run, against what was sent and answered.

    Lost: an announced flow without its keyed row (the row of its first delivery).
    Doubled: a flow with more than one keyed row or more than one "accepted" answer.
    Every 200 answer must have its row (there may be more rows than 200 answers when an
    answer was lost in transport after the server stored the call).
    """
    like = (f"load-{run_id}-%",)
    keyed = dict(odoo_server.sql(db, "SELECT flow_id, count(*) FROM "
                                     "l10n_fr_pa_webhook_notification WHERE flow_id LIKE %s "
                                     "AND notification_key IS NOT NULL GROUP BY flow_id", like))
    rows = odoo_server.sql(db, "SELECT count(*) FROM l10n_fr_pa_webhook_notification "
                               "WHERE flow_id LIKE %s", like)[0][0]
    answers = defaultdict(Counter)
    replayed_200 = 0  # a replay is acknowledged without a row
    for (kind, key, target), result in zip(sender.calls, sender.results, strict=True):
        key = key if kind != "replay" else sender.calls[target][1]
        answers[key][_answer(result)] += 1
        replayed_200 += kind == "replay" and result[0] == 200
    announced = [k for kind, k, _t in sender.calls if kind == "new"]
    lost = [k for k in announced if not keyed.get(k)]
    doubled = [k for k in announced if keyed.get(k, 0) > 1 or answers[k]["accepted"] > 1]
    ok_answers = sum(a["accepted"] + a["duplicate"] for a in answers.values()) - replayed_200
    examples = list(dict.fromkeys(lost + doubled))[:5]
    return {"flows": len(announced), "rows": rows, "answers_200": ok_answers,
            "lost": len(lost), "doubled": len(doubled),
            "rows_missing_for_200s": max(0, ok_answers - rows),
            "examples": {k: {"keyed_rows": keyed.get(k, 0), "answers": dict(answers[k])}
                         for k in examples}}


def _answer(result):
    status, text = result[0], result[1]
    if status == 200:
        return json.loads(text).get("status", "?")
    return f"http {status}"


def triggers_since(db, since_id):
    return odoo_server.sql(db, "SELECT count(*) FROM ir_cron_trigger t JOIN ir_cron c ON "
                               "c.id = t.cron_id JOIN ir_model_data d ON d.res_id = c.id AND "
                               "d.model = 'ir.cron' AND d.name = 'ir_cron_l10n_fr_pa_sync' "
                               "WHERE t.id > %s", (since_id,))[0][0]


def summary(sender, start, rate, seconds):
    results = [r for r in sender.results if r]
    late = sorted(r[2] for r in results)
    service = sorted(r[3] for r in results)
    end = max(r[4] for r in results)
    by_kind = defaultdict(Counter)
    for (kind, _k, _t), result in zip(sender.calls, sender.results, strict=True):
        by_kind[kind][_answer(result)] += 1
    return {
        "requests": len(results), "target_rate": rate, "seconds": seconds,
        "achieved_rate": round(len(results) / (end - start), 1),
        "latency_ms_from_due": _percentiles(late),
        "latency_ms_from_send": _percentiles(service),
        "answers": {k: dict(v) for k, v in by_kind.items()},
        "errors_5xx_or_transport": sum(1 for r in results if r[0] >= 500 or r[0] == 0),
        "calls_retried": sum(1 for n in sender.retried if n),
        "error_examples": sorted({r[1][:120] for r in results if r[0] >= 500 or r[0] == 0})[:5],
    }


def server_cpu(server):
    """CPU seconds (user + system) used so far by odoo-bin and its workers."""
    import psutil

    main = psutil.Process(server.process.pid)
    total = 0.0
    for process in [main, *main.children(recursive=True)]:
        try:
            times = process.cpu_times()
        except psutil.NoSuchProcess:
            continue
        total += times.user + times.system
    return total


def _percentiles(values):
    def at(q):
        return round(1000 * values[min(len(values) - 1, int(q * len(values)))], 1)
    return {"p50": at(0.50), "p99": at(0.99), "max": round(1000 * values[-1], 1),
            "mean": round(1000 * statistics.fmean(values), 1)}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rate", type=float, default=50.0)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--workers", type=int, default=2, help="odoo-bin --workers")
    parser.add_argument("--duplicates", type=float, default=0.10)
    parser.add_argument("--replays", type=float, default=0.05)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--db", default="fuzz-load-webhook")
    parser.add_argument("--keep-db", action="store_true", help="reuse --db, do not drop it")
    args = parser.parse_args(argv)
    exists = odoo_server.sql("postgres", "SELECT 1 FROM pg_database WHERE datname = %s",
                             (args.db,))
    conn = (odoo_server.connection_of(args.db) if args.keep_db and exists
            else odoo_server.prepare(args.db))
    run_id = uuid.uuid4().hex[:8]
    calls = plan(int(args.rate * args.seconds), args.duplicates, args.replays,
                 random.Random(args.seed), run_id)
    since = odoo_server.sql(args.db, "SELECT coalesce(max(id), 0) FROM ir_cron_trigger")[0][0]
    try:
        log_path = f"/tmp/load-webhook-{run_id}.log"
        with odoo_server.OdooServer(args.db, workers=args.workers, log_path=log_path) as server:
            sender = Sender(server, conn, calls, args.rate)
            load_before, cpu_before = os.getloadavg(), server_cpu(server)
            start = run(sender, args.rate)
            result = summary(sender, start, args.rate, args.seconds)
            result["odoo_cpu_ms_per_request"] = round(
                1000 * (server_cpu(server) - cpu_before) / len(calls), 1)
        result["audit"] = audit(args.db, run_id, sender)
        result["audit"]["cron_triggers"] = triggers_since(args.db, since)
        result["machine"] = {"cpus": os.cpu_count(), "loadavg_before": load_before,
                             "loadavg_after": os.getloadavg(), "odoo_workers": args.workers,
                             "python": sys.version.split()[0], "server_log": log_path}
    finally:
        if not args.keep_db:
            odoo_server.drop(args.db)
    print(json.dumps(result, indent=1))
    audit_ = result["audit"]
    bad = (audit_["lost"] or audit_["doubled"] or audit_["rows_missing_for_200s"]
           or result["errors_5xx_or_transport"] or audit_["cron_triggers"] != audit_["flows"])
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
