# Copyright 2026 The l10n_fr_einvoice_pa authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The soak's checker: platform side against Odoo side, plain data in, anomalies out.

No Odoo and no sandbox here (``tools/soak.py`` takes the snapshots), so it is tested
host-free (``einvoicing/tests/test_soak_check.py``). Every anomaly is a
``(kind, detail)`` pair; a clean run has none.

Platform snapshot (dict):
  ``invoices``: ``[{"flow_id", "tracking_id", "number"}]`` the seller's invoice flows;
  ``lc``: ``[{"flow_id", "message_id", "invoice_flow_id", "status", "seq", "at",
  "rank"}]`` the lifecycle (CDAR) flows the seller organisation sees (received and its
  own), ``at`` the message's timestamp (UTC, to the second) and ``rank`` the status's
  place in the lifecycle (business order: the latest message, the furthest status
  among messages of the same second);
  ``pushed``: ``{message_id: number of flows the seller pushed with it}``.
Odoo snapshot (dict):
  ``moves``: ``[{"id", "name", "tracking_id", "flow_id", "status"}]`` every sent move;
  ``events``: ``[{"message_id", "move_id"}]`` every lifecycle event line (sale side);
  ``pushes``: ``{message_id: "done" | "maybe"}`` 212/211 the accountant confirmed
  ("done") or tried without an answer ("maybe": at most once).
"""

from collections import Counter


def _duplicates(values):
    return sorted(v for v, n in Counter(values).items() if n > 1)


def check_flows(platform, odoo):
    """One platform invoice flow per move, and the move holds its id."""
    anomalies = []
    invoices = platform["invoices"]
    for tracking in _duplicates(f["tracking_id"] for f in invoices):
        anomalies.append(("duplicate_flow", f"tracking id {tracking} has several flows"))
    for number in _duplicates(f["number"] for f in invoices):
        anomalies.append(("duplicate_flow", f"invoice {number} was sent several times"))
    by_tracking = {}
    for flow in invoices:
        by_tracking.setdefault(flow["tracking_id"], set()).add(flow["flow_id"])
    tracked = set()
    for move in odoo["moves"]:
        tracked.add(move["tracking_id"])
        flow_ids = by_tracking.get(move["tracking_id"])
        if not flow_ids:
            anomalies.append(("lost_flow", f"{move['name']} is not on the platform"))
        elif move["flow_id"] not in flow_ids:
            anomalies.append(("flow_id_mismatch", f"{move['name']} holds {move['flow_id']}, "
                              f"the platform has {', '.join(sorted(flow_ids))}"))
    for flow in invoices:
        if flow["tracking_id"] not in tracked:
            anomalies.append(("orphan_flow", f"platform flow {flow['flow_id']} "
                              f"({flow['number']}) belongs to no move"))
    return anomalies


def check_events(platform, odoo):
    """Every platform lifecycle message stored exactly once, linked to its move."""
    anomalies = []
    stored = [e["message_id"] for e in odoo["events"]]
    for message in _duplicates(stored):
        anomalies.append(("duplicate_event", f"message {message} is stored more than once"))
    on_platform = {f["message_id"] for f in platform["lc"]}
    for message in sorted(on_platform - set(stored)):
        anomalies.append(("missing_event", f"message {message} never reached Odoo"))
    for message in sorted(set(stored) - on_platform):
        anomalies.append(("unknown_event", f"message {message} is not on the platform"))
    for event in odoo["events"]:
        if not event["move_id"]:
            anomalies.append(("unlinked_event", f"message {event['message_id']} has no move"))
    return anomalies


def platform_status(platform):
    """{invoice flow id: status code of its latest lifecycle message (business order)}."""
    latest = {}
    for flow in sorted(platform["lc"], key=lambda f: (f["at"], f["rank"], f["seq"])):
        latest[flow["invoice_flow_id"]] = flow["status"]
    return latest


def check_statuses(platform, odoo):
    """Every move's status equals the platform's."""
    expected = platform_status(platform)
    anomalies = []
    for move in odoo["moves"]:
        want = expected.get(move["flow_id"])
        if want is not None and move["status"] != want:
            anomalies.append(("status_mismatch", f"{move['name']} is {move['status']}, "
                              f"the platform says {want}"))
    return anomalies


def check_pushes(platform, odoo):
    """Every 212/211 the accountant pushed is on the platform exactly once."""
    anomalies = []
    pushed = platform["pushed"]
    for message, state in sorted(odoo["pushes"].items()):
        count = pushed.get(message, 0)
        if count > 1:
            anomalies.append(("duplicate_push", f"status message {message} is on the "
                              f"platform {count} times"))
        elif count == 0 and state == "done":
            anomalies.append(("lost_push", f"status message {message} was confirmed but is "
                              "not on the platform"))
    for message in sorted(set(pushed) - set(odoo["pushes"])):
        anomalies.append(("unexpected_push", f"status message {message} was pushed by "
                          "nobody's action"))
    return anomalies


def check(platform, odoo):
    """Every anomaly, in a stable order."""
    return (check_flows(platform, odoo) + check_events(platform, odoo)
            + check_statuses(platform, odoo) + check_pushes(platform, odoo))


def summary(anomalies):
    """{kind: count} of the anomalies."""
    return dict(sorted(Counter(kind for kind, _detail in anomalies).items()))
