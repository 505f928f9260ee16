# Copyright 2026 The l10n_fr_einvoice_pa authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""HTTP targets of tools/fuzz.py: the sandbox platform API and the Odoo webhook endpoint.

``sandbox``: a SandboxServer (temporary directory, loopback, two organisations, an admin
token) gets fuzzed methods, paths (every route of the AFNOR, directory, Qonto, A-Cube and
admin APIs with odd parameters, plus garbage paths), tokens, Organization-Id headers,
content types and bodies (random JSON, mutated search / webhook bodies, multipart flows
with mutated invoices, CDAR and flux 10 files). Fault injection stays off; the admin
fault routes are only called with a wrong token. A crash is a 5xx, or an error answer
(4xx) whose body is not JSON; the sandbox's own traceback is attached.

``webhook``: a real Odoo server (tools/odoo_server.py, ``--workers=2``) gets, on the
route ``/l10n_fr_pa/webhook/<id>/<token>``: unsigned garbage (wrong ids and tokens,
methods, content types, sizes), broken signature headers (huge, negative or non-numeric
timestamps, non-hex digests, both schemes) and validly-signed bodies with mutated JSON
(random values, missing or odd flowId / updatedAt, non-objects, invalid UTF-8). A crash
is a 5xx anywhere, or a non-JSON answer to a POST on the route; the server log is kept.
"""

import json
import logging
import re
import shutil
import tempfile
import time
import traceback

import fuzz_mutators as mut
import requests

ADMIN = "fuzz-admin-token"
ROUTE = re.compile(r"^/l10n_fr_pa/webhook/[0-9]+/[^/]+$")
ODD = mut.ODD_VALUES


def random_json(rng, depth=0):
    kind = rng.randrange(9 if depth < 4 else 5)
    if kind == 0:
        return None
    if kind == 1:
        return rng.random() < 0.5
    if kind == 2:
        return rng.choice([0, -1, 2**31, 2**63, -(10**400), 10**4000 // 10**3990, 7])
    if kind == 3:
        return rng.choice([0.5, -1e308, 1e308, float("nan"), float("inf"), 1e-320])
    if kind == 4:
        return rng.choice(ODD)
    if kind == 5:
        return [random_json(rng, depth + 1) for _ in range(rng.randint(0, 5))]
    keys = ["flowId", "updatedAt", "where", "limit", "callBackUrl", "topics", "status",
            "flowSyntax", "trackingId", "name", "siren", "x", ""]
    return {rng.choice(keys + ODD[:8]): random_json(rng, depth + 1)
            for _ in range(rng.randint(0, 6))}


def dumps(rng, value):
    text = json.dumps(value, allow_nan=True, ensure_ascii=rng.random() < 0.5)
    return text.encode("utf-8", "surrogatepass")


def sendable(headers):
    """Header values the HTTP client accepts (printable ASCII, no surrounding spaces)."""
    return {k: "".join(c if " " <= c <= "~" else "?" for c in v).strip() or "x"
            for k, v in headers.items()}


def _answer_is_json(response):
    try:
        json.loads(response.content or b"")
    except ValueError:
        return False
    return True


# -- sandbox ------------------------------------------------------------------------------

class _Captured(logging.Handler):
    """The sandbox's logged tracebacks (it answers 500 after logging one)."""

    def __init__(self):
        super().__init__(logging.ERROR)
        self.records = []

    def emit(self, record):
        self.records.append(self.format(record))


def _sandbox_routes():
    from einvoicing.sandbox import admin, app

    rules = [(path, method) for path, method, _endpoint in app._RULES]
    rules += [(path, method) for path, method, _endpoint in admin._ROUTES]
    return rules


QUERY = ["page", "per_page", "direction", "docType", "status", "limit", "offset", "token",
         "updated_at_from", "sort_by", "filter[status]", "x"]
QUERY_VALUES = ["1", "0", "-1", "abc", "", "OUTBOUND", "INBOUND", "Original", "Metadata",
                "Converted", "ReadableView", "9" * 30, "1.5", "%FF", "2026-13-45"]


def _fill(rng, path, known):
    while "<" in path:
        start, end = path.index("<"), path.index(">")
        value = rng.choice(known + ODD[:20] + ["%00", "..", "a/b", "ORG-SELLER"])
        path = path[:start] + str(value) + path[end + 1:]
    return path


