"""Flow records: insert, render as the AFNOR ``Flow`` schema, search, download."""

import base64
import binascii
import hashlib
import json
import uuid
from datetime import datetime, timezone

from ..standards import STANDARDS_DIR
from . import webhooks
from .errors import ApiError, bad_field, missing_field
from .store import format_ts

_SPEC = json.loads((STANDARDS_DIR / "afnor-api" / "flow-service-1.3.0.json").read_text("utf-8"))
ENUMS = {name: tuple(schema["enum"]) for name, schema in _SPEC["components"]["schemas"].items()
         if "enum" in schema}
DOC_TYPES = ("Metadata", "Original", "Converted", "ReadableView")
MAX_ID = 64
MAX_LIMIT = 100
DEFAULT_LIMIT = 25
_FILTERS = ("updatedAfter", "updatedBefore", "processingRule", "flowType", "flowDirection",
            "trackingId", "ackStatus")


def insert_flow(conn, store, org_id, direction, flow_type, syntax, name, content, **extra):
    """Store one flow for ``org_id`` and queue its webhook events; returns the row."""
    flow_id = str(uuid.uuid4())
    now = store.now()
    cols = {"flow_id": flow_id, "org_id": org_id, "direction": direction,
            "flow_type": flow_type, "flow_syntax": syntax, "name": name, "content": content,
            "sha256": hashlib.sha256(content).hexdigest(), "submitted_at": now,
            "updated_at": now, "ack_status": "Ok", "processing_rule": "B2B",
            "processing_rule_source": "Computed", "flow_profile": "Undefined"}
    cols.update(extra)
    if isinstance(cols.get("ack_details"), list):
        cols["ack_details"] = json.dumps(cols["ack_details"])
    names = ", ".join(cols)
    marks = ", ".join("?" for _ in cols)
    conn.execute(f"INSERT INTO flows ({names}) VALUES ({marks})", tuple(cols.values()))
    row = conn.execute("SELECT * FROM flows WHERE flow_id = ?", (flow_id,)).fetchone()
    webhooks.enqueue(conn, row, flow_json(row))
    return row


def flow_json(row):
    """A flows row as the AFNOR ``Flow`` schema."""
    body = {"flowId": row["flow_id"], "submittedAt": row["submitted_at"],
            "updatedAt": row["updated_at"], "name": row["name"],
            "processingRule": row["processing_rule"],
            "processingRuleSource": row["processing_rule_source"],
            "flowSyntax": row["flow_syntax"], "flowProfile": row["flow_profile"],
            "flowType": row["flow_type"], "flowDirection": row["direction"],
            "sha256": row["sha256"], "acknowledgement": {"status": row["ack_status"]}}
    if row["tracking_id"] is not None:
        body["trackingId"] = row["tracking_id"]
    if row["ack_details"]:
        body["acknowledgement"]["details"] = json.loads(row["ack_details"])
    return body


def _check_enum(field, value, enum_name):
    if value not in ENUMS[enum_name]:
        raise bad_field(field, value, f"one of {', '.join(ENUMS[enum_name])}")
    return value


def _check_text(field, value, max_length):
    if not isinstance(value, str) or not value.strip() or len(value) > max_length:
        raise bad_field(field, value, f"a non-blank string of at most {max_length} characters")
    return value


def _timestamp(field, value):
    if not isinstance(value, str):
        raise bad_field(field, value, "an RFC 3339 date-time such as 2025-06-09T10:00:00Z")
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        raise bad_field(field, value,
                        "an RFC 3339 date-time such as 2025-06-09T10:00:00Z") from None
    if moment.tzinfo is None:
        raise bad_field(field, value, "a date-time with a time zone (Z or +hh:mm)")
    return format_ts(moment.astimezone(timezone.utc))


def _list_filter(where, field, enum_name, sql, params):
    values = where[field]
    if not isinstance(values, list) or not values:
        raise bad_field(f"where.{field}", values, f"a non-empty array of {enum_name} values")
    for value in values:
        _check_enum(f"where.{field}", value, enum_name)
    sql.append(f"AND {{{field}}} IN ({', '.join('?' for _ in values)})")
    params.extend(values)


