"""FRR flows through the AFNOR client and the sandbox: accepted, rejected with the rules'
reasons, found by search, and no second initial report for one issuer, period and kind."""

from datetime import date

import pytest
from _ereporting_samples import sample

from einvoicing.afnor import AfnorError, FlowClient, OAuth2ClientCredentials
from einvoicing.afnor.http import RetryPolicy
from einvoicing.ereporting import build_report, report_from_dict
from einvoicing.ereporting.platform import report_outcome, submission_of, submit_report
from einvoicing.invoice.samples import SELLER
from einvoicing.tests.conftest import SELLER_CLIENT, SELLER_ORG

FAST = {"backoff_factor": 0.01, "backoff_jitter": 0.01, "backoff_max": 0.1}


@pytest.fixture
def client(sandbox):
    auth = OAuth2ClientCredentials(sandbox.token_url, *SELLER_CLIENT,
                                   policy=RetryPolicy(3, **FAST))
    return FlowClient(sandbox.flow_url, auth, organization_id=SELLER_ORG, timeout=(2, 10),
                      max_retries=2, **FAST)


def _xml(name, unique, **changes):
    data = sample(name, issuer_siren=SELLER["siren"], transmission_id=f"ER-{unique}", **changes)
    for entry in data.get("invoices", []):
        for party in ("seller", "buyer"):
            if entry.get(party, {}).get("scheme") == "0002":
                entry[party] = {**entry[party], "id": SELLER["siren"],
                                "vat": f"FR00{SELLER['siren']}"}
    return build_report(report_from_dict(data))


def _period(unique, month=None):
    # a period of its own per test run: the sandbox is shared by the session
    day = int(unique[:4], 16) % 27 + 1
    return {"period_start": f"2031-{month or 1:02d}-{day:02d}",
            "period_end": f"2031-{month or 1:02d}-{day + 1:02d}"}


@pytest.mark.parametrize("name, flow_type, rule", [
    ("10.1-sales", "UnitaryCustomerTransactionReport", "B2BInt"),
    ("10.1-purchases", "UnitarySupplierTransactionReport", "B2BInt"),
    ("10.2", "UnitaryCustomerPaymentReport", "B2BInt"),
    ("10.3", "AggregatedCustomerTransactionReport", "B2C"),
    ("10.4", "AggregatedCustomerPaymentReport", "B2C"),
])
def test_each_sub_flow_is_accepted_and_searchable(client, unique, name, flow_type, rule):
    xml = _xml(name, unique, **_period(unique))
    assert submission_of(xml)[1:] == (f"ER-{unique}", rule, flow_type)
    info = submit_report(client, xml)
    flow = client.get_flow(info["flowId"])
    assert (flow["flowSyntax"], flow["flowType"], flow["processingRule"]) == \
        ("FRR", flow_type, rule)
    assert report_outcome(flow) == ("accepted", [])
    found = list(client.iter_flows(flow_type=flow_type, tracking_id=f"ER-{unique}"))
    assert [f["flowId"] for f in found] == [info["flowId"]]
    assert client.get_flow(info["flowId"], "Original") == xml


def test_invalid_report_is_stored_rejected_with_the_rules_reasons(client, unique):
    xml = _xml("10.3", unique, **_period(unique, 2))
    xml = xml.replace(b"<CategoryCode>TLB1</CategoryCode>", b"<CategoryCode>XXX</CategoryCode>")
    info = submit_report(client, xml)
    state, reasons = report_outcome(client.get_flow(info["flowId"]))
    assert state == "rejected"
    assert any("G1.68" in r and "TLB1, TPS1, TNT1 ou TMA1" in r for r in reasons), reasons


def test_second_initial_report_for_a_period_is_refused_rectificative_accepted(client, unique):
    period = _period(unique, 3)
    first = submit_report(client, _xml("10.3", unique, **period))
    with pytest.raises(AfnorError) as info:
        submit_report(client, _xml("10.3", f"{unique}-2", **period))
    assert "already accepted" in info.value.platform_message
    assert first["flowId"] in info.value.platform_message
    # another kind for the same period is not a duplicate
    assert submit_report(client, _xml("10.1-sales", f"{unique}-S", **period))["flowId"]
    fix = submit_report(client, _xml("10.3", f"{unique}-R", type_code="RE", **period))
    assert report_outcome(client.get_flow(fix["flowId"]))[0] == "accepted"
    # the same transmission sent again is the same flow (trackingId), not a duplicate
    again = submit_report(client, _xml("10.3", unique, **period))
    assert again["flowId"] == first["flowId"] and again["_already_existing"]


def test_report_of_another_siren_or_not_a_report(client, unique):
    data = sample("10.3", transmission_id=f"ER-{unique}", **_period(unique, 4))
    with pytest.raises(AfnorError, match="issuer SIREN"):
        submit_report(client, build_report(report_from_dict(data)))
    with pytest.raises(AfnorError, match="cannot be read as a flux 10"):
        client.submit_flow(b"<Other/>", "x.xml", "FRR", f"X-{unique}")


def test_documents_dated_after_today_are_rejected(client, unique):
    data = sample("10.3", issuer_siren=SELLER["siren"], transmission_id=f"ER-{unique}",
                  period_start="2099-01-01", period_end="2099-01-31")
    data["transactions"][0]["day"] = "2099-01-12"
    info = submit_report(client, build_report(report_from_dict(data)))
    state, reasons = report_outcome(client.get_flow(info["flowId"]))
    assert state == "rejected"
    assert reasons == ["G1.07 at /Report/TransactionsReport/Transactions[1]/Date The date "
                       f"20990112 is later than the reception date {date.today():%Y%m%d}: a "
                       "transaction or payment cannot be reported before it happens."]
