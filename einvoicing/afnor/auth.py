"""OAuth2 client credentials (RFC 6749 4.4) for the AFNOR APIs.

The access token is cached until shortly before it expires and shared by
threads; the API client calls :meth:`OAuth2ClientCredentials.invalidate` on a
401 answer and asks again. The client secret and the token never appear in
``repr``, in logs or in error messages.
"""

import logging
import threading
import time

import requests

from .errors import AfnorError, error_from_response, invalid_answer
from .http import DEFAULT_TIMEOUT, RetryPolicy, check_base_url, check_timeout, mount, send

_logger = logging.getLogger(__name__)

# Renew this many seconds before expiry (at most a tenth of the token lifetime).
EXPIRY_MARGIN = 30.0
# Lifetime assumed when the server sends no expires_in (RFC 6749 makes it optional).
DEFAULT_LIFETIME = 300.0


class OAuth2ClientCredentials:
    """Fetches and caches a bearer token with the client credentials grant.

    ``auth_method``: "basic" sends the client id/secret with HTTP Basic
    (RFC 6749 2.3.1, what servers must support); "post" sends them in the form.
    """

    def __init__(self, token_url, client_id, client_secret, scope=None, session=None,
                 timeout=DEFAULT_TIMEOUT, auth_method="basic", policy=None, clock=time.time):
        self.token_url = check_base_url(token_url, field="token_url")
        if not client_id or not client_secret:
            missing = "client_id" if not client_id else "client_secret"
            raise AfnorError(
                f"The OAuth2 {missing} is empty; copy it from your platform account.",
                code="afnor_missing_credentials", field=missing,
            )
        if auth_method not in ("basic", "post"):
            raise AfnorError(
                f"auth_method {auth_method!r} is not supported; use 'basic' or 'post'.",
                code="afnor_bad_auth_method",
            )
        self.client_id = client_id
        self.__secret = client_secret
        self.scope = scope
        self.auth_method = auth_method
        self.timeout = check_timeout(timeout)
        self.session = session if session is not None else requests.Session()
        mount(self.session, self.token_url, policy or RetryPolicy(), allow_post=True)
        self._clock = clock
        self._lock = threading.Lock()
        self.__token = None
        self.expires_at = None
        self._renew_at = None
        self.fetch_count = 0

    def __repr__(self):
        state = "cached" if self.__token else "empty"
        return (f"OAuth2ClientCredentials(token_url={self.token_url!r}, "
                f"client_id={self.client_id!r}, token={state})")

    def _secret(self):
        """The secret, for subclasses that fetch their token another way (never logged)."""
        return self.__secret

    def _valid(self):
        return self.__token is not None and self._clock() < self._renew_at

    def token(self):
        """The current access token, fetched when missing or about to expire."""
        with self._lock:
            if not self._valid():
                self._fetch()
            return self.__token

    def invalidate(self, token=None):
        """Forget the cached token (only if it is still ``token``, when given).

        Passing the token that got the 401 avoids dropping a token another
        thread has just refreshed.
        """
        with self._lock:
            if token is None or token == self.__token:
                self.__token = None
                self.expires_at = self._renew_at = None

    def _fetch(self):
        action = "the access token request"
        data = {"grant_type": "client_credentials"}
        if self.scope:
            data["scope"] = self.scope
        kwargs = {"headers": {"Accept": "application/json"}}
        if self.auth_method == "basic":
            kwargs["auth"] = (self.client_id, self.__secret)
        else:
            data.update(client_id=self.client_id, client_secret=self.__secret)
        body, token = self._post_for_token(action, "access_token", data=data, **kwargs)
        token_type = body.get("token_type", "Bearer")
        if str(token_type).lower() != "bearer":
            raise invalid_answer(action, f"token_type {token_type!r} is not Bearer", 200)
        lifetime = body.get("expires_in", DEFAULT_LIFETIME)
        try:
            lifetime = float(lifetime)
        except (TypeError, ValueError):
            raise invalid_answer(action, f"expires_in {lifetime!r} is not a number", 200) from None
        self._store(token, lifetime)

    def _post_for_token(self, action, field, **kwargs):
        """POST to the token URL; ``(JSON body, its string ``field``)`` or AfnorError."""
        response = send(self.session, "POST", self.token_url, action, self.timeout, **kwargs)
        self.fetch_count += 1
        if response.status_code != 200:
            raise error_from_response(response, action)
        try:
            body = response.json()
        except ValueError:
            body = None
        token = body.get(field) if isinstance(body, dict) else None
        if not token or not isinstance(token, str):
            raise invalid_answer(action, f"no {field} in the JSON body", 200)
        return body, token

    def _store(self, token, lifetime):
        """Cache ``token`` for ``lifetime`` seconds (renewed a margin before expiry)."""
        margin = min(EXPIRY_MARGIN, lifetime / 10)
        self.__token = token
        self.expires_at = self._clock() + lifetime
        self._renew_at = self.expires_at - margin
        _logger.debug("New access token for client %s, valid %.0f s", self.client_id, lifetime)
