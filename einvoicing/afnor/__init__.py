"""Clients of the AFNOR XP Z12-013 APIs (Flow Service, Directory Service).

The only place of the core that does HTTP (see ``http.py``). Usage::

    auth = OAuth2ClientCredentials(token_url, client_id, client_secret)
    flows = FlowClient(flow_url, auth, organization_id="ORG1")
    flow = flows.submit_flow(pdf, "F2025-001.pdf", "Factur-X", tracking_id="F2025-001")
    flow["flowId"], flow["_already_existing"]

Every failure raises :class:`AfnorError` (HTTP status, AFNOR errorCode, the
platform's exact message, retryable). ``submit_flow`` never creates a second
flow for one trackingId: lost answers are resolved by a search on trackingId
first, and ``AlreadyExistingFlow`` returns the stored flow.
"""

from .auth import OAuth2ClientCredentials
from .directory import DirectoryClient, DirectoryParamError
from .errors import AfnorError
from .flow import FlowClient
from .flow_params import FlowParamError

__all__ = [
    "AfnorError",
    "DirectoryClient",
    "DirectoryParamError",
    "FlowClient",
    "FlowParamError",
    "OAuth2ClientCredentials",
]
