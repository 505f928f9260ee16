"""Sandbox platform over real HTTP: bad requests, organisations, persistence, duplicates."""

import json

import pytest
import requests

from einvoicing.tests._sandbox_helpers import (
    ADMIN,
    BUYER_ORG,
    SELLER_CLIENT,
    SELLER_ORG,
    Api,
    invoice_xml,
    start_sandbox,
    token,
)


@pytest.fixture
def server(tmp_path):
    server = start_sandbox(tmp_path, max_upload_bytes=20_000)
    yield server
    server.stop()


def _error(answer, status):
    assert answer.status_code == status, answer.text
    assert answer.headers["Content-Type"].startswith("application/json")
    body = answer.json()
    assert body["errorCode"] and body["errorMessage"]
    return body


def test_missing_and_bad_tokens_get_401(server):
    url = f"{server.flow_url}/v1/flows/search"
    body = _error(requests.post(url, json={"where": {"flowDirection": ["In"]}}), 401)
    assert body["errorCode"] == "MISSING_TOKEN" and "Bearer" in body["errorMessage"]
    answer = requests.post(url, json={"where": {"flowDirection": ["In"]}},
                           headers={"Authorization": "Bearer forged"})
    assert _error(answer, 401)["errorCode"] == "INVALID_TOKEN"
    assert answer.headers["WWW-Authenticate"].startswith("Bearer")


def test_token_endpoint_follows_rfc6749(server):
    bad = requests.post(server.token_url, data={"grant_type": "client_credentials",
                                                "client_id": SELLER_CLIENT[0],
                                                "client_secret": "nope"})
    assert bad.status_code == 401 and bad.json()["error"] == "invalid_client"
    grant = requests.post(server.token_url, data={"grant_type": "password"})
    assert grant.status_code == 400 and grant.json()["error"] == "unsupported_grant_type"
    basic = requests.post(server.token_url, data={"grant_type": "client_credentials"},
                          auth=SELLER_CLIENT)
    assert basic.status_code == 200 and basic.json()["token_type"] == "Bearer"
    assert basic.json()["expires_in"] > 0


def test_expired_token_is_refused(server):
    server.platform.set_token_ttl(1)
    api = Api(server)
    server.platform.store.query("UPDATE tokens SET expires_at = 0")
    answer = requests.post(f"{server.flow_url}/v1/flows/search", headers=api.headers,
                           json={"where": {"flowDirection": ["In"]}})
    assert "expired" in _error(answer, 401)["errorMessage"]


def test_unknown_and_foreign_organizations_get_403(server):
    api = Api(server, org="no-such-org")
    answer = requests.post(f"{server.flow_url}/v1/flows/search", headers=api.headers,
                           json={"where": {"flowDirection": ["In"]}})
    body = _error(answer, 403)
    assert "no-such-org" in body["errorMessage"] and "not an organization" in body["errorMessage"]
    api = Api(server, org=BUYER_ORG)  # the seller's client acting for the buyer
    answer = requests.get(f"{server.flow_url}/v1/webhooks", headers=api.headers)
    assert "not allowed to act for organization 'buyer'" in _error(answer, 403)["errorMessage"]


def test_malformed_json_gets_400_with_position(server):
    api = Api(server)
    answer = requests.post(f"{server.flow_url}/v1/flows/search", data=b'{"where": {',
                           headers={**api.headers, "Content-Type": "application/json"})
    body = _error(answer, 400)
    assert body["errorCode"] == "INVALID_JSON" and "line 1" in body["errorMessage"]


def test_search_criteria_are_checked(server):
    api = Api(server)
    url = f"{server.flow_url}/v1/flows/search"
    cases = [({}, "'where' is required"), ({"where": {}}, "at least one of"),
             ({"where": {"flowDirection": ["Sideways"]}}, '"Sideways"; expected one of In, Out'),
             ({"where": {"updatedAfter": "yesterday"}}, "RFC 3339"),
             ({"where": {"trackingId": "x"}, "limit": 500}, "from 1 to 100"),
             ({"where": {"trackingId": "x"}, "cursor": "garbage"}, "nextCursor")]
    for body, expected in cases:
        message = _error(requests.post(url, json=body, headers=api.headers), 400)["errorMessage"]
        assert expected in message, (body, message)


def test_wrong_content_types_get_415(server):
    api = Api(server)
    answer = requests.post(f"{server.flow_url}/v1/flows", data=b"<x/>",
                           headers={**api.headers, "Content-Type": "application/xml"})
    assert "multipart/form-data" in _error(answer, 415)["errorMessage"]
    answer = requests.post(f"{server.flow_url}/v1/flows/search", data=b"where=x",
                           headers={**api.headers,
                                    "Content-Type": "application/x-www-form-urlencoded"})
    assert "application/json" in _error(answer, 415)["errorMessage"]


