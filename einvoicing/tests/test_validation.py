"""Validation of CII invoices with the official XSD + schematrons."""

import re

import pytest
from lxml import etree

from einvoicing.invoice.samples import sample_credit_note, sample_invoice
from einvoicing.standards import STANDARDS_DIR
from einvoicing.syntax import to_cii
from einvoicing.validation import validate, validate_cii
from einvoicing.validation.rulesets import svrl_findings

EXAMPLES = sorted((STANDARDS_DIR / "examples/cii").glob("*.xml"))
NS = {
    "rsm": "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100",
    "ram": "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100",
}


def fatal_ids(report, source=None):
    return {f.rule_id for f in report.errors if source is None or f.source == source}


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_official_examples_pass_en16931_and_facturx(path):
    report = validate(path.read_bytes(), filename=path.name)
    assert report.kind == "cii"
    assert report.profile == "en16931"
    assert any(r.startswith("en16931:") for r in report.rule_sets)
    assert fatal_ids(report, "xsd") == set()
    assert fatal_ids(report, "en16931") == set()
    assert fatal_ids(report, "facturx") == set()


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_official_examples_are_not_french_br_fr_says_why(path):
    """EN 16931 examples lack the French mentions: BR-FR must name the missing rules."""
    report = validate(path.read_bytes(), filename=path.name)
    br_fr = fatal_ids(report, "br-fr")
    assert not report.valid
    assert {"BR-FR-05_BT-22_PMT", "BR-FR-05_BT-22_PMD", "BR-FR-05_BT-22_AAB",
            "BR-FR-08_BT-23", "BR-FR-10_BT-30"} <= br_fr
    assert all(rule.startswith("BR-FR-") for rule in br_fr)
    pmt = next(f for f in report.errors if f.rule_id == "BR-FR-05_BT-22_PMT")
    assert pmt.business_term == "BT-22 Invoice note"
    assert pmt.location == "/CrossIndustryInvoice[1]/ExchangedDocument[1]"
    assert "PMT" in pmt.message


@pytest.mark.parametrize("build", [sample_invoice, sample_credit_note],
                         ids=["invoice", "credit_note"])
def test_built_invoices_pass_everything(build):
    report = validate_cii(to_cii(build()))
    assert report.valid, [str(f) for f in report.errors]
    assert [f for f in report.findings if f.severity != "info"] == []
    assert len(report.rule_sets) == 5


def _mutate(xml, xpath, action, value=None):
    root = etree.fromstring(xml)
    nodes = root.xpath(xpath, namespaces=NS)
    assert nodes, f"test setup: {xpath} not found"
    for node in nodes:
        if action == "remove":
            node.getparent().remove(node)
        else:
            node.text = value
    return etree.tostring(root)


@pytest.fixture(scope="module")
def good_xml():
    return to_cii(sample_invoice())


SUMMATION = "//ram:SpecifiedTradeSettlementHeaderMonetarySummation"


@pytest.mark.parametrize("xpath,action,value,expected", [
    (f"{SUMMATION}/ram:GrandTotalAmount", "set", "999.99", {"BR-CO-15"}),
    (f"{SUMMATION}/ram:LineTotalAmount", "set", "1.00", {"BR-CO-10"}),
    ("//ram:SellerTradeParty/ram:SpecifiedLegalOrganization", "remove", None,
     {"BR-FR-10_BT-30"}),
    ("//ram:SellerTradeParty/ram:GlobalID[@schemeID='0009']", "set", "99999999900010",
     {"BR-FR-09_BT-29"}),
    ("//ram:InvoiceCurrencyCode", "set", "EURO", {"BR-CL-04"}),
    ("//rsm:ExchangedDocument/ram:IncludedNote[ram:SubjectCode='PMT']", "remove", None,
     {"BR-FR-05_BT-22_PMT"}),
    ("//rsm:ExchangedDocument/ram:IncludedNote[ram:SubjectCode='PMD']", "remove", None,
     {"BR-FR-05_BT-22_PMD"}),
    ("//rsm:ExchangedDocument/ram:IncludedNote[ram:SubjectCode='AAB']", "remove", None,
     {"BR-FR-05_BT-22_AAB"}),
], ids=["wrong-grand-total", "wrong-line-total", "missing-siren", "siret-not-siren",
        "bad-currency", "no-PMT", "no-PMD", "no-AAB"])
