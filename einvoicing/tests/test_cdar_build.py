"""Every status we emit is built, judged by the official XSD + schematron, and read back."""

from datetime import date, datetime, timedelta, timezone
from decimal import Decimal

import pytest
from cdar_judge import judge
from lxml import etree

from einvoicing.errors import InputError
from einvoicing.lifecycle import STATUSES, PaymentAmount
from einvoicing.lifecycle.cdar import CdarError, StatusMessage, build_cdar, parse_cdar

NS = {"ram": "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100",
      "rsm": "urn:un:unece:uncefact:data:standard:CrossDomainAcknowledgementAndResponse:100"}
SELLER, BUYER = "100000009", "200000008"
AT = datetime(2025, 7, 30, 10, 0, 5, tzinfo=timezone.utc)


def _msg(status, role, **kw):
    kw.setdefault("issued_at", AT)
    return StatusMessage(status, kw.pop("number", "F202500003"), date(2025, 7, 1), SELLER,
                         kw.pop("buyer", BUYER), role, **kw)


EUR = "EUR"
EMITTED = {
    "204 in hand": _msg(204, "buyer"),
    "205 approved": _msg(205, "buyer", message="OK pour paiement"),
    "206 partially approved": _msg(206, "buyer", reason_code="QTE_ERR", reason_text="2 of 5"),
    "207 disputed": _msg(207, "buyer", reason_code="VAT_RATE_INCORRECT",
                         reason_text="Taux de TVA erroné", message="Merci d'émettre un avoir"),
    "208 suspended": _msg(208, "buyer", reason_code="JUSTIF_ABS"),
    "209 completed": _msg(209, "supplier", message="Bon de livraison joint"),
    "210 refused": _msg(210, "buyer", reason_code="DOUBLON", reason_text="Déjà reçue"),
    "211 payment sent": _msg(211, "buyer", amounts=[PaymentAmount("12000", EUR)]),
    "211 refund": _msg(211, "supplier", invoice_type_code="381",
                       amounts=[PaymentAmount("240.00", EUR, "20")]),
    "212 received": _msg(212, "supplier", amounts=[PaymentAmount("12000", EUR, "20")]),
    "212 two VAT rates": _msg(212, "supplier", seller_name="LE VENDEUR", buyer_name="LE CLIENT",
                              recipient_address="200000008_ACHATS",
                              amounts=[PaymentAmount("120", EUR, "20"),
                                       PaymentAmount("105.50", EUR, "5.5")]),
    "214 vised": _msg(214, "buyer"),
    "220 cancelled": _msg(220, "supplier", message="Remplacée par F202500010"),
    "200 submitted": _msg(200, "platform", buyer=None),
    "201 issued": _msg(201, "platform"),
    "202 received": _msg(202, "platform", received_at=AT - timedelta(days=29)),
    "203 made available": _msg(203, "platform"),
    "213 rejected": _msg(213, "platform", reason_code="REJ_COH", message="BR-FR-05 failed"),
    "221 routing error": _msg(221, "platform", reason_code="ROUTAGE_ERR"),
    "501 inadmissible": _msg(501, "platform", reason_code="IRR_SYNTAX"),
}


@pytest.mark.parametrize("name", list(EMITTED))
def test_built_message_is_valid_and_round_trips(name):
    msg = EMITTED[name]
    xml = build_cdar(msg)
    assert judge(xml) == []
    event = parse_cdar(xml)
    assert (event.status_code, event.issuer_role) == (msg.status_code, msg.issuer_role)
    assert (event.invoice_number, event.invoice_date) == (msg.invoice_number, msg.invoice_date)
    assert event.timestamp == AT and event.seller_siren == SELLER
    assert event.message == msg.message
    assert event.reason_text == msg.reason_text
    assert event.invoice_type_code == msg.invoice_type_code
    assert [a.to_dict() for a in event.amounts] == [a.to_dict() for a in msg.amounts]
    if msg.reason_code:
        assert event.reason_code and event.reason_code in STATUSES[msg.status_code].reasons
    if msg.issuer_role != "platform" or msg.status_code in (202, 203, 213, 221, 501):
        assert event.buyer_siren == BUYER
    assert len(event.message_id) == 36  # uuid4 when none given


def test_every_allowed_reason_of_every_status_passes_the_schematron():
    checked = 0
    for status in STATUSES.values():
        role = sorted(status.emitters)[0]
        for reason in status.reasons:
            assert judge(build_cdar(_msg(status.code, role, reason_code=reason))) == [], (
                status.code, reason)
            checked += 1
    assert checked >= 80


def _find(xml, path):
    return [e.text for e in etree.fromstring(xml).iterfind(path, NS)]


