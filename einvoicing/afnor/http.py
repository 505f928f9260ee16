"""The one place of the core that does HTTP.

A :class:`HttpClient` wraps a ``requests.Session`` whose adapters retry with
urllib3 ``Retry``: exponential backoff with jitter, on connection errors and on
429/5xx answers (honouring ``Retry-After``), for idempotent methods only. A few
POST endpoints are reads (``/v1/flows/search``, directory searches, the token
endpoint): they are mounted explicitly with a Retry that also allows POST.
Every failure leaves this module as an :class:`AfnorError`.
"""

import logging
import random
import uuid
from urllib.parse import urlsplit

import requests
from requests.adapters import HTTPAdapter
from urllib3.exceptions import MaxRetryError, ReadTimeoutError
from urllib3.util.retry import Retry

from .errors import AfnorError, error_from_response, transport_error

_logger = logging.getLogger(__name__)

DEFAULT_TIMEOUT = (5, 30)
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE"})
USER_AGENT = "l10n_fr_einvoice_pa-afnor-client/1.0"


def check_base_url(url, field="base_url"):
    """Return ``url`` without trailing slash; refuse anything but http(s)://host."""
    parts = urlsplit(url or "")
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise AfnorError(
            f"The {field} {url!r} is not an http(s) URL; give the platform URL, "
            "e.g. https://api.flow.example.com/flow-service.",
            code="afnor_bad_url",
        )
    return url.rstrip("/")


def check_timeout(timeout):
    """Timeouts are explicit (connect, read) seconds, both positive."""
    if isinstance(timeout, (int, float)):
        timeout = (timeout, timeout)
    if (not isinstance(timeout, tuple) or len(timeout) != 2
            or not all(isinstance(t, (int, float)) and t > 0 for t in timeout)):
        raise AfnorError(
            f"The timeout {timeout!r} is not valid; give (connect_seconds, read_seconds), "
            "both positive numbers.",
            code="afnor_bad_timeout",
        )
    return timeout


