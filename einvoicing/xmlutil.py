"""The one hardened XML entry point of the core.

Every module that reads XML coming from outside (invoices, CDAR messages,
platform answers) calls :func:`parse_xml`. It refuses, with a clear
:class:`UnreadableInput` error, input that is too large, not XML at all, or
that carries a DOCTYPE (no e-invoicing syntax uses one; a DOCTYPE is how
entity bombs and external entities get in). The lxml parser itself never
resolves entities, never loads a DTD and never touches the network, so even
a document slipped past the DOCTYPE check cannot expand or fetch anything.
"""


from lxml import etree

from .errors import InputError

DEFAULT_MAX_BYTES = 20_000_000
# Saxon (the schematron runner) refuses elements nested deeper than the JDK's 100 levels;
# refuse them here too, so that every reader and validator gives the same clear error.
# E-invoicing documents nest about 10 levels.
MAX_DEPTH = 100
_TOO_DEEP = "boolean(" + "/*" * (MAX_DEPTH + 1) + ")"
# A DOCTYPE can only appear before the root element; scan that prolog (UTF-8 or UTF-16).
# Plain substring searches: a regex alternation here cost as much as the parse itself.
_PROLOG_SCAN = 64_000
_DOCTYPE_MARKER = b"<!DOCTYPE"
_UTF16_DOCTYPE_MARKERS = (b"<\x00!\x00D\x00O\x00C\x00", b"\x00<\x00!\x00D\x00O\x00C")


class UnreadableInput(InputError):
    """Input that cannot be read at all (not XML/PDF, too large, hostile)."""

    def __init__(self, message, code="unreadable_input", **params):
        super().__init__(message, code=code, **params)


def safe_xml_parser():
    """Return a new lxml parser that resolves nothing and reads nothing remote.

    A new parser per call: lxml parsers are not thread-safe to share.
    """
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        huge_tree=False,
        load_dtd=False,
        dtd_validation=False,
        remove_blank_text=False,
        collect_ids=False,
    )


def _describe(name):
    return f" ({name})" if name else ""


def check_size(data, max_bytes=DEFAULT_MAX_BYTES, name=None):
    """Raise :class:`UnreadableInput` when ``data`` is larger than ``max_bytes``."""
    if len(data) > max_bytes:
        raise UnreadableInput(
            f"The file{_describe(name)} is {len(data):,} bytes, over the limit of "
            f"{max_bytes:,} bytes; an e-invoice is normally a few hundred kilobytes. "
            "Check that this is the right file.",
            code="input_too_large",
            size=len(data),
            max_bytes=max_bytes,
        )


def parse_xml(data, max_bytes=DEFAULT_MAX_BYTES, name=None):
    """Parse ``data`` (bytes) into an lxml element, safely.

    :raises UnreadableInput: empty, oversized, not well-formed, nested deeper than
        ``MAX_DEPTH``, or carrying a DOCTYPE / entity declarations.
    """
    if isinstance(data, str):
        data = data.encode("utf-8")
    if not isinstance(data, (bytes, bytearray, memoryview)):
        raise UnreadableInput(
            f"XML input{_describe(name)} must be bytes, got {type(data).__name__}.",
            code="input_not_bytes",
        )
    data = bytes(data)
    check_size(data, max_bytes, name)
    if not data.strip():
        raise UnreadableInput(
            f"The file{_describe(name)} is empty; expected an XML document.",
            code="input_empty",
        )
    if _declares_doctype(data):
        _refuse_doctype(name, "declared in the prolog")
    try:
        root = etree.fromstring(data, parser=safe_xml_parser())
    except etree.XMLSyntaxError as exc:
        raise UnreadableInput(
            f"The file{_describe(name)} is not well-formed XML: {exc}. "
            "Expected a CII, UBL or CDAR XML document.",
            code="xml_not_well_formed",
            detail=str(exc),
        ) from exc
    docinfo = root.getroottree().docinfo
    if docinfo.doctype or docinfo.internalDTD is not None or docinfo.externalDTD is not None:
        _refuse_doctype(name, docinfo.doctype)
    if root.xpath(_TOO_DEEP):
        raise UnreadableInput(
            f"The XML file{_describe(name)} nests elements more than {MAX_DEPTH} levels deep; "
            "an e-invoicing document never does. Check that this is the right file.",
            code="xml_too_deep", max_depth=MAX_DEPTH)
    return root


def _declares_doctype(data):
    if data.find(_DOCTYPE_MARKER, 0, _PROLOG_SCAN) != -1:
        return True
    # The UTF-16 markers contain NUL bytes: only look for them when there is one.
    if data.find(b"\x00", 0, _PROLOG_SCAN) == -1:
        return False
    return any(data.find(marker, 0, _PROLOG_SCAN) != -1 for marker in _UTF16_DOCTYPE_MARKERS)


def _refuse_doctype(name, doctype):
    raise UnreadableInput(
        f"The XML file{_describe(name)} declares a DOCTYPE ({doctype}); "
        "DTDs and entity declarations are refused for security (entity bombs, "
        "external entities). E-invoicing XML never needs one: remove the DOCTYPE.",
        code="xml_doctype_forbidden",
        doctype=doctype,
    )


def local_name(element):
    """Local name of an element (without namespace)."""
    return etree.QName(element).localname
