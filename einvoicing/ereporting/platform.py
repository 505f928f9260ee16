"""Send a flux 10 report through the AFNOR Flow API and read what the platform answered.

    info = submit_report(flow_client, xml)              # flowSyntax FRR
    state, reasons = report_outcome(flow_client.get_flow(info["flowId"]))

The flow type is not sent (``FlowInfo`` has none): the platform derives it from the
file; the processing rule (B2C for 10.3/10.4, B2BInt for 10.1/10.2) is sent when
the report holds one family only.
"""

from ..xmlutil import parse_xml
from .validation import flow_type_of, processing_rule_of

FLOW_SYNTAX = "FRR"
FLOW_TYPES = (
    "UnitaryCustomerTransactionReport",
    "AggregatedCustomerTransactionReport",
    "UnitaryCustomerPaymentReport",
    "AggregatedCustomerPaymentReport",
    "UnitarySupplierTransactionReport",
    "MultiFlowReport",
)


def submission_of(xml):
    """(file name, tracking id, processing rule, flow type) of a report's XML bytes.

    The tracking id is the transmission id (TT-1): submitting the same report twice
    never creates two flows (the client finds the first one by trackingId).
    """
    root = parse_xml(xml)
    tracking_id = (root.findtext("ReportDocument/Id") or "").strip()
    name = f"{tracking_id.replace('/', '_') or 'ereport'}.xml"
    return name, tracking_id, processing_rule_of(root), flow_type_of(root)


def submit_report(flow_client, xml, tracking_id=None):
    """Submit ``xml`` as an FRR flow; the platform's flow info (see FlowClient.submit_flow)."""
    name, own_id, rule, _flow_type = submission_of(xml)
    return flow_client.submit_flow(xml, name, FLOW_SYNTAX, tracking_id or own_id,
                                   processing_rule=rule)


def report_outcome(flow_info):
    """("accepted" | "rejected" | "pending", reasons) from a flow's ``acknowledgement``.

    ``reasons`` are the platform's own texts, one per acknowledgement detail.
    """
    ack = (flow_info or {}).get("acknowledgement") or {}
    reasons = [" ".join(filter(None, (d.get("item"), d.get("reasonMessage") or
                                      d.get("reasonCode"))))
               for d in ack.get("details") or [] if isinstance(d, dict)]
    state = {"Ok": "accepted", "Error": "rejected"}.get(ack.get("status"), "pending")
    return state, reasons
