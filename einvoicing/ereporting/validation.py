"""Validate flux 10 XML with the official rules: the e-reporting XSD, then the PPF Flux 10
schematron v1.0 (XSLT 2, saxonche), in the same findings format as invoices.

The PPF's own temporary limitations (AIFE "Annexe limitations Schematron F10" v1.0)
are reported as warnings: the target rule passes, but the PPF may refuse the file
until the limitation is lifted.
"""

from ..validation.findings import Finding, Report
from ..validation.rulesets import RuleSet, run_schematrons, run_xsd
from ..validation.validator import register_root
from ..xmlutil import DEFAULT_MAX_BYTES, parse_xml
from .model import EReportError
from .report_xml import etree, is_report

KIND = "ereporting"
F10_XSD = RuleSet("xsd", "ereporting-f10", "xsd")
PPF_F10 = RuleSet("schematron", "ppf-f10", "ppf-f10")
PPF_INVOICE_ID_LIMIT = 20  # lifted "December 2026" (Annexe limitations, G1.05)
PPF_TT80_LIMIT = ("3", "5", "432")  # 10.3 TaxDueDateTypeCode values refused until S1 2027

FLOW_TYPES = {
    ("transactions", "SE", "10.1"): "UnitaryCustomerTransactionReport",
    ("transactions", "BY", "10.1"): "UnitarySupplierTransactionReport",
    ("transactions", "SE", "10.3"): "AggregatedCustomerTransactionReport",
    ("payments", "SE", "10.2"): "UnitaryCustomerPaymentReport",
    ("payments", "SE", "10.4"): "AggregatedCustomerPaymentReport",
}
PROCESSING_RULES = {"10.1": "B2BInt", "10.2": "B2BInt", "10.3": "B2C", "10.4": "B2C"}


def sub_flows_of(root):
    """The sub-flows a ``Report`` element carries, e.g. ("10.1",) or ("10.1", "10.3")."""
    found = []
    for path, name in (("TransactionsReport/Invoice", "10.1"),
                       ("PaymentsReport/Invoice", "10.2"),
                       ("TransactionsReport/Transactions", "10.3"),
                       ("PaymentsReport/Transactions", "10.4")):
        if root.find(path) is not None:
            found.append(name)
    return tuple(found)


def flow_type_of(root):
    """AFNOR FlowType of a ``Report`` element (``MultiFlowReport`` for several sub-flows).

    A report without any entry (a "nothing to report" transmission) is typed after
    its body: customer transactions or customer payments.
    """
    flows = sub_flows_of(root)
    family = "payments" if root.find("PaymentsReport") is not None else "transactions"
    role = (root.findtext("ReportDocument/Issuer/RoleCode") or "SE").strip()
    if len(flows) > 1:
        return "MultiFlowReport"
    default = "10.2" if family == "payments" else "10.1"
    return FLOW_TYPES.get((family, role, flows[0] if flows else default),
                          "UnitaryCustomerTransactionReport")


def processing_rule_of(root):
    """AFNOR ProcessingRule: B2C for 10.3/10.4, B2BInt for 10.1/10.2 (None when mixed)."""
    rules = {PROCESSING_RULES[f] for f in sub_flows_of(root)}
    if len(rules) == 1:
        return rules.pop()
    return None if rules else "B2BInt"


def validate_report(xml, *, filename=None, max_bytes=DEFAULT_MAX_BYTES):
    """Validate flux 10 XML (bytes or element): XSD + PPF schematron + PPF limitations."""
    root = xml if isinstance(xml, etree._Element) else parse_xml(xml, max_bytes, filename)
    if not is_report(root):
        raise EReportError(f"The XML file{f' ({filename})' if filename else ''} has root "
                           f"{etree.QName(root).localname!r}; a flux 10 e-report starts with "
                           "<Report> (no namespace).", code="ereport_not_report")
    report = Report(kind=KIND, profile=flow_type_of(root), filename=filename)
    report.findings.extend(run_xsd(F10_XSD, root))
    report.rule_sets.append(F10_XSD.label)
    report.findings.extend(run_schematrons([PPF_F10], root))
    report.rule_sets.append(PPF_F10.label)
    report.findings.extend(_ppf_limitations(root))
    return report


def _ppf_limitations(root):
    findings = []
    for element in root.iterfind("TransactionsReport/Invoice/ID"):
        value = (element.text or "").strip()
        if len(value) > PPF_INVOICE_ID_LIMIT:
            findings.append(Finding(
                "PPF-LIMIT-G1.05", "warning",
                f"Invoice number {value!r} has {len(value)} characters: the rule allows 35 but "
                f"the PPF accepts at most {PPF_INVOICE_ID_LIMIT} until December 2026 (AIFE "
                "annex of limitations, schematron F10 v1.0).",
                root.getroottree().getpath(element), "TT-19", "ppf-f10"))
    for element in root.iterfind("TransactionsReport/Transactions/TaxDueDateTypeCode"):
        if (element.text or "").strip() in PPF_TT80_LIMIT:
            findings.append(Finding(
                "PPF-LIMIT-P1.11", "warning",
                f"VAT payment option {element.text.strip()!r}: the PPF accepts only 2-character "
                "values (not 3, 5 or 432) until the first half of 2027 (AIFE annex of "
                "limitations, schematron F10 v1.0).",
                root.getroottree().getpath(element), "TT-80", "ppf-f10"))
    return findings


register_root(None, "Report", validate_report)
