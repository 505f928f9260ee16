"""Demo helpers: synchronise lifecycle flows, push 212, print the status table."""

from ..errors import EInvoicingError

LC_TYPES = ["CustomerInvoiceLC"]


def sync(flows, sent, state, out_dir):
    """One synchronisation: download and parse every lifecycle flow not seen yet.

    ``state`` keeps ``seen`` flow ids and ``events`` per invoice number, so a
    flow is downloaded once whatever the number of syncs.
    """
    from ..lifecycle.cdar import parse_cdar

    seen = state.setdefault("seen", set())
    events = state.setdefault("events", {})
    numbers = {doc["invoice"].number for doc in sent}
    for flow in flows.iter_flows(flow_type=LC_TYPES):
        if flow["flowId"] in seen:
            continue
        seen.add(flow["flowId"])
        content = flows.get_flow(flow["flowId"], doc_type="Original")
        event = parse_cdar(content)
        event.flow_id = flow["flowId"]
        if event.invoice_number not in numbers:
            continue
        direction = "sent" if flow.get("flowDirection") == "Out" else "received"
        name = f"{event.invoice_number}_{event.status_code}_{direction}_{flow['flowId'][:8]}.xml"
        (out_dir / "cdar" / name).write_bytes(content)
        events.setdefault(event.invoice_number, []).append(event)
    return events


def wait_for(flows, sent, state, out_dir, code, max_syncs):
    """Synchronise until every document has status ``code`` (the buyer plays meanwhile)."""
    for _ in range(max_syncs):
        events = sync(flows, sent, state, out_dir)
        missing = [doc["invoice"].number for doc in sent
                   if code not in {e.status_code for e in events.get(doc["invoice"].number, [])}]
        if not missing:
            return
    raise EInvoicingError(
        f"After {max_syncs} synchronisations, status {code} is still missing for "
        f"{', '.join(missing)}; check the buyer scenario of the sandbox.",
        code="demo_status_missing", missing=missing,
    )


def payment_received(flows, invoice):
    """Push status 212 (payment received, by the supplier) for the full amount due.

    The file is written to the output directory by the next :func:`sync`, which
    sees it as our own (Out) lifecycle flow.
    """
    from ..lifecycle import split_by_vat_rate
    from ..lifecycle.cdar import StatusMessage, build_cdar

    totals = invoice.totals()
    gross = {vb.rate: vb.basis + vb.tax for vb in totals.vat_breakdown}
    amounts = split_by_vat_rate(totals.due_payable, invoice.currency, gross)
    xml = build_cdar(StatusMessage(
        status_code=212, invoice_number=invoice.number, invoice_date=invoice.issue_date,
        seller_siren=invoice.seller.siren, buyer_siren=invoice.buyer.siren,
        issuer_role="supplier", amounts=amounts, invoice_type_code=invoice.type_code,
    ))
    name = f"CDAR_{invoice.number}_212.xml"
    return flows.submit_flow(xml, name, "CDAR", tracking_id=f"demo-{invoice.number}-212")


def table_rows(flows, sent, state):
    from ..lifecycle import badge_for, current_status, get_status

    rows = []
    for doc in sent:
        invoice, flow_id = doc["invoice"], doc["flow"]["flowId"]
        metadata = flows.get_flow(flow_id)
        event = current_status(state.get("events", {}).get(invoice.number, []))
        status = get_status(event.status_code) if event else None
        badge = badge_for(event.status_code) if event else None
        rows.append({
            "document": f"{doc['label']} {invoice.number}",
            "platform_id": flow_id,
            "technical_status": metadata["acknowledgement"]["status"],
            "status": f"{status.code} {status.label_fr}" if status else "-",
            "badge": badge.value if badge else "-",
        })
    return rows


HEADERS = {"document": "Document", "platform_id": "Platform id",
           "technical_status": "Technical status", "status": "Lifecycle status",
           "badge": "Badge"}


def print_table(flows, sent, state, out):
    rows = table_rows(flows, sent, state)
    widths = {key: max(len(title), *(len(str(r[key])) for r in rows))
              for key, title in HEADERS.items()}
    line = "  ".join(title.ljust(widths[key]) for key, title in HEADERS.items()).rstrip()
    print("", file=out)
    print(line, file=out)
    print("  ".join("-" * widths[key] for key in HEADERS), file=out)
    for row in rows:
        print("  ".join(str(row[key]).ljust(widths[key]) for key in HEADERS).rstrip(),
              file=out)
    return rows
