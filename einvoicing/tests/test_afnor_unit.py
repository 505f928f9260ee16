"""Unit-level tests of the AFNOR client against a tiny scripted HTTP server.

Only error mapping, retry wiring and token handling are tested here; the
behaviour against a real platform is tested with the sandbox
(test_afnor_sandbox.py).
"""

import json
import socket
import threading
import time
from collections import deque

import pytest
from werkzeug.serving import make_server
from werkzeug.wrappers import Request, Response

from einvoicing.afnor import AfnorError, FlowClient, FlowParamError, OAuth2ClientCredentials
from einvoicing.afnor.http import RetryPolicy

SECRET = "s3cr3t-never-shown"


class Scripted:
    """WSGI app answering from a queue of (status, body, headers) per path."""

    def __init__(self):
        self.scripts = {}
        self.calls = []
        self.token_count = 0
        self.lock = threading.Lock()

    def script(self, path, *answers):
        self.scripts.setdefault(path, deque()).extend(answers)

    def __call__(self, environ, start_response):
        request = Request(environ)
        with self.lock:
            self.calls.append((request.method, request.path, dict(request.headers),
                               request.get_data()))
            if request.path == "/token":
                self.token_count += 1
                answer = (200, {"access_token": f"tok{self.token_count}",
                                "token_type": "Bearer", "expires_in": 3600}, {})
            else:
                queue = self.scripts.get(request.path)
                answer = queue.popleft() if queue else (404, {"errorCode": "NOPE"}, {})
        status, body, headers = answer
        if status == "sleep":
            time.sleep(body)
            status, body = 200, {}
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
        ctype = headers.pop("Content-Type", "application/json")
        return Response(data, status=status, headers=headers, content_type=ctype)(
            environ, start_response)

    def paths(self, method=None):
        return [p for m, p, _h, _b in self.calls if method is None or m == method]


