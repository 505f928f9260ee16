"""Webhook signatures: signed by the sandbox platform, verified by the host.

Two schemes, over the raw body (bytes) and a Unix timestamp, keyed by the webhook's
``signingKey`` string (UTF-8):

- ``X-Sandbox-Signature: t=<ts>,v1=<hex HMAC-SHA256(key, f"{ts}." + body)>``;
- the AFNOR spec's ``Afnor-Signature-Timestamp: <ts>`` and
  ``Afnor-Signature: base64(HMAC-SHA256(key, hex(SHA-256(body + "@" + ts))))``.

Verification compares in constant time and refuses timestamps outside a window, so a
captured call cannot be replayed later (the host also remembers recent signatures).
"""

import base64
import hashlib
import hmac
import time

from .errors import InputError

SANDBOX_HEADER = "X-Sandbox-Signature"
AFNOR_HEADER = "Afnor-Signature"
AFNOR_TIMESTAMP_HEADER = "Afnor-Signature-Timestamp"
WINDOW_SECONDS = 300


class SignatureError(InputError):
    """A webhook signature that is unreadable, stale or wrong."""


def sandbox_signature(key, body, timestamp):
    """The ``X-Sandbox-Signature`` header value for ``body`` at ``timestamp``."""
    mac = hmac.new(key.encode("utf-8"), f"{timestamp}.".encode() + body, hashlib.sha256)
    return f"t={timestamp},v1={mac.hexdigest()}"


def afnor_signature(key, body, timestamp):
    """The ``Afnor-Signature`` header value for ``body`` at ``timestamp``."""
    fingerprint = hashlib.sha256(body + b"@" + str(timestamp).encode()).hexdigest()
    mac = hmac.new(key.encode("utf-8"), fingerprint.encode(), hashlib.sha256)
    return base64.b64encode(mac.digest()).decode()


def _check_fresh(stamp, now, window):
    now = time.time() if now is None else now
    # whole seconds on both sides: an int too large for a float is simply stale
    if abs(int(now) - stamp) > window:
        raise SignatureError("The signature timestamp is outside the accepted window.",
                             code="signature_stale", timestamp=stamp)


def _parse_sandbox(header):
    parts = dict(p.strip().split("=", 1) for p in header.split(",") if "=" in p)
    try:
        stamp, digest = int(parts["t"]), parts["v1"].strip().lower()
    except (KeyError, ValueError):
        digest = ""
    if len(digest) != 64 or any(c not in "0123456789abcdef" for c in digest):
        raise SignatureError("The signature header is unreadable.", code="signature_unreadable")
    return stamp, digest


def verify_sandbox(key, header, body, now=None, window=WINDOW_SECONDS):
    """Check an ``X-Sandbox-Signature`` header; return its digest (to remember)."""
    stamp, digest = _parse_sandbox(header)
    _check_fresh(stamp, now, window)
    expected = sandbox_signature(key, body, stamp).rsplit("v1=", 1)[1]
    if not hmac.compare_digest(expected, digest):
        raise SignatureError("The signature does not match.", code="signature_bad")
    return digest


def verify_afnor(key, signature, timestamp, body, now=None, window=WINDOW_SECONDS):
    """Check the AFNOR signature headers; return the signature (to remember)."""
    try:
        stamp = int(timestamp or "")
    except ValueError:
        raise SignatureError("The signature timestamp is unreadable.",
                             code="signature_unreadable") from None
    _check_fresh(stamp, now, window)
    expected = afnor_signature(key, body, stamp)
    if not hmac.compare_digest(expected.encode(), (signature or "").strip().encode()):
        raise SignatureError("The signature does not match.", code="signature_bad")
    return expected
