"""Platform gateways: one interface over the AFNOR, Qonto and A-Cube APIs.

Usage::

    from einvoicing.gateways import make_gateway
    gateway = make_gateway("qonto", api_url=..., login=..., secret_key=...)
    submission = gateway.submit_invoice(pdf, "F1.pdf", "Factur-X", "F1")
    gateway.invoice_events(submission.platform_id)

Every failure is an :class:`~einvoicing.afnor.AfnorError`; an operation a platform
does not offer raises it with code ``gateway_unsupported``.
"""

from .acube import AcubeGateway
from .afnor import AfnorGateway
from .base import (
    OPERATIONS,
    Gateway,
    PlatformEvent,
    ReceivedInvoice,
    Submission,
    unsupported,
)
from .qonto import QontoGateway
from .registry import make_gateway, platform_apis, settings_of

__all__ = [
    "OPERATIONS", "AcubeGateway", "AfnorGateway", "Gateway", "PlatformEvent", "QontoGateway",
    "ReceivedInvoice", "Submission", "make_gateway", "platform_apis", "settings_of",
    "unsupported",
]
