"""HTTP admin API under ``/sandbox/admin/`` (header ``X-Sandbox-Admin-Token``).

Same controls as the Python façade :class:`~.platform.Platform`; see README.md.
"""

import hmac

from werkzeug.routing import Rule
from werkzeug.wrappers import Response

from ..errors import InputError
from .errors import ApiError, bad_field, json_response
from .http import json_body

P = "/sandbox/admin"
_ROUTES = [
    (f"{P}/organizations", "GET", "admin_orgs"), (f"{P}/organizations", "POST", "admin_add_org"),
    (f"{P}/directory", "POST", "admin_add_entry"),
    (f"{P}/companies/<target>/scenario", "PUT", "admin_scenario"),
    (f"{P}/companies/<target>/reachable", "PUT", "admin_reachable"),
    (f"{P}/faults", "GET", "admin_faults"), (f"{P}/faults", "POST", "admin_fault"),
    (f"{P}/faults", "DELETE", "admin_clear_faults"),
    (f"{P}/webhook-mode", "PUT", "admin_webhook_mode"),
    (f"{P}/settings", "PUT", "admin_settings"),
    (f"{P}/tokens/revoke", "POST", "admin_revoke"),
    (f"{P}/flows", "GET", "admin_flows"), (f"{P}/deliveries", "GET", "admin_deliveries"),
]
_ORG_FIELDS = ("org_id", "siren", "name", "client_id", "client_secret", "scenario", "siret",
               "electronic_address", "reachable", "routing_codes")
_ENTRY_FIELDS = ("siren", "name", "siret", "electronic_address", "reachable", "routing_codes")
_FAULT_FIELDS = ("kind", "count", "path", "method", "retry_after", "seconds")


def rules():
    return [Rule(path, methods=[method], endpoint=endpoint) for path, method, endpoint in _ROUTES]


def _check_token(expected, request):
    if not expected:
        raise ApiError(403, "ADMIN_DISABLED", "The admin API is disabled: start the sandbox "
                       "with an admin token (--admin-token) to use /sandbox/admin.")
    given = request.headers.get("X-Sandbox-Admin-Token", "")
    if not hmac.compare_digest(given.encode(), expected.encode()):
        raise ApiError(401, "INVALID_ADMIN_TOKEN", "Missing or wrong X-Sandbox-Admin-Token "
                       "header: use the admin token printed when the sandbox started.")


def _kwargs(body, allowed):
    if not isinstance(body, dict):
        raise bad_field("(body)", body, "a JSON object")
    unknown = sorted(set(body) - set(allowed))
    if unknown:
        raise bad_field(unknown[0], body[unknown[0]], f"one of the fields {', '.join(allowed)}")
    return body


def _flag(body, field):
    value = body.get(field)
    if not isinstance(value, bool):
        raise bad_field(field, value, "true or false")
    return value


def handle(platform, admin_token, request, endpoint, args):
    _check_token(admin_token, request)
    try:
        result = _run(platform, request, endpoint, args)
    except InputError as exc:
        raise ApiError(400, exc.code, str(exc)) from exc
    except TypeError as exc:  # a required field missing from the JSON body
        raise ApiError(400, "MISSING_REQUIRED_FIELD", f"Admin request: {exc}.") from exc
    if result is None:
        return Response(status=204)
    return json_response(result)


def _run(platform, request, endpoint, args):
    if endpoint == "admin_orgs":
        return platform.organizations()
    if endpoint == "admin_flows":
        return platform.flows(request.args.get("org_id"))
    if endpoint == "admin_deliveries":
        return platform.deliveries()
    if endpoint == "admin_faults":
        return platform.faults.armed()
    if endpoint == "admin_clear_faults":
        return platform.clear_faults()
    body = json_body(request, required=False)
    if endpoint == "admin_add_org":
        return platform.add_organization(**_kwargs(body, _ORG_FIELDS))
    if endpoint == "admin_add_entry":
        return platform.add_directory_entry(**_kwargs(body, _ENTRY_FIELDS))
    if endpoint == "admin_scenario":
        return platform.set_scenario(args["target"], _kwargs(body, ("scenario",)).get("scenario"))
    if endpoint == "admin_reachable":
        return platform.set_reachable(args["target"], _flag(_kwargs(body, ("reachable",)),
                                                            "reachable"))
    if endpoint == "admin_fault":
        return platform.inject_fault(**_kwargs(body, _FAULT_FIELDS))
    if endpoint == "admin_webhook_mode":
        body = _kwargs(body, ("duplicate", "shuffle"))
        return platform.set_webhook_mode(**{k: _flag(body, k) for k in body})
    if endpoint == "admin_revoke":
        return platform.revoke_tokens(_kwargs(body, ("client_id",)).get("client_id"))
    return _settings(platform, _kwargs(body, ("token_ttl", "webhook_retry_delays",
                                              "allow_remote_webhooks")))


def _settings(platform, body):
    if "token_ttl" in body:
        platform.set_token_ttl(body["token_ttl"])
    if "webhook_retry_delays" in body:
        platform.set_webhook_retry_delays(body["webhook_retry_delays"])
    if "allow_remote_webhooks" in body:
        platform.allow_remote_webhooks(_flag(body, "allow_remote_webhooks"))
