"""Factur-X PDF/A-3: embed a CII invoice into a PDF, extract it back, detect the profile.

    pdf = embed(xml)               # draws a simple readable PDF when none is given
    pdf = embed(xml, pdf=base)     # or uses yours
    xml, profile = extract(pdf)

Embedding uses the factur-x library (attachment ``factur-x.xml`` with
AFRelationship, Factur-X XMP extension schema, pdfaid part 3) and then adds
the sRGB output intent that library does not write. Extraction reads the
attachment with pikepdf, bounded in size, and parses it with the hardened
:func:`einvoicing.xmlutil.parse_xml` (never the library's lax parser).
"""

import functools
import io
import zlib

from .xmlutil import DEFAULT_MAX_BYTES, UnreadableInput, check_size, parse_xml

CII_NS = "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100"
XML_NAMES = ("factur-x.xml", "zugferd-invoice.xml", "xrechnung.xml")


class FacturXError(UnreadableInput):
    """A PDF or XML that cannot be turned into / read as a Factur-X document."""

    def __init__(self, message, code="facturx_error", **params):
        super().__init__(message, code=code, **params)


def detect_profile(xml):
    """Factur-X profile of a CII invoice (bytes or element): "minimum", "basicwl",
    "basic", "en16931", "extended" or "extended-ctc-fr"."""
    from facturx import get_level

    root = parse_xml(xml) if isinstance(xml, (bytes, bytearray, str)) else xml
    if root.tag != f"{{{CII_NS}}}CrossIndustryInvoice":
        raise FacturXError(f"Root element {root.tag!r} is not a CII CrossIndustryInvoice; "
                           "Factur-X carries CII XML.", code="facturx_not_cii")
    try:
        return get_level(root, flavor="factur-x")
    except Exception as exc:  # the library raises bare ValueError/Exception
        raise FacturXError(
            f"Cannot tell the Factur-X profile: {exc}. Set BT-24 (ExchangedDocumentContext/"
            "GuidelineSpecifiedDocumentContextParameter/ID), e.g. 'urn:cen.eu:en16931:2017'.",
            code="facturx_profile_unknown",
        ) from exc


def embed(xml, pdf=None, *, lang="fr-FR", pdf_metadata=None):
    """Return a Factur-X PDF/A-3 embedding ``xml`` (CII bytes) into ``pdf`` (bytes).

    When ``pdf`` is None a simple readable PDF is drawn from the XML. The XML
    is not validated here: call :func:`einvoicing.validation.validate_cii`.
    """
    from facturx import generate_from_binary

    root = parse_xml(xml, name="Factur-X XML")
    profile = detect_profile(root)
    if pdf is None:
        from .pdf_render import render_invoice_pdf

        pdf = render_invoice_pdf(root)
    else:
        open_pdf(pdf, "base PDF").close()
    try:
        out = generate_from_binary(
            bytes(pdf), bytes(xml), flavor="factur-x", level=profile, check_xsd=False,
            check_schematron=False, pdf_metadata=pdf_metadata, lang=lang,
            afrelationship="data",
        )
    except Exception as exc:
        raise FacturXError(f"The factur-x library could not embed the XML: {exc}",
                           code="facturx_embed_failed") from exc
    return _add_output_intent(out)


@functools.cache
def _srgb_icc_flate():
    """The sRGB ICC profile, Flate-compressed (built once per process)."""
    from PIL import ImageCms

    return zlib.compress(ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes())


def _add_output_intent(pdf_bytes):
    """Add the sRGB output intent PDF/A requires (one pikepdf open and save).

    Saved with ``compress_streams=False``: the ICC stream is compressed here and
    every other stream is kept as the factur-x library wrote it; letting qpdf
    re-examine and recompress all streams tripled the cost of this step.
    """
    import pikepdf

    with pikepdf.open(io.BytesIO(pdf_bytes)) as pdf:
        if "/OutputIntents" not in pdf.Root:
            icc = pikepdf.Stream(pdf, _srgb_icc_flate())
            icc.N, icc.Filter = 3, pikepdf.Name.FlateDecode
            intent = pikepdf.Dictionary(
                Type=pikepdf.Name.OutputIntent, S=pikepdf.Name.GTS_PDFA1,
                OutputConditionIdentifier="sRGB IEC61966-2.1", RegistryName="http://www.color.org",
                Info="sRGB IEC61966-2.1", DestOutputProfile=pdf.make_indirect(icc),
            )
            pdf.Root.OutputIntents = pikepdf.Array([pdf.make_indirect(intent)])
        out = io.BytesIO()
        pdf.save(out, compress_streams=False)
    return out.getvalue()


def open_pdf(data, what="file"):
    """``data`` opened with pikepdf; :class:`FacturXError` when it is not a readable PDF."""
    import pikepdf

    if not isinstance(data, (bytes, bytearray)) or b"%PDF-" not in bytes(data[:1024]):
        raise FacturXError(f"The {what} is not a PDF (no %PDF- header).", code="not_a_pdf")
    try:
        return pikepdf.open(io.BytesIO(bytes(data)))
    except pikepdf.PasswordError as exc:
        raise FacturXError(f"The {what} is encrypted; give an unencrypted PDF.",
                           code="pdf_encrypted") from exc
    except pikepdf.PdfError as exc:
        raise FacturXError(f"The {what} is a damaged PDF: {exc}.", code="pdf_damaged") from exc


def _read_capped(stream, max_bytes):
    """Bytes of an embedded file, refusing decompression bombs."""
    import pikepdf

    filters = stream.get("/Filter")
    if filters == pikepdf.Name.FlateDecode and "/DecodeParms" not in stream:
        inflater = zlib.decompressobj()
        data = inflater.decompress(stream.read_raw_bytes(), max_bytes + 1)
    else:
        data = stream.read_bytes()
    check_size(data, max_bytes, "embedded XML")
    return data


def extract(pdf, max_bytes=DEFAULT_MAX_BYTES):
    """Return ``(xml_bytes, profile)`` of the Factur-X invoice embedded in ``pdf``.

    :raises FacturXError: not a PDF, damaged, encrypted, or no invoice XML inside.
    """
    import pikepdf

    check_size(pdf, max_bytes, "PDF")
    with open_pdf(pdf) as doc:
        try:
            attachments = {name.lower(): spec for name, spec in doc.attachments.items()}
        except (pikepdf.PdfError, AttributeError, KeyError, TypeError, ValueError) as exc:
            raise _damaged("attachment list", exc) from exc
        name = next((n for n in XML_NAMES if n in attachments), None)
        if name is None:
            found = ", ".join(sorted(attachments)) or "none"
            raise FacturXError(
                "This PDF carries no Factur-X invoice XML (expected an attachment named "
                f"factur-x.xml; attachments found: {found}). It is a plain PDF, not an "
                "e-invoice.", code="pdf_without_xml", attachments=sorted(attachments))
        try:
            stream = attachments[name].obj.EF.F
            if not isinstance(stream, pikepdf.Stream):
                raise TypeError(f"the embedded file is a {type(stream).__name__}, not a stream")
            xml = _read_capped(stream, max_bytes)
        except (pikepdf.PdfError, AttributeError, KeyError, TypeError, zlib.error) as exc:
            # a file specification without its embedded stream, or a corrupt stream
            raise _damaged(f"attachment {name}", exc) from exc
    root = parse_xml(xml, max_bytes, name=name)
    return xml, detect_profile(root)


def _damaged(what, exc):
    return FacturXError(f"The {what} of this PDF is damaged and cannot be read ({exc}); "
                        "export the Factur-X PDF again.", code="pdf_attachment_damaged")

