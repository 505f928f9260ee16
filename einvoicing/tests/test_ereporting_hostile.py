"""Flux 10: invalid and hostile inputs give clear errors (never a crash, never a fetch)."""

import json

import pytest
from _ereporting_samples import sample

from einvoicing.ereporting import (
    EReportError,
    build_report,
    parse_report,
    report_from_dict,
    validate_report,
)
from einvoicing.validation import validate
from einvoicing.xmlutil import UnreadableInput


def _rules(result):
    return sorted({f.rule_id for f in result.errors})


@pytest.mark.parametrize("change, message", [
    ({"period_start": "2026-13-01"}, "report.period_start is '2026-13-01'; expected a date"),
    ({"issued_at": 12}, "report.issued_at is 12; expected a date-time"),
    ({"color": "blue"}, "report: unknown field(s) color"),
    ({"type_code": "XX"}, "type_code 'XX' must be IN (initial) or RE"),
    ({"issuer_role": "WK"}, "issuer_role 'WK' must be SE (sales) or BY"),
    ({"period_end": "2026-09-01"}, "period_end 2026-09-01 is before period_start"),
    ({"invoice_payments": [{"invoice_number": "A", "invoice_date": "2026-09-12",
                            "payment_date": "2026-09-13",
                            "amounts": [{"rate": "20", "amount": "1"}]}]},
     "either transactions (10.1/10.3) or payments (10.2/10.4), not both"),
])
def test_bad_json_is_refused_naming_the_field(change, message):
    with pytest.raises(EReportError) as info:
        report_from_dict(sample("10.3", **change))
    assert message in str(info.value)


def test_missing_nested_field_and_non_number_amount():
    data = sample("10.3")
    del data["transactions"][0]["category"]
    with pytest.raises(EReportError, match=r"report.transactions\[0\].category is required"):
        report_from_dict(data)
    data = sample("10.3")
    data["transactions"][1]["subtotals"][0]["tax_amount"] = "8,00"
    with pytest.raises(EReportError, match=r"subtotals\[0\].tax_amount is '8,00'; expected a "
                       "number"):
        report_from_dict(data)
    data["transactions"][1]["subtotals"][0]["tax_amount"] = "NaN"
    with pytest.raises(EReportError, match="expected a number"):
        report_from_dict(data)
    with pytest.raises(EReportError, match="category 'TLB9' must be one of"):
        data = sample("10.3")
        data["transactions"][0]["category"] = "TLB9"
        report_from_dict(data)


def test_ppf_rules_reject_bad_identifiers_rates_and_missing_buyer():
    data = sample("10.1-sales", transmission_id="bad id with é", issuer_siren="12345")
    data["invoices"][0]["subtotals"][0]["rate"] = "19"
    data["invoices"][1]["buyer"] = None
    result = validate_report(build_report(report_from_dict(data)))
    assert not result.valid
    assert {"G1.104", "G6.26", "G1.24", "G6.28"} <= set(_rules(result)), _rules(result)
    message = next(f.message for f in result.errors if f.rule_id == "G6.28")
    assert "acheteur est obligatoire" in message


def test_credit_note_without_reference_and_negative_payment():
    data = sample("rectificative")
    data["invoices"][-1]["references"] = []
    assert "G1.32" in _rules(validate_report(build_report(report_from_dict(data))))
    data = sample("10.2")
    data["invoice_payments"][0]["amounts"][0]["amount"] = "-5"
    assert "G1.16" in _rules(validate_report(build_report(report_from_dict(data))))


def test_xsd_errors_are_reported_with_location():
    xml = build_report(report_from_dict(sample("10.3"))).replace(
        b"<CategoryCode>TLB1</CategoryCode>", b"<Category>TLB1</Category>", 1)
    result = validate_report(xml)
    assert any(f.source == "xsd" and "Category" in f.message for f in result.errors)


def test_ppf_temporary_limitations_are_warnings():
    data = sample("10.1-sales")
    data["invoices"][0]["number"] = "INV-2026-000000000101"  # 21 characters
    result = validate_report(build_report(report_from_dict(data)))
    assert result.valid
    assert [f.rule_id for f in result.warnings] == ["PPF-LIMIT-G1.05"]


@pytest.mark.parametrize("payload, code", [
    (b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaa">]><Report>&a;</Report>',
     "xml_doctype"),
    (b"<Report><ReportDocument>", "xml_malformed"),
    (b"", "xml_empty"),
])
def test_hostile_xml_is_refused_before_any_rule(payload, code):
    with pytest.raises(UnreadableInput):
        validate_report(payload)
    with pytest.raises(UnreadableInput):
        parse_report(payload)


def test_not_a_report_and_incomplete_report():
    with pytest.raises(EReportError, match="starts with <Report>"):
        validate_report(b"<Rapport/>")
    with pytest.raises(EReportError, match="neither TransactionsReport nor PaymentsReport"):
        parse_report(b"<Report><ReportDocument/></Report>")
    xml = build_report(report_from_dict(sample("10.3"))).replace(b"20260912", b"2026-09-12", 1)
    with pytest.raises(EReportError, match="expected a date AAAAMMJJ"):
        parse_report(xml)
    assert not validate(xml).valid  # the rules say the same, as findings


def test_json_form_round_trip():
    from einvoicing.ereporting import report_to_dict

    report = report_from_dict(sample("rectificative"))
    assert report_from_dict(json.loads(json.dumps(report_to_dict(report)))) == report
