"""Sandbox lifecycle: validation -> 200..203 or 213, simulated buyer scenarios, pushed CDAR."""

from decimal import Decimal

import pytest

from einvoicing.invoice.samples import BUYER, SELLER, sample_invoice
from einvoicing.lifecycle import PaymentAmount
from einvoicing.lifecycle.cdar import StatusMessage, build_cdar, parse_cdar
from einvoicing.lifecycle.characteristics import data_error
from einvoicing.tests._sandbox_helpers import (
    BUYER_CLIENT,
    BUYER_ORG,
    Api,
    broken_invoice_xml,
    invoice_xml,
    start_sandbox,
)
from einvoicing.validation import validate_cdar

LC_TYPES = {"flowType": ["CustomerInvoiceLC", "SupplierInvoiceLC"]}


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    server = start_sandbox(tmp_path_factory.mktemp("lifecycle"))
    server.platform.add_organization("other", "732829320", "Tiers SA", "other-app", "other-s")
    yield server
    server.stop()


def _events(api, number):
    """Parsed CDAR events about invoice ``number`` seen by one sync of ``api``'s org."""
    events = []
    for flow in api.search(LC_TYPES, limit=100)["results"]:
        xml = api.get(flow["flowId"], "Original").content
        event = parse_cdar(xml)
        if event.invoice_number == number:
            assert validate_cdar(xml).valid, validate_cdar(xml).errors
            events.append(event)
    return events


def _due(number):
    return sample_invoice(number=number).totals().due_payable


def _send(server, number, scenario):
    server.platform.set_scenario(BUYER_ORG, scenario)
    answer = Api(server).submit(invoice_xml(number), f"{number}.xml", tracking_id=number)
    assert answer.status_code == 202, answer.text
    return answer.json()


SCENARIOS = [
    ("approve", [[200, 201, 202, 203, 204, 205]]),
    ("partial", [[200, 201, 202, 203, 204, 206]]),
    ("dispute", [[200, 201, 202, 203, 204, 207]]),
    ("suspend", [[200, 201, 202, 203, 204, 208]]),
    ("refuse:DOUBLON", [[200, 201, 202, 203, 210]]),
    ("pay:3", [[200, 201, 202, 203, 204, 205], [200, 201, 202, 203, 204, 205],
               [200, 201, 202, 203, 204, 205, 211]]),
    ("silent", [[200, 201, 202, 203]] * 3),
]


@pytest.mark.parametrize(("scenario", "per_sync"), SCENARIOS, ids=[s[0] for s in SCENARIOS])
def test_scenario_produces_the_expected_cdar_sequence(server, scenario, per_sync):
    number = f"FA-SC-{scenario.replace(':', '-')}"
    _send(server, number, scenario)
    seller = Api(server)
    for expected in per_sync:
        events = _events(seller, number)
        assert [e.status_code for e in events] == expected
    issuers = {e.status_code: e.issuer_role for e in events}
    assert all(issuers[c] == "platform" for c in (200, 201, 202, 203))
    assert all(role == "buyer" for code, role in issuers.items() if code >= 204)
    last = events[-1]
    if last.status_code == 206:
        assert last.reason_code == "QTE_ERR"
        half = (_due(number) / 2).quantize(Decimal("0.01"))
        assert [(c.type_code, c.amount) for c in last.characteristics] == [
            ("MAPTTC", half), ("MNATTC", _due(number) - half)]
    if last.status_code == 207:
        assert [(c.type_code, c.data_id) for c in last.characteristics] == [
            ("DIV", "BT-115"), ("DVA", "BT-115")]
        assert last.characteristics[0].amount == _due(number)
    if last.status_code == 208:
        assert [(c.type_code, c.data_id) for c in last.characteristics] == [("DVA", "BT-13")]
    if last.status_code == 210:
        assert last.reason_code == "DOUBLON"
    if last.status_code == 211:
        assert [(a.amount, a.currency) for a in last.amounts] == [(_due(number), "EUR")]


def test_buyer_receives_the_invoice_and_its_own_simulated_statuses(server):
    number = "FA-BUYER-SIDE"
    content = invoice_xml(number)
    server.platform.set_scenario(BUYER_ORG, "approve")
    assert Api(server).submit(content, "b.xml").status_code == 202
    buyer = Api(server, client=BUYER_CLIENT)
    inbound = [f for f in buyer.search({"flowType": ["SupplierInvoice"]}, limit=100)["results"]
               if buyer.get(f["flowId"], "Original").content == content]
    assert len(inbound) == 1 and inbound[0]["flowDirection"] == "In"
    assert [e.status_code for e in _events(buyer, number)] == [204]  # 205 needs a seller sync