def _sandbox_request(rng, server, tokens, known, seeds):
    routes = _sandbox_routes()
    path, method = rng.choice(routes)
    if rng.random() < 0.1:
        method = rng.choice(["GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS"])
    path = _fill(rng, path, known)
    if rng.random() < 0.05:
        path = "/" + rng.choice(ODD)[:200].replace("?", "")
    headers = {}
    auth = rng.random()
    if "/sandbox/admin" in path:
        faults = any(part in path for part in ("/faults", "/settings", "/webhook-mode",
                                                "/tokens/revoke"))
        if auth < 0.5 and not faults:
            headers["X-Sandbox-Admin-Token"] = ADMIN
        elif auth < 0.8:
            headers["X-Sandbox-Admin-Token"] = rng.choice(ODD[:12])
    elif auth < 0.7:
        headers["Authorization"] = f"Bearer {rng.choice(tokens[:1] * 3 + tokens)}"
    elif auth < 0.9:
        headers["Authorization"] = rng.choice(["Bearer ", "Basic Zm9vOmJhcg==", "Basic %%%",
                                               "login:secret", "Bearer " + "x" * 5000,
                                               "seller-client:seller-secret-0123456789"])
    if rng.random() < 0.5:
        headers["Organization-Id"] = rng.choice(["ORG-SELLER", "ORG-BUYER", "nope", ""])
    if rng.random() < 0.4:
        path += "?" + "&".join(f"{rng.choice(QUERY)}={rng.choice(QUERY_VALUES)}"
                               for _ in range(rng.randint(1, 4)))
    body, content_type = _sandbox_body(rng, path.split("?")[0], seeds)
    if content_type:
        headers["Content-Type"] = content_type
    return method, path, headers, body


def _sandbox_body(rng, path, seeds):
    choice = rng.random()
    if path.endswith(("/flows", "/bulk", "/invoices")) and choice < 0.6:
        return _multipart(rng, seeds)
    if path.endswith("/auth/token") and choice < 0.6:
        form = {"grant_type": rng.choice(["client_credentials", "password", ""]),
                "client_id": rng.choice(["seller-client", "x", ""]),
                "client_secret": rng.choice(["seller-secret-0123456789", "nope", ""])}
        return "&".join(f"{k}={v}" for k, v in form.items()).encode(), \
            "application/x-www-form-urlencoded"
    if choice < 0.8:
        return dumps(rng, random_json(rng)), "application/json"
    return mut.flip(rng, dumps(rng, random_json(rng))), rng.choice(
        ["application/json", "text/plain", "multipart/form-data",
         "application/json; charset=latin-1", None])


def _multipart(rng, seeds):
    boundary = "fuzzboundary"
    info = rng.choice([{"flowSyntax": rng.choice(["CII", "UBL", "Factur-X", "CDAR", "FRR", "X"]),
                        "name": "f.xml", "trackingId": rng.choice(ODD[:10])},
                       random_json(rng)])
    data = mut.mutate(rng, rng.choice(seeds), seeds) if rng.random() < 0.8 else rng.choice(seeds)
    parts = [(b'Content-Disposition: form-data; name="flowInfo"\r\n'
              b"Content-Type: application/json\r\n\r\n" + dumps(rng, info))]
    if rng.random() < 0.9:
        parts.append(b'Content-Disposition: form-data; name="file"; filename="f.xml"\r\n'
                     b"Content-Type: application/xml\r\n\r\n" + data)
    body = b"".join(b"--" + boundary.encode() + b"\r\n" + p + b"\r\n" for p in parts)
    body += b"--" + boundary.encode() + b"--\r\n"
    if rng.random() < 0.1:
        body = mut.truncate(rng, body)
    return body, f"multipart/form-data; boundary={boundary}"


