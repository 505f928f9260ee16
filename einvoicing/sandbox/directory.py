"""Directory Service subset: SIREN, SIRET, routing codes and directory lines.

Entries are the platform's companies (its organisations and directory-only
entries added by the admin). A directory line is ``Enabled`` when the company is
reachable on this platform, ``Disabled`` otherwise. The addressing identifier is
the company's 0225 electronic address (its SIREN unless set otherwise).
"""

import json
import re

from .errors import ApiError, bad_field

DEFAULT_LIMIT = 100
_OPS = {"strict": lambda have, want: have == want,
        "contains": lambda have, want: want.lower() in have.lower(),
        "startWith": lambda have, want: have.lower().startswith(want.lower())}


def _companies(store):
    return [dict(r) for r in store.query("SELECT * FROM companies ORDER BY siren")]


def legal_unit(c):
    return {"siren": c["siren"], "businessName": c["name"][:150],
            "entityType": "PrivateVatRegistered", "administrativeStatus": "A"}


def facility(c, with_siren=False):
    body = {"siret": c["siret"], "siren": c["siren"], "name": c["name"][:100],
            "facilityType": "P", "administrativeStatus": "A", "address": {"countryCode": "FR"}}
    if with_siren:
        body["legalUnit"] = legal_unit(c)
    return body


def routing_codes(c):
    return [{"routingIdentifier": rc["routingIdentifier"], "siret": c["siret"],
             "routingIdentifierType": "0224", "routingCodeName": rc.get("name") or
             rc["routingIdentifier"], "administrativeStatus": "A"}
            for rc in json.loads(c["routing_codes"]) if c["siret"]]


def lines(c):
    status = "Enabled" if c["reachable"] else "Disabled"
    base = {"addressingIdentifier": c["electronic_address"], "platformType": "WK",
            "directoryLineStatus": status, "siren": c["siren"]}
    found = [base]
    for rc in routing_codes(c):
        found.append({"addressingIdentifier": f"{c['siren']}_{c['siret']}_"
                      f"{rc['routingIdentifier']}", "platformType": "WK",
                      "directoryLineStatus": status, "siren": c["siren"], "siret": c["siret"],
                      "routingIdentifier": rc["routingIdentifier"]})
    return found


def _not_found(what, value):
    return ApiError(404, "MISSING_RESOURCE", f"No {what} {value!r} in the directory of this "
                    "platform.")


def _check_path(field, value, digits):
    if not re.fullmatch(rf"[0-9]{{{digits}}}", value):
        raise bad_field(field, value, f"exactly {digits} digits")
    return value


def _project(payload, fields, allowed):
    if not fields:
        return payload
    for field in fields:
        if field not in allowed:
            raise bad_field("fields", field, f"one of {', '.join(allowed)}")
    return {k: v for k, v in payload.items() if k in fields}


def get_siren(store, siren, fields):
    _check_path("siren", siren, 9)
    for c in _companies(store):
        if c["siren"] == siren:
            return _project(legal_unit(c), fields, tuple(legal_unit(c)) + ("instructions",))
    raise _not_found("SIREN", siren)


def get_siret(store, siret, include):
    _check_path("siret", siret, 14)
    for c in _companies(store):
        if c["siret"] == siret:
            return facility(c, with_siren="siren" in include)
    raise _not_found("SIRET", siret)


def get_routing_code(store, siret, routing_id):
    _check_path("siret", siret, 14)
    for c in _companies(store):
        for rc in routing_codes(c):
            if rc["siret"] == siret and rc["routingIdentifier"] == routing_id:
                return rc
    raise _not_found("routing code", f"{siret}/{routing_id}")


def get_line(store, addressing_id):
    for c in _companies(store):
        for line in lines(c):
            if line["addressingIdentifier"] == addressing_id:
                return line
    raise _not_found("directory line", addressing_id)


def _int(body, field, default):
    value = body.get(field, default)
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise bad_field(field, value, "a non-negative integer")
    return value


def _matches(item, filters):
    for field, criterion in filters.items():
        if not isinstance(criterion, dict) or not isinstance(criterion.get("value"), str):
            raise bad_field(f"filters.{field}", criterion,
                            'an object {"op": "strict", "value": "..."}')
        op = criterion.get("op", "strict")
        if op not in _OPS:
            raise bad_field(f"filters.{field}.op", op, f"one of {', '.join(_OPS)}")
        have = item.get(field)
        if have is None or not _OPS[op](str(have), criterion["value"]):
            return False
    return True


def search(body, items, allowed_filters):
    """Generic search answer: filters, sorting, limit/ignore paging."""
    if not isinstance(body, dict):
        raise bad_field("(body)", body, "a JSON object with optional filters/limit/ignore")
    filters = body.get("filters") or {}
    if not isinstance(filters, dict):
        raise bad_field("filters", filters, "an object of criteria")
    for field in filters:
        if field not in allowed_filters:
            raise bad_field(f"filters.{field}", filters[field],
                            f"a criterion among {', '.join(allowed_filters)}")
    found = [item for item in items if _matches(item, filters)]
    for rule in reversed(body.get("sorting") or []):
        if not isinstance(rule, dict) or not isinstance(rule.get("field"), str):
            raise bad_field("sorting", rule, 'objects {"field": ..., "order": "ascending"}')
        found.sort(key=lambda item, f=rule["field"]: str(item.get(f, "")),
                   reverse=rule.get("order") == "descending")
    ignore = _int(body, "ignore", 0)
    limit = _int(body, "limit", DEFAULT_LIMIT)
    return {"search": body, "totalNumberOfResults": len(found),
            "results": found[ignore:ignore + limit]}


def search_siren(store, body):
    return search(body, [legal_unit(c) for c in _companies(store)],
                  ("siren", "businessName", "entityType", "administrativeStatus"))


def search_siret(store, body):
    return search(body, [facility(c) for c in _companies(store) if c["siret"]],
                  ("siret", "siren", "facilityType", "name", "addressLines", "postalCode",
                   "countrySubdivision", "locality", "administrativeStatus"))


def search_routing_codes(store, body):
    return search(body, [rc for c in _companies(store) for rc in routing_codes(c)],
                  ("routingIdentifier", "siret", "routingCodeName", "administrativeStatus",
                   "addressLines", "postalCode", "locality"))


def search_lines(store, body):
    return search(body, [line for c in _companies(store) for line in lines(c)],
                  ("addressingIdentifier", "siren", "siret", "routingIdentifier",
                   "addressingSuffix"))
