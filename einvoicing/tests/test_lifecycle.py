"""The AFNOR lifecycle catalogue, checked against the official BR-FR-CDV schematron."""

import re
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path

import pytest
from lxml import etree

from einvoicing import lifecycle as lc
from einvoicing.lifecycle import Badge, Event, LifecycleError, PaymentAmount
from einvoicing.standards import STANDARDS_DIR

REPO = Path(__file__).resolve().parents[2]
SCHEMATRON = STANDARDS_DIR / "cdar" / "BR-FR-CDV-Schematron-CDAR.xslt"
XSL = "{http://www.w3.org/1999/XSL/Transform}"
SVRL = "{http://purl.oclc.org/dsdl/svrl}"


def _schematron_reason_rules():
    """{status: set(reason codes)} from the BR-FR-CDV-CL-09 asserts (B2B variants only)."""
    rules = {}
    for fa in etree.parse(str(SCHEMATRON)).iter(f"{SVRL}failed-assert"):
        text = " ".join(fa.itertext())
        match = re.search(r"MDT-113_(\d{3})\]", text)
        if match:
            rules[int(match.group(1))] = set(re.findall(r"\(\.\) = '([A-Z0-9_]+)'", fa.get("test")))
    return rules


def _schematron_list(function):
    tree = etree.parse(str(SCHEMATRON))
    for fn in tree.iter(f"{XSL}function"):
        if fn.get("name") == function:
            return set(fn.find(f"{XSL}variable").get("select").strip("'").split())
    raise AssertionError(f"{function} not found in the schematron")


def test_statuses_200_to_214_and_recognised_codes():
    assert set(range(200, 215)) <= set(lc.STATUSES)
    assert {220, 221, 224, 225, 226, 227, 228, 501} <= set(lc.STATUSES)
    assert lc.get_status(212).label_fr == "Encaissée"
    assert lc.get_status(214).label_fr == "Visée"
    assert lc.get_status(220).label_fr == "Annulée"
    assert lc.get_status(501).label_en == "Inadmissible"
    for status in lc.STATUSES.values():
        assert status.label_fr and status.label_en and status.definition_fr
        assert status.definition_en and status.emitters <= set(lc.ROLES)


def test_every_code_is_a_status_code_of_the_schematron():
    official = {int(c) for c in _schematron_list("custom:is-valid-invoice-status-code")}
    assert set(lc.STATUSES) <= official


def test_reason_lists_match_schematron_rule_cl09():
    rules = _schematron_reason_rules()
    assert {200, 206, 207, 208, 210, 213, 221, 501} <= set(rules)
    for status, codes in rules.items():
        assert set(lc.get_status(status).reasons) == codes, status
    official = _schematron_list("custom:is-valid-status-reason-code")
    assert set(lc.REASONS) <= official


def test_reason_required_matches_rule_cdv15():
    xslt = SCHEMATRON.read_text(encoding="utf-8")
    test = re.search(r'test="not\(\(\.\) = \'210\'.*?"', xslt).group(0)
    required = {int(c) for c in re.findall(r"\(\.\) = '(\d{3})'", test.split(" or ((")[0])}
    assert required == {s.code for s in lc.STATUSES.values() if s.reason_required}


@pytest.mark.parametrize("code, role", [(200, "platform"), (213, "platform"), (204, "buyer"),
                                        (210, "buyer"), (209, "supplier"), (212, "supplier")])
def test_emitters(code, role):
    assert role in lc.get_status(code).emitters


def test_payment_sent_is_buyer_for_invoices_and_supplier_for_refunds():
    assert lc.get_status(211).emitters == {"buyer", "supplier"}
    assert "buyer" not in lc.get_status(212).emitters


def test_mandatory_statuses():
    mandatory = {s.code: s.mandatory for s in lc.STATUSES.values() if s.mandatory}
    assert set(mandatory) == {200, 210, 212, 213}
    assert mandatory[200] is True and mandatory[213] is True
    assert "collection" in mandatory[212]


@pytest.mark.parametrize("codes, badge", [
    ((200, 201, 202, 203, 204, 207, 208, 209, 214), Badge.PENDING),
    ((205, 206), Badge.ACCEPTED),
    ((210, 213, 220, 501), Badge.REJECTED),
    ((211, 212), Badge.PAID),
])
def test_badges(codes, badge):
    for code in codes:
        assert lc.badge_for(code) is badge
    assert lc.BADGE_COLORS[badge] in {"orange", "green", "red", "blue"}


