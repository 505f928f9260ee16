"""Sandbox webhooks: signed deliveries to a tiny local receiver, retries, twice, out of order."""

import base64
import hashlib
import hmac
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import requests

from einvoicing.tests._sandbox_helpers import BUYER_CLIENT, Api, invoice_xml, start_sandbox


class Receiver:
    """A local HTTP endpoint recording every POST; answers 500 to the first ``fail`` ones."""

    def __init__(self, fail=0):
        self.calls, self.fail = [], fail
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                with lock:
                    receiver.calls.append((dict(self.headers), body))
                    failing = len(receiver.calls) <= receiver.fail
                self.send_response(500 if failing else 200)
                self.end_headers()

            def log_message(self, *args):
                pass

        lock = threading.Lock()
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.httpd.serve_forever, args=(0.05,), daemon=True).start()
        self.url = f"http://127.0.0.1:{self.httpd.server_port}/hook"

    def wait_for(self, count, timeout=15):
        deadline = time.monotonic() + timeout
        while len(self.calls) < count and time.monotonic() < deadline:
            time.sleep(0.05)
        return self.calls

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def server(tmp_path):
    server = start_sandbox(tmp_path)
    server.platform.set_webhook_retry_delays([0.1, 0.1, 0.1])
    yield server
    server.stop()


@pytest.fixture
def receiver():
    receiver = Receiver()
    yield receiver
    receiver.close()


def subscribe(server, api, url, **filters):
    answer = requests.post(f"{server.flow_url}/v1/webhooks", headers=api.headers,
                           json={"callbackUrl": url, **filters})
    assert answer.status_code == 201, answer.text
    return answer.json()


def check_signatures(headers, body, key):
    stamp, _, mac = headers["X-Sandbox-Signature"].partition(",")
    timestamp = stamp.removeprefix("t=")
    expected = hmac.new(key.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    assert mac == f"v1={expected.hexdigest()}"
    assert abs(int(timestamp) - time.time()) < 300
    assert headers["Afnor-Signature-Timestamp"] == timestamp
    fingerprint = hashlib.sha256(body + b"@" + timestamp.encode()).hexdigest()
    afnor = hmac.new(key.encode(), fingerprint.encode(), hashlib.sha256).digest()
    assert headers["Afnor-Signature"] == base64.b64encode(afnor).decode()


def lifecycle_flow_ids(api):
    return [f["flowId"] for f in api.search({"flowType": ["CustomerInvoiceLC"]})["results"]]


def test_events_are_signed_and_filtered(server, receiver):
    api = Api(server)
    hook = subscribe(server, api, receiver.url, flowDirection="In")
    buyer_receiver = Receiver()
    try:
        subscribe(server, Api(server, client=BUYER_CLIENT), buyer_receiver.url,
                  flowTypes=["CustomerInvoiceLC"])  # the buyer never gets those
        assert api.submit(invoice_xml("FA-HOOK"), "h.xml").status_code == 202
        calls = receiver.wait_for(4)
        assert buyer_receiver.calls == []
    finally:
        buyer_receiver.close()
    assert len(calls) == 4
    for headers, body in calls:
        check_signatures(headers, body, hook["signingKey"])
    tampered = (calls[0][0], calls[0][1].replace(b"In", b"Out"))
    with pytest.raises(AssertionError):
        check_signatures(*tampered, hook["signingKey"])
    events = [json.loads(body) for _headers, body in calls]
    assert [e["flowId"] for e in events] == lifecycle_flow_ids(api)
    assert {e["flowDirection"] for e in events} == {"In"}


def test_failed_deliveries_are_retried(server):
    receiver = Receiver(fail=2)
    try:
        subscribe(server, Api(server), receiver.url, flowDirection="Out")
        assert Api(server).submit(invoice_xml("FA-RETRY"), "r.xml").status_code == 202
        calls = receiver.wait_for(3)
    finally:
        receiver.close()
    assert len(calls) == 3 and len({body for _h, body in calls}) == 1
    (delivery,) = server.platform.deliveries()
    assert delivery["state"] == "done" and delivery["attempts"] == 3


def test_duplicate_switch_delivers_every_event_twice(server, receiver):
    server.platform.set_webhook_mode(duplicate=True)
    api = Api(server)
    subscribe(server, api, receiver.url, flowDirection="In")
    api.submit(invoice_xml("FA-TWICE"), "t.xml")
    calls = receiver.wait_for(8)
    ids = [json.loads(body)["flowId"] for _h, body in calls]
    assert len(ids) == 8
    assert sorted(ids) == sorted(lifecycle_flow_ids(api) * 2)


def test_shuffle_switch_delivers_out_of_order(server, receiver):
    server.platform.set_webhook_mode(shuffle=True)
    api = Api(server)
    subscribe(server, api, receiver.url, flowDirection="In")
    api.submit(invoice_xml("FA-SHUFFLE"), "s.xml")
    calls = receiver.wait_for(4)
    ids = [json.loads(body)["flowId"] for _h, body in calls]
    in_order = lifecycle_flow_ids(api)
    assert sorted(ids) == sorted(in_order) and ids != in_order


def test_webhook_requests_are_checked(server):
    api = Api(server)
    url = f"{server.flow_url}/v1/webhooks"
    remote = requests.post(url, headers=api.headers, json={"callbackUrl": "http://example.com/h"})
    assert remote.status_code == 400 and "loopback" in remote.json()["errorMessage"]
    bad_type = requests.post(url, headers=api.headers,
                             json={"callbackUrl": "http://127.0.0.1:9/", "flowTypes": ["Nope"]})
    assert bad_type.status_code == 400 and "flowTypes" in bad_type.json()["errorMessage"]
    missing = requests.delete(f"{url}/7c0e7a83-0c52-4d3f-9d43-d2a5fbb1d2a1", headers=api.headers)
    assert missing.status_code == 404
    assert requests.delete(f"{url}/not-a-uuid", headers=api.headers).status_code == 400
