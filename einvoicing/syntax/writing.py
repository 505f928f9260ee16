"""What the CII and UBL writers share: building prefixed elements with lxml."""

from lxml import etree


def element(nsmap, parent, tag, text=None, **attrs):
    """Append ``prefix:name`` (prefix looked up in ``nsmap``) to ``parent``."""
    prefix, name = tag.split(":")
    node = etree.SubElement(parent, f"{{{nsmap[prefix]}}}{name}", **attrs)
    if text is not None:
        node.text = str(text)
    return node


def optional(nsmap, parent, tag, text, **attrs):
    """:func:`element` unless ``text`` is None or empty."""
    if text not in (None, ""):
        element(nsmap, parent, tag, text, **attrs)
