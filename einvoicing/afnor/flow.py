"""Client of the AFNOR XP Z12-013 Flow Service (flow-service-1.3.0.json).

Submitting is idempotent on ``trackingId``: when the answer to ``POST /v1/flows``
is lost (timeout, dropped connection, 429, 5xx) the client searches the flow by
its trackingId before anything else and re-posts only when the platform does not
have it; an ``AlreadyExistingFlow`` answer means "already there" and returns the
stored flow. The returned dict then carries ``_already_existing: True``.
"""

import hashlib
import json
import logging
import time
from urllib.parse import quote

from .errors import AfnorError, invalid_answer
from .flow_params import (
    ALREADY_EXISTING,
    check_doc_type,
    check_flow_id,
    check_submission,
    search_body,
    webhook_body,
)
from .http import DEFAULT_TIMEOUT, HttpClient, RetryPolicy
from .idempotent import submit_once

_logger = logging.getLogger(__name__)

SEARCH_PATH = "/v1/flows/search"
MAX_PAGES = 10_000


def _is_already_existing(error):
    code = (error.error_code or "").lower()
    return code == ALREADY_EXISTING.lower() or error.http_status == 409


def _acknowledged_duplicate(flow):
    """A flow the platform itself rejected as a duplicate of another one."""
    details = (flow.get("acknowledgement") or {}).get("details") or []
    return any(str(d.get("reasonCode", "")).lower() == ALREADY_EXISTING.lower() for d in details)