def run_sandbox(count, rng, crashes, log, seeds):
    from einvoicing.invoice.samples import BUYER, SELLER
    from einvoicing.sandbox import SandboxServer

    captured = _Captured()
    logging.getLogger("einvoicing.sandbox").addHandler(captured)
    folder = tempfile.mkdtemp(prefix="fuzz-sandbox-")
    server = SandboxServer(folder, admin_token=ADMIN).start()
    try:
        platform = server.platform
        platform.add_organization("ORG-SELLER", SELLER["siren"], SELLER["name"],
                                  "seller-client", "seller-secret-0123456789",
                                  siret=SELLER["siret"])
        platform.add_organization("ORG-BUYER", BUYER["siren"], BUYER["name"], "buyer-client",
                                  "buyer-secret-0123456789", siret=BUYER["siret"])
        tokens = [_token(server, "seller-client", "seller-secret-0123456789"),
                  _token(server, "buyer-client", "buyer-secret-0123456789"), "expired"]
        known = [SELLER["siren"], SELLER["siret"], "0225:" + SELLER["siren"]]
        session = requests.Session()
        for index in range(count):
            method, path, headers, body = _sandbox_request(rng, server, tokens, known, seeds)
            captured.records.clear()
            try:
                answer = session.request(method, server.url + path,
                                         headers=sendable(headers), data=body,
                                         timeout=60)
            except requests.RequestException as exc:
                crashes.record("sandbox", body or b"", f"{method} {path} {headers}\n{exc!r}")
                continue
            _remember(answer, known, tokens)
            mut.OUTCOMES[f"{path.split('/')[1]} {answer.status_code}"] += 1
            if answer.status_code >= 500 or (answer.status_code >= 400 and method != "HEAD"
                                             and not _answer_is_json(answer)):
                crashes.record("sandbox", body or b"", f"{method} {path}\n{headers}\n"
                               f"{answer.status_code} {answer.text[:2000]}\n"
                               + "\n".join(captured.records) + f"\nHTTP {answer.status_code}")
            if index and index % 250 == 0:
                log(f"  sandbox: {index}/{count}, {len(crashes.found)} crash(es)")
    finally:
        server.stop()
        logging.getLogger("einvoicing.sandbox").removeHandler(captured)
        shutil.rmtree(folder, ignore_errors=True)


def _token(server, client_id, secret):
    answer = requests.post(server.token_url, data={"grant_type": "client_credentials",
                                                   "client_id": client_id,
                                                   "client_secret": secret}, timeout=30)
    answer.raise_for_status()
    return answer.json()["access_token"]


def _remember(answer, known, tokens):
    """Ids the sandbox handed out, reused as path parameters (reaches existing objects).

    A new token of the seller client replaces its old one (the sandbox keeps one per client).
    """
    try:
        data = answer.json()
    except ValueError:
        return
    if isinstance(data, dict) and isinstance(data.get("access_token"), str):
        tokens[0] = data["access_token"]
    if isinstance(data, dict):
        for key in ("flowId", "id", "uuid", "webhookId"):
            if isinstance(data.get(key), str) and len(known) < 200:
                known.append(data[key])


# -- webhook ------------------------------------------------------------------------------

def _signature_headers(rng, secret, body):
    from einvoicing.webhook_signature import afnor_signature, sandbox_signature

    now = int(time.time())
    if rng.random() < 0.6:
        return {"X-Sandbox-Signature": sandbox_signature(secret, body, now)}
    return {"Afnor-Signature": afnor_signature(secret, body, now),
            "Afnor-Signature-Timestamp": str(now)}


def _broken_signature(rng, secret, body):
    stamp = rng.choice(["", "abc", "-1", "1e10", "9" * 400, "9" * 5000, "0x10", " 12 ",
                        str(int(time.time())), str(10**20), "\u0661\u0662", "nan"])
    digest = rng.choice(["", "zz", "0" * 64, "g" * 64, "A" * 64, "0" * 63, "é" * 64])
    kind = rng.randrange(4)
    if kind == 0:
        return {"X-Sandbox-Signature": f"t={stamp},v1={digest}"}
    if kind == 1:
        return {"X-Sandbox-Signature": rng.choice(["t=", "v1=", ",,,", "=", "t=1,t=2,v1",
                                                   "x" * 8000, f"v1={digest}"])}
    if kind == 2:
        return {"Afnor-Signature": rng.choice(["", "====", "a" * 44, digest]),
                "Afnor-Signature-Timestamp": stamp}
    good = _signature_headers(rng, secret, body)
    return {**good, **{k: v + rng.choice(["x", " ", "\t"]) for k, v in good.items()}}


