"""Every gateway against the sandbox over loopback HTTP: the same tests for the AFNOR,
Qonto and A-Cube APIs (parametrised), with the sandbox's fault injection.
"""

import hashlib
import hmac
import json
import time

import pytest

from einvoicing.afnor import AfnorError
from einvoicing.gateways import make_gateway
from einvoicing.invoice.samples import BUYER, SELLER, sample_invoice
from einvoicing.lifecycle import PaymentAmount
from einvoicing.lifecycle.cdar import StatusMessage
from einvoicing.syntax import to_cii
from einvoicing.tests.conftest import BUYER_CLIENT, BUYER_ORG, SELLER_CLIENT, SELLER_ORG

APIS = ("afnor", "qonto", "acube")
FAST = {"timeout": (2, 10), "max_retries": 2, "sleep": lambda _s: None}
# where each API posts a new invoice (for fault injection)
SUBMIT_PATH = {"afnor": "/flow-service/v1/flows", "qonto": "/qonto/v2/client_invoices/bulk",
               "acube": "/acube/invoices"}


def gateway(sandbox, api, buyer=False):
    client, org = (BUYER_CLIENT, BUYER_ORG) if buyer else (SELLER_CLIENT, SELLER_ORG)
    if api == "afnor":
        return make_gateway("afnor", flow_url=sandbox.flow_url, token_url=sandbox.token_url,
                            client_id=client[0], client_secret=client[1], organization_id=org,
                            directory_url=sandbox.directory_url, **FAST)
    if api == "qonto":
        return make_gateway("qonto", api_url=sandbox.qonto_url, login=client[0],
                            secret_key=client[1], **FAST)
    return make_gateway("acube", api_url=sandbox.acube_url, login_url=sandbox.acube_login_url,
                        email=client[0], password=client[1], **FAST)


def send(sandbox, api, number):
    xml = to_cii(sample_invoice(number=number))
    return gateway(sandbox, api).submit_invoice(xml, f"{number}.xml", "CII", number, number), xml


def seller_flows(sandbox, number):
    return [f for f in sandbox.platform.flows(SELLER_ORG)
            if f.get("flowType") == "CustomerInvoice" and number in (f.get("name") or "")]


def message(code, number, role, **extra):
    return StatusMessage(status_code=code, invoice_number=number,
                         invoice_date=sample_invoice(number=number).issue_date,
                         seller_siren=SELLER["siren"], buyer_siren=BUYER["siren"],
                         issuer_role=role, **extra)


@pytest.mark.parametrize("api", APIS)
def test_send_twice_is_one_invoice(sandbox, unique, api):
    number = f"GW-{api}-{unique}"
    first, xml = send(sandbox, api, number)
    assert first.platform_id and not first.already_existing
    again = gateway(sandbox, api).find_submission(number, number)
    assert again.platform_id == first.platform_id and again.already_existing
    assert len(seller_flows(sandbox, number)) == 1
    codes = [e.status_code for e in gateway(sandbox, api).invoice_events(first.platform_id,
                                                                          number)]
    assert codes[:4] == [200, 201, 202, 203]


@pytest.mark.parametrize("kind", ["503", "drop_after_accept"])
@pytest.mark.parametrize("api", APIS)
def test_lost_answers_never_make_a_second_invoice(sandbox, unique, api, kind):
    number = f"GW-{api}-{kind[:4]}-{unique}"
    sandbox.platform.inject_fault(kind, count=1, path=SUBMIT_PATH[api], method="POST")
    try:
        submission, _xml = send(sandbox, api, number)
    finally:
        sandbox.platform.clear_faults()
    assert submission.platform_id
    assert len(seller_flows(sandbox, number)) == 1


@pytest.mark.parametrize("api", APIS)
def test_payment_received_with_amounts_per_rate(sandbox, unique, api):
    number = f"GW-{api}-P-{unique}"
    submission, _xml = send(sandbox, api, number)
    totals = sample_invoice(number=number).totals()
    amounts = [PaymentAmount(v.basis + v.tax, "EUR", v.rate) for v in totals.vat_breakdown]
    gateway(sandbox, api).push_status(submission.platform_id,
                                      message(212, number, "supplier", amounts=amounts))
    events = gateway(sandbox, api).invoice_events(submission.platform_id, number)
    assert 212 in [e.status_code for e in events]