def test_broken_invoice_reports_rule_ids(good_xml, xpath, action, value, expected):
    report = validate_cii(_mutate(good_xml, xpath, action, value))
    assert not report.valid
    assert expected <= fatal_ids(report), sorted(fatal_ids(report))


def test_malformed_amount_is_an_xsd_error_with_line(good_xml):
    report = validate_cii(_mutate(good_xml, f"{SUMMATION}/ram:GrandTotalAmount", "set", "12,50"))
    xsd = [f for f in report.errors if f.source == "xsd"]
    assert xsd and all(f.rule_id.startswith("XSD-") for f in xsd)
    assert any("12,50" in f.message for f in xsd)
    assert all(re.search(r"\(line \d+\)", f.location) for f in xsd)


def test_report_to_dict_is_json_ready(good_xml):
    data = validate_cii(_mutate(good_xml, f"{SUMMATION}/ram:GrandTotalAmount", "set", "1"))
    as_dict = data.to_dict()
    assert as_dict["valid"] is False
    assert as_dict["counts"]["fatal"] == len(data.errors) > 0
    finding = next(f for f in as_dict["findings"] if f["rule_id"] == "BR-CO-15")
    assert finding["business_term"] == "BT-112 Invoice total amount with VAT"
    assert finding["source"] == "en16931"
    assert not finding["message"].startswith("[BR-CO-15]")


SVRL = """<svrl:schematron-output xmlns:svrl="http://purl.oclc.org/dsdl/svrl">
<svrl:active-pattern id="P1"/>
<svrl:failed-assert id="R-FATAL" flag="fatal" location="/*:A[namespace-uri()='u'][1]">
  <svrl:text>[R-FATAL]-The Invoice number (BT-1) is missing.</svrl:text></svrl:failed-assert>
<svrl:failed-assert id="R-WARN" flag="warning" location="/A"><svrl:text>w</svrl:text>
</svrl:failed-assert>
<svrl:failed-assert location="/A"><svrl:text>[BR-99]-no id no flag</svrl:text>
</svrl:failed-assert>
<svrl:successful-report id="R-REP" flag="fatal" location="/A"><svrl:text>r</svrl:text>
</svrl:successful-report>
<svrl:successful-report location="/A"><svrl:text>plain report</svrl:text>
</svrl:successful-report>
</svrl:schematron-output>"""


def test_svrl_severity_mapping():
    found = {f.rule_id: f for f in svrl_findings(SVRL, "en16931")}
    assert found["R-FATAL"].severity == "fatal"
    assert found["R-FATAL"].business_term == "BT-1 Invoice number"
    assert found["R-FATAL"].location == "/A[1]"
    assert found["R-FATAL"].message == "The Invoice number (BT-1) is missing."
    assert found["R-WARN"].severity == "warning"
    assert found["BR-99"].severity == "fatal"
    assert found["R-REP"].severity == "warning", "a successful-report never blocks"
    assert found["P1"].severity == "info", "report without id falls back to the pattern id"


def test_svrl_without_assert_or_report_gives_no_finding_and_each_kind_alone_is_read():
    quiet = ('<svrl:schematron-output xmlns:svrl="http://purl.oclc.org/dsdl/svrl">'
             '<svrl:active-pattern id="P1"/><svrl:fired-rule context="/A"/>'
             "</svrl:schematron-output>")
    assert svrl_findings(quiet, "br-fr") == []
    only_assert = quiet.replace("<svrl:fired-rule", '<failed-assert xmlns="http://purl.oclc.org'
                                '/dsdl/svrl" id="R1" location="/A"><text>t</text></failed-assert>'
                                "<svrl:fired-rule")
    found = svrl_findings(only_assert, "br-fr")
    assert [(f.rule_id, f.severity) for f in found] == [("R1", "fatal")]
    only_report = quiet.replace("<svrl:fired-rule", '<svrl:successful-report location="/A">'
                                "<svrl:text>r</svrl:text></svrl:successful-report><svrl:fired-rule")
    found = svrl_findings(only_report, "br-fr")
    assert [(f.rule_id, f.severity) for f in found] == [("P1", "info")]
