"""The AFNOR client against the sandbox platform, over real HTTP on loopback.

Every fault switch of the sandbox is exercised on submit and on search: no
duplicate flow, no lost status, errors carry the platform's exact text.
"""

import time
from datetime import datetime, timedelta, timezone
from urllib.parse import urlsplit

import pytest
import requests

from einvoicing.afnor import AfnorError, DirectoryClient, FlowClient, OAuth2ClientCredentials
from einvoicing.afnor.http import RetryPolicy
from einvoicing.tests.conftest import BUYER_ORG, SELLER_CLIENT, SELLER_ORG

FAST = {"backoff_factor": 0.01, "backoff_jitter": 0.01, "backoff_max": 0.1}
READ_TIMEOUT = 10
SHORT_READ_TIMEOUT = 2.0  # below the sandbox's timeout fault, for the "timeout" cases
# Every other call may take what a loaded machine needs (the sandbox validates what it
# receives): a read timeout there would be a fault the test did not inject.
READ_TIMEOUT = 60


def auth_for(sandbox, client=SELLER_CLIENT):
    return OAuth2ClientCredentials(sandbox.token_url, *client, policy=RetryPolicy(3, **FAST))


def flow_client(sandbox, org=SELLER_ORG, auth=None, **kwargs):
    options = {"timeout": (2, READ_TIMEOUT), "max_retries": 3, **FAST}
    options.update(kwargs)
    return FlowClient(sandbox.flow_url, auth or auth_for(sandbox), organization_id=org,
                      **options)


def invoice_xml(number):
    from einvoicing.invoice.samples import sample_invoice
    from einvoicing.syntax import to_cii

    return to_cii(sample_invoice(number=number))


def stored_with_tracking(sandbox, tracking_id, org=SELLER_ORG):
    return [f for f in sandbox.platform.flows(org) if f.get("trackingId") == tracking_id]


def submit(client, unique, **kwargs):
    number = f"FA-{unique}"
    content = invoice_xml(number)
    flow = client.submit_flow(content, f"{number}.xml", "CII", tracking_id=f"T-{unique}",
                              **kwargs)
    return flow, content


def test_submit_get_and_original_round_trip(sandbox, unique):
    client = flow_client(sandbox)
    flow, content = submit(client, unique, processing_rule="B2B")
    assert flow["_already_existing"] is False
    assert flow["trackingId"] == f"T-{unique}"
    metadata = client.get_flow(flow["flowId"])
    assert metadata["flowId"] == flow["flowId"]
    assert metadata["acknowledgement"]["status"] == "Ok"
    assert metadata["flowDirection"] == "Out"
    assert client.get_flow(flow["flowId"], doc_type="Original") == content
    assert client.find_by_tracking_id(f"T-{unique}")["flowId"] == flow["flowId"]
    assert len(stored_with_tracking(sandbox, f"T-{unique}")) == 1


def test_second_submit_returns_the_existing_flow(sandbox, unique):
    client = flow_client(sandbox)
    first, _ = submit(client, unique)
    again, _ = submit(client, unique)
    assert again["_already_existing"] is True
    assert again["flowId"] == first["flowId"]
    assert len(stored_with_tracking(sandbox, f"T-{unique}")) == 1


TIMEOUT_FAULT_SECONDS = 3.0  # the sandbox sleeps, then processes the call anyway
FAULTS = [
    ("503", {}),
    ("429", {"retry_after": 0}),
    ("timeout", {"seconds": TIMEOUT_FAULT_SECONDS}),
    ("drop_after_accept", {}),
]


def settle(sandbox, tracking_id, seconds):
    """Wait until a timed-out call still sleeping in the sandbox has been processed.

    No timing is asserted: the count of stored flows is checked all along and
    after the sleeping call's processing window.
    """
    deadline = time.monotonic() + seconds + 1.0
    while time.monotonic() < deadline:
        assert len(stored_with_tracking(sandbox, tracking_id)) <= 1
        time.sleep(0.1)