def test_oversized_upload_gets_413(server):
    answer = Api(server).submit(b"<x>" + b"a" * 100_000 + b"</x>", "big.xml")
    body = _error(answer, 413)
    assert body["errorCode"] == "FILE_SIZE_EXCEEDED" and "20000 bytes" in body["errorMessage"]


def test_flow_info_fields_are_checked(server):
    api = Api(server)
    answer = api.submit(b"<x/>", "a.xml", syntax="PDF")
    assert "flowInfo.flowSyntax" in _error(answer, 400)["errorMessage"]
    answer = api.submit(b"", "a.xml")
    assert _error(answer, 400)["errorCode"] == "EmptyFlow"
    answer = api.submit(b"<x/>", "a.xml", sha256="0" * 64)
    assert _error(answer, 400)["errorCode"] == "ChecksumMismatch"
    answer = requests.post(f"{server.flow_url}/v1/flows", headers=api.headers,
                           files={"file": ("a.xml", b"<x/>", "application/xml")})
    assert "'flowInfo'" in _error(answer, 400)["errorMessage"]


def test_unreadable_or_mislabelled_files_get_422(server):
    api = Api(server)
    assert _error(api.submit(b"not xml at all", "a.xml"), 422)["errorCode"] == "InvalidSchema"
    answer = api.submit(invoice_xml("FA-LABEL"), "a.xml", syntax="UBL")
    assert _error(answer, 422)["errorCode"] == "FlowTypeError"
    assert server.platform.flows(SELLER_ORG) == []


def test_invoice_of_another_seller_is_refused(server):
    answer = Api(server, client=("buyer-app", "buyer-secret")).submit(
        invoice_xml("FA-OTHER"), "a.xml")
    assert "seller SIREN" in _error(answer, 422)["errorMessage"]


def test_duplicates_are_recognised_and_never_stored_twice(server):
    api = Api(server)
    first = api.submit(invoice_xml("FA-DUP-1"), "a.xml", tracking_id="T-1")
    assert first.status_code == 202, first.text
    flow_id = first.json()["flowId"]
    # same trackingId, other content
    again = _error(api.submit(invoice_xml("FA-DUP-2"), "b.xml", tracking_id="T-1"), 422)
    assert again["errorCode"] == "AlreadyExistingFlow" and again["instance"].endswith(flow_id)
    # same seller + number + year, other trackingId
    again = _error(api.submit(invoice_xml("FA-DUP-1"), "c.xml", tracking_id="T-2"), 422)
    assert again["errorCode"] == "AlreadyExistingFlow" and flow_id in again["errorMessage"]
    invoices = [f for f in server.platform.flows(SELLER_ORG) if f["flowType"] ==
                "CustomerInvoice"]
    assert [f["flowId"] for f in invoices] == [flow_id]


def test_get_flow_document_types(server):
    api = Api(server)
    content = invoice_xml("FA-DOCS")
    flow_id = api.submit(content, "FA-DOCS.xml", tracking_id="T-DOCS").json()["flowId"]
    meta = api.get(flow_id).json()
    assert meta["flowId"] == flow_id and meta["trackingId"] == "T-DOCS"
    original = api.get(flow_id, "Original")
    assert original.content == content
    assert original.headers["Content-Disposition"] == "attachment;filename=FA-DOCS.xml"
    assert api.get(flow_id, "Converted").content == content  # CII stays CII
    readable = api.get(flow_id, "ReadableView")
    assert readable.status_code == 200 and readable.content.startswith(b"%PDF-")
    assert "docType" in _error(api.get(flow_id, "Pdf"), 400)["errorMessage"]
    assert _error(api.get("f" * 65), 400)["errorCode"] == "INVALID_FIELD_VALUE"
    other = Api(server, client=("buyer-app", "buyer-secret"))
    assert _error(other.get(flow_id), 404)["errorCode"] == "MISSING_RESOURCE"


def test_cursor_and_updated_after_pagination(server):
    api = Api(server)
    for index in range(3):
        assert api.submit(invoice_xml(f"FA-PAGE-{index}"), f"{index}.xml").status_code == 202
    everything = api.search({"flowDirection": ["In", "Out"]}, limit=100)["results"]
    assert len(everything) == 3 * 5  # each invoice + its 200, 201, 202, 203
    seen, cursor = [], None
    while True:
        page = api.search({"flowDirection": ["In", "Out"]}, limit=4,
                          **({"cursor": cursor} if cursor else {}))
        seen += [f["flowId"] for f in page["results"]]
        cursor = page.get("nextCursor")
        if not cursor:
            break
    assert seen == [f["flowId"] for f in everything]
    middle = everything[6]["updatedAt"]
    later = api.search({"updatedAfter": middle}, limit=100)["results"]
    assert [f["flowId"] for f in later] == [f["flowId"] for f in everything[7:]]
    outs = api.search({"flowType": ["CustomerInvoice"], "ackStatus": "Ok"})["results"]
    assert len(outs) == 3 and all(f["flowDirection"] == "Out" for f in outs)


