"""Client of the AFNOR XP Z12-013 Directory Service (directory-service-1.3.0.json).

Finds who a company is (SIREN, SIRET, routing codes) and, above all, the
electronic address (directory line) its invoices must be sent to and whether
that line is active.
"""

from urllib.parse import quote

from stdnum import exceptions as stdnum_exceptions
from stdnum.fr import siren as stdnum_siren
from stdnum.fr import siret as stdnum_siret

from ..errors import InputError
from .errors import invalid_answer
from .http import DEFAULT_TIMEOUT, HttpClient, RetryPolicy

LINE_SEARCH_PATH = "/v1/directory-line/search"
READ_POSTS = ("/v1/siren/search", "/v1/siret/search", "/v1/routing-code/search",
              LINE_SEARCH_PATH)
PAGE_SIZE = 100
MAX_LINES = 10_000


class DirectoryParamError(InputError):
    """A value given to the Directory client is not valid."""


def _check(module, value, field, digits):
    try:
        return module.validate(value)
    except stdnum_exceptions.ValidationError as exc:
        raise DirectoryParamError(
            f"{field} {value!r} is not valid ({exc.message}); give the {digits}-digit number "
            "of the company's INSEE record.",
            code="afnor_bad_identifier", field=field, value=value,
        ) from None


def check_siren(value, field="siren"):
    return _check(stdnum_siren, value, field, 9)


def check_siret(value, field="siret"):
    return _check(stdnum_siret, value, field, 14)


LINE_ENABLED = "Enabled"


def choose_line(lines, siret=None, routing_identifier=None):
    """The directory line invoices to this company must use, or None.

    The most specific published line wins, whatever its status (a facility or a service
    with its own line is addressed there, XP Z12-013): SIRET + routing code, then the
    SIRET alone, then the SIREN-wide line. The caller refuses a line that is not
    ``Enabled`` (``Disabled``: no platform; ``Upcoming``: not active yet).
    """
    usable = [ln for ln in lines if isinstance(ln, dict) and ln.get("addressingIdentifier")]

    def specificity(line):
        line_siret, line_code = line.get("siret"), line.get("routingIdentifier")
        if line_code:
            return 0 if (routing_identifier and line_code == routing_identifier
                         and line_siret in (None, siret)) else None
        if line_siret:
            return 1 if siret and line_siret == siret else None
        return 2

    ranked = [(specificity(ln), ln.get("directoryLineStatus") != LINE_ENABLED,
               ln["addressingIdentifier"], i) for i, ln in enumerate(usable)]
    ranked = [r for r in ranked if r[0] is not None]
    return usable[min(ranked)[3]] if ranked else None


def _strict(value):
    return {"op": "strict", "value": value}


class DirectoryClient:
    """SIREN / SIRET / routing code / directory line look-ups."""

    def __init__(self, base_url, auth, organization_id=None, timeout=DEFAULT_TIMEOUT,
                 max_retries=3, session=None, backoff_factor=0.5, backoff_jitter=0.25,
                 backoff_max=30.0):
        policy = RetryPolicy(max_retries, backoff_factor, backoff_jitter, backoff_max)
        self.http = HttpClient(base_url, auth=auth, organization_id=organization_id,
                               timeout=timeout, policy=policy, session=session,
                               read_posts=READ_POSTS)

    def __repr__(self):
        return f"DirectoryClient(base_url={self.http.base_url!r})"

    def get_siren(self, siren):
        """The legal unit (``GET /v1/siren/code-insee:{siren}``)."""
        siren = check_siren(siren)
        return self.http.json("GET", f"/v1/siren/code-insee:{siren}",
                              f"the directory look-up of SIREN {siren}")

    def get_siret(self, siret):
        """The facility (``GET /v1/siret/code-insee:{siret}``)."""
        siret = check_siret(siret)
        return self.http.json("GET", f"/v1/siret/code-insee:{siret}",
                              f"the directory look-up of SIRET {siret}")

    def get_routing_code(self, siret, routing_identifier):
        """One routing code of a facility."""
        siret = check_siret(siret)
        if not routing_identifier or "/" in routing_identifier:
            raise DirectoryParamError(
                f"routing_identifier {routing_identifier!r} is not valid; give the routing "
                "code as published in the directory.",
                code="afnor_bad_identifier", field="routing_identifier",
                value=routing_identifier,
            )
        return self.http.json(
            "GET", f"/v1/routing-code/siret:{siret}/code:{quote(routing_identifier, safe='')}",
            f"the directory look-up of routing code {routing_identifier} of SIRET {siret}",
        )

    def search_directory_lines(self, siren=None, siret=None, routing_identifier=None,
                               addressing_identifier=None):
        """All directory lines matching the filters (follows limit/ignore paging)."""
        filters = {}
        if siren is not None:
            filters["siren"] = _strict(check_siren(siren))
        if siret is not None:
            filters["siret"] = _strict(check_siret(siret))
        if routing_identifier is not None:
            filters["routingIdentifier"] = _strict(routing_identifier)
        if addressing_identifier is not None:
            filters["addressingIdentifier"] = _strict(addressing_identifier)
        if not filters:
            raise DirectoryParamError(
                "A directory line search needs a filter; give siren, siret, routing_identifier "
                "or addressing_identifier.",
                code="afnor_no_criterion",
            )
        action = "the directory line search"
        lines = []
        while len(lines) < MAX_LINES:
            body = {"filters": filters, "limit": PAGE_SIZE, "ignore": len(lines)}
            answer = self.http.json("POST", LINE_SEARCH_PATH, action, json=body)
            results = answer.get("results") if isinstance(answer, dict) else None
            if not isinstance(results, list):
                raise invalid_answer(action, "no results list", 200)
            lines.extend(results)
            total = answer.get("totalNumberOfResults")
            if not results or len(results) < PAGE_SIZE or (
                    isinstance(total, int) and len(lines) >= total):
                break
        return lines

    def healthcheck(self):
        """True when the service answers 200 (raises AfnorError otherwise)."""
        self.http.request("GET", "/v1/healthcheck", "the directory health check")
        return True

    def find_line(self, siren, siret=None, routing_identifier=None):
        """The directory line of this recipient (:func:`choose_line`), or None."""
        siren = check_siren(siren)
        return choose_line(self.search_directory_lines(siren=siren), siret=siret,
                           routing_identifier=routing_identifier)

    def resolve_address(self, siren, siret=None):
        """The recipient's electronic address and whether it can receive now.

        Returns ``(addressing_identifier, True)`` for an Enabled line (the one of
        ``siret`` when given and published, else the SIREN-wide one),
        ``(addressing_identifier, False)`` when the only lines are Disabled or
        Upcoming, and ``(None, False)`` when the company has no line.
        """
        siren = check_siren(siren)
        if siret is not None:
            siret = check_siret(siret)
            if not siret.startswith(siren):
                raise DirectoryParamError(
                    f"siret {siret!r} does not belong to siren {siren!r}; a SIRET starts with "
                    "its 9-digit SIREN.",
                    code="afnor_siret_siren_mismatch", field="siret", value=siret,
                )
        lines = [ln for ln in self.search_directory_lines(siren=siren)
                 if isinstance(ln, dict) and ln.get("addressingIdentifier")]
        if not lines:
            return None, False

        def rank(line):
            status = line.get("directoryLineStatus")
            exact = siret is not None and line.get("siret") == siret
            general = not line.get("siret") and not line.get("routingIdentifier")
            return (status != "Enabled", not exact, not general, line["addressingIdentifier"])

        best = min(lines, key=rank)
        return best["addressingIdentifier"], best.get("directoryLineStatus") == "Enabled"