def test_invalid_invoice_is_rejected_with_213_and_reasons(server):
    number = "FA-INVALID"
    answer = Api(server).submit(broken_invoice_xml(number), "bad.xml", tracking_id="T-BAD")
    assert answer.status_code == 202, answer.text
    ack = answer.json()["acknowledgement"]
    assert ack["status"] == "Error"
    assert any("BR-CO-15" in d["item"] for d in ack["details"]), ack
    events = _events(Api(server), number)
    assert [(e.status_code, e.reason_code) for e in events] == [(213, "REJ_SEMAN")]
    assert "BR-CO-15" in events[0].reason_text
    buyer_flows = server.platform.flows(BUYER_ORG)
    assert all(f["invoiceNumber"] != number for f in buyer_flows)
    # a rejected invoice is not issued: the corrected one may reuse its number
    again = Api(server).submit(invoice_xml(number), "good.xml", tracking_id="T-GOOD")
    assert again.status_code == 202 and again.json()["acknowledgement"]["status"] == "Ok"


def test_unreachable_buyer_gives_213_unknown_recipient(server):
    server.platform.set_reachable(BUYER_ORG, False)
    try:
        answer = Api(server).submit(invoice_xml("FA-UNREACH"), "u.xml")
    finally:
        server.platform.set_reachable(BUYER_ORG, True)
    assert answer.json()["acknowledgement"]["status"] == "Error"
    events = _events(Api(server), "FA-UNREACH")
    assert [(e.status_code, e.reason_code) for e in events] == [(213, "DEST_INC")]


def _status(number, code, role, **kwargs):
    invoice = sample_invoice(number=number)
    return build_cdar(StatusMessage(status_code=code, invoice_number=number,
                                    invoice_date=invoice.issue_date,
                                    seller_siren=SELLER["siren"], buyer_siren=BUYER["siren"],
                                    issuer_role=role, **kwargs))


def test_pushed_statuses_are_checked_and_shared(server):
    number = "FA-PUSH"
    _send(server, number, None)
    buyer, seller = Api(server, client=BUYER_CLIENT), Api(server)
    approved = buyer.submit(_status(number, 205, "buyer"), "205.xml", syntax="CDAR",
                            tracking_id="B-205")
    assert approved.status_code == 202, approved.text
    assert approved.json()["flowType"] == "SupplierInvoiceLC"
    paid = PaymentAmount(amount=_due(number), currency="EUR", vat_rate=Decimal("20.00"))
    cashed = _status(number, 212, "supplier", amounts=[paid])
    assert seller.submit(cashed, "212.xml", syntax="CDAR").status_code == 202
    assert [e.status_code for e in _events(seller, number)] == [200, 201, 202, 203, 205, 212]
    assert [e.status_code for e in _events(buyer, number)] == [205, 212]
    again = seller.submit(cashed, "212-again.xml", syntax="CDAR").json()
    assert again["errorCode"] == "AlreadyExistingFlow"


def test_pushed_statuses_breaking_the_rules_get_422(server):
    number = "FA-PUSH-BAD"
    _send(server, number, None)
    seller, buyer = Api(server), Api(server, client=BUYER_CLIENT)
    wrong_role = seller.submit(_status(number, 205, "buyer"), "x.xml", syntax="CDAR")
    assert wrong_role.status_code == 422
    assert wrong_role.json()["errorCode"] == "InvoiceLCStatusError"
    assert "buyer only" in wrong_role.json()["errorMessage"]
    unknown = buyer.submit(_status("FA-NEVER-SENT", 205, "buyer"), "y.xml", syntax="CDAR")
    assert unknown.json()["errorCode"] == "InvoiceLCRuleError"
    assert "FA-NEVER-SENT" in unknown.json()["errorMessage"]
    stranger = Api(server, client=("other-app", "other-s"))
    denied = stranger.submit(_status(number, 205, "buyer"), "z.xml", syntax="CDAR")
    assert denied.status_code == 403 and denied.json()["errorCode"] == "InvoiceLCAccessDenied"
    garbage = buyer.submit(b"<nope/>", "g.xml", syntax="CDAR")
    assert garbage.status_code == 422
    assert [e.status_code for e in _events(seller, number)] == [200, 201, 202, 203]


def test_a_failing_simulated_step_does_not_break_the_sync(server, caplog):
    number = "FA-SIM-FAIL"
    flow = _send(server, number, "pay:2")
    with server.platform.store.tx() as conn:  # an amount the simulator cannot pay
        conn.execute("UPDATE flows SET amount = 'n/a' WHERE flow_id = ?", (flow["flowId"],))
    seller = Api(server)
    assert [e.status_code for e in _events(seller, number)][-1] == 205
    assert [e.status_code for e in _events(seller, number)][-1] == 205  # 211 failed, sync ok
    assert "simulated recipient failed" in caplog.text


def test_suspended_invoice_is_approved_once_the_seller_completes_it(server):
    number = "FA-SUSPEND-209"
    _send(server, number, "suspend")
    seller = Api(server)
    assert [e.status_code for e in _events(seller, number)][-1] == 208
    assert [e.status_code for e in _events(seller, number)][-1] == 208  # waits for 209
    completed = _status(number, 209, "supplier",
                        characteristics=data_error("BT-13", "PO-2025-118", completed=True))
    assert seller.submit(completed, "209.xml", syntax="CDAR").status_code == 202
    assert [e.status_code for e in _events(seller, number)][-2:] == [209, 205]
