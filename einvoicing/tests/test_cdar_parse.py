"""parse_cdar on the official XP Z12-012/014 examples and on hostile input."""

from datetime import date, datetime, timezone
from decimal import Decimal
from pathlib import Path

import pytest
from cdar_judge import judge

from einvoicing.lifecycle import current_status
from einvoicing.lifecycle.cdar import MAX_BYTES, CdarError, parse_cdar
from einvoicing.lifecycle.characteristics import describe

DATA = Path(__file__).parent / "data" / "cdar"
UTC = timezone.utc


def _read(name):
    return (DATA / name).read_bytes()


# file: (message id, status, MDT-78 timestamp, issuer role, buyer SIREN)
OFFICIAL = {
    "UC1_F202500003_01-CDV-200_Deposee.xml": (
        "F202500003_200_20250701151000#380_20250701", 200, datetime(2025, 7, 1, 15, 10),
        "platform", None),
    "UC1_F202500003_02-CDV-202_Recue.xml": (
        "F202500003_202_20250701161000#380_20250701", 202, datetime(2025, 7, 1, 16, 10),
        "platform", "200000008"),
    "UC1_F202500003_03-CDV-203_Mise_a_disposition.xml": (
        "F202500003_203_20250701161000#380_20250701", 203, datetime(2025, 7, 1, 16, 25),
        "platform", "200000008"),
    "UC1_F202500003_04-CDV-204_Prise_en_charge.xml": (
        "F202500003_204_20250701161000#380_20250701", 204, datetime(2025, 7, 1, 18, 0),
        "buyer", "200000008"),
    "UC1_F202500003_05-CDV-205_Approuvee.xml": (
        "F202500003_205_20250701161000#380_20250701", 205, datetime(2025, 7, 2, 10, 0),
        "buyer", "200000008"),
    "UC1_F202500003_06-CDV-211_Paiement_transmis.xml": (
        "F202500003_211_20250701161000#380_20250701", 211, datetime(2025, 7, 30, 10, 0),
        "buyer", "200000008"),
    "UC1_F202500003_07-CDV-212_Encaissee.xml": (
        "F202500003_212_20250701151000#380_20250701", 212, datetime(2025, 8, 2, 10, 0),
        "supplier", "200000008"),
    "UC1_F202500003_07-CDV-212_Encaissee_POUR_PPF.xml": (
        "FFE0614A_CC0238_5118445863362991847", 212, datetime(2025, 8, 2, 10, 0),
        "supplier", None),
}


@pytest.mark.parametrize("name", list(OFFICIAL))
def test_official_uc1_examples(name):
    message_id, status, moment, role, buyer = OFFICIAL[name]
    event = parse_cdar(_read(name))
    assert (event.message_id, event.status_code, event.issuer_role) == (message_id, status, role)
    assert event.timestamp == moment.replace(tzinfo=UTC)
    assert (event.invoice_number, event.invoice_date) == ("F202500003", date(2025, 7, 1))
    assert (event.seller_siren, event.buyer_siren) == ("100000009", buyer)
    assert event.invoice_type_code == "380" and event.reason_code is None


def test_official_payment_amounts():
    sent = parse_cdar(_read("UC1_F202500003_06-CDV-211_Paiement_transmis.xml")).amounts
    assert [(a.amount, a.currency, a.vat_rate) for a in sent] == [(Decimal("12000"), "EUR", None)]
    received = parse_cdar(_read("UC1_F202500003_07-CDV-212_Encaissee.xml")).amounts
    assert [(a.amount, a.currency, a.vat_rate) for a in received] == [
        (Decimal("12000"), "EUR", Decimal("20"))]