@pytest.mark.parametrize(("kind", "opts"), FAULTS, ids=[f[0] for f in FAULTS])
def test_submit_under_fault_creates_exactly_one_flow(sandbox, unique, kind, opts):
    answers = []  # (method, path, status) of every answer the client received
    session = requests.Session()
    session.hooks["response"].append(lambda r, *a, **k: answers.append(
        (r.request.method, urlsplit(r.url).path, r.status_code)))
    read_timeout = SHORT_READ_TIMEOUT if kind == "timeout" else READ_TIMEOUT
    client = flow_client(sandbox, timeout=(2, read_timeout), session=session)
    fired = len(sandbox.platform.faults.fired)
    sandbox.platform.inject_fault(kind, count=1, path="/v1/flows", method="POST", **opts)
    flow, content = submit(client, unique)
    assert sandbox.platform.faults.fired[fired] == (kind, "POST", "/flow-service/v1/flows")
    if kind == "timeout":
        settle(sandbox, f"T-{unique}", TIMEOUT_FAULT_SECONDS)
    stored = stored_with_tracking(sandbox, f"T-{unique}")
    assert len(stored) == 1, stored
    assert flow["flowId"] == stored[0]["flowId"]
    posts = [a for a in answers if a[:2] == ("POST", "/flow-service/v1/flows")]
    if kind == "drop_after_accept":
        # accepted, answer lost: found by the trackingId search, never re-posted
        assert flow["_already_existing"] is True
        assert posts == []
    if kind in ("503", "429"):
        # refused before storing: searched (nothing), then re-posted once
        assert [p[2] for p in posts] == [int(kind), 202]
        assert any(a[:2] == ("POST", "/flow-service/v1/flows/search") for a in answers)
    assert client.get_flow(flow["flowId"], doc_type="Original") == content


def _visible(client, since):
    """flowIds a sync (search since ``since``, small pages) returns."""
    return {f["flowId"] for f in client.iter_flows(updated_after=since, limit=2)}


@pytest.mark.parametrize(("kind", "opts"), FAULTS, ids=[f[0] for f in FAULTS])
def test_sync_under_fault_loses_no_status(sandbox, unique, kind, opts):
    since = datetime.now(timezone.utc) - timedelta(seconds=1)
    submit(flow_client(sandbox, timeout=(2, READ_TIMEOUT)), unique)
    read_timeout = SHORT_READ_TIMEOUT if kind == "timeout" else READ_TIMEOUT
    client = flow_client(sandbox, timeout=(2, read_timeout))
    statuses = {f["flowId"] for f in sandbox.platform.flows(SELLER_ORG)
                if f["invoiceNumber"] == f"FA-{unique}" and f["flowType"] == "CustomerInvoiceLC"}
    assert len(statuses) >= 4  # 200..203, emitted by the platform as CDAR flows
    fired = len(sandbox.platform.faults.fired)
    sandbox.platform.inject_fault(kind, count=2, path="/v1/flows/search", **opts)
    assert statuses <= _visible(client, since)
    assert [f[0] for f in sandbox.platform.faults.fired[fired:]] == [kind, kind]
    if kind == "timeout":  # let the sleeping calls finish before the session's sandbox stops
        time.sleep(TIMEOUT_FAULT_SECONDS + 0.5)


class RecordingClock:
    """Stands for the ``time`` module inside urllib3's Retry: records the waits."""

    def __init__(self):
        self.slept = []

    def sleep(self, seconds):
        self.slept.append(seconds)

    @staticmethod
    def time():
        return time.time()


@pytest.mark.parametrize(("method", "path"), [("GET", "/v1/flows/"),
                                              ("POST", "/v1/flows/search")])
def test_429_retry_after_is_honoured_on_reads(sandbox, unique, monkeypatch, method, path):
    """GET and the search (a POST that only reads) wait Retry-After, then succeed."""
    import urllib3.util.retry

    client = flow_client(sandbox)
    flow, _content = submit(client, unique)
    clock = RecordingClock()
    monkeypatch.setattr(urllib3.util.retry, "time", clock)
    sandbox.platform.inject_fault("429", count=1, path=path, method=method, retry_after=7)
    if method == "GET":
        assert client.get_flow(flow["flowId"])["flowId"] == flow["flowId"]
    else:
        assert client.search_flows(tracking_id=f"T-{unique}")[0][0]["flowId"] == flow["flowId"]
    assert 7 in clock.slept


