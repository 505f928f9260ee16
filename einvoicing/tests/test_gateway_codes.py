"""Host-free tests of the gateways' mappings and of the documented JSON examples."""

import json
from datetime import date
from decimal import Decimal

import pytest

from einvoicing.afnor import AfnorError
from einvoicing.afnor.errors import error_from_response
from einvoicing.gateways import acube, codes, make_gateway, platform_apis, settings_of
from einvoicing.gateways.base import OPERATIONS
from einvoicing.gateways.qonto import _events
from einvoicing.lifecycle import REASONS, STATUSES, PaymentAmount
from einvoicing.lifecycle.cdar import StatusMessage
from einvoicing.tests import _gateway_fixtures as doc

ACUBE_NAMES = {  # seed 002's table, as published
    200: "SUBMITTED", 201: "ISSUED", 202: "RECEIVED", 203: "MADE_AVAILABLE", 204: "IN_HAND",
    205: "APPROVED", 206: "PARTIALLY_APPROVED", 207: "DISPUTED", 208: "SUSPENDED",
    209: "COMPLETED", 210: "REFUSED", 211: "PAYMENT_SENT", 212: "PAYMENT_RECEIVED",
    213: "REJECTED"}


@pytest.mark.parametrize("code", sorted(STATUSES))
def test_every_afnor_status_to_acube_and_back(code):
    if code in ACUBE_NAMES:
        name = codes.acube_status_name(code)
        assert name == ACUBE_NAMES[code]
        assert codes.acube_status_code(name) == code
        assert codes.acube_status_code(code) == code
    else:
        with pytest.raises(AfnorError) as info:
            codes.acube_status_name(code)
        assert info.value.code == "gateway_unsupported"
        assert str(code) in str(info.value)


@pytest.mark.parametrize("reason", sorted(REASONS))
def test_every_afnor_reason_to_acube_and_back(reason):
    try:
        name = codes.acube_reason_name(reason)
    except AfnorError as error:
        assert error.code == "gateway_unsupported"
        assert reason in str(error) and "LEGAL_INFORMATION_MISSING" in str(error)
        return
    assert codes.acube_reason_code(name) == reason


def test_every_acube_reason_name_of_the_seed_maps_to_an_allowed_afnor_reason():
    seed = ["LEGAL_INFORMATION_MISSING", "INCORRECT_RECIPIENT", "EINVOICING_ADDRESS_INCORRECT",
            "UNKNOWN_TRANSACTION", "PO_REFERENCE_INCORRECT_OR_MISSING",
            "CONTRACT_REFERENCE_MISSING", "VAT_RATE_INCORRECT", "TOTAL_AMOUNT_INCORRECT",
            "CALCULATION_ERROR", "DUPLICATE_INVOICE", "DOUBLE_INVOICING", "CONTRACT_TERMINATED",
            "UNKNOWN_ISSUER", "FINANCE_TERMS_INCORRECT", "PRICES_INCORRECT",
            "SIRET_INCORRECT_OR_MISSING", "ROUTING_CODE_INCORRECT", "REFERENCE_INCORRECT",
            "QUANTITY_INCORRECT", "ITEM_INCORRECT", "ITEM_QUALITY_INSUFFICIENT",
            "DELIVERY_ISSUE", "PAYMENT_TERMS_INCORRECT", "OTHER", "UNIT_PRICE_INCORRECT",
            "DISCOUNT_INCORRECT", "BANK_DETAILS_INCORRECT", "MISSING_DOCUMENTS"]
    for name in seed:
        code = codes.acube_reason_code(name)
        assert code in REASONS, name
        assert codes.acube_reason_code(codes.acube_reason_name(code)) == code


@pytest.mark.parametrize("code", sorted(STATUSES))
def test_every_afnor_status_to_qonto_and_back(code):
    if code in codes.QONTO_STATUS_CODES:
        assert codes.qonto_status_code(str(code)) == code
    else:
        with pytest.raises(AfnorError):
            codes.qonto_status_code(code)


@pytest.mark.parametrize("reason", sorted(REASONS))
def test_every_afnor_reason_to_qonto_and_back(reason):
    assert codes.qonto_reason_code(reason) == reason  # declined_reason_code: AFNOR codes
    assert codes.qonto_reason_code(codes.qonto_reason_label(reason)) == reason


def test_qonto_summary_statuses():
    assert {name: codes.qonto_summary_status(name) for name in codes.QONTO_SUMMARY} == {
        "pending": None, "submitted": 200, "approved": 205, "declined": 210,
        "not_delivered": 221, "submission_failed": 213}
    assert all(code is None or code in STATUSES for code in codes.QONTO_SUMMARY.values())


