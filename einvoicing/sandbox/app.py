"""The WSGI application: routing, authentication, fault injection, JSON errors.

Mount points: ``/flow-service/v1/...`` (AFNOR Flow Service), ``/directory-service/v1/...``
(Directory Service), ``/auth/token`` (OAuth2), ``/qonto/...`` and ``/acube/...`` (the
emulated Qonto and A-Cube APIs, same platform underneath) and ``/sandbox/admin/...``
(controls).
"""

import contextlib
import logging
import socket
import time

from werkzeug.exceptions import HTTPException, RequestEntityTooLarge
from werkzeug.routing import Map, Rule
from werkzeug.wrappers import Request, Response

from . import acube_api, admin, auth, directory, flows, intake, qonto_api, simulator, webhooks
from .documents import render
from .errors import ApiError, json_response
from .http import JSON_LIMIT, file_response, json_body, multipart_flow
from .platform import Platform

_log = logging.getLogger(__name__)
FLOW, DIRECTORY = "/flow-service/v1", "/directory-service/v1"
MULTIPART_SLACK = 64 * 1024

_RULES = [
    (f"{FLOW}/flows", "POST", "flow_create"), (f"{FLOW}/flows/search", "POST", "flow_search"),
    (f"{FLOW}/flows/<flow_id>", "GET", "flow_get"),
    (f"{FLOW}/webhooks", "GET", "webhook_list"), (f"{FLOW}/webhooks", "POST", "webhook_create"),
    (f"{FLOW}/webhooks/<uid>", "DELETE", "webhook_delete"),
    (f"{FLOW}/webhooks/<uid>", "PUT", "webhook_update"),
    (f"{FLOW}/healthcheck", "GET", "health"), (f"{DIRECTORY}/healthcheck", "GET", "health"),
    (f"{DIRECTORY}/siren/search", "POST", "dir_siren_search"),
    (f"{DIRECTORY}/siren/code-insee:<siren>", "GET", "dir_siren"),
    (f"{DIRECTORY}/siret/search", "POST", "dir_siret_search"),
    (f"{DIRECTORY}/siret/code-insee:<siret>", "GET", "dir_siret"),
    (f"{DIRECTORY}/routing-code/search", "POST", "dir_rc_search"),
    (f"{DIRECTORY}/routing-code/siret:<siret>/code:<rid>", "GET", "dir_rc"),
    (f"{DIRECTORY}/directory-line/search", "POST", "dir_line_search"),
    (f"{DIRECTORY}/directory-line/code:<aid>", "GET", "dir_line"),
    ("/auth/token", "POST", "token"),
]
# The emulated platform APIs: endpoint "<name>_<handler endpoint>" -> module.
VENDORS = {"qonto": qonto_api, "acube": acube_api}
_RULES += [(module.PREFIX + path, method, f"{name}_{endpoint}")
           for name, module in VENDORS.items() for path, method, endpoint in module.RULES]
URL_MAP = Map([Rule(path, methods=[method], endpoint=endpoint)
               for path, method, endpoint in _RULES] + admin.rules(), strict_slashes=False)


UPLOADS = ("flow_create", "qonto_bulk_import", "acube_create")


def _vendor(endpoint):
    name = endpoint.split("_", 1)[0]
    return VENDORS.get(name)