@pytest.mark.parametrize("status, role, type_code, issuer, doc_status", [
    (200, "platform", "305", "WK", "10"), (202, "platform", "305", "WK", "43"),
    (204, "buyer", "23", "BY", "45"), (205, "buyer", "23", "BY", "1"),
    (210, "buyer", "23", "BY", "50"), (212, "supplier", "23", "SE", "47"),
    (213, "platform", "305", "WK", None),
])
def test_phase_roles_and_document_status_codes(status, role, type_code, issuer, doc_status):
    reason = {210: "DOUBLON", 213: "REJ_UNI"}.get(status)
    amounts = [PaymentAmount("10", EUR, "20")] if status == 212 else []
    xml = build_cdar(_msg(status, role, reason_code=reason, amounts=amounts))
    assert _find(xml, "rsm:AcknowledgementDocument/ram:TypeCode") == [type_code]
    assert _find(xml, "rsm:ExchangedDocument/ram:IssuerTradeParty/ram:RoleCode") == [issuer]
    ref = "rsm:AcknowledgementDocument/ram:ReferenceReferencedDocument/"
    assert _find(xml, ref + "ram:StatusCode") == ([doc_status] if doc_status else [])
    assert _find(xml, ref + "ram:ProcessConditionCode") == [str(status)]
    assert _find(xml, "rsm:ExchangedDocumentContext/ram:GuidelineSpecifiedDocumentContextParameter"
                      "/ram:ID") == ["urn.cpro.gouv.fr:1p0:CDV:invoice"]


def test_one_men_line_per_vat_rate():
    xml = build_cdar(EMITTED["212 two VAT rates"])
    path = ("rsm:AcknowledgementDocument/ram:ReferenceReferencedDocument/"
            "ram:SpecifiedDocumentStatus/ram:SpecifiedDocumentCharacteristic/")
    assert _find(xml, path + "ram:TypeCode") == ["MEN", "MEN"]
    assert _find(xml, path + "ram:ValueAmount") == ["120.00", "105.50"]
    assert _find(xml, path + "ram:ValuePercent") == ["20.00", "5.50"]
    assert sum(a.amount for a in parse_cdar(xml).amounts) == Decimal("225.50")


def test_given_id_and_timestamp_are_kept_in_utc():
    paris = timezone(timedelta(hours=2))
    xml = build_cdar(_msg(205, "buyer", message_id="PA-42_205", issued_at=AT.astimezone(paris)))
    event = parse_cdar(xml)
    assert event.message_id == "PA-42_205" and event.timestamp == AT
    assert "20250730100005" in xml.decode()


@pytest.mark.parametrize("change, match", [
    ({"status_code": 212, "issuer_role": "buyer"}, "cannot be emitted by the buyer"),
    ({"status_code": 204, "issuer_role": "platform"}, "cannot be emitted by the platform"),
    ({"issuer_role": "accountant"}, "Issuer role 'accountant' is unknown"),
    ({"status_code": 999}, "Lifecycle status 999 is unknown"),
    ({"status_code": 210}, "requires a reason"),
    ({"status_code": 210, "reason_code": "AUTRE"}, "not allowed for status 210"),
    ({"status_code": 212, "issuer_role": "supplier"}, "needs the amount"),
    ({"amounts": [PaymentAmount("5", EUR)]}, "carries no payment amount"),
    ({"seller_siren": "123456789"}, "Seller SIREN '123456789' is not a valid SIREN"),
    ({"buyer_siren": None}, "Buyer SIREN is missing"),
    ({"invoice_number": "  "}, "Invoice number is missing"),
    ({"invoice_date": "01/07/2025"}, "write it as YYYY-MM-DD"),
    ({"invoice_date": datetime(2025, 7, 1)}, "must be a date"),
    ({"issued_at": datetime(2025, 7, 1, 10)}, "timezone-aware"),
    ({"invoice_type_code": "999"}, "Invoice type code '999' is not allowed"),
    ({"message": "bad \x07 bell"}, "no control characters"),
    ({"message": "x" * 2000}, "at most 1024"),
    ({"recipient_address": "732829320_X"}, "must start with the party's SIREN"),
])
def test_invalid_input_is_refused_with_a_clear_error(change, match):
    fields = {"status_code": 205, "invoice_number": "F1", "invoice_date": date(2025, 7, 1),
              "seller_siren": SELLER, "buyer_siren": BUYER, "issuer_role": "buyer"}
    fields.update(change)
    with pytest.raises(CdarError, match=match) as info:
        build_cdar(StatusMessage(**fields))
    assert isinstance(info.value, InputError) and info.value.code


def test_string_dates_are_accepted():
    msg = _msg(204, "buyer")
    msg.invoice_date = "2025-07-01"
    assert parse_cdar(build_cdar(msg)).invoice_date == date(2025, 7, 1)


def test_the_product_validator_agrees_on_every_emitted_message():
    from einvoicing.validation import validate_cdar

    for name, msg in EMITTED.items():
        report = validate_cdar(build_cdar(msg))
        assert report.valid and report.kind == "cdar", (name, report.errors)