def test_badge_colors_and_unbadged_codes():
    assert lc.BADGE_COLORS == {Badge.PENDING: "orange", Badge.ACCEPTED: "green",
                               Badge.REJECTED: "red", Badge.PAID: "blue"}
    assert lc.badge_for(225) is None and lc.badge_for(221) is None


@pytest.mark.parametrize("value", [999, "abc", None, "", True, 2120])
def test_unknown_status_is_refused(value):
    with pytest.raises(LifecycleError, match="unknown"):
        lc.get_status(value)


def test_status_by_key_or_string():
    assert lc.get_status("REFUSED").code == 210
    assert lc.get_status("payment_received").code == 212
    assert lc.get_status(" 204 ").code == 204


def _event(code, minutes, mid=None):
    base = datetime(2025, 7, 1, 10, 0, tzinfo=timezone.utc)
    return Event(mid or f"m{code}-{minutes}", code, base + timedelta(minutes=minutes),
                 "buyer", "F1")


def test_current_status_latest_timestamp_wins_whatever_the_arrival_order():
    events = [_event(212, 50), _event(200, 0), _event(205, 30), _event(204, 10)]
    assert lc.current_status(events).status_code == 212
    assert lc.current_status(reversed(events)).status_code == 212
    # A dispute after payment is the current status: time decides, not the code.
    assert lc.current_status(events + [_event(207, 60)]).status_code == 207


def test_current_status_ties_use_lifecycle_order():
    assert lc.current_status([_event(205, 5), _event(204, 5)]).status_code == 205
    assert lc.current_status([_event(212, 5), _event(211, 5)]).status_code == 212
    assert lc.current_status([_event(202, 0), _event(200, 0), _event(201, 0)]).status_code == 202
    assert lc.current_status([]) is None


def test_actions_per_document_kind():
    keys = {kind: [(a.key, a.status_code) for a in lc.actions_for(kind)]
            for kind in lc.DOCUMENT_KINDS}
    assert keys["customer_invoice"] == [("payment_received", 212), ("mark_paid", 212),
                                        ("complete", 209), ("cancel", 220)]
    assert ("refund_sent", 211) in keys["customer_credit_note"]
    vendor = [code for _, code in keys["vendor_bill"]]
    assert vendor == [204, 205, 206, 207, 208, 210, 211]
    assert keys["vendor_credit_note"] == keys["vendor_bill"]
    mark_paid = lc.actions_for("customer_invoice")[1]
    assert mark_paid.full_amount and not mark_paid.needs_amount
    for action in lc.actions_for("vendor_bill"):
        assert action.needs_reason == lc.get_status(action.status_code).reason_required
        assert action.issuer_role in lc.get_status(action.status_code).emitters
    with pytest.raises(LifecycleError, match="customer_invoice"):
        lc.actions_for("sale_order")


def test_reasons_by_code_and_alias():
    assert lc.check_reason(210, "TX_TVA_ERR") == "TX_TVA_ERR"
    assert lc.check_reason(210, "vat_rate_incorrect") == "TX_TVA_ERR"
    assert lc.check_reason(208, "JUSTIF_ABS") == "JUSTIF_ABS"
    assert lc.check_reason(205, None) is None
    assert [r.code for r in lc.reasons_for(208)][:2] == ["JUSTIF_ABS", "COORD_BANC_ERR"]
    assert "LEGAL_INFORMATION_MISSING" in lc.REASONS["NON_CONFORME"].aliases


@pytest.mark.parametrize("status, reason, match", [
    (210, "AUTRE", "not allowed for status 210"),
    (208, "QTE_ERR", "not allowed for status 208"),
    (205, "DOUBLON", "without a reason code"),
    (207, "NOPE", "not an AFNOR"),
    (210, None, "requires a reason"),
    (206, "", "requires a reason"),
])
def test_reason_refused(status, reason, match):
    with pytest.raises(LifecycleError, match=match):
        lc.check_reason(status, reason)


