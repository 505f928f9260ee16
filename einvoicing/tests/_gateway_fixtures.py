"""Documented JSON examples of the Qonto and A-Cube APIs, kept as they were published.

Each constant names the page it was copied from; the gateway tests parse them and the
sandbox emulations answer in the same shapes.
"""

# https://docs.qonto.com/api-reference/business-api/invoicing/client-invoices/bulk-import-client-invoices
QONTO_BULK_IMPORT = {
    "client_invoices": [
        {"invoice_id": "019c688e-4adc-795b-b0fb-c9be149262dd", "file_name": "invoice1.pdf"},
        {"invoice_id": "019c6890-1f2a-7b3c-9d4e-2a1b3c4d5e6f", "file_name": "invoice2.pdf"},
    ]
}

# https://docs.qonto.com/api-reference/business-api/expense-management/client-quotes-notes/client-invoices/retrieve-a-client-invoice
# (the e-invoicing part of the client_invoice object; seed 003)
QONTO_CLIENT_INVOICE = {
    "client_invoice": {
        "id": "4d5418bb-bd0d-4df4-865c-c07afab8bb48",
        "organization_id": "4d5418bb-bd0d-4df4-865c-c07afab8bb48",
        "number": "INV001",
        "status": "paid",
        "currency": "EUR",
        "total_amount": {"value": "12.52", "currency": "EUR"},
        "total_amount_cents": 1252,
        "issue_date": "2022-03-01",
        "attachment_id": "4d5418bb-bd0d-4df4-865c-c07afab8bb48",
        "einvoicing_status": "pending",
        "einvoicing_lifecycle_events": [
            {"status_code": 200, "reason": "DOUBLE FACTURE",
             "reason_message": "I already received this invoice",
             "timestamp": "2024-12-04T11:05:16.4497Z"},
        ],
    }
}

# https://docs.qonto.com/api-reference/business-api/endpoints/supplier-invoices/list-supplier-invoices
QONTO_SUPPLIER_INVOICES = {
    "supplier_invoices": [
        {"id": "4d5418bb-bd0d-4df4-865c-c07afab8bb48",
         "organization_id": "4d5418bb-bd0d-4df4-865c-c07afab8bb48",
         "file_name": "my-invoice.pdf", "invoice_number": "QONTO-JAN-2022",
         "supplier_name": "McDonald's", "total_amount": {"value": "22.10", "currency": "EUR"},
         "issue_date": "2022-02-01", "due_date": "2022-03-01", "status": "to_review",
         "created_at": "2022-03-04T17:58:30+02:00", "updated_at": "2022-03-04T17:58:30+02:00",
         "attachment_id": "3c90c3cc-0d44-4b50-8888-8dd25736052a", "is_einvoice": False,
         "attachment_category": "INVOICE",
         "einvoicing_lifecycle_events": [
             {"status_code": 200, "reason": "DOUBLE FACTURE",
              "reason_message": "I already received this invoice",
              "timestamp": "2024-12-04T11:05:16.4497Z"}],
         "meta": {"integration_type": "amazon", "connector": "grover"}},
    ],
    "meta": {"current_page": 2, "next_page": None, "prev_page": 1, "total_pages": 2,
             "total_count": 150, "per_page": 100},
}

# https://docs.qonto.com/api-reference/business-api/spend-management/supplier-invoices/reject-supplier-invoice
QONTO_REJECT_BODY = {"supplier_invoice": {"declined_note": "This invoice is not valid",
                                          "declined_reason_code": "DOUBLON"}}

# https://docs.qonto.com/get-started/general/errors (JSON:API error object)
QONTO_ERROR = {"errors": [{"code": "not_in_list", "detail": "status is not in the list",
                           "source": {"pointer": "/status"}}]}

# https://docs.acubeapi.com/documentation/gov-fr/invoices/lifecycle (seed 002)
ACUBE_LIFECYCLE_SIMPLE = {"afnorStatusCode": 201}
ACUBE_LIFECYCLE_BY_NAME = {"afnorStatusCode": "ISSUED"}
ACUBE_LIFECYCLE_PAYMENT = {"afnorStatusCode": 211, "paymentDetails": [
    {"vatRate": 20.00, "amount": 1200.50, "currency": "EUR"}]}
ACUBE_LIFECYCLE_REFUSAL = {"afnorStatusCode": "REFUSED", "rejectionDetails": {
    "rejectionReason": "LEGAL_INFORMATION_MISSING",
    "message": "The invoice is missing required legal information."}}

# https://docs.acubeapi.com/documentation/gov-fr/invoices/send
ACUBE_SUBMISSION = {
    "uuid": "4f7a9112-9c3b-48fa-8672-111222333aaa", "direction": "OUTBOUND",
    "status": "SUBMITTED", "invoiceTypeCode": "380", "invoiceNumber": "F202500001",
    "invoiceDate": "2025-02-01", "dueDate": "2025-03-03",
    "party": {"name": "LE VENDEUR", "siren": "324730001", "siret": None,
              "identifierScheme": "0225", "identifierValue": "324730001"},
    "counterparty": {"name": "LE CLIENT", "siren": "931536429", "siret": None,
                     "identifierScheme": "0225", "identifierValue": "931536429"},
    "createdAt": "2026-06-17T07:40:15+00:00", "updatedAt": "2026-06-17T07:40:15+00:00",
}
ACUBE_STATUS_WEBHOOK = {
    "eventId": "019ea765-da8a-70af-a037-b068ad1ff1ce", "eventType": "invoice.status",
    "status": "205", "invoiceUuid": "019ea760-dad8-70b9-9b23-f60ff4004509",
    "direction": "OUTBOUND", "statusLabel": "{description of the new status}",
}

# https://docs.acubeapi.com/documentation/gov-fr/invoices/receive
ACUBE_INBOUND_WEBHOOK = {
    "event": "invoice.inbound.received", "invoice_id": "inv_in_88",
    "supplier_siret": "12345678900012", "supplier_name": "CONSTRUCTION ALPHA SAS",
    "total_tax_exclusive": 1250.00, "currency": "EUR", "format": "UBL",
    "received_at": "2026-06-08T09:15:22Z",
}
