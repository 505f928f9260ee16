"""Invoice lifecycle: the AFNOR status catalogue, payment amounts and CDAR messages.

- :mod:`.statuses`: statuses, badges, reasons, events and user actions (rows in :mod:`.data`);
- :mod:`.payment`: payment amounts of statuses 211/212 (:class:`PaymentAmount`);
- :mod:`.characteristics`: the other typed values of a status (CL-11: approved amounts,
  data in error, completed data), :func:`~.characteristics.data_error`;
- :mod:`.views`: the catalogue as JSON-able data (CLI) and as the Markdown of
  ``readme/LIFECYCLE.md`` (a test checks that they agree);
- :mod:`.cdar`: CDAR D22B messages, built (:mod:`.cdar_build`) from a
  :class:`~.cdar_model.StatusMessage` and read (:mod:`.cdar_parse`) into an :class:`Event`.

This package re-exports the catalogue (``from einvoicing import lifecycle``); the CDAR
functions are in ``einvoicing.lifecycle.cdar``.
"""

from .payment import LifecycleError, PaymentAmount, split_by_vat_rate
from .statuses import (
    ACTIONS,
    BADGE_COLORS,
    BADGE_LABELS,
    DOCUMENT_KINDS,
    LIFECYCLE_ORDER,
    REASONS,
    ROLES,
    STATUSES,
    Action,
    Badge,
    Event,
    Reason,
    Status,
    actions_for,
    badge_for,
    check_payment,
    check_reason,
    current_status,
    get_status,
    reasons_for,
    resolve_reason,
)
from .views import catalogue, lifecycle_markdown

__all__ = [
    "ACTIONS", "BADGE_COLORS", "BADGE_LABELS", "DOCUMENT_KINDS", "LIFECYCLE_ORDER", "REASONS",
    "ROLES", "STATUSES", "Action", "Badge", "Event", "LifecycleError", "PaymentAmount", "Reason",
    "Status", "actions_for", "badge_for", "catalogue", "check_payment", "check_reason",
    "current_status", "get_status", "lifecycle_markdown", "reasons_for", "resolve_reason",
    "split_by_vat_rate",
]