class SandboxApp:
    """WSGI callable over a :class:`Platform`."""

    def __init__(self, platform, admin_token=None):
        self.platform = platform
        self.store = platform.store
        self.admin_token = admin_token

    def __call__(self, environ, start_response):
        request = Request(environ)
        fault, response, endpoint = None, None, None
        try:
            adapter = URL_MAP.bind_to_environ(environ)
            endpoint, args = adapter.match()
            api = endpoint.startswith(("flow_", "webhook_", "dir_", "health", "qonto_",
                                       "acube_"))
            if api:
                fault = self.platform.faults.take(request.method, request.path)
                self._fault_before(fault, request)
            if fault is not None and fault.kind == "timeout_before_accept":
                raise _Unanswered()
            request.max_content_length = (self.platform.max_upload_bytes + MULTIPART_SLACK
                                          if endpoint in UPLOADS else JSON_LIMIT)
            response = self._dispatch(request, endpoint, args)
        except _Unanswered:
            response = Response(b"", status=500)
        except ApiError as exc:
            vendor = _vendor(endpoint) if endpoint else None
            response = vendor.error_response(exc) if vendor else exc.response()
        except RequestEntityTooLarge:
            response = ApiError(413, "FILE_SIZE_EXCEEDED", _too_large(request, self.platform))\
                .response()
        except HTTPException as exc:
            response = ApiError(exc.code, _HTTP_CODES.get(exc.code, "HTTP_ERROR"),
                                f"{exc.name}: {exc.description}").response()
        except Exception:
            _log.exception("sandbox internal error on %s %s", request.method, request.path)
            response = ApiError(500, "INTERNAL_ERROR", "The sandbox failed on this request; see "
                                "its log.").response()
        if fault is not None and fault.kind in ("drop_after_accept", "timeout_before_accept"):
            _drop(environ)
            response = Response(b"", status=500)
        if self.platform.on_change:
            self.platform.on_change()
        if request.headers.get("Request-Id"):
            response.headers["Request-Id"] = request.headers["Request-Id"]
        return response(environ, start_response)

    def _fault_before(self, fault, request):
        """Raise the injected error answer (503, 429), sleep (timeouts) or revoke the
        call's token before the call."""
        if fault is None:
            return
        if fault.kind == "token_revoked":
            auth.revoke_bearer(self.store, request)
            return
        if fault.kind == "503":
            raise ApiError(503, "RESOURCE_ERROR", "Injected fault: the service is "
                           "temporarily unavailable; retry later.")
        if fault.kind == "429":
            raise ApiError(429, "TOO_MANY_REQUESTS", f"Injected fault: too many requests; "
                           f"retry after {fault.retry_after} s.",
                           headers={"Retry-After": str(fault.retry_after)})
        if fault.kind in ("timeout", "timeout_before_accept"):
            time.sleep(fault.seconds)

    def _dispatch(self, request, endpoint, args):
        if endpoint == "token":
            return auth.token_endpoint(self.store, request)
        if endpoint == "health":
            return Response(b"", status=200)
        if endpoint.startswith("admin_"):
            return admin.handle(self.platform, self.admin_token, request, endpoint, args)
        vendor = _vendor(endpoint)
        if vendor is not None:
            return vendor.handle(self, request, endpoint.split("_", 1)[1], args)
        client_id = auth.authenticate(self.store, request)
        if endpoint.startswith("dir_"):
            return json_response(self._directory(request, endpoint, args))
        org_id = auth.resolve_organization(self.store, client_id, request)
        return getattr(self, endpoint)(request, org_id, **args)

    def _directory(self, request, endpoint, args):
        store = self.store
        if endpoint.endswith("_search"):
            body = json_body(request, required=endpoint != "dir_rc_search")
            handler = {"dir_siren_search": directory.search_siren,
                       "dir_siret_search": directory.search_siret,
                       "dir_rc_search": directory.search_routing_codes,
                       "dir_line_search": directory.search_lines}[endpoint]
            return handler(store, body)
        fields = [f for f in request.args.get("fields", "").split(",") if f]
        include = [f for f in request.args.get("include", "").split(",") if f]
        if endpoint == "dir_siren":
            return directory.get_siren(store, args["siren"], fields)
        if endpoint == "dir_siret":
            return directory.get_siret(store, args["siret"], include)
        if endpoint == "dir_rc":
            return directory.get_routing_code(store, args["siret"], args["rid"])
        return directory.get_line(store, args["aid"])

    # -- Flow Service ----------------------------------------------------------------
    def flow_create(self, request, org_id):
        info, _filename, content = multipart_flow(request)
        row = intake.submit(self.store, org_id, info, content)
        return json_response(flows.flow_json(row), 202)

    def flow_search(self, request, org_id):
        body = json_body(request)
        flows.parse_search(body)  # reject bad requests before counting a sync
        if not body.get("cursor"):
            simulator.on_sync(self.store, org_id)
        return json_response(flows.search_flows(self.store, org_id, body))

    def flow_get(self, request, org_id, flow_id):
        doc_type = request.args.get("docType", "Metadata")
        if doc_type not in flows.DOC_TYPES:
            raise ApiError(400, "INVALID_FIELD_VALUE", f"docType is {doc_type!r}; use one of "
                           f"{', '.join(flows.DOC_TYPES)}.")
        row = flows.load_flow(self.store, org_id, flow_id)
        if doc_type == "Metadata":
            return json_response(flows.flow_json(row))
        if doc_type == "Original":
            return file_response(bytes(row["content"]), row["name"])
        rendered = render(row, doc_type)
        if rendered is None:
            raise ApiError(404, "MISSING_RESOURCE", f"Flow {flow_id} ({row['flow_syntax']}) "
                           f"has no {doc_type} document; use docType=Original.")
        return file_response(rendered[0], rendered[1])

    def webhook_list(self, request, org_id):
        return json_response(webhooks.list_hooks(self.store, org_id))

    def webhook_create(self, request, org_id):
        body = webhooks.create(self.store, org_id, json_body(request), flows.ENUMS)
        return json_response(body, 201)

    def webhook_update(self, request, org_id, uid):
        return json_response(webhooks.update(self.store, org_id, uid, json_body(request),
                                             flows.ENUMS))

    def webhook_delete(self, request, org_id, uid):
        webhooks.delete(self.store, org_id, uid)
        return Response(status=204)


class _Unanswered(Exception):
    """The call is not processed (fault timeout_before_accept): the connection is closed."""


_HTTP_CODES = {404: "MISSING_RESOURCE", 405: "METHOD_NOT_ALLOWED", 400: "BAD_REQUEST"}


def _too_large(request, platform):
    limit = (platform.max_upload_bytes if request.path.endswith("/flows") else JSON_LIMIT)
    return (f"The request body ({request.content_length or 'unknown'} bytes) is over this "
            f"platform's limit of {limit} bytes for {request.path}: send a smaller file.")


def _drop(environ):
    """Close the client connection without an answer (fault drop_after_accept)."""
    sock = environ.get("werkzeug.socket")
    if sock is not None:
        with contextlib.suppress(OSError):
            sock.shutdown(socket.SHUT_RDWR)


def create_app(data_dir, admin_token=None, **options):
    """A WSGI app over a platform stored in ``data_dir`` (no webhook sender thread)."""
    return SandboxApp(Platform(data_dir, **options), admin_token)
