"""The flux 10 e-reporting model: one :class:`EReport` per transmission.

A transmission carries EITHER transactions (flux 10.1 invoices and/or 10.3 daily
B2C totals) OR payments (flux 10.2 per invoice and/or 10.4 daily B2C totals), never
both (PPF rule G6.29). Amounts are :class:`~decimal.Decimal`, dates
:class:`~datetime.date`. :func:`report_from_dict` reads the JSON form used by the
CLI (``python -m einvoicing ereporting build REPORT.json``), refusing unknown keys
and wrong types with a sentence that names the field.
"""

import dataclasses
import typing
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from ..errors import InputError

TRANSMISSION_TYPES = ("IN", "RE")  # TT-4: initial, rectificative
ISSUER_ROLES = ("SE", "BY")  # TT-15: seller (sales), buyer (purchases from abroad)
CATEGORIES = ("TLB1", "TPS1", "TNT1", "TMA1")  # TT-81: goods, services, not taxed, margin
PROFILE_ID = "urn.cpro.gouv.fr:1p0:ereporting"  # TT-29 (PPF rule S1.12)
SENDER_SCHEME = "0238"  # platform registration number (PPF rule G6.22)
SIREN_SCHEME = "0002"


class EReportError(InputError):
    """An e-report that cannot be built or read; the message names the field."""


class _Totals:
    """Sums of ``subtotals`` (items with ``taxable_amount`` and ``tax_amount``)."""

    @property
    def total_taxable(self):
        return sum((s.taxable_amount for s in self.subtotals), Decimal(0))

    @property
    def total_tax(self):
        return sum((s.tax_amount for s in self.subtotals), Decimal(0))


@dataclass
class Company:
    """A seller or buyer of a 10.1 entry: TT-33/TT-36 identifier and scheme
    (0002 SIREN, 0223 EU outside France, 0227 outside the EU), VAT number, country."""

    id: str
    scheme: str = SIREN_SCHEME
    vat: str | None = None
    country: str | None = None


@dataclass
class TaxSubtotal:
    """TG-23: taxable amount and VAT of one VAT category and rate (UNTDID 5305 code)."""

    taxable_amount: Decimal
    tax_amount: Decimal
    rate: Decimal
    category: str = "S"
    exemption_reason: str | None = None
    exemption_code: str | None = None


@dataclass
class Reference:
    """TG-11: a preceding invoice (credit notes, corrective invoices)."""

    number: str
    issue_date: date | None = None


@dataclass
class InvoiceEntry(_Totals):
    """Flux 10.1: one invoice or credit note (sale to / purchase from abroad)."""

    number: str
    issue_date: date
    seller: Company
    subtotals: list[TaxSubtotal]
    buyer: Company | None = None
    type_code: str = "380"
    currency: str = "EUR"
    due_date: date | None = None
    tax_due_date_type_code: str | None = None
    business_process: str = "S1"
    references: list[Reference] = field(default_factory=list)
    tax_exclusive_amount: Decimal | None = None


@dataclass
class RateTotal:
    """TG-32: taxable amount and VAT at one rate."""

    rate: Decimal
    taxable_amount: Decimal
    tax_amount: Decimal


@dataclass
class DailyTransactions(_Totals):
    """Flux 10.3: B2C totals of one day, currency and category (TLB1/TPS1/TNT1/TMA1)."""

    day: date
    category: str
    subtotals: list[RateTotal]
    currency: str = "EUR"
    tax_due_date_type_code: str | None = None
    count: int | None = None


@dataclass
class RateAmount:
    """TG-36/TG-39: amount received at one VAT rate (in euros, PPF rule G6.27)."""

    rate: Decimal
    amount: Decimal
    currency: str | None = "EUR"


@dataclass
class InvoicePayment:
    """Flux 10.2: a payment received for one invoice."""

    invoice_number: str
    invoice_date: date
    payment_date: date
    amounts: list[RateAmount]


@dataclass
class DailyPayments:
    """Flux 10.4: B2C payments received on one day."""

    day: date
    amounts: list[RateAmount]


