# Copyright 2026 The l10n_fr_einvoice_pa authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Seeds and mutations of tools/fuzz.py (deterministic: every choice comes from one Random).

Seeds: the official examples vendored in the repository (CII, CDAR), the core's own
builders (sample invoices in CII and UBL, CDAR messages of every status, flux 10 reports
of each kind) and Factur-X PDFs embedding them.

Mutations: byte flips / inserts / deletes, truncation, chunk duplication; XML-aware
element deletion, duplication, reordering, huge or odd values (numbers, dates, unicode),
renamed namespaces, deep nesting; wrong encodings (UTF-16, Latin-1 under a UTF-8
declaration, invalid UTF-8, BOMs); hostile documents (billion laughs, external entities,
parameter entities, XInclude, DOCTYPE hidden after comments or in UTF-16); and for PDFs:
broken, missing, duplicated or renamed attachments, corrupt Flate streams, plain PDFs.
"""

import copy
import io
import sys
from collections import Counter
from pathlib import Path

from lxml import etree

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "einvoicing" / "tests")]

# What the entry points answered, per target (printed in the run's summary).
OUTCOMES = Counter()

ODD_VALUES = [
    "", " ", "0", "-0", "-1", "1e999999", "NaN", "Infinity", "9" * 400, "1" * 5000,
    "0.0000000000000000000000001", "12,50", "1 000.00", "2025-02-30", "20251332", "99999999",
    "2025-01-01T25:61:61", "\u202e\u0000", "\ud7ff\ue000\U0001f4a9", "é" * 3000, "<&>\"'",
    "x" * 100_000, "FR", "ZZZ", "EUR", "-99999999999999999999.999", "0225:", "0002:123",
    "ABCDEFGHIJ" * 30, "\t\n", "true", "null", "%s%n%x", "../../etc/passwd",
]

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
<!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">]>
<ROOT>&lol4;</ROOT>"""
XXE = (b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
       b"<ROOT>&x;</ROOT>")
PARAM_ENTITY = (b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY % p SYSTEM '
                b'"http://127.0.0.1:9/x.dtd"> %p;]><ROOT/>')
XINCLUDE = (b'<ROOT xmlns:xi="http://www.w3.org/2001/XInclude">'
            b'<xi:include href="/etc/passwd" parse="text"/></ROOT>')


def hostile(rng, seed):
    """A hostile document built around the seed's root element name."""
    root = _root_name(seed) or b"Invoice"
    kind = rng.randrange(7)
    if kind == 0:
        return BILLION_LAUGHS.replace(b"ROOT", root)
    if kind == 1:
        return XXE.replace(b"ROOT", root)
    if kind == 2:
        return PARAM_ENTITY.replace(b"ROOT", root)
    if kind == 3:
        return XINCLUDE.replace(b"ROOT", root)
    if kind == 4:  # DOCTYPE behind a long comment, so a short prolog scan misses it
        return b"<?xml version='1.0'?><!--" + b"x" * 70_000 + b"-->" + XXE.split(b"?>", 1)[1]
    if kind == 5:
        return XXE.decode().replace('"1.0"?>', '"1.0" encoding="UTF-16"?>', 1).encode("utf-16")
    depth = rng.choice([300, 3000, 100_000])
    return b"<?xml version='1.0'?>" + b"<a>" * depth + b"x" + b"</a>" * depth


def _root_name(data):
    try:
        return etree.QName(etree.fromstring(data)).localname.encode()
    except (etree.XMLSyntaxError, ValueError):
        return None


# -- byte level ---------------------------------------------------------------------------

def flip(rng, data):
    data = bytearray(data)
    for _ in range(rng.randint(1, 8)):
        if data:
            data[rng.randrange(len(data))] ^= 1 << rng.randrange(8)
    return bytes(data)


def insert(rng, data):
    pos = rng.randint(0, len(data))
    chunk = rng.choice([b"\x00", b"\xff\xfe", b"<", b"&", b"]]>", b"\xc3", b"\xed\xa0\x80",
                        bytes(rng.randrange(256) for _ in range(rng.randint(1, 64)))])
    return data[:pos] + chunk + data[pos:]


def delete(rng, data):
    if not data:
        return data
    pos = rng.randrange(len(data))
    return data[:pos] + data[pos + rng.randint(1, 256):]


def truncate(rng, data):
    return data[:rng.randint(0, max(0, len(data) - 1))]


def duplicate_chunk(rng, data):
    if not data:
        return data
    start = rng.randrange(len(data))
    chunk = data[start:start + rng.randint(1, 2048)]
    return data[:start] + chunk * rng.randint(2, 50) + data[start:]


def encoding(rng, data):
    kind = rng.randrange(6)
    if kind == 0:
        return data.decode("utf-8", "replace").encode("utf-16")
    if kind == 1:
        return data.decode("utf-8", "replace").encode("latin-1", "replace")
    if kind == 2:
        return b"\xef\xbb\xbf" + data
    if kind == 3:
        return data.replace(b"UTF-8", b"EBCDIC-US", 1).replace(b"utf-8", b"ISO-2022-JP", 1)
    if kind == 4:
        return b"\xff\xfe" + data
    return data.replace(b"e", b"\xe9", rng.randint(1, 20))