def test_restart_loses_nothing(tmp_path):
    server = start_sandbox(tmp_path, buyer_scenario="pay:2")
    api = Api(server)
    flow_id = api.submit(invoice_xml("FA-PERSIST"), "p.xml", tracking_id="T-P").json()["flowId"]
    hook = requests.post(f"{server.flow_url}/v1/webhooks", headers=api.headers,
                         json={"callbackUrl": "http://127.0.0.1:9/h"}).json()
    before = server.platform.flows()
    old_headers = api.headers
    server.stop()
    server = start_sandbox(tmp_path)
    try:
        api.server = server
        api.headers = old_headers  # tokens survive too
        assert server.platform.flows() == before
        assert api.get(flow_id).json()["trackingId"] == "T-P"
        listed = requests.get(f"{server.flow_url}/v1/webhooks", headers=api.headers).json()
        assert listed["webhookIds"] == [hook["webhookId"]]
        again = api.submit(invoice_xml("FA-PERSIST"), "p.xml", tracking_id="T-P")
        assert again.json()["errorCode"] == "AlreadyExistingFlow"
        # the simulated buyer resumes where it was: 205 at sync 1, 211 at sync 2
        assert [s for s in api.status_codes() if s > 203] == [204, 205]
        assert [s for s in api.status_codes() if s > 203] == [204, 205, 211]
    finally:
        server.stop()


def test_directory_lookups(server):
    from einvoicing.invoice.samples import BUYER

    headers = {"Authorization": f"Bearer {token(server)}"}
    base = server.directory_url + "/v1"
    server.platform.add_directory_entry("732829320", "Unreachable SA", reachable=False)
    siren = requests.get(f"{base}/siren/code-insee:{BUYER['siren']}", headers=headers).json()
    assert siren["businessName"] == BUYER["name"]
    siret = requests.get(f"{base}/siret/code-insee:{BUYER['siret']}?include=siren",
                         headers=headers).json()
    assert siret["legalUnit"]["siren"] == BUYER["siren"]
    lines = requests.post(f"{base}/directory-line/search", headers=headers, json={
        "filters": {"siren": {"op": "strict", "value": "732829320"}}}).json()
    assert [line["directoryLineStatus"] for line in lines["results"]] == ["Disabled"]
    found = requests.post(f"{base}/siren/search", headers=headers, json={
        "filters": {"businessName": {"op": "contains", "value": "martin"}}}).json()
    assert [r["siren"] for r in found["results"]] == [BUYER["siren"]]
    assert _error(requests.get(f"{base}/siren/code-insee:000000000", headers=headers), 404)
    assert _error(requests.get(f"{base}/siren/code-insee:12", headers=headers), 400)


def test_admin_api_needs_its_token_and_drives_the_platform(server):
    url = f"{server.url}/sandbox/admin"
    assert _error(requests.get(f"{url}/organizations"), 401)["errorCode"] == "INVALID_ADMIN_TOKEN"
    admin = {"X-Sandbox-Admin-Token": ADMIN}
    orgs = requests.get(f"{url}/organizations", headers=admin).json()
    assert {o["org_id"] for o in orgs} == {SELLER_ORG, BUYER_ORG}
    bad = requests.put(f"{url}/companies/{BUYER_ORG}/scenario", headers=admin,
                       json={"scenario": "dance"})
    assert "dance" in _error(bad, 400)["errorMessage"]
    ok = requests.put(f"{url}/companies/{BUYER_ORG}/scenario", headers=admin,
                      json={"scenario": "refuse:DOUBLON"})
    assert ok.status_code == 204
    assert {o["org_id"]: o["scenario"] for o in server.platform.organizations()}[BUYER_ORG] \
        == "refuse:DOUBLON"
    fault = requests.post(f"{url}/faults", headers=admin, json={"kind": "503", "count": 2})
    assert fault.status_code == 204
    assert requests.get(f"{url}/faults", headers=admin).json()[0]["remaining"] == 2
    assert json.loads(requests.delete(f"{url}/faults", headers=admin).content or b"null") is None
    assert requests.get(f"{url}/faults", headers=admin).json() == []