def test_seed_aliases_follow_the_schematron_where_the_seed_differs():
    # Seed: MISSING_DOCUMENTS -> DISPUTED; schematron: JUSTIF_ABS only for 208.
    with pytest.raises(LifecycleError):
        lc.check_reason(207, "MISSING_DOCUMENTS")
    assert lc.check_reason(208, "MISSING_DOCUMENTS") == "JUSTIF_ABS"
    for alias, (code, seed_targets) in lc.data.REASON_ALIASES.items():
        if alias != "MISSING_DOCUMENTS":
            assert set(seed_targets) & set(lc.REASONS[code].statuses), alias


def test_payment_amount_validation():
    item = PaymentAmount("1200.5", "EUR", "20")
    assert item.amount == Decimal("1200.50") and item.vat_rate == Decimal("20.00")
    for amount, currency, rate, match in [
        ("0", "EUR", None, "greater than zero"), ("-5", "EUR", None, "greater than zero"),
        ("12,50", "EUR", None, "not a number"), ("NaN", "EUR", None, "not a number"),
        ("1.001", "EUR", None, "more than 2 decimals"), ("10", "EURO", None, "ISO 4217"),
        ("10", "", None, "ISO 4217"), ("10", "EUR", "120", "between 0 and 100"),
        (None, "EUR", None, "not a number"), (True, "EUR", None, "not a number"),
    ]:
        with pytest.raises(LifecycleError, match=match):
            PaymentAmount(amount, currency, rate)


def test_check_payment():
    line = PaymentAmount("120", "EUR", "20")
    assert lc.check_payment(212, [line]) == [line]
    assert lc.check_payment(211, [PaymentAmount("120", "EUR")])
    with pytest.raises(LifecycleError, match="needs the amount"):
        lc.check_payment(212, [])
    with pytest.raises(LifecycleError, match="VAT rate"):
        lc.check_payment(212, [PaymentAmount("120", "EUR")])
    with pytest.raises(LifecycleError, match="appears twice"):
        lc.check_payment(212, [line, PaymentAmount("10", "EUR", "20.0")])
    with pytest.raises(LifecycleError, match="carries no payment"):
        lc.check_payment(205, [line])


def test_split_by_vat_rate_sums_to_the_amount_paid():
    full = lc.split_by_vat_rate("225.50", "EUR", {"20": "120", "5.5": "105.50"})
    assert [(p.vat_rate, p.amount) for p in full] == [(Decimal("5.50"), Decimal("105.50")),
                                                      (Decimal("20.00"), Decimal("120.00"))]
    part = lc.split_by_vat_rate("100", "EUR", {"20": "120", "5.5": "105.50", "10": "0.01"})
    assert sum(p.amount for p in part) == Decimal("100.00")
    assert all(p.currency == "EUR" for p in part)
    with pytest.raises(LifecycleError, match="at most the invoice total"):
        lc.split_by_vat_rate("300", "EUR", {"20": "120"})
    with pytest.raises(LifecycleError, match="ISO 4217"):
        lc.split_by_vat_rate("10", "XXXX", {"20": "120"})


def test_readme_table_is_generated_from_the_code():
    doc = (REPO / "readme" / "LIFECYCLE.md").read_text(encoding="utf-8")
    assert doc == lc.lifecycle_markdown(), (
        "readme/LIFECYCLE.md is stale: run `python -m einvoicing lifecycle --markdown "
        "> readme/LIFECYCLE.md`")
    assert "| Paid (Payée) | blue | 211, 212 |" in doc


def test_catalogue_is_json_ready():
    import json

    data = json.loads(json.dumps(lc.catalogue()))
    by_code = {s["code"]: s for s in data["statuses"]}
    assert by_code[210]["badge"] == "rejected" and by_code[210]["mandatory"] is True
    assert "TX_TVA_ERR" in by_code[210]["reasons"] and by_code[210]["emitters"] == ["buyer"]


def test_actions_follow_the_lifecycle():
    def codes(kind, current, sent=True):
        return [a.status_code for a in lc.actions_for(kind, current, sent)]

    assert codes("customer_invoice", None, sent=False) == [212, 212]
    assert codes("customer_invoice", 200) == [212, 212, 220]
    assert codes("customer_invoice", 208) == [212, 212, 209, 220]
    assert 220 not in codes("customer_invoice", 212)
    assert 220 not in codes("customer_invoice", 220)
    assert [a.status_code for a in lc.actions_for("customer_invoice")] == [212, 212, 209, 220]