@pytest.fixture(scope="module")
def server():
    holder = {}
    server = make_server("127.0.0.1", 0, lambda env, start: holder["app"](env, start),
                         threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield holder, f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(5)


@pytest.fixture
def fake(server):
    holder, url = server
    app = holder["app"] = Scripted()
    app.url = url
    return app


def client(fake, **kwargs):
    auth = OAuth2ClientCredentials(fake.url + "/token", "cid", SECRET)
    options = {"max_retries": 2, "backoff_factor": 0.001, "backoff_jitter": 0.001,
               "timeout": (2, 2)}
    options.update(kwargs)
    return FlowClient(fake.url + "/flow-service", auth, organization_id="ORG-A", **options)


def test_error_body_becomes_afnor_error_with_exact_message(fake):
    message = "Le fichier n'est pas conforme : BR-FR-12 (ligne 3) « test »"
    fake.script("/flow-service/v1/flows/F1",
                (422, {"errorCode": "UNPROCESSABLE_ENTITY", "errorMessage": message,
                       "details": "line 3"}, {}))
    with pytest.raises(AfnorError) as info:
        client(fake).get_flow("F1")
    error = info.value
    assert error.http_status == 422
    assert error.error_code == "UNPROCESSABLE_ENTITY"
    assert error.platform_message == message
    assert error.details == "line 3"
    assert error.retryable is False
    assert message in str(error) and "422" in str(error)


def test_non_json_error_keeps_raw_text_and_is_retryable(fake):
    page = (502, b"<html>Bad gateway from proxy</html>", {"Content-Type": "text/html"})
    fake.script("/flow-service/v1/flows/F1", page, page, page)
    with pytest.raises(AfnorError) as info:
        client(fake).get_flow("F1")
    assert info.value.http_status == 502
    assert info.value.error_code is None
    assert info.value.platform_message == "<html>Bad gateway from proxy</html>"
    assert info.value.retryable is True
    # urllib3 retried the GET: 1 call + max_retries
    assert fake.paths("GET").count("/flow-service/v1/flows/F1") == 3


def test_get_is_retried_on_503_then_succeeds(fake):
    fake.script("/flow-service/v1/flows/F1",
                (503, {"errorCode": "RESOURCE_ERROR"}, {}),
                (200, {"flowId": "F1"}, {}))
    assert client(fake).get_flow("F1") == {"flowId": "F1"}
    assert fake.paths("GET").count("/flow-service/v1/flows/F1") == 2


def test_headers_carry_bearer_org_and_request_id(fake):
    fake.script("/flow-service/v1/healthcheck", (200, {}, {}))
    assert client(fake).healthcheck() is True
    _m, _p, headers, _b = [c for c in fake.calls if c[1].endswith("healthcheck")][0]
    assert headers["Authorization"] == "Bearer tok1"
    assert headers["Organization-Id"] == "ORG-A"
    assert len(headers["Request-Id"]) == 36


def test_connection_refused_is_a_retryable_transport_error():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    auth = OAuth2ClientCredentials(f"http://127.0.0.1:{port}/token", "cid", SECRET,
                                   policy=RetryPolicy(2, 0.001, 0.001), timeout=(1, 1))
    with pytest.raises(AfnorError) as info:
        auth.token()
    assert info.value.http_status is None
    assert info.value.code == "afnor_connection"
    assert info.value.retryable is True
    assert SECRET not in str(info.value)


def test_read_timeout_is_a_transport_error(fake):
    fake.script("/flow-service/v1/flows/F1", ("sleep", 1.5, {}))
    with pytest.raises(AfnorError) as info:
        client(fake, timeout=(2, 0.3), max_retries=0).get_flow("F1")
    assert info.value.code == "afnor_timeout"
    assert info.value.retryable is True


def test_submit_is_not_blindly_reposted_on_503(fake):
    """POST /v1/flows is not retried by urllib3: the client searches first."""
    flow = {"flowId": "NEW", "trackingId": "T1", "name": "a.xml", "flowSyntax": "CII",
            "submittedAt": "2025-01-01T00:00:00Z"}
    fake.script("/flow-service/v1/flows",
                (503, {"errorCode": "RESOURCE_ERROR", "errorMessage": "busy"}, {}),
                (202, flow, {}))
    fake.script("/flow-service/v1/flows/search", (200, {"results": []}, {}))
    result = client(fake).submit_flow(b"<x/>", "a.xml", "CII", tracking_id="T1")
    assert result["flowId"] == "NEW" and result["_already_existing"] is False
    order = [p for p in fake.paths("POST") if p.startswith("/flow-service")]
    assert order == ["/flow-service/v1/flows", "/flow-service/v1/flows/search",
                     "/flow-service/v1/flows"]
    search = json.loads([c for c in fake.calls if c[1].endswith("search")][0][3])
    assert search["where"] == {"trackingId": "T1", "flowDirection": ["Out"]}


def test_already_existing_flow_returns_the_stored_flow(fake):
    stored = {"flowId": "OLD", "trackingId": "T1", "submittedAt": "2025-01-01T00:00:00Z"}
    fake.script("/flow-service/v1/flows",
                (409, {"errorCode": "AlreadyExistingFlow", "errorMessage": "dup"}, {}))
    fake.script("/flow-service/v1/flows/search", (200, {"results": [stored]}, {}))
    result = client(fake).submit_flow(b"<x/>", "a.xml", "CII", tracking_id="T1")
    assert result["flowId"] == "OLD" and result["_already_existing"] is True
    assert fake.paths("POST").count("/flow-service/v1/flows") == 1


def test_submit_sends_multipart_flow_info_with_sha256(fake):
    import hashlib

    fake.script("/flow-service/v1/flows", (202, {"flowId": "N", "trackingId": "T9"}, {}))
    client(fake).submit_flow(b"%PDF-1.7 data", "f.pdf", "Factur-X", tracking_id="T9",
                             processing_rule="B2B")
    _m, _p, headers, body = [c for c in fake.calls if c[1] == "/flow-service/v1/flows"][0]
    assert headers["Content-Type"].startswith("multipart/form-data")
    digest = hashlib.sha256(b"%PDF-1.7 data").hexdigest()
    assert f'"sha256": "{digest}"'.encode() in body
    assert b'name="flowInfo"' in body and b"Content-Type: application/json" in body
    assert b'filename="f.pdf"' in body and b"Content-Type: application/pdf" in body


def test_bad_values_are_refused_before_any_call(fake):
    flows = client(fake)
    with pytest.raises(FlowParamError, match="flow_syntax 'PDF'.*CII, UBL, Factur-X"):
        flows.submit_flow(b"<x/>", "a.xml", "PDF", tracking_id="T1")
    with pytest.raises(FlowParamError, match="content"):
        flows.submit_flow(b"", "a.xml", "CII", tracking_id="T1")
    with pytest.raises(FlowParamError, match="at least one criterion"):
        flows.search_flows()
    with pytest.raises(FlowParamError, match="flow_direction 'Outbound'"):
        flows.search_flows(flow_direction="Outbound")
    assert fake.calls == []


def test_token_cached_refreshed_before_expiry_and_secret_hidden(fake):
    now = [1000.0]
    auth = OAuth2ClientCredentials(fake.url + "/token", "cid", SECRET, clock=lambda: now[0])
    assert auth.token() == "tok1"
    assert auth.token() == "tok1"
    assert fake.token_count == 1
    assert auth.expires_at == 1000.0 + 3600
    now[0] += 3600 - 10  # inside the renewal margin
    assert auth.token() == "tok2"
    assert SECRET not in repr(auth) and "tok2" not in repr(auth)


def test_token_shared_between_threads(fake):
    auth = OAuth2ClientCredentials(fake.url + "/token", "cid", SECRET)
    tokens = []
    threads = [threading.Thread(target=lambda: tokens.append(auth.token())) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert tokens == ["tok1"] * 8 and fake.token_count == 1


def test_401_refreshes_the_token_once_only(fake):
    unauthorized = (401, {"errorCode": "INVALID_TOKEN", "errorMessage": "expired"}, {})
    fake.script("/flow-service/v1/flows/F1", unauthorized, (200, {"flowId": "F1"}, {}),
                unauthorized, unauthorized)
    flows = client(fake)
    assert flows.get_flow("F1") == {"flowId": "F1"}
    assert fake.token_count == 2
    with pytest.raises(AfnorError) as info:
        flows.get_flow("F1")
    assert info.value.http_status == 401 and info.value.platform_message == "expired"
    assert fake.token_count == 3


def test_submit_waits_retry_after_before_reposting(fake):
    waits = []
    fake.script("/flow-service/v1/flows",
                (429, {"errorCode": "TOO_MANY_REQUESTS"}, {"Retry-After": "7"}),
                (202, {"flowId": "N", "trackingId": "T1"}, {}))
    fake.script("/flow-service/v1/flows/search", (200, {"results": []}, {}))
    flow = client(fake, sleep=waits.append).submit_flow(b"<x/>", "a.xml", "CII",
                                                        tracking_id="T1")
    assert flow["flowId"] == "N"
    assert len(waits) == 1 and waits[0] >= 7


def test_lost_answer_and_failed_search_never_reposts(fake):
    busy = (503, {"errorCode": "RESOURCE_ERROR", "errorMessage": "down"}, {})
    fake.script("/flow-service/v1/flows", busy)
    fake.script("/flow-service/v1/flows/search", busy, busy, busy)
    with pytest.raises(AfnorError) as info:
        client(fake).submit_flow(b"<x/>", "a.xml", "CII", tracking_id="T1")
    assert info.value.code == "afnor_submission_unknown"
    assert info.value.retryable is True
    assert "same trackingId" in str(info.value)
    assert fake.paths("POST").count("/flow-service/v1/flows") == 1


def test_duplicate_under_another_tracking_id_is_an_error(fake):
    fake.script("/flow-service/v1/flows",
                (422, {"errorCode": "AlreadyExistingFlow", "errorMessage": "same number",
                       "instance": "/v1/flows/OLD"}, {}))
    fake.script("/flow-service/v1/flows/search", (200, {"results": []}, {}))
    with pytest.raises(AfnorError) as info:
        client(fake).submit_flow(b"<x/>", "a.xml", "CII", tracking_id="T2")
    assert info.value.code == "afnor_duplicate_other_tracking"
    assert info.value.instance == "/v1/flows/OLD"
    assert info.value.platform_message == "same number"


def test_iter_flows_follows_cursors_to_the_end(fake):
    fake.script("/flow-service/v1/flows/search",
                (200, {"results": [{"flowId": "A"}], "nextCursor": "c1"}, {}),
                (200, {"results": [{"flowId": "B"}], "nextCursor": "c2"}, {}),
                (200, {"results": [{"flowId": "C"}]}, {}))
    ids = [f["flowId"] for f in client(fake).iter_flows(flow_type="CustomerInvoiceLC", limit=1)]
    assert ids == ["A", "B", "C"]
    bodies = [json.loads(c[3]) for c in fake.calls if c[1].endswith("/search")]
    assert [b.get("cursor") for b in bodies] == [None, "c1", "c2"]
    assert bodies[0]["where"] == {"flowType": ["CustomerInvoiceLC"]} and bodies[0]["limit"] == 1


def test_directory_refuses_bad_identifiers_before_any_call(fake):
    from einvoicing.afnor import DirectoryClient, DirectoryParamError

    auth = OAuth2ClientCredentials(fake.url + "/token", "cid", SECRET)
    directory = DirectoryClient(fake.url + "/directory-service", auth)
    with pytest.raises(DirectoryParamError, match="siren '123456789' is not valid"):
        directory.resolve_address("123456789")
    with pytest.raises(DirectoryParamError, match="does not belong to siren"):
        directory.resolve_address("123456782", siret="98765432400019")
    assert fake.calls == []


def test_directory_prefers_the_enabled_line_of_the_siret(fake):
    from einvoicing.afnor import DirectoryClient

    lines = [
        {"addressingIdentifier": "123456782_OLD", "siren": "123456782",
         "directoryLineStatus": "Disabled"},
        {"addressingIdentifier": "123456782", "siren": "123456782",
         "directoryLineStatus": "Enabled"},
        {"addressingIdentifier": "123456782_12345678200010", "siren": "123456782",
         "siret": "12345678200010", "directoryLineStatus": "Enabled"},
    ]
    page = (200, {"results": lines, "totalNumberOfResults": 3}, {})
    fake.script("/directory-service/v1/directory-line/search", page, page)
    auth = OAuth2ClientCredentials(fake.url + "/token", "cid", SECRET)
    directory = DirectoryClient(fake.url + "/directory-service", auth)
    assert directory.resolve_address("123456782", siret="12345678200010") == (
        "123456782_12345678200010", True)
    assert directory.resolve_address("123456782") == ("123456782", True)
    body = json.loads([c for c in fake.calls if c[1].endswith("/search")][0][3])
    assert body["filters"] == {"siren": {"op": "strict", "value": "123456782"}}


def test_unreadable_accept_answer_is_resolved_by_search(fake):
    stored = {"flowId": "ACC", "trackingId": "T3", "submittedAt": "2025-01-01T00:00:00Z"}
    fake.script("/flow-service/v1/flows", (202, b"<html>ok</html>", {"Content-Type": "text/html"}))
    fake.script("/flow-service/v1/flows/search", (200, {"results": [stored]}, {}))
    flow = client(fake).submit_flow(b"<x/>", "a.xml", "CII", tracking_id="T3")
    assert flow["flowId"] == "ACC" and flow["_already_existing"] is True
    assert fake.paths("POST").count("/flow-service/v1/flows") == 1


def test_retry_backoff_is_jittered_capped_and_survives_new():
    """The jitter and cap hold on urllib3 1.26 (no backoff_jitter argument) and 2.x."""
    retry = RetryPolicy(max_retries=5, backoff_factor=1.0, backoff_jitter=0.5,
                        backoff_max=3.0).retry()
    assert retry.get_backoff_time() == 0  # no error yet: no wait
    for _ in range(3):
        retry = retry.increment(method="GET", url="/v1/flows")
    assert (retry.jitter, retry.cap) == (0.5, 3.0)  # carried over by new()
    delays = {retry.get_backoff_time() for _ in range(50)}
    assert all(0 < d <= 3.0 for d in delays)
    assert max(delays) == 3.0  # 1.0 * 2 ** 2 = 4 s is capped at 3 s
    retry = RetryPolicy(max_retries=5, backoff_factor=0.1, backoff_jitter=0.5,
                        backoff_max=30.0).retry()
    retry = retry.increment(method="GET", url="/v1/flows").increment(method="GET", url="/")
    delays = [retry.get_backoff_time() for _ in range(50)]
    assert all(0.2 <= d <= 0.7 for d in delays) and len(set(delays)) > 1
