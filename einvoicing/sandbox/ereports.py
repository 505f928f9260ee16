"""``POST /v1/flows`` with flowSyntax FRR: flux 10 e-reports (10.1-10.4).

Checked like a platform would: a readable ``Report`` (else 422 InvalidSchema, not
stored), sent by the issuer's own organisation (SIREN TT-13), then the same rules
as ``python -m einvoicing ereporting validate`` (XSD + PPF Flux 10 schematron), plus
one check the schematron leaves to platforms (no document dated after today, G1.07):
invalid reports are stored with acknowledgement Error and one detail per rule.
An initial report (TypeCode IN) is unique per issuer, period and flow type: a
second one is refused with 422 AlreadyExistingFlow (send a rectificative, RE).
The uniqueness key reuses the ``invoice_key`` unique index of the flows table.
"""

from datetime import date

from ..ereporting import validate_report
from ..ereporting.validation import flow_type_of
from ..errors import InputError
from ..xmlutil import parse_xml
from . import documents
from .errors import ApiError
from .flows import insert_flow


def _read(content, name):
    try:
        root = parse_xml(content, name=name)
        report = validate_report(root, filename=name)
    except InputError as exc:
        raise ApiError(422, "InvalidSchema", f"The file {name!r} cannot be read as a flux 10 "
                       f"e-report (FRR): {exc}") from exc
    return root, report


def _period(root):
    body = root.find("TransactionsReport")
    body = body if body is not None else root.find("PaymentsReport")
    return (body.findtext("ReportPeriod/StartDate") or "").strip(), \
        (body.findtext("ReportPeriod/EndDate") or "").strip()


def receive(store, org_id, info, content):
    """Store one FRR flow for ``org_id``; returns its row (ack Ok or Error)."""
    name = info["name"]
    root, report = _read(content, name)
    siren = (root.findtext("ReportDocument/Issuer/Id") or "").strip()
    org = store.one("SELECT siren FROM companies WHERE org_id = ?", (org_id,))
    if siren != org["siren"]:
        raise ApiError(422, "UNPROCESSABLE_ENTITY",
                       f"The report's issuer SIREN (TT-13) is {siren or 'missing'} but "
                       f"organization {org_id!r} has SIREN {org['siren']}: send it with the "
                       "issuer's Organization-Id.")
    flow_type = flow_type_of(root)
    start, end = _period(root)
    type_code = (root.findtext("ReportDocument/TypeCode") or "").strip()
    transmission = (root.findtext("ReportDocument/Id") or "").strip()
    cols = {"tracking_id": info.get("trackingId"),
            "processing_rule": info.get("processingRule") or _rule(flow_type, root),
            "processing_rule_source": "Input" if info.get("processingRule") else "Computed",
            "flow_profile": "Undefined", "seller_siren": siren,
            "invoice_number": transmission[:64], "invoice_date": start,
            "invoice_type": type_code}
    future = _future_dates(root)
    if report.valid and not future:
        cols["ack_status"] = "Ok"
        if type_code == "IN":
            key = f"FRR|{siren}|{start}|{end}|{flow_type}"
            existing = store.one("SELECT flow_id FROM flows WHERE invoice_key = ?", (key,))
            if existing is not None:
                raise ApiError(
                    422, "AlreadyExistingFlow",
                    f"An initial report (TypeCode IN) of {flow_type} for SIREN {siren} and "
                    f"period {start}-{end} was already accepted as flow "
                    f"{existing['flow_id']}: send a rectificative report (TypeCode RE) "
                    "instead.", instance=f"/v1/flows/{existing['flow_id']}")
            cols["invoice_key"] = key
    else:
        cols["ack_status"] = "Error"
        cols["ack_details"] = documents.ack_details(report) + future
    with store.tx() as conn:
        return insert_flow(conn, store, org_id, "Out", flow_type, "FRR", name, content, **cols)


_DATED = ("TransactionsReport/Invoice/IssueDate", "TransactionsReport/Transactions/Date",
          "PaymentsReport/Invoice/Payment/Date", "PaymentsReport/Transactions/Payment/Date")


def _future_dates(root):
    """Acknowledgement details for documents dated after today (an "applicative" check
    the schematron leaves to the platform: G1.07 compares dates with the current date)."""
    today = date.today().strftime("%Y%m%d")
    details = []
    for path in _DATED:
        for element in root.iterfind(path):
            value = (element.text or "").strip()
            if value.isdigit() and value > today:
                details.append({
                    "level": "Error", "item": f"G1.07 at {root.getroottree().getpath(element)}",
                    "reasonCode": "BusinessRuleError",
                    "reasonMessage": f"The date {value} is later than the reception date "
                                     f"{today}: a transaction or payment cannot be reported "
                                     "before it happens."})
    return details


def _rule(flow_type, root):
    from ..ereporting import processing_rule_of

    return processing_rule_of(root) or ("B2C" if "Aggregated" in flow_type else "B2BInt")
