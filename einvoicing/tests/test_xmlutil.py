import pytest

from einvoicing.errors import InputError
from einvoicing.xmlutil import UnreadableInput, local_name, parse_xml

BOMB = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<lolz>&lol9;</lolz>"""


def test_parses_plain_xml():
    root = parse_xml(b"<a xmlns='urn:x'><b>1</b></a>")
    assert local_name(root) == "a"
    assert root[0].text == "1"


def test_billion_laughs_refused():
    with pytest.raises(UnreadableInput) as info:
        parse_xml(BOMB)
    assert info.value.code == "xml_doctype_forbidden"
    assert "DOCTYPE" in str(info.value)


def test_external_file_entity_refused(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-VALUE")
    xxe = (
        f'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file://{secret}">]>'
        "<x>&e;</x>"
    ).encode()
    with pytest.raises(UnreadableInput) as info:
        parse_xml(xxe)
    assert "TOP-SECRET-VALUE" not in str(info.value)


def test_not_xml_names_the_problem():
    with pytest.raises(UnreadableInput) as info:
        parse_xml(b"%PDF-1.7 this is not xml", name="x.pdf")
    assert info.value.code == "xml_not_well_formed"
    assert "x.pdf" in str(info.value)
    assert isinstance(info.value, InputError)


def test_empty_input():
    with pytest.raises(UnreadableInput) as info:
        parse_xml(b"  \n")
    assert info.value.code == "input_empty"


def test_size_limit_checked_before_parsing():
    data = b"<a>" + b"x" * 2000 + b"</a>"
    with pytest.raises(UnreadableInput) as info:
        parse_xml(data, max_bytes=1000)
    assert info.value.code == "input_too_large"
    assert "1,000" in str(info.value)
    assert parse_xml(data, max_bytes=10_000) is not None


def test_non_bytes_rejected():
    with pytest.raises(UnreadableInput):
        parse_xml(12345)


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be", "utf-16"])
def test_utf16_doctype_refused_before_parsing(encoding):
    bomb = BOMB.decode().replace('version="1.0"', f'version="1.0" encoding="{encoding[:6]}"')
    with pytest.raises(UnreadableInput) as info:
        parse_xml(bomb.encode(encoding))
    assert info.value.code == "xml_doctype_forbidden"
    assert "declared in the prolog" in str(info.value), "the prolog scan, not lxml, refused it"


def test_utf16_document_without_doctype_parses():
    root = parse_xml('<?xml version="1.0" encoding="utf-16"?><a><b>é</b></a>'.encode("utf-16"))
    assert root[0].text == "é"
