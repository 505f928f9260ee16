"""Webhook signatures: what the sandbox signs, the host verifies; nothing else passes."""

import pytest

from einvoicing.webhook_signature import (
    SignatureError,
    afnor_signature,
    sandbox_signature,
    verify_afnor,
    verify_sandbox,
)

KEY = "c2lnbmluZy1rZXk="
BODY = b'{"flowId": "f-1"}'
NOW = 1_800_000_000


def test_sandbox_signature_round_trip():
    header = sandbox_signature(KEY, BODY, NOW)
    assert header.startswith(f"t={NOW},v1=")
    assert verify_sandbox(KEY, header, BODY, now=NOW + 10) == header.split("v1=")[1]


@pytest.mark.parametrize("header, body, key, code", [
    (None, b'{"flowId": "f-2"}', KEY, "signature_bad"),           # body changed
    (None, BODY, "other-key", "signature_bad"),                   # other key
    ("t=1800000000", BODY, KEY, "signature_unreadable"),          # no digest
    ("t=abc,v1=" + "0" * 64, BODY, KEY, "signature_unreadable"),  # bad timestamp
    ("t=1800000000,v1=xyz", BODY, KEY, "signature_unreadable"),   # bad digest
])
def test_sandbox_signature_refused(header, body, key, code):
    header = header or sandbox_signature(KEY, BODY, NOW)
    with pytest.raises(SignatureError) as info:
        verify_sandbox(key, header, body, now=NOW)
    assert info.value.code == code


def test_stale_signatures_refused():
    with pytest.raises(SignatureError) as info:
        verify_sandbox(KEY, sandbox_signature(KEY, BODY, NOW), BODY, now=NOW + 301)
    assert info.value.code == "signature_stale"
    with pytest.raises(SignatureError) as info:
        verify_afnor(KEY, afnor_signature(KEY, BODY, NOW), str(NOW), BODY, now=NOW - 301)
    assert info.value.code == "signature_stale"


def test_afnor_signature_round_trip_and_refusals():
    signature = afnor_signature(KEY, BODY, NOW)
    assert verify_afnor(KEY, signature, str(NOW), BODY, now=NOW) == signature
    for args in ((signature, str(NOW), b"{}"), (signature, str(NOW + 1), BODY),
                 ("", str(NOW), BODY)):
        with pytest.raises(SignatureError):
            verify_afnor(KEY, *args, now=NOW)
    with pytest.raises(SignatureError) as info:
        verify_afnor(KEY, signature, "soon", BODY, now=NOW)
    assert info.value.code == "signature_unreadable"
