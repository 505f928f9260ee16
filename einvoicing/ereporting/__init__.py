"""Flux 10 e-reporting (10.1 international B2B invoices, 10.2 their payments, 10.3 daily B2C
totals, 10.4 daily B2C payments): model, XML, validation, periods and due dates.

    report = report_from_dict(json.load(f))
    xml = build_report(report)
    findings = validate_report(xml)          # XSD + PPF Flux 10 schematron
    period_of("normal_monthly", "transactions", date(2026, 9, 14)).due
"""

from .model import (
    CATEGORIES,
    Company,
    DailyPayments,
    DailyTransactions,
    EReport,
    EReportError,
    InvoiceEntry,
    InvoicePayment,
    RateAmount,
    RateTotal,
    Reference,
    TaxSubtotal,
    report_from_dict,
    report_to_dict,
)
from .periods import FAMILIES, REGIMES, Period, closed_periods, period_of, periods_between
from .report_xml import build_report, is_report, parse_report
from .validation import flow_type_of, processing_rule_of, sub_flows_of, validate_report

__all__ = [
    "CATEGORIES",
    "FAMILIES",
    "REGIMES",
    "Company",
    "DailyPayments",
    "DailyTransactions",
    "EReport",
    "EReportError",
    "InvoiceEntry",
    "InvoicePayment",
    "Period",
    "RateAmount",
    "RateTotal",
    "Reference",
    "TaxSubtotal",
    "build_report",
    "closed_periods",
    "flow_type_of",
    "is_report",
    "parse_report",
    "period_of",
    "periods_between",
    "processing_rule_of",
    "report_from_dict",
    "report_to_dict",
    "sub_flows_of",
    "validate_report",
]