def test_documented_qonto_examples_parse():
    events = _events(doc.QONTO_CLIENT_INVOICE["client_invoice"])
    assert [(e.status_code, e.reason_code, e.reason_text) for e in events] == [
        (200, "DOUBLE_FACT", "I already received this invoice")]
    supplier = doc.QONTO_SUPPLIER_INVOICES["supplier_invoices"][0]
    assert _events(supplier)[0].timestamp == "2024-12-04T11:05:16.4497Z"
    assert doc.QONTO_REJECT_BODY["supplier_invoice"]["declined_reason_code"] in REASONS


def test_documented_acube_examples_parse():
    assert acube.event_of(doc.ACUBE_LIFECYCLE_SIMPLE).status_code == 201
    assert acube.event_of(doc.ACUBE_LIFECYCLE_BY_NAME).status_code == 201
    refusal = acube.event_of(doc.ACUBE_LIFECYCLE_REFUSAL)
    assert (refusal.status_code, refusal.reason_code) == (210, "NON_CONFORME")
    assert refusal.reason_text == "The invoice is missing required legal information."
    gateway = acube.AcubeGateway(None, None)
    status = gateway.parse_webhook(json.dumps(doc.ACUBE_STATUS_WEBHOOK).encode())
    assert status["platform_id"] == "019ea760-dad8-70b9-9b23-f60ff4004509"
    assert status["status_code"] == 205
    inbound = gateway.parse_webhook(json.dumps(doc.ACUBE_INBOUND_WEBHOOK).encode())
    assert inbound == {"platform_id": "inv_in_88", "status_code": None, "event_id": None,
                       "event_type": "invoice.inbound.received", "direction": "INBOUND"}


def _message(code, **extra):
    return StatusMessage(status_code=code, invoice_number="F1", invoice_date=date(2025, 1, 2),
                         seller_siren="732829320", buyer_siren="552100554",
                         issuer_role="buyer" if code in (205, 207, 210) else "supplier",
                         **extra)


def test_acube_bodies_are_the_documented_ones():
    payment = _message(211, amounts=[PaymentAmount(Decimal("1200.50"), "EUR", Decimal("20"))])
    assert acube.lifecycle_body(payment) == doc.ACUBE_LIFECYCLE_PAYMENT
    refusal = _message(210, reason_code="NON_CONFORME",
                       message="The invoice is missing required legal information.")
    body = acube.lifecycle_body(refusal)
    assert body["rejectionDetails"] == doc.ACUBE_LIFECYCLE_REFUSAL["rejectionDetails"]
    assert codes.acube_status_code(doc.ACUBE_LIFECYCLE_REFUSAL["afnorStatusCode"]) == \
        body["afnorStatusCode"]
    with pytest.raises(AfnorError) as info:
        acube.lifecycle_body(_message(214))
    assert info.value.code == "gateway_unsupported"


class _Answer:
    def __init__(self, status, body):
        self.status_code, self.content = status, json.dumps(body).encode()
        self.text, self.headers = self.content.decode(), {}


def test_platform_error_bodies_keep_code_and_message():
    qonto = error_from_response(_Answer(422, doc.QONTO_ERROR), "the import")
    assert (qonto.error_code, qonto.platform_message) == ("not_in_list",
                                                          "status is not in the list")
    problem = error_from_response(_Answer(404, {"type": "https://tools.ietf.org/html/rfc2616",
                                                "title": "Not Found",
                                                "detail": "Invoice not found"}), "x")
    assert problem.platform_message == "Invoice not found"


def test_registry_lists_each_api_settings_and_refuses_missing_ones():
    assert [key for key, _label in platform_apis()] == ["afnor", "qonto", "acube"]
    assert "secret_key" in settings_of("qonto")[1]
    assert "password" in settings_of("acube")[0]
    with pytest.raises(AfnorError) as info:
        make_gateway("acube", api_url="https://x.example", login_url="https://l.example")
    assert info.value.code == "gateway_missing_setting"
    with pytest.raises(AfnorError):
        make_gateway("nope")


def test_capabilities_and_unsupported_operations_say_so():
    qonto = make_gateway("qonto", api_url="https://q.example", login="org", secret_key="k")
    assert qonto.capabilities < set(OPERATIONS)
    with pytest.raises(AfnorError) as info:
        qonto.lookup_directory("732829320")
    assert info.value.code == "gateway_unsupported"
    assert "Qonto API has no directory" in str(info.value)
    with pytest.raises(AfnorError) as info:
        qonto.push_status("x", _message(205))
    assert "212" in str(info.value) and "210" in str(info.value)
    assert "org:k" not in repr(qonto.http.auth)