class FlowClient:
    """Submit, search and download flows; manage webhooks; check health."""

    def __init__(self, base_url, auth, organization_id=None, timeout=DEFAULT_TIMEOUT,
                 max_retries=3, session=None, backoff_factor=0.5, backoff_jitter=0.25,
                 backoff_max=30.0, sleep=time.sleep):
        self.policy = RetryPolicy(max_retries, backoff_factor, backoff_jitter, backoff_max)
        self.http = HttpClient(base_url, auth=auth, organization_id=organization_id,
                               timeout=timeout, policy=self.policy, session=session,
                               read_posts=(SEARCH_PATH,))
        self._sleep = sleep

    def __repr__(self):
        return (f"FlowClient(base_url={self.http.base_url!r}, "
                f"organization_id={self.http.organization_id!r})")

    # -- submit ---------------------------------------------------------------------------
    def submit_flow(self, content, filename, flow_syntax, tracking_id, processing_rule=None,
                    flow_profile=None):
        """Submit one file; returns the flow info (never creates a second flow).

        The result is the platform's FullFlowInfo dict plus ``_already_existing``:
        True when the flow was already on the platform (found by trackingId after
        a lost answer, or reported AlreadyExistingFlow).
        """
        info = check_submission(content, filename, flow_syntax, tracking_id, processing_rule,
                                flow_profile)
        info["sha256"] = hashlib.sha256(content).hexdigest()
        mime = "application/pdf" if info["flowSyntax"] == "Factur-X" else "application/xml"
        files = {
            "flowInfo": (None, json.dumps(info), "application/json"),
            "file": (info["name"], content, mime),
        }
        action = f"the submission of flow {tracking_id!r}"

        def post():
            return self.http.json("POST", "/v1/flows", action, expected=(200, 201, 202),
                                  files=files)

        def find():
            existing = self.find_by_tracking_id(tracking_id)
            return None if existing is None else {**existing, "_already_existing": True}

        flow, existing = submit_once(
            post, find, f"flow {tracking_id!r}", self.policy, self._sleep,
            is_duplicate=_is_already_existing,
            on_duplicate=lambda error: self._existing_after_duplicate(tracking_id, error),
            key_name="trackingId")
        return flow if existing else self._accepted(flow, info, action)

    def _accepted(self, body, info, action):
        if not isinstance(body, dict) or not body.get("flowId"):
            raise invalid_answer(action, "no flowId in the answer", 202)
        sent = body.get("trackingId")
        if sent is not None and sent != info["trackingId"]:
            raise invalid_answer(
                action, f"trackingId {sent!r} differs from the one sent {info['trackingId']!r}"
            )
        return {**body, "_already_existing": False}

    def _existing_after_duplicate(self, tracking_id, error):
        existing = self.find_by_tracking_id(tracking_id)
        if existing is None:
            raise AfnorError(
                f"The platform already has this document ({error.platform_message}) but no "
                f"flow with trackingId {tracking_id!r}: it was sent before under another "
                f"trackingId (platform reference: {error.instance or 'not given'}). Link that "
                "flow instead of sending the document again.",
                code="afnor_duplicate_other_tracking", http_status=error.http_status,
                error_code=error.error_code, platform_message=error.platform_message,
                instance=error.instance,
            ) from error
        _logger.info("Flow %s already on the platform as %s", tracking_id, existing["flowId"])
        return {**existing, "_already_existing": True}

    # -- search / get -----------------------------------------------------------------------
    def search_flows(self, cursor=None, limit=None, **criteria):
        """One page of ``POST /v1/flows/search``: returns (flows, next_cursor or None).

        Criteria (snake_case): updated_after, updated_before (datetime or ISO
        string), processing_rule, flow_type, flow_direction (a value or a list),
        tracking_id, ack_status.
        """
        body = search_body(criteria, cursor=cursor, limit=limit)
        action = "the flow search"
        answer = self.http.json("POST", SEARCH_PATH, action, json=body)
        results = answer.get("results") if isinstance(answer, dict) else None
        if results is None:
            results = []
        if not isinstance(results, list):
            raise invalid_answer(action, "results is not a list", 200)
        return results, answer.get("nextCursor") or None

    def iter_flows(self, limit=None, **criteria):
        """Every flow matching ``criteria``, following nextCursor to the last page."""
        cursor, seen = None, set()
        for _ in range(MAX_PAGES):
            flows, cursor = self.search_flows(cursor=cursor, limit=limit, **criteria)
            yield from flows
            if cursor is None:
                return
            if cursor in seen:
                raise invalid_answer("the flow search", f"nextCursor {cursor!r} repeats")
            seen.add(cursor)
        raise invalid_answer("the flow search", f"more than {MAX_PAGES} pages")

    def find_by_tracking_id(self, tracking_id):
        """Our outgoing flow with this trackingId (the first accepted one), or None."""
        flows = [f for f in self.iter_flows(tracking_id=tracking_id, flow_direction="Out")
                 if f.get("trackingId") in (None, tracking_id)]
        kept = [f for f in flows if not _acknowledged_duplicate(f)] or flows
        kept.sort(key=lambda f: str(f.get("submittedAt", "")))
        return kept[0] if kept else None

    def get_flow(self, flow_id, doc_type="Metadata"):
        """``GET /v1/flows/{flowId}``: the metadata dict, or the file bytes for other docTypes."""
        flow_id = check_flow_id(flow_id)
        doc_type = check_doc_type(doc_type)
        action = f"the download of flow {flow_id!r} ({doc_type})"
        path = f"/v1/flows/{quote(flow_id, safe='')}"
        if doc_type == "Metadata":
            return self.http.json("GET", path, action, params={"docType": doc_type})
        return self.http.request("GET", path, action, params={"docType": doc_type}).content

    def healthcheck(self):
        """True when the service answers 200 (raises AfnorError otherwise)."""
        self.http.request("GET", "/v1/healthcheck", "the health check")
        return True

    # -- webhooks ----------------------------------------------------------------------------
    def create_webhook(self, callback_url, flow_types=None, flow_direction=None, ack_status=None):
        """Subscribe ``callback_url``; returns {webhookId, signingKey, createdAt}."""
        body = webhook_body(callback_url, flow_types, flow_direction, ack_status)
        return self.http.json("POST", "/v1/webhooks", "the webhook creation",
                              expected=(200, 201), json=body)

    def list_webhooks(self):
        answer = self.http.json("GET", "/v1/webhooks", "the webhook list")
        webhooks = answer.get("webhooks") if isinstance(answer, dict) else None
        return webhooks or []

    def delete_webhook(self, webhook_id):
        webhook_id = check_flow_id(webhook_id, field="webhook_id")
        self.http.request("DELETE", f"/v1/webhooks/{quote(webhook_id, safe='')}",
                          f"the deletion of webhook {webhook_id!r}",
                          expected=(200, 204))

    def update_webhook(self, webhook_id, callback_url, flow_types=None, flow_direction=None,
                       ack_status=None):
        """The API has no update: subscribe the new settings, then drop the old webhook.

        Creating first leaves no window without notifications. Returns the new
        webhook (new id and signing key).
        """
        created = self.create_webhook(callback_url, flow_types, flow_direction, ack_status)
        self.delete_webhook(webhook_id)
        return created