@dataclass
class EReport:
    """One flux 10 transmission (TB-0 ``Report``)."""

    transmission_id: str
    issuer_siren: str
    issuer_name: str
    period_start: date
    period_end: date
    platform_id: str
    platform_name: str
    issued_at: datetime
    type_code: str = "IN"
    issuer_role: str = "SE"
    name: str | None = None
    invoices: list[InvoiceEntry] = field(default_factory=list)
    transactions: list[DailyTransactions] = field(default_factory=list)
    invoice_payments: list[InvoicePayment] = field(default_factory=list)
    daily_payments: list[DailyPayments] = field(default_factory=list)

    @property
    def is_payments(self):
        return bool(self.invoice_payments or self.daily_payments)

    @property
    def is_transactions(self):
        return bool(self.invoices or self.transactions) or not self.is_payments

    def sub_flows(self):
        """The sub-flows present: a subset of ("10.1", "10.2", "10.3", "10.4")."""
        present = (("10.1", self.invoices), ("10.2", self.invoice_payments),
                   ("10.3", self.transactions), ("10.4", self.daily_payments))
        return tuple(name for name, items in present if items)

    def check(self):
        """Raise :class:`EReportError` on what the XML could not express at all."""
        if self.type_code not in TRANSMISSION_TYPES:
            raise EReportError(f"type_code {self.type_code!r} must be IN (initial) or RE "
                               "(rectificative).", code="ereport_bad_type")
        if self.issuer_role not in ISSUER_ROLES:
            raise EReportError(f"issuer_role {self.issuer_role!r} must be SE (sales) or BY "
                               "(purchases).", code="ereport_bad_role")
        if (self.invoices or self.transactions) and self.is_payments:
            raise EReportError(
                "A transmission carries either transactions (10.1/10.3) or payments "
                "(10.2/10.4), not both (PPF rule G6.29): split it in two reports.",
                code="ereport_mixed")
        if self.period_end < self.period_start:
            raise EReportError(f"period_end {self.period_end} is before period_start "
                               f"{self.period_start}.", code="ereport_bad_period")
        for item in self.transactions:
            if item.category not in CATEGORIES:
                raise EReportError(f"Transactions of {item.day}: category {item.category!r} "
                                   f"must be one of {', '.join(CATEGORIES)}.",
                                   code="ereport_bad_category")
        return self


# -- JSON form ----------------------------------------------------------------------------

def report_from_dict(data):
    """Build an :class:`EReport` from its JSON form (dates ISO, amounts as strings)."""
    return _load(EReport, data, "report").check()


def report_to_dict(report):
    """The JSON form of ``report`` (inverse of :func:`report_from_dict`)."""
    def convert(value):
        if dataclasses.is_dataclass(value):
            return {f.name: convert(getattr(value, f.name)) for f in dataclasses.fields(value)
                    if getattr(value, f.name) is not None}
        if isinstance(value, list):
            return [convert(v) for v in value]
        if isinstance(value, (date, datetime)):
            return value.isoformat()
        if isinstance(value, Decimal):
            return str(value)
        return value
    return convert(report)


def _load(cls, data, where):
    if not isinstance(data, dict):
        raise EReportError(f"{where} must be a JSON object, got {type(data).__name__}.",
                           code="ereport_bad_value", field=where)
    hints = typing.get_type_hints(cls)
    fields = {f.name: f for f in dataclasses.fields(cls)}
    unknown = sorted(set(data) - set(fields))
    if unknown:
        raise EReportError(f"{where}: unknown field(s) {', '.join(unknown)}; allowed: "
                           f"{', '.join(fields)}.", code="ereport_unknown_field", field=where)
    values = {}
    for name, spec in fields.items():
        required = (spec.default is dataclasses.MISSING
                    and spec.default_factory is dataclasses.MISSING)
        if name not in data or data[name] is None:
            if required:
                raise EReportError(f"{where}.{name} is required.", code="ereport_missing",
                                   field=f"{where}.{name}")
            continue
        values[name] = _convert(hints[name], data[name], f"{where}.{name}")
    return cls(**values)


def _convert(hint, value, where):
    args = [a for a in typing.get_args(hint) if a is not type(None)]
    origin = typing.get_origin(hint)
    if origin is list:
        if not isinstance(value, list):
            raise EReportError(f"{where} must be a list.", code="ereport_bad_value", field=where)
        return [_convert(args[0], v, f"{where}[{i}]") for i, v in enumerate(value)]
    if args and origin is not list:  # X | None
        hint = args[0]
    if dataclasses.is_dataclass(hint):
        return _load(hint, value, where)
    try:
        if hint is Decimal and isinstance(value, (str, int, float)) \
                and not isinstance(value, bool):
            result = Decimal(str(value))
            if not result.is_finite():
                raise ValueError(value)
            return result
        if hint is datetime and isinstance(value, str):
            return datetime.fromisoformat(value)
        if hint is date and isinstance(value, str):
            return date.fromisoformat(value)
        if hint is int and isinstance(value, int) and not isinstance(value, bool):
            return value
        if hint is str and isinstance(value, str):
            return value
    except (ValueError, InvalidOperation):
        pass
    expected = {Decimal: "a number (e.g. \"12.50\")", date: "a date YYYY-MM-DD",
                datetime: "a date-time YYYY-MM-DDTHH:MM:SS", int: "an integer",
                str: "a string"}.get(hint, getattr(hint, "__name__", str(hint)))
    raise EReportError(f"{where} is {value!r}; expected {expected}.", code="ereport_bad_value",
                       field=where, value=repr(value)[:100])