@pytest.mark.parametrize("api", APIS)
def test_reception_and_refusal_with_reason(sandbox, unique, api):
    number = f"GW-{api}-R-{unique}"
    _submission, xml = send(sandbox, api, number)
    buyer = gateway(sandbox, api, buyer=True)
    received = [r for r in buyer.list_received() if number in (r.invoice_number or "")
                or number in (r.file_name or "")]
    assert len(received) == 1
    content = buyer.download_received(received[0].platform_id)
    assert content == xml
    buyer.push_status(received[0].platform_id,
                      message(210, number, "buyer", reason_code="TX_TVA_ERR",
                              message="VAT rate of line 2 is wrong"))
    events = buyer.invoice_events(received[0].platform_id, number)
    refusal = [e for e in events if e.status_code == 210]
    assert refusal and refusal[0].reason_code == "TX_TVA_ERR"
    seller_events = gateway(sandbox, api).invoice_events(_submission.platform_id, number)
    assert ("TX_TVA_ERR" in [e.reason_code for e in seller_events if e.status_code == 210])


@pytest.mark.parametrize("api", APIS)
def test_health_and_directory(sandbox, api):
    gw = gateway(sandbox, api)
    assert gw.healthcheck() is True
    if api == "afnor":
        address, reachable = gw.lookup_directory(BUYER["siren"])
        assert address and reachable
    else:
        with pytest.raises(AfnorError) as info:
            gw.lookup_directory(BUYER["siren"])
        assert info.value.code == "gateway_unsupported"


@pytest.mark.parametrize("api", APIS)
def test_wrong_credentials_are_one_clear_error(sandbox, api):
    client = ("nobody", "wrong-secret-0123456789")
    settings = {"afnor": {"flow_url": sandbox.flow_url, "token_url": sandbox.token_url,
                          "client_id": client[0], "client_secret": client[1]},
                "qonto": {"api_url": sandbox.qonto_url, "login": client[0],
                          "secret_key": client[1]},
                "acube": {"api_url": sandbox.acube_url, "login_url": sandbox.acube_login_url,
                          "email": client[0], "password": client[1]}}[api]
    with pytest.raises(AfnorError) as info:
        make_gateway(api, **settings, **FAST).healthcheck()
    assert info.value.http_status == 401 and info.value.platform_message


def test_qonto_unsupported_status_and_webhook_signature(sandbox):
    gw = gateway(sandbox, "qonto")
    with pytest.raises(AfnorError) as info:
        gw.push_status("any", message(205, "X", "buyer"))
    assert info.value.code == "gateway_unsupported"
    body = json.dumps({"event_type": "client_invoices.updated",
                       "data": {"id": "abc", "einvoicing_status": "approved"}}).encode()
    stamp = int(time.time())
    digest = hmac.new(b"whsec", f"{stamp}.".encode() + body, hashlib.sha256).hexdigest()
    headers = {"X-Qonto-Signature": f"t={stamp},v1={digest}"}
    assert gw.verify_webhook("whsec", headers, body) == digest
    assert gw.parse_webhook(body)["status_code"] == 205
    with pytest.raises(Exception) as info:
        gw.verify_webhook("other", headers, body)
    assert info.value.code == "signature_bad"


def test_acube_webhook_secret_and_payload(sandbox):
    gw = gateway(sandbox, "acube")
    body = b'{"eventType": "invoice.status", "status": "212", "invoiceUuid": "u1"}'
    assert gw.verify_webhook("s3cret", {"X-Webhook-Secret": "s3cret"}, body)
    with pytest.raises(Exception) as info:
        gw.verify_webhook("s3cret", {"X-Webhook-Secret": "nope"}, body)
    assert info.value.code == "signature_bad"
    assert gw.parse_webhook(body)["status_code"] == 212


def test_acube_refuses_statuses_outside_its_list(sandbox):
    with pytest.raises(AfnorError) as info:
        gateway(sandbox, "acube").push_status("u", message(214, "X", "buyer"))
    assert info.value.code == "gateway_unsupported"