class JitteredRetry(Retry):
    """urllib3 ``Retry`` with a jittered, capped backoff on urllib3 1.26 and 2.x alike.

    urllib3 2 has ``backoff_jitter`` / ``backoff_max`` arguments; 1.26 (the
    pin of Odoo 18.0 on Python < 3.12) has neither and its ``new()`` copies a
    fixed list of arguments. The jitter and the cap are therefore kept as our
    own attributes, carried over by ``new()`` and applied in
    ``get_backoff_time()`` on top of urllib3's exponential backoff.
    """

    def __init__(self, *args, backoff_jitter=0.0, backoff_max=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.jitter = backoff_jitter
        self.cap = backoff_max

    def new(self, **kwargs):
        retry = super().new(**kwargs)
        retry.jitter, retry.cap = self.jitter, self.cap
        return retry

    def get_backoff_time(self):
        value = super().get_backoff_time()
        if value <= 0:
            return 0
        value += random.random() * self.jitter
        return value if self.cap is None else max(0.0, min(self.cap, value))


def make_retry(max_retries, backoff_factor, backoff_jitter, backoff_max, allow_post=False):
    """The urllib3 Retry policy: idempotent methods (plus POST for reads)."""
    methods = IDEMPOTENT_METHODS | {"POST"} if allow_post else IDEMPOTENT_METHODS
    return JitteredRetry(
        total=max_retries,
        connect=max_retries,
        read=max_retries,
        status=max_retries,
        other=0,
        allowed_methods=methods,
        status_forcelist=RETRY_STATUSES,
        backoff_factor=backoff_factor,
        backoff_jitter=backoff_jitter,
        backoff_max=backoff_max,
        respect_retry_after_header=True,
        raise_on_status=False,
    )


class RetryPolicy:
    """Backoff settings shared by the urllib3 adapters and the explicit submit loop."""

    def __init__(self, max_retries=3, backoff_factor=0.5, backoff_jitter=0.25, backoff_max=30.0):
        if not isinstance(max_retries, int) or max_retries < 0:
            raise AfnorError(
                f"max_retries {max_retries!r} is not valid; give an integer >= 0.",
                code="afnor_bad_retries",
            )
        self.max_retries = max_retries
        self.backoff_factor = backoff_factor
        self.backoff_jitter = backoff_jitter
        self.backoff_max = backoff_max

    def retry(self, allow_post=False):
        return make_retry(self.max_retries, self.backoff_factor, self.backoff_jitter,
                          self.backoff_max, allow_post=allow_post)

    def delay(self, attempt):
        """Backoff before the ``attempt``-th (1-based) retry: exponential, jittered, capped."""
        value = self.backoff_factor * (2 ** (attempt - 1))
        value += random.random() * self.backoff_jitter
        return max(0.0, min(self.backoff_max, value))


def mount(session, prefix, policy, allow_post=False):
    session.mount(prefix, HTTPAdapter(max_retries=policy.retry(allow_post=allow_post)))


def send(session, method, url, action, timeout, **kwargs):
    """One ``session.request`` call; transport failures become AfnorError."""
    try:
        return session.request(method, url, timeout=timeout, **kwargs)
    except requests.ConnectionError as exc:
        reason = exc.args[0].reason if exc.args and isinstance(exc.args[0], MaxRetryError) else None
        if isinstance(reason, ReadTimeoutError):
            exc = requests.ReadTimeout(str(exc))
        raise transport_error(exc, action, url) from None
    except requests.RequestException as exc:
        raise transport_error(exc, action, url) from None


class HttpClient:
    """Authenticated JSON/multipart calls to one AFNOR service (flow or directory).

    ``read_posts``: paths of POST endpoints that only read (searches); they
    are retried like GET.
    """

    def __init__(self, base_url, auth=None, organization_id=None, timeout=DEFAULT_TIMEOUT,
                 policy=None, session=None, read_posts=()):
        self.base_url = check_base_url(base_url)
        self.auth = auth
        self.organization_id = organization_id
        self.timeout = check_timeout(timeout)
        self.policy = policy or RetryPolicy()
        self.session = session if session is not None else requests.Session()
        mount(self.session, self.base_url + "/", self.policy)
        for path in read_posts:
            mount(self.session, self.base_url + path, self.policy, allow_post=True)

    def _headers(self, token):
        headers = {"User-Agent": USER_AGENT, "Request-Id": str(uuid.uuid4()),
                   "Accept": "application/json"}
        if token:
            # an auth object may say how its credential is written (Qonto API keys are
            # "login:secret", not a bearer token); the default is OAuth2's bearer scheme
            written = getattr(self.auth, "authorization", None)
            headers["Authorization"] = written(token) if written else f"Bearer {token}"
        if self.organization_id:
            headers["Organization-Id"] = str(self.organization_id)
        headers.update(getattr(self.auth, "extra_headers", dict)())
        return headers

    def request(self, method, path, action, expected=(200,), **kwargs):
        """Send the call; on 401 refresh the token once and send it again.

        Returns the ``requests.Response`` when its status is in ``expected``,
        raises AfnorError otherwise.
        """
        url = self.base_url + path
        for attempt in (1, 2):
            token = self.auth.token() if self.auth is not None else None
            response = send(self.session, method, url, action, self.timeout,
                            headers=self._headers(token), **kwargs)
            if response.status_code == 401 and self.auth is not None and attempt == 1:
                _logger.info("HTTP 401 on %s %s: refreshing the access token once", method, path)
                self.auth.invalidate(token)
                continue
            break
        if response.status_code not in expected:
            raise error_from_response(response, action)
        return response

    def json(self, method, path, action, expected=(200,), **kwargs):
        """Like :meth:`request`, returning the decoded JSON body."""
        response = self.request(method, path, action, expected=expected, **kwargs)
        try:
            return response.json()
        except ValueError:
            raise AfnorError(
                f"The platform's answer to {action} is not JSON "
                f"(HTTP {response.status_code}, Content-Type "
                f"{response.headers.get('Content-Type')!r}).",
                code="afnor_invalid_answer", http_status=response.status_code,
            ) from None
