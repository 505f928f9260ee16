"""Neutral invoice model: dataclasses with Decimal amounts, JSON form, totals.

The JSON form (:meth:`Invoice.from_dict` / :meth:`Invoice.to_dict`) is close
to the invoice JSON of common invoicing APIs: strings for decimals
("12.50"), ISO dates, unit names or UN/ECE Rec 20 codes. Conventions:

- ``vat_rate`` and allowance ``percent`` are percentages (``"20"`` = 20 %,
  ``"5.5"`` = 5.5 %), never fractions.
- ``unit_price`` is the net price per ``base_quantity`` (default 1), BT-146.
- Line and document discounts are ``allowances_charges`` entries with either
  ``amount`` (absolute) or ``percent`` (of ``base_amount``, by default the
  line gross amount / the sum of line net amounts).

:meth:`Invoice.totals` applies the EN16931 calculation rules;
:meth:`Invoice.check` applies the EN16931 and French (BR-FR) rules the model
can decide by itself, see :mod:`einvoicing.invoice.checks`.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from .. import codes
from .checks import find_problems, raise_if_problems
from .totals import Totals, compute_totals, line_gross, line_net, money
from .values import (
    InvoiceError,
    check_keys,
    opt_date,
    opt_decimal,
    opt_str,
    req_date,
    req_decimal,
    req_str,
    to_jsonable,
)


@dataclass
class Address:
    country_code: str
    line1: str | None = None
    line2: str | None = None
    line3: str | None = None
    postcode: str | None = None
    city: str | None = None
    subdivision: str | None = None

    @classmethod
    def from_dict(cls, data, where):
        check_keys(data, cls, where)
        return cls(
            country_code=req_str(data, "country_code", where).upper(),
            **{k: opt_str(data, k, where) for k in
               ("line1", "line2", "line3", "postcode", "city", "subdivision")},
        )


@dataclass
class Party:
    name: str
    siren: str | None = None
    siret: str | None = None
    vat_number: str | None = None
    address: Address | None = None
    electronic_address: str | None = None
    electronic_address_scheme: str = "0225"
    trading_name: str | None = None
    legal_id: str | None = None  # a non-French legal registration id (BT-30 other scheme)
    legal_id_scheme: str | None = None
    contact_name: str | None = None
    contact_email: str | None = None
    contact_phone: str | None = None

    @classmethod
    def from_dict(cls, data, where):
        check_keys(data, cls, where)
        kwargs = {k: opt_str(data, k, where) for k in (
            "siren", "siret", "vat_number", "electronic_address", "trading_name",
            "legal_id", "legal_id_scheme", "contact_name", "contact_email", "contact_phone")}
        kwargs["electronic_address_scheme"] = (
            opt_str(data, "electronic_address_scheme", where) or "0225")
        if data.get("address") is not None:
            kwargs["address"] = Address.from_dict(data["address"], f"{where}.address")
        return cls(name=req_str(data, "name", where), **kwargs)


@dataclass
class AllowanceCharge:
    """A discount (``charge=False``) or a charge, on a line or on the document."""

    charge: bool = False
    amount: Decimal | None = None
    percent: Decimal | None = None
    base_amount: Decimal | None = None
    reason: str | None = None
    reason_code: str | None = None
    vat_category: str | None = None  # document level only (BT-95 / BT-102)
    vat_rate: Decimal | None = None

    @classmethod
    def from_dict(cls, data, where):
        check_keys(data, cls, where)
        charge = data.get("charge", False)
        if not isinstance(charge, bool):
            raise InvoiceError(
                f"{where}.charge must be true (charge) or false (allowance/discount), "
                f"got {charge!r}.", field=f"{where}.charge", value=repr(charge))
        return cls(
            charge=charge,
            amount=opt_decimal(data, "amount", where),
            percent=opt_decimal(data, "percent", where),
            base_amount=opt_decimal(data, "base_amount", where),
            reason=opt_str(data, "reason", where),
            reason_code=opt_str(data, "reason_code", where),
            vat_category=opt_str(data, "vat_category", where),
            vat_rate=opt_decimal(data, "vat_rate", where),
        )

    def actual_amount(self, default_base):
        """The amount: given, or ``percent`` of ``base_amount`` (else ``default_base``)."""
        if self.amount is not None:
            return self.amount
        base = self.base_amount if self.base_amount is not None else default_base
        if self.percent is None or base is None:
            raise InvoiceError(
                "An allowance/charge needs an amount, or a percent and a base amount.",
                code="allowance_amount_missing")
        return money(base * self.percent / 100)


@dataclass
class Line:
    id: str
    name: str
    quantity: Decimal
    unit_price: Decimal
    vat_category: str
    vat_rate: Decimal | None
    unit_code: str = "C62"
    base_quantity: Decimal | None = None
    description: str | None = None
    seller_item_id: str | None = None
    allowances_charges: list[AllowanceCharge] = field(default_factory=list)
    exemption_reason: str | None = None
    exemption_reason_code: str | None = None
    # BT-131 as stated by a parsed document; None = computed from quantity and price.
    line_total: Decimal | None = None

    @classmethod
    def from_dict(cls, data, where):
        check_keys(data, cls, where, extra=("unit",))
        unit = opt_str(data, "unit_code", where) or opt_str(data, "unit", where) or "C62"
        return cls(
            id=req_str(data, "id", where),
            name=req_str(data, "name", where),
            quantity=req_decimal(data, "quantity", where),
            unit_price=req_decimal(data, "unit_price", where),
            vat_category=req_str(data, "vat_category", where).upper(),
            vat_rate=opt_decimal(data, "vat_rate", where),
            unit_code=codes.UNIT_NAMES.get(unit.lower(), unit),
            base_quantity=opt_decimal(data, "base_quantity", where),
            description=opt_str(data, "description", where),
            seller_item_id=opt_str(data, "seller_item_id", where),
            allowances_charges=[
                AllowanceCharge.from_dict(a, f"{where}.allowances_charges[{i}]")
                for i, a in enumerate(data.get("allowances_charges") or [])],
            exemption_reason=opt_str(data, "exemption_reason", where),
            exemption_reason_code=opt_str(data, "exemption_reason_code", where),
            line_total=opt_decimal(data, "line_total", where),
        )

    def gross_amount(self):
        """quantity x unit price / base quantity, rounded to the cent."""
        return line_gross(self)

    def net_amount(self):
        """BT-131: the stated ``line_total``, else :meth:`computed_net_amount`."""
        return self.line_total if self.line_total is not None else self.computed_net_amount()

    def computed_net_amount(self):
        """Gross amount - line allowances + line charges."""
        return line_net(self)


@dataclass
class Note:
    content: str
    subject_code: str | None = None

    @classmethod
    def from_dict(cls, data, where):
        check_keys(data, cls, where)
        return cls(content=req_str(data, "content", where),
                   subject_code=opt_str(data, "subject_code", where))


@dataclass
class PaymentInfo:
    means_code: str
    iban: str | None = None
    bic: str | None = None
    account_name: str | None = None
    terms: str | None = None  # BT-20
    reference: str | None = None  # BT-83 remittance information
    mandate_id: str | None = None  # BT-89 (direct debit)
    debtor_iban: str | None = None  # BT-91 (direct debit)
    creditor_id: str | None = None  # BT-90 (direct debit)

    @classmethod
    def from_dict(cls, data, where):
        check_keys(data, cls, where)
        return cls(means_code=req_str(data, "means_code", where),
                   **{k: opt_str(data, k, where) for k in (
                       "iban", "bic", "account_name", "terms", "reference",
                       "mandate_id", "debtor_iban", "creditor_id")})


@dataclass
class InvoiceReference:
    """BT-25 / BT-26: the preceding invoice a credit note or correction refers to."""

    number: str
    issue_date: date | None = None

    @classmethod
    def from_dict(cls, data, where):
        check_keys(data, cls, where)
        return cls(number=req_str(data, "number", where),
                   issue_date=opt_date(data, "issue_date", where))


_SCALARS = ("type_code", "number", "currency", "business_process", "buyer_reference",
            "purchase_order", "contract_reference", "delivery_party_name",
            "vat_due_date_code")
_DATES = ("issue_date", "due_date", "delivery_date", "period_start", "period_end")


@dataclass
class Invoice:
    number: str
    issue_date: date
    currency: str
    business_process: str | None  # BT-23 (B1, S1, M1, ...)
    seller: Party
    buyer: Party
    lines: list[Line]
    type_code: str = "380"
    notes: list[Note] = field(default_factory=list)
    due_date: date | None = None
    delivery_date: date | None = None  # BT-72
    period_start: date | None = None  # BT-73
    period_end: date | None = None  # BT-74
    payment: PaymentInfo | None = None
    allowances_charges: list[AllowanceCharge] = field(default_factory=list)
    preceding_invoice: InvoiceReference | None = None
    buyer_reference: str | None = None  # BT-10
    purchase_order: str | None = None  # BT-13
    contract_reference: str | None = None  # BT-12
    delivery_address: Address | None = None  # BG-15
    delivery_party_name: str | None = None  # BT-70
    vat_due_date_code: str | None = None  # BT-8: "5" = VAT on debits
    prepaid_amount: Decimal = Decimal("0.00")  # BT-113
    rounding_amount: Decimal = Decimal("0.00")  # BT-114
    tax_total_accounting: Decimal | None = None  # BT-111 (EUR) when currency is not EUR
    declared_totals: Totals | None = None  # totals read from a parsed document

    @property
    def is_credit_note(self):
        return self.type_code in codes.CREDIT_NOTE_TYPES

    @property
    def vat_on_debits(self):
        return self.vat_due_date_code == codes.VAT_ON_DEBITS

    def note(self, subject_code):
        """Content of the first note with this subject code, or None."""
        return next((n.content for n in self.notes if n.subject_code == subject_code), None)

    def totals(self):
        """EN16931 totals and VAT breakdown computed from lines and allowances."""
        return compute_totals(self)

    def problems(self):
        """List of :class:`~einvoicing.invoice.checks.Problem` (empty when valid)."""
        return find_problems(self)

    def check(self):
        """Raise :class:`InvoiceError` listing every broken rule; return self when valid."""
        raise_if_problems(self)
        return self

    @classmethod
    def from_dict(cls, data):
        """Build an invoice from its JSON form; raises :class:`InvoiceError` on bad input."""
        where = "invoice"
        check_keys(data, cls, where, exclude=("declared_totals",))
        kwargs = {k: opt_str(data, k, where) for k in _SCALARS if k in data}
        kwargs.update({k: opt_date(data, k, where) for k in _DATES if k in data})
        kwargs["issue_date"] = req_date(data, "issue_date", where)
        kwargs["number"] = req_str(data, "number", where)
        kwargs["currency"] = req_str(data, "currency", where).upper()
        kwargs["business_process"] = opt_str(data, "business_process", where)
        for key in ("prepaid_amount", "rounding_amount", "tax_total_accounting"):
            if data.get(key) is not None:
                kwargs[key] = req_decimal(data, key, where)
        for key in ("seller", "buyer"):
            if not isinstance(data.get(key), dict):
                raise InvoiceError(f"{where}.{key} is missing; give the {key} as an object "
                                   "with at least a name.", field=f"{where}.{key}")
            kwargs[key] = Party.from_dict(data[key], f"{where}.{key}")
        lines = data.get("lines")
        if not isinstance(lines, list) or not lines:
            raise InvoiceError(f"{where}.lines must be a non-empty list of invoice lines "
                               "(BR-16).", field=f"{where}.lines")
        kwargs["lines"] = [Line.from_dict(x, f"{where}.lines[{i}]") for i, x in enumerate(lines)]
        kwargs["notes"] = [Note.from_dict(x, f"{where}.notes[{i}]")
                           for i, x in enumerate(data.get("notes") or [])]
        kwargs["allowances_charges"] = [
            AllowanceCharge.from_dict(x, f"{where}.allowances_charges[{i}]")
            for i, x in enumerate(data.get("allowances_charges") or [])]
        for key, klass in (("payment", PaymentInfo), ("preceding_invoice", InvoiceReference),
                           ("delivery_address", Address)):
            if data.get(key) is not None:
                kwargs[key] = klass.from_dict(data[key], f"{where}.{key}")
        return cls(**kwargs)

    def to_dict(self):
        """JSON-able dict (decimals as strings, dates ISO); ``None`` fields left out."""
        data = to_jsonable(dataclasses.asdict(self))
        data.pop("declared_totals", None)
        return data
