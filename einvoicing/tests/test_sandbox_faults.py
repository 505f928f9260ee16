"""Sandbox fault switches, seen from raw HTTP (the client's handling is in test_afnor_sandbox)."""

import time

import pytest
import requests

from einvoicing.errors import InputError
from einvoicing.tests._sandbox_helpers import ADMIN, SELLER_ORG, Api, invoice_xml, start_sandbox


@pytest.fixture
def server(tmp_path):
    server = start_sandbox(tmp_path)
    yield server
    server.stop()


def health(server):
    return requests.get(f"{server.flow_url}/v1/healthcheck", timeout=5)


def stored(server, tracking_id):
    return [f for f in server.platform.flows(SELLER_ORG) if f.get("trackingId") == tracking_id]


def test_503_then_back_to_normal(server):
    server.platform.inject_fault("503", count=2)
    for _ in range(2):
        answer = health(server)
        assert answer.status_code == 503 and answer.json()["errorCode"] == "RESOURCE_ERROR"
    assert health(server).status_code == 200


def test_429_carries_retry_after(server):
    server.platform.inject_fault("429", retry_after=7)
    answer = health(server)
    assert answer.status_code == 429 and answer.headers["Retry-After"] == "7"
    assert answer.json()["errorCode"] == "TOO_MANY_REQUESTS"


def test_fault_limited_to_a_path_and_method(server):
    server.platform.inject_fault("503", path="/flows/search", method="POST")
    assert health(server).status_code == 200
    api = Api(server)
    answer = requests.post(f"{server.flow_url}/v1/flows/search", headers=api.headers,
                           json={"where": {"flowDirection": ["In"]}})
    assert answer.status_code == 503
    assert server.platform.faults.fired == [("503", "POST", "/flow-service/v1/flows/search")]


def test_timeout_answers_too_late_but_still_processes(server):
    api = Api(server)
    server.platform.inject_fault("timeout", seconds=1.0)
    with pytest.raises(requests.Timeout):
        requests.post(f"{server.flow_url}/v1/flows", headers=api.headers, timeout=(2, 0.3),
                      files={"flowInfo": (None, '{"flowSyntax": "CII", "name": "t.xml", '
                                          '"trackingId": "T-LATE"}', "application/json"),
                             "file": ("t.xml", invoice_xml("FA-LATE"), "application/xml")})
    deadline = time.monotonic() + 10
    while not stored(server, "T-LATE") and time.monotonic() < deadline:
        time.sleep(0.05)
    assert len(stored(server, "T-LATE")) == 1


def test_drop_after_accept_stores_then_hangs_up(server):
    api = Api(server)
    server.platform.inject_fault("drop_after_accept")
    with pytest.raises(requests.ConnectionError):
        api.submit(invoice_xml("FA-DROP"), "d.xml", tracking_id="T-DROP")
    assert len(stored(server, "T-DROP")) == 1
    found = api.search({"trackingId": "T-DROP"})["results"]
    assert [f["flowId"] for f in found] == [stored(server, "T-DROP")[0]["flowId"]]
    assert api.submit(invoice_xml("FA-DROP"), "d.xml", tracking_id="T-DROP").json()[
        "errorCode"] == "AlreadyExistingFlow"


def test_faults_over_the_admin_api(server):
    url = f"{server.url}/sandbox/admin/faults"
    bad = requests.post(url, headers={"X-Sandbox-Admin-Token": ADMIN},
                        json={"kind": "418", "count": 1})
    assert bad.status_code == 400 and "'418'" in bad.json()["errorMessage"]
    ok = requests.post(url, headers={"X-Sandbox-Admin-Token": ADMIN},
                       json={"kind": "429", "count": 1, "retry_after": 2})
    assert ok.status_code == 204
    assert health(server).headers["Retry-After"] == "2"
    assert health(server).status_code == 200


def test_bad_fault_options_are_refused(server):
    with pytest.raises(InputError, match="count"):
        server.platform.inject_fault("503", count=0)
    with pytest.raises(InputError, match="seconds"):
        server.platform.inject_fault("timeout", seconds=-1)


def test_timeout_before_accept_hangs_up_and_stores_nothing(server):
    api = Api(server)
    server.platform.inject_fault("timeout_before_accept", seconds=0.2)
    with pytest.raises(requests.ConnectionError):
        api.submit(invoice_xml("FA-NOACK"), "n.xml", tracking_id="T-NOACK")
    assert stored(server, "T-NOACK") == []
    assert api.submit(invoice_xml("FA-NOACK"), "n.xml", tracking_id="T-NOACK").status_code == 202
    assert len(stored(server, "T-NOACK")) == 1


def test_token_revoked_gives_401_once_then_a_new_token_works(server):
    api = Api(server)
    assert health(server).status_code == 200
    server.platform.inject_fault("token_revoked", path="/flows/search")
    first = requests.post(f"{server.flow_url}/v1/flows/search", headers=api.headers, json={})
    assert first.status_code == 401 and first.json()["errorCode"] == "INVALID_TOKEN"
    again = requests.post(f"{server.flow_url}/v1/flows/search", headers=api.headers, json={})
    assert again.status_code == 401, "the revoked token must stay revoked"
    assert Api(server).search({})["results"] is not None


def test_random_mode_is_seeded_and_counted(server):
    def run(seed):
        server.platform.faults.randomize(0.5, kinds=("503", "429"), seed=seed, retry_after=0)
        answers = [health(server).status_code for _ in range(30)]
        server.platform.clear_faults()
        return answers

    before = len(server.platform.faults.fired)
    first, second = run(7), run(7)
    assert first == second and {503, 429, 200} == set(first)
    counts = server.platform.faults.counts()
    assert sum(counts.values()) - before == 2 * sum(1 for a in first if a != 200)
    assert health(server).status_code == 200  # clear_faults ends random mode
    with pytest.raises(InputError, match="rate"):
        server.platform.faults.randomize(1.5)
    with pytest.raises(InputError, match="'418'"):
        server.platform.faults.randomize(0.1, kinds=("418",))