@pytest.mark.parametrize("name, number, day", [
    ("UC4_F202500006_04-CDV-207_En_litige.xml", "F202500006", date(2025, 7, 1)),
    ("UC5_F202500007_04-CDV-207_En_litige.xml", "F202500007", date(2025, 7, 2)),
])
def test_official_disputes(name, number, day):
    event = parse_cdar(_read(name))
    assert (event.status_code, event.invoice_number, event.invoice_date) == (207, number, day)
    assert (event.reason_code, event.reason_text) == ("TX_TVA_ERR", "Taux de TVA erroné")
    assert event.issuer_role == "buyer" and event.amounts == []
    assert event.requested_action_code in ("NIN", "CNF")
    assert event.recipient_address == "100000009_STATUTS"
    invoiced, expected = event.characteristics
    assert [(c.type_code, c.data_id, c.name, c.percent, c.changed, c.line)
            for c in event.characteristics] == [
        ("DIV", "BT-152", "Taux TVA", Decimal("10.00"), True, None),
        ("DVA", "BT-152", "Taux TVA", Decimal("20.00"), True, None)]
    assert invoiced.location.endswith("ram:ApplicableTradeTax/ram:RateApplicablePercent")
    assert describe(expected) == "VAT rate, expected 20.00 %"


def test_official_uc1_lifecycle_ends_paid_in_any_arrival_order():
    events = [parse_cdar(_read(name)) for name in reversed(list(OFFICIAL))]
    assert current_status(events).status_code == 212


@pytest.mark.parametrize("name", sorted(p.name for p in DATA.glob("*.xml")))
def test_judge_accepts_every_official_1_4_0_03_example(name):
    assert judge(_read(name)) == []


VALID = _read("UC1_F202500003_04-CDV-204_Prise_en_charge.xml").decode("utf-8-sig")


def _hostile_cases():
    laughs = ('<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
              + "".join(f'<!ENTITY lol{i} "{("&lol%s;" % (i - 1 or "")) * 10}">'
                        for i in range(1, 10))
              + "]><lolz>&lol9;</lolz>")
    xxe = ('<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
           + VALID.split("?>", 1)[1].replace("F202500003</ram:IssuerAssignedID>",
                                             "&x;</ram:IssuerAssignedID>", 1))
    return {
        "empty": (b"", "empty"),
        "not xml": (b"%PDF-1.7 not a CDAR", "not well-formed XML"),
        "truncated": (VALID[:500].encode(), "not well-formed XML"),
        "wrong root": (b'<rsm:CrossIndustryInvoice xmlns:rsm="urn:un:unece:uncefact:data:'
                       b'standard:CrossIndustryInvoice:100"/>', "CrossDomainAcknowledgement"),
        "no namespace": (b"<CrossDomainAcknowledgementAndResponse/>", "root element"),
        "no reference": (VALID.split("<rsm:AcknowledgementDocument>")[0].encode()
                         + b"</rsm:CrossDomainAcknowledgementAndResponse>", "references no"),
        "missing status": (_without(VALID, "ProcessConditionCode"), "has no status"),
        "unknown status": (VALID.replace(">204<", ">299<").encode(), "'299' is not a known"),
        "no message id": (_without(VALID, "ID", first=True), "message id"),
        "bad date": (VALID.replace(">20250701180000<", ">2025-13-45<").encode(), "date-time"),
        "bad amount": (_read("UC1_F202500003_07-CDV-212_Encaissee.xml").replace(
            b">12000<", b">12 000<"), "not a number"),
        "huge": (b"<a>" + b" " * (MAX_BYTES + 1) + b"</a>", "over the limit"),
        "billion laughs": (laughs.encode(), "DOCTYPE"),
        "xxe": (xxe.encode(), "DOCTYPE"),
        "not bytes": (12, "must be bytes"),
    }


def _without(text, tag, first=False):
    start = text.index(f"<ram:{tag}>", text.index("<rsm:ExchangedDocument>") if first else 0)
    end = text.index(f"</ram:{tag}>", start) + len(f"</ram:{tag}>")
    return (text[:start] + text[end:]).encode()


@pytest.mark.parametrize("case", list(_hostile_cases()))
def test_hostile_input_gives_a_clear_cdar_error(case):
    data, match = _hostile_cases()[case]
    with pytest.raises(CdarError, match=match) as info:
        parse_cdar(data)
    assert info.value.code and len(str(info.value)) < 600


def test_control_case_still_parses():
    # The hostile cases are all derived from this valid document.
    assert parse_cdar(VALID.encode()).status_code == 204
