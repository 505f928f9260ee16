"""Flux 10: each sub-flow (10.1 sales, 10.1 purchases, 10.2, 10.3, 10.4) and a
rectificative pass the XSD with zero failed-assert under the PPF schematron, and read back."""

from decimal import Decimal

import pytest
from _ereporting_samples import SAMPLES, sample
from lxml import etree

from einvoicing.ereporting import (
    build_report,
    flow_type_of,
    parse_report,
    processing_rule_of,
    report_from_dict,
    validate_report,
)
from einvoicing.validation import validate

EXPECTED = {
    "10.1-sales": ("UnitaryCustomerTransactionReport", "B2BInt", ("10.1",)),
    "10.1-purchases": ("UnitarySupplierTransactionReport", "B2BInt", ("10.1",)),
    "10.2": ("UnitaryCustomerPaymentReport", "B2BInt", ("10.2",)),
    "10.3": ("AggregatedCustomerTransactionReport", "B2C", ("10.3",)),
    "10.4": ("AggregatedCustomerPaymentReport", "B2C", ("10.4",)),
    "rectificative": ("UnitaryCustomerTransactionReport", "B2BInt", ("10.1",)),
}


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_each_sub_flow_passes_xsd_and_ppf_schematron(name):
    report = report_from_dict(sample(name))
    xml = build_report(report)
    result = validate_report(xml, filename=f"{name}.xml")
    assert result.valid, [str(f) for f in result.findings]
    assert not [f for f in result.findings if f.severity != "info"], result.findings
    assert result.rule_sets == ["xsd:ereporting.xsd", "ppf-f10:PPF_Flux10_v1.0.xslt"]
    flow_type, rule, flows = EXPECTED[name]
    root = etree.fromstring(xml)
    assert (flow_type_of(root), processing_rule_of(root), report.sub_flows()) == \
        (flow_type, rule, flows)
    assert result.profile == flow_type
    assert parse_report(xml) == report


def test_generic_validate_recognises_flux_10():
    report = validate(build_report(report_from_dict(sample("10.3"))), filename="b2c.xml")
    assert report.kind == "ereporting" and report.valid


def test_rectificative_is_type_re_with_credit_note_reference():
    xml = build_report(report_from_dict(sample("rectificative")))
    root = etree.fromstring(xml)
    assert root.findtext("ReportDocument/TypeCode") == "RE"
    credit = root.xpath("//Invoice[TypeCode='381']")[0]
    assert credit.findtext("ReferencedDocument/ID") == "INV-2026-0101"
    assert credit.findtext("ReferencedDocument/IssueDate") == "20260912"


def test_daily_totals_are_the_sum_of_their_rates():
    root = etree.fromstring(build_report(report_from_dict(sample("10.3"))))
    goods = root.xpath("//Transactions[CategoryCode='TLB1']")[0]
    assert goods.findtext("TaxExclusiveAmount") == "300.00"
    assert goods.findtext("TaxTotal") == "31.00"
    assert [r.findtext("TaxPercent") for r in goods.iterfind("TaxSubtotal")] == ["20", "5.5"]


def test_multi_flow_report_when_10_1_and_10_3_together():
    data = sample("10.1-sales", transactions=sample("10.3")["transactions"])
    xml = build_report(report_from_dict(data))
    root = etree.fromstring(xml)
    assert flow_type_of(root) == "MultiFlowReport"
    assert processing_rule_of(root) is None
    assert validate_report(xml).valid


def test_empty_period_is_a_valid_nothing_to_report_transmission():
    data = sample("10.3", transactions=[])
    xml = build_report(report_from_dict(data))
    assert validate_report(xml).valid
    assert flow_type_of(etree.fromstring(xml)) == "UnitaryCustomerTransactionReport"


def test_amounts_rounded_to_cents_and_rates_without_trailing_zeros():
    data = sample("10.3")
    data["transactions"][0]["subtotals"] = [
        {"rate": "20.00", "taxable_amount": "10.005", "tax_amount": "2.001"}]
    root = etree.fromstring(build_report(report_from_dict(data)))
    sub = root.find("TransactionsReport/Transactions/TaxSubtotal")
    assert (sub.findtext("TaxPercent"), sub.findtext("TaxableAmount"),
            sub.findtext("TaxTotal")) == ("20", "10.01", "2.00")
    assert report_from_dict(data).transactions[0].total_tax == Decimal("2.001")
