"""HTTP error answers of the sandbox, shaped like the AFNOR ``Error`` schema."""

import json

from werkzeug.wrappers import Response


class ApiError(Exception):
    """An error answer: HTTP status, AFNOR ``errorCode`` and an English message.

    The message names the field and the value and says what to fix; ``details``
    is optional extra text, ``instance`` an optional URI reference (for
    ``AlreadyExistingFlow`` it points at the flow already stored).
    """

    def __init__(self, status, error_code, message, details=None, instance=None, headers=None):
        super().__init__(message)
        self.status = status
        self.error_code = error_code
        self.message = message
        self.details = details
        self.instance = instance
        self.headers = headers or {}

    def body(self):
        body = {"errorCode": self.error_code, "errorMessage": self.message}
        if self.details:
            body["details"] = self.details
        if self.instance:
            body["instance"] = self.instance
        return body

    def response(self):
        return json_response(self.body(), self.status, self.headers)


def json_response(body, status=200, headers=None):
    return Response(json.dumps(body, ensure_ascii=False), status=status,
                    headers=headers or {}, content_type="application/json")


def bad_field(field, value, expected):
    """400 for one bad request field: names it, shows the value, says what is expected."""
    shown = json.dumps(value, ensure_ascii=False, default=str)
    if len(shown) > 120:
        shown = shown[:117] + "..."
    return ApiError(400, "INVALID_FIELD_VALUE",
                    f"Field '{field}' has the value {shown}; expected {expected}.")


def missing_field(field, expected):
    return ApiError(400, "MISSING_REQUIRED_FIELD",
                    f"Field '{field}' is required: give {expected}.")
