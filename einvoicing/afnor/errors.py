"""The one exception type raised by the AFNOR client.

Every failure talking to a platform - an error answer, a transport error, an
unreadable answer - becomes an :class:`AfnorError` carrying the HTTP status,
the AFNOR ``errorCode`` and the platform's exact ``errorMessage``.
"""

import email.utils
import json
import time

from ..errors import EInvoicingError

RETRYABLE_STATUSES = frozenset({408, 429, 500, 502, 503, 504})
# Longest non-JSON body kept as the platform message (an HTML proxy page, say).
_MAX_RAW_MESSAGE = 500


class AfnorError(EInvoicingError):
    """A call to the platform failed.

    ``http_status`` is None for transport errors (timeout, connection refused
    or dropped); ``error_code`` is the AFNOR ``errorCode`` (or the OAuth2
    ``error``); ``platform_message`` is the platform's text, unchanged.
    ``retryable`` says whether trying the same call later may succeed.
    """

    def __init__(self, message, code="afnor_error", http_status=None, error_code=None,
                 platform_message=None, retryable=False, details=None, retry_after=None,
                 instance=None, **params):
        super().__init__(message, code=code, http_status=http_status, error_code=error_code,
                         **params)
        self.http_status = http_status
        self.error_code = error_code
        self.platform_message = platform_message
        self.retryable = retryable
        self.details = details
        self.retry_after = retry_after
        self.instance = instance

    def __repr__(self):
        return (f"AfnorError(http_status={self.http_status!r}, error_code={self.error_code!r}, "
                f"platform_message={self.platform_message!r}, retryable={self.retryable!r})")


def retry_after_seconds(response, default=None, maximum=120.0):
    """Seconds to wait from a Retry-After header (delta or HTTP date), else ``default``."""
    value = response.headers.get("Retry-After") if response is not None else None
    if not value:
        return default
    try:
        seconds = float(value)
    except ValueError:
        try:
            seconds = email.utils.parsedate_to_datetime(value).timestamp() - time.time()
        except (TypeError, ValueError):
            return default
    return min(max(seconds, 0.0), maximum)


def _body_json(response):
    try:
        body = json.loads(response.content or b"null")
    except ValueError:
        return None
    return body if isinstance(body, dict) else None


def error_from_response(response, action):
    """Build the AfnorError for an error answer of the platform.

    Reads the AFNOR error body (``errorCode``, ``errorMessage``, ``details``)
    or an OAuth2 error body (``error``, ``error_description``); keeps any
    other body as raw text so nothing the platform said is lost.
    """
    status = response.status_code
    body = _body_json(response)
    details = instance = None
    if body is not None and isinstance(body.get("errors"), list) and body["errors"]:
        # JSON:API errors (Qonto): [{"code", "detail", "source"}], the first one speaks
        first = body["errors"][0] if isinstance(body["errors"][0], dict) else {}
        error_code, platform_message = first.get("code"), first.get("detail")
    elif body is not None and "errorCode" not in body and "error" not in body and (
            "title" in body or "detail" in body):
        # RFC 7807 problem details (A-Cube)
        error_code = body.get("type") or body.get("title")
        platform_message = body.get("detail") or body.get("title")
    elif body is not None and ("errorCode" in body or "error" in body):
        error_code = body.get("errorCode") or body.get("error")
        platform_message = body.get("errorMessage")
        if platform_message is None:
            platform_message = body.get("error_description")
        details = body.get("details")
        instance = body.get("instance")
    else:
        error_code = None
        text = response.text.strip() if response.content else ""
        platform_message = text[:_MAX_RAW_MESSAGE] or None
    said = f"{error_code}: {platform_message}" if error_code else (platform_message or "no body")
    if details:
        said = f"{said} ({details})"
    message = f"The platform refused {action}: HTTP {status}, {said}."
    return AfnorError(
        message,
        code=f"afnor_http_{status}",
        http_status=status,
        error_code=error_code,
        platform_message=platform_message,
        retryable=status in RETRYABLE_STATUSES,
        details=details,
        retry_after=retry_after_seconds(response),
        instance=instance,
    )


def transport_error(exc, action, url):
    """Build the AfnorError for a request that got no usable answer."""
    import requests  # local: keeps this module importable without requests

    if isinstance(exc, requests.Timeout):
        kind, code = "timed out", "afnor_timeout"
    elif isinstance(exc, requests.ConnectionError):
        kind, code = "lost its connection", "afnor_connection"
    else:
        kind, code = "failed", "afnor_transport"
    message = (f"The call to the platform for {action} {kind} ({url}): {exc.__class__.__name__}."
               " Check the platform URL and your network, then try again.")
    return AfnorError(message, code=code, retryable=True)


def invalid_answer(action, reason, http_status=None):
    """The platform answered 2xx but the body is not what the API defines."""
    return AfnorError(
        f"The platform's answer to {action} is not valid: {reason}.",
        code="afnor_invalid_answer",
        http_status=http_status,
        retryable=False,
    )
