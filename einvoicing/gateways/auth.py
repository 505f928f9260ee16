"""Credentials of the platform APIs that do not use OAuth2 client credentials.

Every class offers what :class:`~einvoicing.afnor.http.HttpClient` asks of an auth
object: ``token()``, ``invalidate(token)`` (called once on a 401) and, optionally,
``authorization(token)`` (the Authorization header value) and ``extra_headers()``.
Secrets never appear in ``repr``, logs or error messages.
"""

import base64
import json

from ..afnor import OAuth2ClientCredentials
from ..afnor.errors import AfnorError

STAGING_HEADER = "X-Qonto-Staging-Token"


def _required(value, field, platform):
    if not value:
        raise AfnorError(f"The {platform} {field} is empty; copy it from your {platform} "
                         "account.", code="afnor_missing_credentials", field=field)
    return value


class QontoCredentials:
    """Qonto: ``Authorization: {login}:{secret-key}`` (an API key, not HTTP Basic) or an
    OAuth2 access token (``Bearer``), plus the sandbox's ``X-Qonto-Staging-Token``.

    Source: https://docs.qonto.com/get-started/business-api/authentication/api-key
    """

    def __init__(self, login=None, secret_key=None, access_token=None, staging_token=None):
        if access_token:
            self.__value, self.scheme = access_token, "Bearer"
        else:
            _required(login, "login", "Qonto")
            _required(secret_key, "secret key", "Qonto")
            self.__value, self.scheme = f"{login}:{secret_key}", None
        self.__staging = staging_token

    def __repr__(self):
        return f"QontoCredentials(scheme={self.scheme or 'api-key'!r})"

    def token(self):
        return self.__value

    def invalidate(self, token=None):
        """A static credential cannot be refreshed; the 401 reaches the caller."""

    def authorization(self, token):
        return f"{self.scheme} {token}" if self.scheme else token

    def extra_headers(self):
        return {STAGING_HEADER: self.__staging} if self.__staging else {}


def _jwt_lifetime(token, clock, default):
    """Seconds until a JWT's ``exp`` (``default`` when the token is not a readable JWT)."""
    try:
        payload = token.split(".")[1]
        claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
        return max(float(claims["exp"]) - clock(), 1.0)
    except (IndexError, KeyError, TypeError, ValueError):
        return default


class AcubeLogin(OAuth2ClientCredentials):
    """A-Cube: ``POST {login_url}`` with ``{"email", "password"}`` answers ``{"token"}``,
    a JWT sent as ``Authorization: Bearer``. Cached until shortly before its ``exp``
    (24 h assumed when unreadable) and fetched again after a 401.
    """

    DEFAULT_LIFETIME = 24 * 3600.0

    def __init__(self, login_url, email, password, **kwargs):
        super().__init__(login_url, email, password, auth_method="post", **kwargs)

    def __repr__(self):
        return f"AcubeLogin(login_url={self.token_url!r}, email={self.client_id!r})"

    def _fetch(self):
        _body, token = self._post_for_token(
            "the A-Cube login", "token", headers={"Accept": "application/json"},
            json={"email": self.client_id, "password": self._secret()})
        self._store(token, _jwt_lifetime(token, self._clock, self.DEFAULT_LIFETIME))
