"""The one exception family of the host-free core.

Every error carries a stable ``code`` (for the host to translate or map)
and keyword ``params``; ``str(error)`` is a complete English sentence that
names the field and the value and says what to fix.
"""


class EInvoicingError(Exception):
    """Base of every error raised by the core on bad input or bad state."""

    def __init__(self, message, code="error", **params):
        super().__init__(message)
        self.message = message
        self.code = code
        self.params = params

    def __str__(self):
        return self.message


class InputError(EInvoicingError, ValueError):
    """Bad input given to the core (field value, file, argument)."""
