"""Factur-X PDF/A-3: embed, extract, profile, PDF structure (pikepdf)."""

import io

import pikepdf
import pytest
from lxml import etree

from einvoicing.facturx import FacturXError, detect_profile, embed, extract
from einvoicing.invoice.samples import sample_invoice
from einvoicing.syntax import to_cii
from einvoicing.validation import validate

FX_NS = "urn:factur-x:pdfa:CrossIndustryDocument:invoice:1p0#"
PDFAID_NS = "http://www.aiim.org/pdfa/ns/id/"
RDF = "{http://www.w3.org/1999/02/22-rdf-syntax-ns#}"


@pytest.fixture(scope="module")
def xml():
    return to_cii(sample_invoice())


@pytest.fixture(scope="module")
def pdf(xml):
    return embed(xml)


def _xmp_value(xmp_root, ns, name):
    for desc in xmp_root.iter(f"{RDF}Description"):
        if desc.get(f"{{{ns}}}{name}") is not None:
            return desc.get(f"{{{ns}}}{name}")
        node = desc.find(f"{{{ns}}}{name}")
        if node is not None:
            return node.text
    return None


def test_round_trip_gives_the_same_xml(xml, pdf):
    extracted, profile = extract(pdf)
    assert extracted == xml
    assert profile == "en16931"


def test_pdf_structure(pdf):
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        intents = doc.Root.OutputIntents
        assert len(intents) == 1
        assert intents[0].S == "/GTS_PDFA1"
        icc = intents[0].DestOutputProfile.read_bytes()
        assert icc[36:40] == b"acsp", "DestOutputProfile must be an ICC profile"
        xmp = etree.fromstring(doc.Root.Metadata.read_bytes())
        assert _xmp_value(xmp, PDFAID_NS, "part") == "3"
        assert _xmp_value(xmp, FX_NS, "DocumentType") == "INVOICE"
        assert _xmp_value(xmp, FX_NS, "ConformanceLevel") == "EN 16931"
        assert _xmp_value(xmp, FX_NS, "DocumentFileName") == "factur-x.xml"
        spec = doc.attachments["factur-x.xml"]
        assert spec.obj.AFRelationship == "/Data"
        assert any(item.objgen == spec.obj.objgen for item in doc.Root.AF)
        for _name, font in doc.pages[0].Resources.Font.items():
            for f in font.get("/DescendantFonts", [font]):
                desc = f.FontDescriptor
                assert any(k in desc for k in ("/FontFile", "/FontFile2", "/FontFile3")), \
                    f"font {f.BaseFont} not embedded"


def test_drawn_pdf_shows_the_invoice(pdf):
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        assert len(doc.pages) >= 1
        content = b"".join(c.read_bytes() for c in doc.pages[0].obj.Contents.as_list()) \
            if isinstance(doc.pages[0].obj.Contents, pikepdf.Array) \
            else doc.pages[0].obj.Contents.read_bytes()
    assert b"Tj" in content, "the page must draw text"


def test_validate_pdf_is_valid_and_structure_clean(pdf):
    report = validate(pdf, filename="fx.pdf")
    assert report.kind == "facturx-pdf"
    assert report.profile == "en16931"
    assert report.valid, [str(f) for f in report.errors]
    assert [f for f in report.findings if f.source == "pdf"] == []
    assert "pdf:structure" in report.rule_sets


def test_embed_into_given_pdf(xml):
    base = pikepdf.new()
    base.add_blank_page()
    out = io.BytesIO()
    base.save(out)
    result = embed(xml, pdf=out.getvalue())
    assert extract(result)[0] == xml
    with pikepdf.open(io.BytesIO(result)) as doc:
        assert len(doc.pages) == 1
        assert "/OutputIntents" in doc.Root


def test_plain_attachment_without_xmp_is_reported(xml):
    """A PDF carrying factur-x.xml but none of the Factur-X metadata is not a Factur-X."""
    doc = pikepdf.new()
    doc.add_blank_page()
    doc.attachments["factur-x.xml"] = pikepdf.AttachedFileSpec(doc, xml)
    out = io.BytesIO()
    doc.save(out)
    report = validate(out.getvalue())
    pdf_rules = {f.rule_id: f.severity for f in report.findings if f.source == "pdf"}
    assert pdf_rules["FX-PDF-XMP"] == "fatal"
    assert pdf_rules["FX-PDF-OUTPUT-INTENT"] == "warning"
    assert pdf_rules["FX-PDF-AFRELATIONSHIP"] == "warning"
    assert not report.valid


@pytest.mark.parametrize("guideline,profile", [
    ("urn:cen.eu:en16931:2017", "en16931"),
    ("urn:cen.eu:en16931:2017#compliant#urn:factur-x.eu:1p0:basic", "basic"),
    ("urn:factur-x.eu:1p0:minimum", "minimum"),
    ("urn:factur-x.eu:1p0:basicwl", "basicwl"),
    ("urn:cen.eu:en16931:2017#conformant#urn:factur-x.eu:1p0:extended", "extended"),
])
def test_detect_profile(xml, guideline, profile):
    changed = xml.replace(b"urn:cen.eu:en16931:2017", guideline.encode(), 1)
    assert detect_profile(changed) == profile


def test_detect_profile_errors(xml):
    with pytest.raises(FacturXError, match="BT-24"):
        detect_profile(xml.replace(b"urn:cen.eu:en16931:2017", b"urn:nothing", 1))
    with pytest.raises(FacturXError, match="not a CII"):
        detect_profile(b"<Invoice/>")


def test_minimum_profile_is_not_checked_as_en16931(xml):
    report = validate(xml.replace(b"urn:cen.eu:en16931:2017", b"urn:factur-x.eu:1p0:minimum", 1))
    assert report.profile == "minimum"
    assert "PROFILE-NOT-EN16931" in {f.rule_id for f in report.warnings}
    assert not any(r.startswith(("en16931:", "br-fr:")) for r in report.rule_sets)
