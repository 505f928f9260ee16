"""Every characteristic type of BR-FR-CDV-CL-11 and the data-in-error block, built and read."""

from datetime import date, datetime, timezone
from decimal import Decimal

import pytest
from cdar_judge import judge

from einvoicing.errors import InputError
from einvoicing.lifecycle import PaymentAmount
from einvoicing.lifecycle.cdar import CdarError, StatusMessage, build_cdar, parse_cdar
from einvoicing.lifecycle.characteristics import (
    CHARACTERISTIC_TYPES,
    STATUS_CHARACTERISTICS,
    Characteristic,
    data_error,
    describe,
)

SELLER, BUYER = "100000009", "200000008"
AT = datetime(2025, 7, 30, 10, 0, 5, tzinfo=timezone.utc)
ROLE = {206: "buyer", 207: "buyer", 208: "buyer", 209: "supplier", 211: "buyer", 212: "supplier"}
REASON = {206: "QTE_ERR", 207: "TX_TVA_ERR", 208: "JUSTIF_ABS"}
PAYMENT = {211: [PaymentAmount("1000", "EUR")], 212: [PaymentAmount("1000", "EUR", "20")]}


def _sample(code):
    if CHARACTERISTIC_TYPES[code].kind == "amount":
        return [Characteristic(code, amount="800.50", currency="EUR", percent="20")]
    if code in ("DIV", "DVA"):
        return data_error("BT-146", "9.50", invoiced="10.00", line=3, comment="prix contrat")
    if code == "MAJ":
        return data_error("BT-13", "PO-2025-118", completed=True, comment="commande jointe")
    return [Characteristic(code, value="FR7630006000011234567890189", data_id="BT-84",
                           name="IBAN", changed=True)]


def _msg(status, items, **kw):
    return StatusMessage(status, "F202500003", date(2025, 7, 1), SELLER, BUYER, ROLE[status],
                         issued_at=AT, reason_code=REASON.get(status),
                         amounts=PAYMENT.get(status, []), characteristics=items,
                         recipient_address=kw.pop("address", None), **kw)


CASES = [(status, code) for status, codes in sorted(STATUS_CHARACTERISTICS.items())
         for code in sorted(codes)]


def test_every_cl11_type_is_emitted_by_some_status():
    emitted = {code for _status, code in CASES} | {"MEN", "MPA"}
    assert emitted == set(CHARACTERISTIC_TYPES)


@pytest.mark.parametrize("status, code", CASES, ids=[f"{s}-{c}" for s, c in CASES])
def test_each_status_with_each_characteristic_is_valid_and_round_trips(status, code):
    items = [i for i in _sample(code) if i.type_code in STATUS_CHARACTERISTICS[status]]
    xml = build_cdar(_msg(status, items, address=f"{SELLER}_STATUTS"
                          if ROLE[status] == "buyer" else None))
    assert judge(xml) == []
    event = parse_cdar(xml)
    assert event.characteristics == items
    assert event.amounts == PAYMENT.get(status, [])


def test_all_characteristics_of_a_status_at_once():
    items = [i for code in sorted(STATUS_CHARACTERISTICS[207]) for i in _sample(code)]
    xml = build_cdar(_msg(207, items, requested_action_code="NIN",
                          requested_action="Créer une facture rectificative"))
    assert judge(xml) == []
    event = parse_cdar(xml)
    assert event.characteristics == items
    assert (event.requested_action_code, event.requested_action) == (
        "NIN", "Créer une facture rectificative")


def test_data_error_names_the_line_and_the_expected_value():
    invoiced, expected = data_error("BT-146", "9.50", invoiced="10.00", line=3)
    assert (invoiced.type_code, invoiced.amount, expected.amount) == (
        "DIV", Decimal("10.00"), Decimal("9.50"))
    assert "IncludedSupplyChainTradeLineItem[3]" in expected.location and expected.line == 3
    assert describe(expected) == "Unit price of line 3, expected 9.50 EUR"
    assert describe(expected, "fr") == "Prix unitaire de la ligne 3, attendu 9.50 EUR"
    (rate,) = data_error("BT-152", "20", line=1)
    assert rate.percent == Decimal("20.00") and rate.amount is None
    (free,) = data_error("BT-999", "autre", line=2)
    assert (free.value, free.location) == ("autre", "line 2")


def test_approved_amount_described():
    item = Characteristic("MAPTTC", amount="960", currency="EUR")
    assert describe(item) == "Approved amount (incl. VAT): 960.00 EUR"


def test_negative_212_reverses_a_payment():
    reversal = PaymentAmount("120", "EUR", "20").reversal()
    xml = build_cdar(StatusMessage(212, "F1", date(2025, 7, 1), SELLER, BUYER, "supplier",
                                   issued_at=AT, amounts=[reversal]))
    assert judge(xml) == []
    assert parse_cdar(xml).amounts[0].amount == Decimal("-120.00")


@pytest.mark.parametrize("status, items, match", [
    (205, [Characteristic("MAP", amount="1", currency="EUR")], "carries no characteristic"),
    (208, [Characteristic("MAP", amount="1", currency="EUR")], "cannot carry MAP"),
])
def test_characteristic_not_allowed_for_the_status(status, items, match):
    role = ROLE.get(status, "buyer")
    with pytest.raises(CdarError, match=match):
        build_cdar(StatusMessage(status, "F1", date(2025, 7, 1), SELLER, BUYER, role,
                                 issued_at=AT, reason_code=REASON.get(status),
                                 characteristics=items))


@pytest.mark.parametrize("kwargs, match", [
    ({"type_code": "XXX", "value": "a"}, "BR-FR-CDV-CL-11"),
    ({"type_code": "MAP"}, "needs an amount"),
    ({"type_code": "MAP", "amount": "1", "currency": "EURO"}, "ISO 4217"),
    ({"type_code": "DVA"}, "needs a value"),
    ({"type_code": "DVA", "value": "x", "data_id": "price"}, "BT-146"),
])
def test_bad_characteristic(kwargs, match):
    with pytest.raises(InputError, match=match):
        Characteristic(**kwargs)


def test_characteristic_json_round_trip():
    (item,) = data_error("BT-13", "PO-1", completed=True)
    assert Characteristic.from_dict(item.to_dict()) == item
    with pytest.raises(InputError, match="Unknown characteristic field"):
        Characteristic.from_dict({"type_code": "MAP", "colour": "red"})
