"""OAuth2 client credentials (``POST /auth/token``), bearer checks, Organization-Id.

A client (client_id/secret) is granted one or more organisations. A call acts for
the organisation named by the ``Organization-Id`` header, or for the client's only
organisation when the header is absent.
"""

import base64
import hashlib
import hmac
import secrets
import time
from urllib.parse import unquote

from .errors import ApiError, json_response

DEFAULT_TOKEN_TTL = 3600


def hash_secret(secret):
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def _oauth_error(status, error, description):
    headers = {"WWW-Authenticate": 'Basic realm="sandbox"'} if status == 401 else {}
    return json_response({"error": error, "error_description": description}, status, headers)


def _credentials(request):
    """client_id/secret from HTTP Basic (RFC 6749 2.3.1) or from the form."""
    header = request.headers.get("Authorization", "")
    if header.lower().startswith("basic "):
        try:
            decoded = base64.b64decode(header[6:].strip(), validate=True).decode("utf-8")
            client_id, _, secret = decoded.partition(":")
            return unquote(client_id), unquote(secret)
        except (ValueError, UnicodeDecodeError):
            return None, None
    return request.form.get("client_id"), request.form.get("client_secret")


def token_endpoint(store, request):
    """RFC 6749 client credentials grant; errors use the OAuth2 error body."""
    if request.mimetype != "application/x-www-form-urlencoded":
        return _oauth_error(400, "invalid_request",
                            f"Content-Type is '{request.mimetype}'; send the token request as "
                            "application/x-www-form-urlencoded.")
    grant = request.form.get("grant_type")
    if grant != "client_credentials":
        return _oauth_error(400, "unsupported_grant_type",
                            f"grant_type is {grant!r}; this platform only supports "
                            "'client_credentials'.")
    client_id, secret = _credentials(request)
    if not client_id or secret is None:
        return _oauth_error(401, "invalid_client",
                            "No client credentials: give client_id and client_secret "
                            "(HTTP Basic or form fields).")
    if not check_client(store, client_id, secret):
        return _oauth_error(401, "invalid_client",
                            f"Unknown client_id {client_id!r} or wrong client_secret.")
    token, ttl = issue_token(store, client_id)
    return json_response({"access_token": token, "token_type": "Bearer", "expires_in": ttl},
                         200, {"Cache-Control": "no-store", "Pragma": "no-cache"})


def check_client(store, client_id, secret):
    """True when ``client_id`` exists and ``secret`` is its secret."""
    row = store.one("SELECT secret_hash FROM clients WHERE client_id = ?", (client_id,))
    return row is not None and hmac.compare_digest(row["secret_hash"], hash_secret(secret))


def issue_token(store, client_id):
    """A new bearer token of ``client_id`` and its lifetime in seconds."""
    ttl = int(store.get_setting("token_ttl", DEFAULT_TOKEN_TTL))
    token = secrets.token_urlsafe(32)
    with store.tx() as conn:
        conn.execute("DELETE FROM tokens WHERE expires_at < ?", (time.time(),))
        conn.execute("INSERT INTO tokens(token, client_id, expires_at) VALUES (?, ?, ?)",
                     (token, client_id, time.time() + ttl))
    return token, ttl


def _unauthorized(code, message):
    return ApiError(401, code, message, headers={"WWW-Authenticate": 'Bearer realm="sandbox"'})


def authenticate(store, request):
    """Return the client_id of a valid bearer token, or raise a 401 ApiError."""
    header = request.headers.get("Authorization", "")
    if not header:
        raise _unauthorized("MISSING_TOKEN", "No Authorization header: send 'Authorization: "
                            "Bearer <access_token>' with a token from /auth/token.")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise _unauthorized("INVALID_TOKEN", f"Authorization scheme {scheme!r} is not "
                            "supported: send 'Bearer <access_token>'.")
    row = store.one("SELECT client_id, expires_at FROM tokens WHERE token = ?", (token.strip(),))
    if row is None:
        raise _unauthorized("INVALID_TOKEN", "The bearer token is unknown or was revoked: "
                            "request a new one at /auth/token.")
    if row["expires_at"] < time.time():
        raise _unauthorized("INVALID_TOKEN", "The bearer token has expired: request a new "
                            "one at /auth/token.")
    return row["client_id"]


def revoke_bearer(store, request):
    """Revoke the bearer token of ``request``, if any (fault ``token_revoked``)."""
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() == "bearer" and token.strip():
        with store.tx() as conn:
            conn.execute("DELETE FROM tokens WHERE token = ?", (token.strip(),))


def resolve_organization(store, client_id, request):
    """The organisation a call acts for (``Organization-Id`` header), or a 400/403."""
    granted = [r["org_id"] for r in store.query(
        "SELECT org_id FROM grants WHERE client_id = ? ORDER BY org_id", (client_id,))]
    wanted = request.headers.get("Organization-Id")
    if wanted is None or wanted == "":
        if len(granted) == 1:
            return granted[0]
        raise ApiError(400, "MISSING_REQUIRED_FIELD",
                       f"Client {client_id!r} acts for several organizations {granted}: "
                       "give the Organization-Id header.")
    if wanted in granted:
        return wanted
    known = store.one("SELECT 1 FROM companies WHERE org_id = ?", (wanted,))
    if known is None:
        raise ApiError(403, "FORBIDDEN_ACCESS",
                       f"Organization-Id {wanted!r} is not an organization of this platform; "
                       f"client {client_id!r} may act for {granted}.")
    raise ApiError(403, "FORBIDDEN_ACCESS",
                   f"Client {client_id!r} is not allowed to act for organization {wanted!r}; "
                   f"it may act for {granted}.")


def register_client(conn, client_id, client_secret, org_id):
    """Create the OAuth client (or check its secret) and grant it ``org_id``."""
    row = conn.execute("SELECT secret_hash FROM clients WHERE client_id = ?",
                       (client_id,)).fetchone()
    if row is None:
        conn.execute("INSERT INTO clients(client_id, secret_hash) VALUES (?, ?)",
                     (client_id, hash_secret(client_secret)))
    elif not hmac.compare_digest(row["secret_hash"], hash_secret(client_secret)):
        raise ValueError(f"client_id {client_id!r} already exists with another secret; "
                         "give the same client_secret to grant it one more organization.")
    conn.execute("INSERT OR IGNORE INTO grants(client_id, org_id) VALUES (?, ?)",
                 (client_id, org_id))
