"""Checks and builds the request bodies of the Flow Service.

The allowed values (flow syntaxes, profiles, processing rules, flow types,
directions, acknowledgement statuses, docTypes) are read from the vendored
OpenAPI file itself, so the client cannot drift from the standard.
"""

import datetime
import functools
import json
from urllib.parse import urlsplit

from ..errors import InputError
from ..standards import STANDARDS_DIR

FLOW_OPENAPI = STANDARDS_DIR / "afnor-api" / "flow-service-1.3.0.json"
ALREADY_EXISTING = "AlreadyExistingFlow"
MAX_ID_LENGTH = 64  # NotOnlyUuid maxLength
MAX_NAME_LENGTH = 255
MAX_LIMIT = 100


class FlowParamError(InputError):
    """A value given to the Flow client is not allowed by the AFNOR API."""


@functools.cache
def _spec():
    with open(FLOW_OPENAPI, encoding="utf-8") as handle:
        return json.load(handle)


def enum(schema_name):
    """The enum of ``#/components/schemas/<schema_name>`` in the Flow OpenAPI."""
    return tuple(_spec()["components"]["schemas"][schema_name]["enum"])


def doc_types():
    for param in _spec()["paths"]["/v1/flows/{flowId}"]["get"]["parameters"]:
        if param["name"] == "docType":
            return tuple(param["schema"]["enum"])
    raise KeyError("docType")  # pragma: no cover - the vendored file has it


def _choice(value, schema_name, field, allow_none=True):
    if value is None and allow_none:
        return None
    allowed = enum(schema_name)
    if value not in allowed:
        raise FlowParamError(
            f"{field} {value!r} is not allowed by the AFNOR API; use one of {', '.join(allowed)}.",
            code="afnor_bad_value", field=field, value=value,
        )
    return value


def _choices(value, schema_name, field):
    values = [value] if isinstance(value, str) else list(value)
    if not values:
        raise FlowParamError(f"{field} is an empty list; give at least one value or omit it.",
                             code="afnor_bad_value", field=field)
    return [_choice(v, schema_name, field, allow_none=False) for v in values]


def check_flow_id(value, field="flow_id"):
    if not isinstance(value, str) or not value.strip() or len(value) > MAX_ID_LENGTH \
            or "/" in value:
        raise FlowParamError(
            f"{field} {value!r} is not a valid identifier; give the non-empty id (at most "
            f"{MAX_ID_LENGTH} characters, no '/') returned by the platform.",
            code="afnor_bad_id", field=field, value=value,
        )
    return value


def check_doc_type(value):
    allowed = doc_types()
    if value not in allowed:
        raise FlowParamError(
            f"doc_type {value!r} is not allowed; use one of {', '.join(allowed)}.",
            code="afnor_bad_value", field="doc_type", value=value,
        )
    return value


def check_submission(content, filename, flow_syntax, tracking_id, processing_rule,
                     flow_profile):
    """The flowInfo JSON of ``POST /v1/flows`` (without sha256), or FlowParamError."""
    if not isinstance(content, (bytes, bytearray)) or not content:
        raise FlowParamError(
            "The flow file is empty or not bytes; give the invoice/CDAR file content as bytes.",
            code="afnor_empty_flow", field="content",
        )
    if not isinstance(filename, str) or not filename.strip() or len(filename) > MAX_NAME_LENGTH:
        raise FlowParamError(
            f"filename {filename!r} is not valid; give a file name of 1 to "
            f"{MAX_NAME_LENGTH} characters.",
            code="afnor_bad_value", field="filename", value=filename,
        )
    check_flow_id(tracking_id, field="tracking_id")
    info = {
        "trackingId": tracking_id,
        "name": filename,
        "flowSyntax": _choice(flow_syntax, "FlowSyntax", "flow_syntax", allow_none=False),
    }
    if processing_rule is not None:
        info["processingRule"] = _choice(processing_rule, "ProcessingRule", "processing_rule")
    if flow_profile is not None:
        info["flowProfile"] = _choice(flow_profile, "FlowProfile", "flow_profile")
    return info


def _timestamp(value, field):
    if isinstance(value, datetime.datetime):
        if value.tzinfo is None:
            raise FlowParamError(
                f"{field} {value!r} has no time zone; give an aware datetime (e.g. UTC).",
                code="afnor_bad_value", field=field,
            )
        return value.isoformat().replace("+00:00", "Z")
    if isinstance(value, str):
        try:
            datetime.datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            pass
        else:
            return value
    raise FlowParamError(
        f"{field} {value!r} is not a date-time; give an aware datetime or an ISO 8601 string.",
        code="afnor_bad_value", field=field, value=value,
    )


_LIST_CRITERIA = {
    "processing_rule": ("processingRule", "ProcessingRule"),
    "flow_type": ("flowType", "FlowType"),
    "flow_direction": ("flowDirection", "FlowDirection"),
}


def search_body(criteria, cursor=None, limit=None):
    """The SearchFlowParams JSON for ``POST /v1/flows/search``."""
    where = {}
    for key, value in criteria.items():
        if value is None:
            continue
        if key in ("updated_after", "updated_before"):
            camel = "updatedAfter" if key == "updated_after" else "updatedBefore"
            where[camel] = _timestamp(value, key)
        elif key in _LIST_CRITERIA:
            camel, schema = _LIST_CRITERIA[key]
            where[camel] = _choices(value, schema, key)
        elif key == "tracking_id":
            where["trackingId"] = check_flow_id(value, field="tracking_id")
        elif key == "ack_status":
            where["ackStatus"] = _choice(value, "FlowAckStatus", "ack_status")
        else:
            raise FlowParamError(
                f"Unknown search criterion {key!r}; use updated_after, updated_before, "
                "processing_rule, flow_type, flow_direction, tracking_id or ack_status.",
                code="afnor_bad_criterion", field=key,
            )
    if not where:
        raise FlowParamError(
            "A flow search needs at least one criterion (the AFNOR API requires one); "
            "give e.g. updated_after or tracking_id.",
            code="afnor_no_criterion",
        )
    body = {"where": where}
    if limit is not None:
        if not isinstance(limit, int) or not 1 <= limit <= MAX_LIMIT:
            raise FlowParamError(
                f"limit {limit!r} is not valid; give an integer from 1 to {MAX_LIMIT}.",
                code="afnor_bad_value", field="limit", value=limit,
            )
        body["limit"] = limit
    if cursor is not None:
        body["cursor"] = cursor
    return body


def webhook_body(callback_url, flow_types, flow_direction, ack_status):
    """The WebhookParams JSON for ``POST /v1/webhooks``."""
    parts = urlsplit(callback_url or "")
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise FlowParamError(
            f"callback_url {callback_url!r} is not an http(s) URL; give the public URL of "
            "your webhook endpoint.",
            code="afnor_bad_value", field="callback_url", value=callback_url,
        )
    body = {"callbackUrl": callback_url}
    if flow_types is not None:
        body["flowTypes"] = _choices(flow_types, "FlowType", "flow_types")
    if flow_direction is not None:
        body["flowDirection"] = _choice(flow_direction, "FlowDirection", "flow_direction")
    if ack_status is not None:
        body["ackStatus"] = _choice(ack_status, "FlowAckStatus", "ack_status")
    return body
