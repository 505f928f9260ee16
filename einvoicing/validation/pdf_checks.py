"""Structural Factur-X / PDF/A-3 checks with pikepdf.

What is checked: output intent (GTS_PDFA1 with an ICC profile), XMP metadata
(pdfaid part 3, Factur-X extension fx:DocumentType / DocumentFileName /
ConformanceLevel matching the XML profile), the factur-x.xml attachment with
an AFRelationship and listed in the catalog /AF, fonts embedded, no
encryption. What is NOT checked (needs veraPDF, not available here): the full
PDF/A-3 rule set (colour spaces of every object, XMP/Info equivalence,
transparency, annotations, ...).
"""

from ..facturx import open_pdf
from ..xmlutil import UnreadableInput, parse_xml
from .findings import Finding

FX_NS = "urn:factur-x:pdfa:CrossIndustryDocument:invoice:1p0#"
PDFAID_NS = "http://www.aiim.org/pdfa/ns/id/"
PROFILE_XMP = {"minimum": "MINIMUM", "basicwl": "BASIC WL", "basic": "BASIC",
               "en16931": "EN 16931", "extended": "EXTENDED"}


def _finding(rule_id, severity, message, location=None):
    return Finding(rule_id, severity, message, location, None, "pdf")


def _xmp_value(root, ns, name):
    """Value of an XMP property written either as element or as attribute."""
    for desc in root.iter("{http://www.w3.org/1999/02/22-rdf-syntax-ns#}Description"):
        if desc.get(f"{{{ns}}}{name}") is not None:
            return desc.get(f"{{{ns}}}{name}").strip()
        element = desc.find(f"{{{ns}}}{name}")
        if element is not None:
            return (element.text or "").strip()
    return None


def _xmp_findings(doc, profile):
    if "/Metadata" not in doc.Root:
        return [_finding("FX-PDF-XMP", "fatal", "The PDF has no XMP metadata; Factur-X needs the "
                         "fx: extension schema (DocumentType, ConformanceLevel).", "/Metadata")]
    try:
        xmp = parse_xml(doc.Root.Metadata.read_bytes(), name="XMP metadata")
    except UnreadableInput as exc:
        return [_finding("FX-PDF-XMP", "fatal", f"Unreadable XMP metadata: {exc}", "/Metadata")]
    out = []
    if _xmp_value(xmp, PDFAID_NS, "part") != "3":
        out.append(_finding("FX-PDF-PDFA-PART", "warning",
                            "XMP pdfaid:part is not 3: the file does not claim PDF/A-3.",
                            "/Metadata"))
    if _xmp_value(xmp, FX_NS, "DocumentType") != "INVOICE":
        out.append(_finding("FX-PDF-XMP-DOCTYPE", "fatal",
                            "XMP fx:DocumentType is missing or not INVOICE.", "/Metadata"))
    if _xmp_value(xmp, FX_NS, "DocumentFileName") != "factur-x.xml":
        out.append(_finding("FX-PDF-XMP-FILENAME", "warning",
                            "XMP fx:DocumentFileName is not factur-x.xml.", "/Metadata"))
    level = _xmp_value(xmp, FX_NS, "ConformanceLevel")
    expected = PROFILE_XMP.get(profile or "")
    if level is None or (expected and level != expected):
        out.append(_finding("FX-PDF-XMP-LEVEL", "fatal",
                            f"XMP fx:ConformanceLevel is {level!r} but the XML profile is "
                            f"{profile!r} (expected {expected!r}).", "/Metadata"))
    return out


def _intent_findings(doc):
    intents = doc.Root.get("/OutputIntents") or []
    for intent in intents:
        if intent.get("/S") == "/GTS_PDFA1" and "/DestOutputProfile" in intent:
            return []
    return [_finding("FX-PDF-OUTPUT-INTENT", "warning", "No PDF/A output intent (GTS_PDFA1 "
                     "with an ICC profile): PDF/A-3 requires one.", "/OutputIntents")]


def _attachment_findings(doc):
    specs = {name.lower(): spec for name, spec in doc.attachments.items()}
    spec = specs.get("factur-x.xml")
    if spec is None:
        return [_finding("FX-PDF-ATTACHMENT", "warning", "The XML is not attached under the "
                         "Factur-X name factur-x.xml.", "/Names/EmbeddedFiles")]
    out = []
    relation = spec.obj.get("/AFRelationship")
    if relation not in ("/Data", "/Source", "/Alternative"):
        out.append(_finding("FX-PDF-AFRELATIONSHIP", "warning", "factur-x.xml has AFRelationship "
                            f"{relation} (expected Data, Source or Alternative).",
                            "/Names/EmbeddedFiles/factur-x.xml"))
    af = doc.Root.get("/AF") or []
    if not any(item.objgen == spec.obj.objgen for item in af):
        out.append(_finding("FX-PDF-AF", "warning", "factur-x.xml is not listed in the catalog "
                            "/AF array (PDF/A-3 associated files).", "/AF"))
    return out


def _font_findings(doc):
    missing = set()
    for page in doc.pages:
        fonts = page.obj.get("/Resources", {}).get("/Font", {})
        for _key, font in fonts.items():
            for f in font.get("/DescendantFonts", [font]):
                desc = f.get("/FontDescriptor")
                if f.get("/Subtype") == "/Type3":
                    continue
                if desc is None or not any(k in desc for k in ("/FontFile", "/FontFile2",
                                                                "/FontFile3")):
                    missing.add(str(f.get("/BaseFont")))
    if not missing:
        return []
    return [_finding("FX-PDF-FONTS", "warning", "Fonts not embedded (PDF/A requires embedded "
                     f"fonts): {', '.join(sorted(missing))}.", "/Resources/Font")]


def structure_findings(doc, profile):
    """All structural findings for an opened pikepdf document."""
    findings = []
    if doc.is_encrypted:
        findings.append(_finding("FX-PDF-ENCRYPTED", "warning", "The PDF is encrypted; "
                                 "PDF/A forbids encryption."))
    findings += _checked(_xmp_findings, doc, profile)
    findings += _checked(_intent_findings, doc)
    findings += _checked(_attachment_findings, doc)
    findings += _checked(_font_findings, doc)
    return findings


def _checked(check, doc, *args):
    """The findings of one check; a PDF object of an unexpected type is a finding too."""
    import pikepdf

    try:
        return check(doc, *args)
    except (pikepdf.PdfError, AttributeError, KeyError, TypeError, ValueError) as exc:
        return [_finding("FX-PDF-STRUCTURE", "fatal", "The PDF structure is damaged and could "
                         f"not be checked ({check.__name__.strip('_')}: {exc}); export the "
                         "Factur-X PDF again.")]


def pdf_findings(pdf, profile):
    """Factur-X / PDF/A-3 structure checks made with pikepdf (no veraPDF here)."""
    with open_pdf(pdf) as doc:
        return structure_findings(doc, profile)
