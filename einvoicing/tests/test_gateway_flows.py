"""FlowView: the AFNOR flow surface the host uses, over the Qonto and A-Cube gateways
(loopback HTTP to the sandbox emulations)."""

import pytest

from einvoicing.gateways.flows import FlowView
from einvoicing.invoice.samples import BUYER, SELLER, sample_invoice
from einvoicing.lifecycle import PaymentAmount
from einvoicing.lifecycle.cdar import StatusMessage, build_cdar, parse_cdar
from einvoicing.syntax import to_cii
from einvoicing.tests.test_gateway_sandbox import gateway, seller_flows

APIS = ("qonto", "acube")
LC = ["CustomerInvoiceLC", "SupplierInvoiceLC", "SupplierInvoice"]


def view(sandbox, api, buyer=False):
    return FlowView(gateway(sandbox, api, buyer=buyer))


def cdar(code, number, role, **extra):
    return build_cdar(StatusMessage(
        status_code=code, invoice_number=number,
        invoice_date=sample_invoice(number=number).issue_date, seller_siren=SELLER["siren"],
        buyer_siren=BUYER["siren"], issuer_role=role, **extra))


def events_of(flows_view, number, flow_type):
    found = []
    for flow in flows_view.iter_flows(flow_type=[flow_type]):
        event = parse_cdar(flows_view.get_flow(flow["flowId"], "Original"))
        if event.invoice_number == number:
            found.append(event)
    return found


@pytest.mark.parametrize("api", APIS)
def test_flows_round_trip(sandbox, unique, api):
    number = f"FV-{api}-{unique}"
    xml = to_cii(sample_invoice(number=number))
    seller = view(sandbox, api)
    first = seller.submit_flow(xml, f"{number}.xml", "CII", f"odoo-x-{unique}")
    again = seller.submit_flow(xml, f"{number}.xml", "CII", f"odoo-x-{unique}")
    assert first["flowId"] == again["flowId"]
    assert len(seller_flows(sandbox, number)) == 1
    assert seller.get_flow(first["flowId"])["flowId"] == first["flowId"]

    events = events_of(seller, number, "CustomerInvoiceLC")
    assert [e.status_code for e in events][:4] == [200, 201, 202, 203]
    again = events_of(seller, number, "CustomerInvoiceLC")
    assert [e.message_id for e in again] == [e.message_id for e in events]  # stable ids

    buyer = view(sandbox, api, buyer=True)
    received = [f for f in buyer.iter_flows(flow_type=["SupplierInvoice"])
                if buyer.get_flow(f["flowId"], "Original") == xml]
    assert len(received) == 1
    buyer.submit_flow(cdar(210, number, "buyer", reason_code="TX_TVA_ERR"), "c.xml", "CDAR",
                      f"cdar-{unique}")
    refused = [e for e in events_of(seller, number, "CustomerInvoiceLC")
               if e.status_code == 210]
    assert refused and refused[0].reason_code == "TX_TVA_ERR"
    assert refused[0].issuer_role == "buyer"
    # The buyer reads its own refusal back as the buyer's (the emitter of 210), not as
    # "the other party": the Odoo layer matches it with the status it pushed by role.
    mine = [e for e in events_of(buyer, number, "SupplierInvoiceLC") if e.status_code == 210]
    assert [e.issuer_role for e in mine] == ["buyer"]


@pytest.mark.parametrize("api", APIS)
def test_payment_received_pushed_as_cdar_comes_back_with_amounts(sandbox, unique, api):
    number = f"FV-{api}-P-{unique}"
    invoice = sample_invoice(number=number)
    seller = view(sandbox, api)
    seller.submit_flow(to_cii(invoice), f"{number}.xml", "CII", f"odoo-p-{unique}")
    amounts = [PaymentAmount(v.basis + v.tax, "EUR", v.rate)
               for v in invoice.totals().vat_breakdown]
    seller.submit_flow(cdar(212, number, "supplier", amounts=amounts), "c.xml", "CDAR",
                       f"cdar-p-{unique}")
    paid = [e for e in events_of(seller, number, "CustomerInvoiceLC") if e.status_code == 212]
    assert paid
    assert sorted((a.vat_rate, a.amount) for a in paid[0].amounts) == sorted(
        (a.vat_rate, a.amount) for a in amounts)