def _webhook_body(rng):
    choice = rng.random()
    if choice < 0.5:
        base = {"flowId": f"fuzz-{rng.getrandbits(48):x}", "updatedAt": "2026-01-01T00:00:00Z"}
        for _ in range(rng.randint(0, 3)):
            key = rng.choice(["flowId", "updatedAt", "extra", "flowId"])
            if rng.random() < 0.3:
                base.pop(key, None)
            else:
                base[key] = random_json(rng)
        return dumps(rng, base)
    if choice < 0.8:
        return dumps(rng, random_json(rng))
    return rng.choice([b"", b"\xff\xfe\x00", b"{", b"[]" * 40_000, b"{\"flowId\": \"\xc3\"}",
                       mut.flip(rng, b'{"flowId": "abc", "updatedAt": "2026"}'),
                       b"x" * (64 * 1024 + 10)])


def _webhook_request(rng, conn):
    secret, body = conn["secret"], _webhook_body(rng)
    path = f"/l10n_fr_pa/webhook/{conn['connection_id']}/{conn['token']}"
    kind = rng.random()
    headers = {"Content-Type": rng.choice([
        "application/json"] * 6 + ["text/plain", "", "multipart/form-data",
                                   "application/x-www-form-urlencoded",
                                   "application/json; charset=utf-16"])}
    method = "POST"
    if kind < 0.2:  # unsigned garbage, wrong ids, tokens and methods
        path = rng.choice([path, f"/l10n_fr_pa/webhook/{conn['connection_id']}/nope",
                           f"/l10n_fr_pa/webhook/99999/{conn['token']}",
                           f"/l10n_fr_pa/webhook/-1/{conn['token']}",
                           f"/l10n_fr_pa/webhook/{10**30}/x",
                           f"/l10n_fr_pa/webhook/{conn['connection_id']}/" + "x" * 3000])
        method = rng.choice(["POST", "POST", "GET", "PUT", "DELETE"])
    elif kind < 0.4:
        headers.update(_broken_signature(rng, secret, body))
    else:
        headers.update(_signature_headers(rng, secret, body))
    return method, path, headers, body


def run_webhook(count, rng, crashes, log, args):
    import odoo_server

    exists = odoo_server.sql("postgres", "SELECT 1 FROM pg_database WHERE datname = %s",
                             (args.db,))
    if not (args.keep_db and exists):
        log(f"  webhook: creating database {args.db} with the addon (a few minutes)")
    conn = (odoo_server.connection_of(args.db) if args.keep_db and exists
            else odoo_server.prepare(args.db))
    log_path = tempfile.mktemp(prefix="fuzz-odoo-", suffix=".log")
    try:
        with odoo_server.OdooServer(args.db, workers=2, log_path=log_path) as server:
            log(f"  webhook: odoo-bin --workers=2 on {server.url} (log {log_path})")
            session = requests.Session()
            for index in range(count):
                method, path, headers, body = _webhook_request(rng, conn)
                _webhook_call(session, server.url, method, path, headers, body, crashes)
                if index and index % 250 == 0:
                    log(f"  webhook: {index}/{count}, {len(crashes.found)} crash(es)")
    finally:
        if not args.keep_db:
            odoo_server.drop(args.db)


def _webhook_call(session, url, method, path, headers, body, crashes):
    try:
        answer = session.request(method, url + path, headers=sendable(headers), data=body,
                                 timeout=120)
    except requests.RequestException:
        crashes.record("webhook", body, f"{method} {path}\n{headers}\n{traceback.format_exc()}")
        return
    on_route = method == "POST" and ROUTE.match(path)
    mut.OUTCOMES[f"{answer.status_code} {_reason(answer)}"] += 1
    if answer.status_code >= 500 or (on_route and not _answer_is_json(answer)):
        crashes.record("webhook", body, f"{method} {path}\n{headers}\n{answer.status_code} "
                       f"{answer.text[:2000]}\nHTTP {answer.status_code}")


def _reason(answer):
    try:
        data = answer.json()
    except ValueError:
        return "(not JSON)"
    return str(data.get("error") or data.get("status"))[:40] if isinstance(data, dict) else ""


def run(target, count, rng, crashes, log, args):
    if target == "sandbox":
        import fuzz

        seeds = [s for name in mut_seed_targets() for s in fuzz.SEEDS[name]()]
        run_sandbox(count, rng, crashes, log, seeds)
    else:
        run_webhook(count, rng, crashes, log, args)


def mut_seed_targets():
    return ("cii", "ubl", "cdar", "flux10", "facturx")
