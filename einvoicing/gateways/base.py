"""The platform gateway: what the host asks of any accredited platform, in neutral terms.

A gateway submits an invoice, follows its lifecycle events, pushes the statuses we
emit (with their payment amounts or reason), lists and downloads the invoices we
received, looks the directory up where the platform has one, and verifies the
platform's webhooks. Every failure is an :class:`~einvoicing.afnor.AfnorError`
(the core's one platform error): an operation a platform does not offer raises it
with code ``gateway_unsupported``. Statuses and reasons are AFNOR codes on this
side of the interface; each gateway maps them to its platform's names.
"""

from dataclasses import dataclass, field
from urllib.parse import quote

from ..afnor.errors import AfnorError
from ..afnor.idempotent import submit_once

SUBMIT, EVENTS, PUSH_STATUS, RECEIVED, DIRECTORY, WEBHOOKS, HEALTH = (
    "submit", "events", "push_status", "received", "directory", "webhooks", "health")
OPERATIONS = (SUBMIT, EVENTS, PUSH_STATUS, RECEIVED, DIRECTORY, WEBHOOKS, HEALTH)
MIMES = {"Factur-X": "application/pdf", "CII": "application/xml", "UBL": "application/xml"}
MAX_PAGES = 1000  # pages of a platform list read at most (a loop guard)


def quoted(value):
    """``value`` as one URL path segment."""
    return quote(str(value), safe="")


@dataclass(frozen=True)
class Submission:
    """An invoice the platform holds for us: its platform id and our reference."""

    platform_id: str
    tracking_id: str
    already_existing: bool = False
    raw: dict = field(default_factory=dict, compare=False, repr=False)


@dataclass(frozen=True)
class PlatformEvent:
    """One lifecycle event as a platform reports it, in AFNOR terms."""

    status_code: int
    timestamp: str | None = None
    reason_code: str | None = None
    reason_text: str | None = None
    event_id: str | None = None
    amounts: tuple = ()


@dataclass(frozen=True)
class ReceivedInvoice:
    """An invoice a supplier sent us, as listed by the platform."""

    platform_id: str
    file_name: str | None = None
    invoice_number: str | None = None
    received_at: str | None = None
    raw: dict = field(default_factory=dict, compare=False, repr=False)


@dataclass(frozen=True)
class InvoiceRefs:
    """What identifies an invoice across platforms (and goes into a CDAR about it)."""

    invoice_number: str
    invoice_date: str | None
    seller_siren: str | None
    buyer_siren: str | None
    type_code: str = "380"
    payments: tuple = ()  # the whole invoice as PaymentAmounts (per VAT rate when known)


def unsupported(platform, operation, detail="", partly=False):
    """The error of an operation (``partly``: of a value) ``platform``'s API does not offer."""
    from .registry import SETTINGS

    label = SETTINGS[platform][0] if platform in SETTINGS else platform
    what = operation.replace("_", " ")
    head = (f"The {label} API cannot do this {what}:" if partly
            else f"The {label} API has no {what} operation.")
    tail = "See the capability matrix in the README for what each platform API offers."
    return AfnorError(
        " ".join(part for part in (head, detail, tail) if part),
        code="gateway_unsupported", platform=platform, operation=operation,
    )


class Gateway:
    """Base of every platform gateway; subclasses override what their API offers.

    ``platform`` names the API (registry key), ``capabilities`` lists the
    operations it implements. Methods not overridden raise ``gateway_unsupported``.
    """

    platform = "abstract"
    capabilities = frozenset()

    def supports(self, operation):
        return operation in self.capabilities

    def healthcheck(self):
        """True when the platform answers (raises AfnorError otherwise)."""
        raise unsupported(self.platform, HEALTH)

    def submit_invoice(self, content, filename, syntax, tracking_id, invoice_number=None):
        """Submit one invoice file once; returns a :class:`Submission`."""
        raise unsupported(self.platform, SUBMIT)

    def find_submission(self, tracking_id, invoice_number=None):
        """The :class:`Submission` of an invoice we sent before, or None."""
        raise unsupported(self.platform, SUBMIT)

    def _submit_by_number(self, post, tracking_id, number, is_duplicate):
        """``post()`` at most once per invoice number (``afnor.idempotent.submit_once``):
        a lost answer or a duplicate refusal is resolved by :meth:`find_submission`."""
        def on_duplicate(error):
            found = self.find_submission(tracking_id, number)
            if found is None:
                raise error
            return found

        submission, _existing = submit_once(
            post, lambda: self.find_submission(tracking_id, number), f"invoice {number!r}",
            self.policy, self._sleep, is_duplicate, on_duplicate, key_name="invoice number")
        return submission

    def list_sent(self, since=None):
        """The invoices we sent (``since``: ISO timestamp), as :class:`Submission`."""
        raise unsupported(self.platform, EVENTS)

    def invoice_refs(self, platform_id):
        """The :class:`InvoiceRefs` of an invoice we sent or received."""
        raise unsupported(self.platform, EVENTS)

    def invoice_events(self, platform_id, invoice_number=None):
        """The lifecycle events of one invoice (sent or received), oldest first."""
        raise unsupported(self.platform, EVENTS)

    def push_status(self, platform_id, message):
        """Send our status about an invoice; ``message`` is a CDAR ``StatusMessage``."""
        raise unsupported(self.platform, PUSH_STATUS)

    def list_received(self, since=None):
        """The invoices received (``since``: ISO timestamp), as :class:`ReceivedInvoice`."""
        raise unsupported(self.platform, RECEIVED)

    def download_received(self, platform_id):
        """The file of a received invoice (bytes)."""
        raise unsupported(self.platform, RECEIVED)

    def lookup_directory(self, siren, siret=None):
        """``(electronic address, reachable now)`` of a company in the directory."""
        raise unsupported(self.platform, DIRECTORY)

    def verify_webhook(self, secret, headers, body, now=None):
        """Check a webhook call; returns a digest to remember (replay protection)."""
        raise unsupported(self.platform, WEBHOOKS)

    def parse_webhook(self, body):
        """What a verified webhook body is about: ``{"platform_id", "status_code", ...}``."""
        raise unsupported(self.platform, WEBHOOKS)
