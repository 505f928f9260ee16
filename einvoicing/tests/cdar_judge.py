"""Test helper: judge a CDAR message with the official D22B XSD and BR-FR-CDV schematron.

Both are compiled once per test session. Returns the list of problems (XSD
errors and ``svrl:failed-assert`` texts); an empty list means valid.
"""

from functools import lru_cache

from lxml import etree

from einvoicing.standards import STANDARDS_DIR

XSD = STANDARDS_DIR / "cdar" / "xsd" / "CrossDomainAcknowledgementAndResponse_100pD22B.xsd"
SCHEMATRON = STANDARDS_DIR / "cdar" / "BR-FR-CDV-Schematron-CDAR.xslt"
SVRL = "{http://purl.oclc.org/dsdl/svrl}"


@lru_cache(maxsize=1)
def _schema():
    return etree.XMLSchema(etree.parse(str(XSD)))


@lru_cache(maxsize=1)
def _own_saxon():
    from saxonche import PySaxonProcessor

    processor = PySaxonProcessor(license=False)
    executable = processor.new_xslt30_processor().compile_stylesheet(
        stylesheet_file=str(SCHEMATRON))
    return processor, executable


def _svrl(text):
    try:  # the project's thread-safe Saxon runner, when present
        from einvoicing.validation.saxon import run_stylesheets
    except ImportError:
        processor, executable = _own_saxon()
        return executable.transform_to_string(xdm_node=processor.parse_xml(xml_text=text))
    return run_stylesheets(text, [SCHEMATRON])[0]


def judge(xml):
    """Problems found in ``xml`` (bytes) by the XSD and the schematron."""
    doc = etree.fromstring(xml)
    schema = _schema()
    problems = [f"XSD: {e.message}" for e in schema.error_log] if not schema.validate(
        etree.ElementTree(doc)) else []
    svrl = etree.fromstring(_svrl(xml.decode("utf-8-sig")).encode("utf-8"))
    for failed in svrl.iter(f"{SVRL}failed-assert"):
        problems.append(" ".join("".join(failed.itertext()).split()))
    return problems