def test_401_refreshes_the_token_once(sandbox, unique):
    auth = auth_for(sandbox)
    client = flow_client(sandbox, auth=auth)
    assert client.healthcheck() is True
    first_fetches = auth.fetch_count
    sandbox.platform.revoke_tokens()
    flows, _cursor = client.search_flows(tracking_id=f"T-{unique}")
    assert flows == []
    assert auth.fetch_count == first_fetches + 1


def test_bad_credentials_carry_the_oauth_error(sandbox):
    auth = OAuth2ClientCredentials(sandbox.token_url, SELLER_CLIENT[0], "wrong-secret",
                                   policy=RetryPolicy(0))
    with pytest.raises(AfnorError) as info:
        auth.token()
    assert info.value.http_status == 401
    assert info.value.error_code == "invalid_client"
    assert "wrong-secret" not in str(info.value)


def test_error_carries_the_exact_platform_message(sandbox):
    auth = auth_for(sandbox)
    client = flow_client(sandbox, auth=auth)
    raw = requests.get(f"{sandbox.flow_url}/v1/flows/no-such-flow",
                       headers={"Authorization": f"Bearer {auth.token()}",
                                "Organization-Id": SELLER_ORG}, timeout=5).json()
    with pytest.raises(AfnorError) as info:
        client.get_flow("no-such-flow")
    assert info.value.http_status == 404
    assert info.value.error_code == raw["errorCode"]
    assert info.value.platform_message == raw["errorMessage"]
    assert info.value.retryable is False


def test_foreign_organization_is_forbidden(sandbox):
    client = flow_client(sandbox, org=BUYER_ORG)
    with pytest.raises(AfnorError) as info:
        client.search_flows(flow_direction="In")
    assert info.value.http_status == 403
    assert BUYER_ORG in info.value.platform_message


def test_invalid_file_is_refused_with_the_platform_reason(sandbox, unique):
    client = flow_client(sandbox)
    with pytest.raises(AfnorError) as info:
        client.submit_flow(b"<not-an-invoice/>", "x.xml", "CII", tracking_id=f"T-{unique}")
    assert info.value.http_status in (400, 422)
    assert info.value.platform_message
    assert info.value.platform_message in str(info.value)


def test_webhooks_create_list_update_delete(sandbox):
    client = flow_client(sandbox)
    created = client.create_webhook("http://127.0.0.1:9/hook", flow_direction="In")
    assert created["webhookId"] and created["signingKey"]
    ids = [w["webhookId"] for w in client.list_webhooks()]
    assert created["webhookId"] in ids
    updated = client.update_webhook(created["webhookId"], "http://127.0.0.1:9/hook2")
    ids = [w["webhookId"] for w in client.list_webhooks()]
    assert updated["webhookId"] in ids and created["webhookId"] not in ids
    client.delete_webhook(updated["webhookId"])
    assert updated["webhookId"] not in [w["webhookId"] for w in client.list_webhooks()]


def test_directory_resolves_the_buyer_address(sandbox):
    from einvoicing.invoice.samples import BUYER

    directory = DirectoryClient(sandbox.directory_url, auth_for(sandbox),
                                organization_id=SELLER_ORG, **FAST)
    address, reachable = directory.resolve_address(BUYER["siren"])
    assert reachable is True
    assert BUYER["siren"] in address
    assert directory.get_siren(BUYER["siren"])["siren"] == BUYER["siren"]
    assert directory.resolve_address("732829320") == (None, False)
    assert directory.healthcheck() is True


def test_sandbox_line_changes_between_two_lookups(sandbox):
    from einvoicing.invoice.samples import BUYER

    directory = DirectoryClient(sandbox.directory_url, auth_for(sandbox),
                                organization_id=SELLER_ORG, **FAST)
    platform = sandbox.platform
    first = directory.find_line(BUYER["siren"], siret=BUYER["siret"])
    assert first["directoryLineStatus"] == "Enabled"
    try:
        platform.set_electronic_address(BUYER["siren"], f"{BUYER['siren']}_NEWPA")
        assert directory.find_line(BUYER["siren"])["addressingIdentifier"] == \
            f"{BUYER['siren']}_NEWPA"
        platform.set_reachable(BUYER["siren"], False)
        assert directory.find_line(BUYER["siren"])["directoryLineStatus"] == "Disabled"
    finally:
        platform.set_electronic_address(BUYER["siren"], first["addressingIdentifier"])
        platform.set_reachable(BUYER["siren"], True)
