"""CII build: every scenario passes the XSDs and the three official schematrons."""

import pytest
from _invoice_scenarios import SCENARIOS, intra_community
from _official_rules import findings, rule_ids
from lxml import etree

from einvoicing.invoice import Note
from einvoicing.syntax import from_cii, to_cii

NS = {"ram": "urn:un:unece:uncefact:data:standard:"
             "ReusableAggregateBusinessInformationEntity:100",
      "rsm": "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100"}


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_scenario_passes_xsd_and_all_schematrons(name):
    inv = SCENARIOS[name]()
    assert inv.problems() == []
    assert findings(to_cii(inv)) == []


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_scenario_round_trips_through_cii(name):
    inv = SCENARIOS[name]()
    back = from_cii(to_cii(inv))
    assert back.totals() == inv.totals()
    assert back.declared_totals == inv.totals()
    back.declared_totals = None
    assert back == _resolved(inv)


def _resolved(inv):
    """The invoice with percent allowances stated with their base and amount, as in XML."""
    from einvoicing.invoice.totals import _group_bases, line_gross, vat_key

    for line in inv.lines:
        line.line_total = line.net_amount()
        for adj in line.allowances_charges:
            if adj.percent is None:
                continue
            adj.base_amount = adj.base_amount or line_gross(line)
            adj.amount = adj.actual_amount(adj.base_amount)
    bases = _group_bases(inv)
    for adj in inv.allowances_charges:
        if adj.percent is not None:
            adj.base_amount = bases[vat_key(adj.vat_category, adj.vat_rate)]
            adj.amount = adj.actual_amount(adj.base_amount)
    return inv


def _xpath(xml, path):
    return etree.fromstring(xml).xpath(path, namespaces=NS)


def test_french_mentions_are_where_the_rules_look():
    xml = to_cii(SCENARIOS["vat_on_debits"]())
    ctx = "//rsm:ExchangedDocumentContext/ram:BusinessProcessSpecifiedDocumentContextParameter"
    assert _xpath(xml, f"string({ctx}/ram:ID)") == "S1"
    seller = "//ram:SellerTradeParty"
    assert _xpath(xml, f"string({seller}/ram:SpecifiedLegalOrganization/ram:ID"
                       "[@schemeID='0002'])") == "123456782"
    assert _xpath(xml, f"string({seller}/ram:GlobalID[@schemeID='0009'])") == "12345678200010"
    assert _xpath(xml, "string(//ram:BuyerTradeParty/ram:URIUniversalCommunication/ram:URIID"
                       "[@schemeID='0225'])") == "987654324"
    codes = _xpath(xml, "//ram:ApplicableHeaderTradeSettlement/ram:ApplicableTradeTax"
                        "/ram:DueDateTypeCode/text()")
    assert codes == ["5", "5"]
    assert set(_xpath(xml, "//ram:IncludedNote/ram:SubjectCode/text()")) >= {
        "PMT", "PMD", "AAB", "BAR"}


def test_credit_note_references_its_invoice():
    xml = to_cii(SCENARIOS["credit_note"]())
    ref = "//ram:ApplicableHeaderTradeSettlement/ram:InvoiceReferencedDocument"
    assert _xpath(xml, f"string({ref}/ram:IssuerAssignedID)") == "FA-2025-0101"
    assert _xpath(xml, "string(//rsm:ExchangedDocument/ram:TypeCode)") == "381"


def test_exemption_reason_in_vat_breakdown():
    xml = to_cii(SCENARIOS["multi_rate"]())
    tax = _xpath(xml, "//ram:ApplicableHeaderTradeSettlement/ram:ApplicableTradeTax"
                      "[ram:CategoryCode='E']")[0]
    assert tax.findtext("ram:ExemptionReasonCode", namespaces=NS) == "VATEX-EU-132"
    assert tax.findtext("ram:RateApplicablePercent", namespaces=NS) == "0.00"


def test_broken_xml_is_reported_by_the_official_rules():
    inv = intra_community()
    inv.notes = [n for n in inv.notes if n.subject_code not in ("PMT", "AAB")]
    inv.seller.siret = "98765432400019"
    inv.notes.append(Note("B2B", "BAR"))
    xml = to_cii(inv, check=False)
    rules = rule_ids(xml)
    assert {"BR-FR-05_BT-22_PMT", "BR-FR-05_BT-22_AAB", "BR-FR-09_BT-29"} <= rules
    assert "BR-FR-31" in " ".join(rules)


def test_wrong_totals_in_xml_fail_en16931():
    xml = to_cii(SCENARIOS["goods_B1"]())
    tampered = xml.replace(b"<ram:GrandTotalAmount>5568.00<",
                           b"<ram:GrandTotalAmount>5586.00<")
    assert tampered != xml
    assert "BR-CO-15" in rule_ids(tampered)
