"""Submitting a document at most once, whatever the transport does.

One rule for every platform API: when the answer to a submission is lost
(timeout, dropped connection, 429, 5xx, an unreadable 2xx), look the document
up by its own reference before anything else, and post again only when the
platform does not have it; a "duplicate" answer means "already there" and
returns the stored document. ``post`` and ``find`` are the platform-specific
calls; both raise :class:`AfnorError`.
"""

import logging

from .errors import AfnorError

_logger = logging.getLogger(__name__)


def _lookup(find, reference, error, key_name):
    """``find()`` after a lost answer; a failing look-up leaves the outcome unknown."""
    _logger.info("Answer to the submission of %s lost (%s): looking it up", reference, error.code)
    try:
        return find()
    except AfnorError as search_error:
        raise AfnorError(
            f"The submission of {reference} got no answer ({error}) and the look-up by "
            f"its reference failed too ({search_error}); the document may or may not be on "
            f"the platform. Submit again later with the same {key_name}: it is safe.",
            code="afnor_submission_unknown", http_status=search_error.http_status,
            error_code=search_error.error_code,
            platform_message=search_error.platform_message, retryable=True,
        ) from search_error


def submit_once(post, find, reference, policy, sleep, is_duplicate, on_duplicate,
                key_name="reference"):
    """Run ``post()`` until it answers, never creating a second document.

    Returns ``(answer, already_existing)``: the answer of ``post`` or of ``find``.
    ``is_duplicate(error)`` tells a "document already there" refusal, which
    ``on_duplicate(error)`` resolves (it returns the stored document or raises).
    """
    attempt = 0
    while True:
        try:
            return post(), False
        except AfnorError as error:
            if is_duplicate(error):
                return on_duplicate(error), True
            lost = error.retryable or error.code == "afnor_invalid_answer"
            if not lost:
                raise
            existing = _lookup(find, reference, error, key_name)
            if existing is not None:
                return existing, True
            attempt += 1
            if not error.retryable or attempt > policy.max_retries:
                raise
            delay = policy.delay(attempt)
            if error.retry_after is not None:
                delay = max(delay, error.retry_after)
            _logger.info("%s not on the platform after %s; posting again in %.2f s",
                         reference, error.code, delay)
            sleep(delay)