def _where_sql(where):
    sql, params = [], []
    columns = {"processingRule": "processing_rule", "flowType": "flow_type",
               "flowDirection": "direction"}
    for field, enum_name in (("processingRule", "ProcessingRule"), ("flowType", "FlowType"),
                             ("flowDirection", "FlowDirection")):
        if field in where:
            _list_filter(where, field, enum_name, sql, params)
    if "updatedAfter" in where:
        sql.append("AND updated_at > ?")
        params.append(_timestamp("where.updatedAfter", where["updatedAfter"]))
    if "updatedBefore" in where:
        sql.append("AND updated_at < ?")
        params.append(_timestamp("where.updatedBefore", where["updatedBefore"]))
    if "trackingId" in where:
        params.append(_check_text("where.trackingId", where["trackingId"], MAX_ID))
        sql.append("AND tracking_id = ?")
    if "ackStatus" in where:
        params.append(_check_enum("where.ackStatus", where["ackStatus"], "FlowAckStatus"))
        sql.append("AND ack_status = ?")
    return " ".join(sql).format(**columns), params


def encode_cursor(seq):
    return base64.urlsafe_b64encode(json.dumps({"seq": seq}).encode()).decode()


def _decode_cursor(cursor):
    try:
        seq = json.loads(base64.urlsafe_b64decode(cursor.encode("ascii")))["seq"]
        if isinstance(seq, int) and not isinstance(seq, bool):
            return seq
    except (ValueError, KeyError, TypeError, UnicodeError, binascii.Error):
        pass
    raise bad_field("cursor", cursor, "the nextCursor value of a previous search answer")


def parse_search(body):
    """Check a SearchFlowParams body; returns (where, limit, cursor_seq)."""
    if not isinstance(body, dict):
        raise bad_field("(body)", body, "a JSON object with 'where' (SearchFlowParams)")
    if "where" not in body:
        raise missing_field("where", "an object with at least one criterion, e.g. "
                            '{"where": {"updatedAfter": "2025-01-01T00:00:00Z"}}')
    where = body["where"]
    if not isinstance(where, dict) or not any(key in where for key in _FILTERS):
        raise bad_field("where", where, f"an object with at least one of {', '.join(_FILTERS)}")
    unknown = sorted(set(where) - set(_FILTERS))
    if unknown:
        raise bad_field(f"where.{unknown[0]}", where[unknown[0]],
                        f"no such criterion; use {', '.join(_FILTERS)}")
    limit = body.get("limit", DEFAULT_LIMIT)
    if not isinstance(limit, int) or isinstance(limit, bool) or not 1 <= limit <= MAX_LIMIT:
        raise bad_field("limit", limit, f"an integer from 1 to {MAX_LIMIT}")
    cursor = body.get("cursor")
    if cursor is not None and not isinstance(cursor, str):
        raise bad_field("cursor", cursor, "the nextCursor string of a previous search answer")
    return where, limit, (_decode_cursor(cursor) if cursor else 0)


def search_flows(store, org_id, body):
    """Answer of ``POST /v1/flows/search`` (SearchFlowContent), oldest first."""
    where, limit, after_seq = parse_search(body)
    sql, params = _where_sql(where)
    rows = store.query(f"SELECT * FROM flows WHERE org_id = ? AND seq > ? {sql} "
                       "ORDER BY seq LIMIT ?", [org_id, after_seq, *params, limit + 1])
    answer = {"limit": limit, "filters": where, "results": [flow_json(r) for r in rows[:limit]]}
    if len(rows) > limit:
        answer["nextCursor"] = encode_cursor(rows[limit - 1]["seq"])
    return answer


def load_flow(store, org_id, flow_id):
    if len(flow_id) > MAX_ID:
        raise bad_field("flowId", flow_id, f"a flow identifier of at most {MAX_ID} characters")
    row = store.one("SELECT * FROM flows WHERE flow_id = ? AND org_id = ?", (flow_id, org_id))
    if row is None:
        raise ApiError(404, "MISSING_RESOURCE",
                       f"No flow {flow_id!r} for organization {org_id!r}: check the flowId "
                       "(flows of other organizations are not visible).")
    return row

