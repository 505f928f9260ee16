"""Request reading helpers shared by the API and admin handlers."""

import json

from werkzeug.wrappers import Response

from .errors import ApiError, missing_field

JSON_LIMIT = 1024 * 1024


def json_body(request, required=True):
    """The JSON object of a request: 415 if not JSON, 400 if malformed or not an object."""
    data = request.get_data(cache=True)
    if data.strip() and request.mimetype != "application/json":
        raise ApiError(415, "UNSUPPORTED_MEDIA_TYPE",
                       f"Content-Type is {request.mimetype or '(none)'!r}; send this request "
                       "body as application/json.")
    if not data.strip():
        if required:
            raise ApiError(400, "MISSING_REQUIRED_FIELD", "The request body is empty: send a "
                           "JSON object.")
        return {}
    try:
        body = json.loads(data)
    except UnicodeDecodeError:
        raise ApiError(400, "INVALID_JSON", "The request body is not UTF-8 text: send UTF-8 "
                       "encoded JSON.") from None
    except ValueError as exc:
        raise ApiError(400, "INVALID_JSON", f"The request body is not valid JSON: {exc.msg} at "
                       f"line {exc.lineno}, column {exc.colno}.") from None
    if not isinstance(body, dict):  # every body of these APIs is an object
        raise ApiError(400, "INVALID_JSON", f"The request body is a JSON {type(body).__name__}"
                       "; send a JSON object.")
    return body


def int_arg(args, name, default):
    """An integer query parameter (``default`` when absent or empty); 400 when not one."""
    text = (args.get(name) or "").strip()
    if not text:
        return default
    if text.isascii() and text.lstrip("-").isdigit() and len(text) <= 18:
        return int(text)
    raise ApiError(400, "INVALID_FIELD_VALUE", f"Query parameter {name!r} is {text[:40]!r}; "
                   "expected an integer.")


def multipart_flow(request):
    """(flowInfo dict, file name, file bytes) of a ``POST /v1/flows`` request."""
    if request.mimetype != "multipart/form-data":
        raise ApiError(415, "UNSUPPORTED_MEDIA_TYPE",
                       f"Content-Type is {request.mimetype or '(none)'!r}; send the flow as "
                       "multipart/form-data with the parts 'flowInfo' (JSON) and 'file'.")
    if "flowInfo" in request.files:
        raw = request.files["flowInfo"].read()
    elif "flowInfo" in request.form:
        raw = request.form["flowInfo"].encode("utf-8")
    else:
        raise missing_field("flowInfo", "a multipart part 'flowInfo' holding the FlowInfo JSON")
    try:
        info = json.loads(raw)
    except ValueError as exc:
        raise ApiError(400, "INVALID_JSON", f"The 'flowInfo' part is not valid JSON: {exc}.") \
            from None
    if "file" in request.files:
        upload = request.files["file"]
        return info, upload.filename, upload.read()
    if "file" in request.form:
        return info, None, request.form["file"].encode("utf-8")
    raise missing_field("file", "a multipart part 'file' holding the invoice or CDAR file")


def file_response(content, filename):
    """A downloaded file: application/octet-stream as the spec says; the name tells the kind."""
    safe = "".join(c for c in filename if c.isalnum() or c in "._-") or "flow"
    return Response(content, status=200, content_type="application/octet-stream",
                    headers={"Content-Disposition": f"attachment;filename={safe}"})
