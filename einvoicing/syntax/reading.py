"""What the CII and UBL readers share: XPath lookups that tolerate missing parts, and the
French reading of a party's legal registration id (scheme 0002 = SIREN)."""

from ..invoice.values import parse_decimal


def first(node, path, namespaces):
    """The first match of ``path`` under ``node`` (None when ``node`` or the match is missing)."""
    if node is None:
        return None
    found = node.xpath(path, namespaces=namespaces)
    return found[0] if found else None


def text(node, path, namespaces):
    """Stripped text of the first match (an element or an attribute), None when empty."""
    found = first(node, path, namespaces)
    if found is None:
        return None
    value = (found if isinstance(found, str) else found.text or "").strip()
    return value or None


def decimal(node, path, namespaces):
    value = text(node, path, namespaces)
    return None if value is None else parse_decimal(value, path.split("/")[-1])


def legal_ids(legal):
    """Party keyword arguments from a legal registration id element (BT-30 / BT-47):
    scheme 0002 is the SIREN, any other scheme is kept as ``legal_id``."""
    scheme = legal.get("schemeID") if legal is not None else None
    legal_id = (legal.text or "").strip() if legal is not None else None
    if scheme == "0002":
        return {"siren": legal_id, "legal_id": None, "legal_id_scheme": None}
    return {"siren": None, "legal_id": legal_id, "legal_id_scheme": scheme}