BYTE_MUTATIONS = [flip, insert, delete, truncate, duplicate_chunk, encoding]


# -- XML level ----------------------------------------------------------------------------

def _tree(data):
    try:
        return etree.fromstring(data, etree.XMLParser(resolve_entities=False, no_network=True))
    except (etree.XMLSyntaxError, ValueError):
        return None


def _elements(root):
    return [e for e in root.iter() if isinstance(e.tag, str)]


def xml_mutation(rng, data):
    root = _tree(data)
    if root is None:
        return flip(rng, data)
    for _ in range(rng.randint(1, 4)):
        elements = _elements(root)
        node = rng.choice(elements)
        try:
            _XML_OPS[rng.randrange(len(_XML_OPS))](rng, root, node)
        except ValueError:  # lxml refuses a value it cannot serialise: try another
            continue
    return etree.tostring(root, xml_declaration=rng.random() < 0.7, encoding="UTF-8")


def _delete(rng, root, node):
    parent = node.getparent()
    if parent is not None:
        parent.remove(node)


def _duplicate(rng, root, node):
    parent = node.getparent()
    if parent is not None:
        for _ in range(rng.choice([1, 2, 50])):
            parent.insert(parent.index(node), copy.deepcopy(node))


def _reorder(rng, root, node):
    children = list(node)
    rng.shuffle(children)
    for child in children:
        node.append(child)


def _value(rng, root, node):
    if len(node) == 0 or rng.random() < 0.2:
        node.text = rng.choice(ODD_VALUES)
    elif node.attrib or rng.random() < 0.5:
        node.set(rng.choice(list(node.attrib) or ["schemeID", "currencyID", "format"]),
                 rng.choice(ODD_VALUES))


def _rename(rng, root, node):
    qname = etree.QName(node)
    node.tag = rng.choice([qname.localname, f"{{urn:fuzz}}{qname.localname}",
                           f"{{{qname.namespace}}}Fuzz" if qname.namespace else "Fuzz"])


def _nest(rng, root, node):
    parent = node.getparent()
    if parent is None:
        return
    index = parent.index(node)
    outer = inner = etree.Element(node.tag)
    for _ in range(rng.choice([10, 200, 300])):
        inner = etree.SubElement(inner, node.tag)
    inner.append(node)  # moves it
    parent.insert(index, outer)


def _move(rng, root, node):
    target = rng.choice(_elements(root))
    if node is root or node in list(target.iterancestors()) + [target]:
        return
    target.append(node)


_XML_OPS = [_delete, _duplicate, _reorder, _value, _value, _rename, _nest, _move]


# -- PDF level ----------------------------------------------------------------------------

def pdf_mutation(rng, pdf, xml_seeds):
    """A mutated Factur-X PDF: attachments broken, missing, doubled, renamed or garbage."""
    import pikepdf

    kind = rng.randrange(8)
    if kind < 2:
        return rng.choice(BYTE_MUTATIONS)(rng, pdf)
    try:
        return _pdf_structure(rng, pdf, xml_seeds, kind)
    except (pikepdf.PdfError, KeyError, AttributeError, TypeError, ValueError):
        return flip(rng, pdf)  # a PDF broken by an earlier mutation


def _pdf_structure(rng, pdf, xml_seeds, kind):
    import pikepdf

    with pikepdf.open(io.BytesIO(pdf)) as doc:
        names = list(doc.attachments)
        if kind == 2 and names:
            del doc.attachments[names[0]]
        elif kind == 3:
            doc.attachments[rng.choice(["factur-x.xml", "xrechnung.xml", "FACTUR-X.XML",
                                        "order-x.xml", "zugferd-invoice.xml"])] = \
                pikepdf.AttachedFileSpec(doc, xml_mutation(rng, rng.choice(xml_seeds)))
        elif kind == 4 and names:
            stream = doc.attachments[names[0]].obj.EF.F
            stream.write(flip(rng, stream.read_raw_bytes()), filter=pikepdf.Name.FlateDecode)
        elif kind == 5 and names:
            spec = doc.attachments[names[0]].obj
            rng.choice([lambda: spec.__delitem__("/EF"),
                        lambda: spec.EF.__delitem__("/F"),
                        lambda: spec.EF.__setitem__("/F", pikepdf.Name.Nope),
                        lambda: spec.EF.F.__setitem__("/DecodeParms", pikepdf.Dictionary())])()
        elif kind == 6:
            doc.attachments[names[0] if names else "factur-x.xml"] = pikepdf.AttachedFileSpec(
                doc, rng.choice([b"", b"not xml", hostile(rng, rng.choice(xml_seeds))]))
        else:
            del doc.Root["/Names"]
        out = io.BytesIO()
        doc.save(out)
    return out.getvalue()


def mutate(rng, seed, xml_seeds):
    """One mutated input from ``seed`` (XML bytes or a PDF); ``xml_seeds`` to embed in PDFs."""
    if seed.startswith(b"%PDF-"):
        return pdf_mutation(rng, seed, xml_seeds)
    choice = rng.random()
    if choice < 0.05:
        return hostile(rng, seed)
    if choice < 0.70:
        return xml_mutation(rng, seed)
    return rng.choice(BYTE_MUTATIONS)(rng, seed)
