"""Sample flux 10 reports (JSON form) for each sub-flow, shared by the e-reporting tests."""

import copy

HEADER = {
    "transmission_id": "ER-2026-09-D2-0001",
    "issuer_siren": "552100554",
    "issuer_name": "Ma Societe SAS",
    "period_start": "2026-09-11",
    "period_end": "2026-09-20",
    "platform_id": "0042",
    "platform_name": "Sandbox PA",
    "issued_at": "2026-09-21T08:30:00",
}
FRENCH_SELLER = {"id": "552100554", "scheme": "0002", "vat": "FR40552100554", "country": "FR"}

SALES_10_1 = {**HEADER, "invoices": [
    {"number": "INV-2026-0101", "issue_date": "2026-09-12", "seller": FRENCH_SELLER,
     "buyer": {"id": "DE123456789", "scheme": "0223", "vat": "DE123456789", "country": "DE"},
     "business_process": "S1",
     "subtotals": [{"taxable_amount": "1000.00", "tax_amount": "0.00", "rate": "0",
                    "category": "K"}]},
    {"number": "INV-2026-0102", "issue_date": "2026-09-15", "seller": FRENCH_SELLER,
     "buyer": {"id": "US-EIN-123456", "scheme": "0227", "country": "US"},
     "business_process": "B1",
     "subtotals": [{"taxable_amount": "250.00", "tax_amount": "0.00", "rate": "0",
                    "category": "G"}]},
]}
PURCHASES_10_1 = {**HEADER, "transmission_id": "ER-2026-09-P-0001", "issuer_role": "BY",
                  "invoices": [
    {"number": "UK-778", "issue_date": "2026-09-14", "business_process": "S1",
     "seller": {"id": "GB987654321", "scheme": "0227", "country": "GB"},
     "buyer": FRENCH_SELLER,
     "subtotals": [{"taxable_amount": "500.00", "tax_amount": "100.00", "rate": "20",
                    "category": "S"}]},
]}
B2C_10_3 = {**HEADER, "transmission_id": "ER-2026-09-B2C-0001", "transactions": [
    {"day": "2026-09-12", "category": "TLB1", "count": 3, "subtotals": [
        {"rate": "20", "taxable_amount": "100.00", "tax_amount": "20.00"},
        {"rate": "5.5", "taxable_amount": "200.00", "tax_amount": "11.00"}]},
    {"day": "2026-09-12", "category": "TPS1", "count": 1, "subtotals": [
        {"rate": "10", "taxable_amount": "80.00", "tax_amount": "8.00"}]},
]}
PAYMENTS_10_2 = {**HEADER, "transmission_id": "ER-2026-09-PAY-0001",
                 "period_start": "2026-09-01", "period_end": "2026-09-30",
                 "invoice_payments": [
    {"invoice_number": "INV-2026-0101", "invoice_date": "2026-09-12",
     "payment_date": "2026-09-25", "amounts": [{"rate": "20", "amount": "1200.00"}]},
]}
PAYMENTS_10_4 = {**PAYMENTS_10_2, "transmission_id": "ER-2026-09-PB2C-0001",
                 "invoice_payments": [], "daily_payments": [
    {"day": "2026-09-12", "amounts": [{"rate": "20", "amount": "120.00"},
                                      {"rate": "10", "amount": "88.00"}]},
]}
RECTIFICATIVE = {**SALES_10_1, "transmission_id": "ER-2026-09-D2-0001-R1", "type_code": "RE",
                 "invoices": SALES_10_1["invoices"] + [
    {"number": "AV-2026-0003", "issue_date": "2026-09-18", "type_code": "381",
     "seller": FRENCH_SELLER, "business_process": "S1",
     "buyer": {"id": "DE123456789", "scheme": "0223", "vat": "DE123456789", "country": "DE"},
     "references": [{"number": "INV-2026-0101", "issue_date": "2026-09-12"}],
     "subtotals": [{"taxable_amount": "-100.00", "tax_amount": "0.00", "rate": "0",
                    "category": "K"}]},
]}

SAMPLES = {"10.1-sales": SALES_10_1, "10.1-purchases": PURCHASES_10_1, "10.2": PAYMENTS_10_2,
           "10.3": B2C_10_3, "10.4": PAYMENTS_10_4, "rectificative": RECTIFICATIVE}


def sample(name, **changes):
    data = copy.deepcopy(SAMPLES[name])
    data.update(changes)
    return data
