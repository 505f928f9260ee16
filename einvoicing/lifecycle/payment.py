"""Payment details of lifecycle statuses 211/212 (re-exported by :mod:`einvoicing.lifecycle`)."""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from ..codes import currencies
from ..errors import InputError

CENT = Decimal("0.01")


class LifecycleError(InputError):
    """A status, reason, action or payment detail that the AFNOR lifecycle does not allow."""

    def __init__(self, message, code="lifecycle_error", **params):
        super().__init__(message, code=code, **params)


def to_decimal(value, field):
    """Decimal from int/str/Decimal (floats via their repr); raise naming ``field``."""
    if isinstance(value, bool) or value is None:
        number = None
    else:
        try:
            number = Decimal(str(value).strip()) if not isinstance(value, Decimal) else value
        except (InvalidOperation, ValueError):
            number = None
    if number is None or not number.is_finite():
        raise LifecycleError(
            f"{field} {value!r} is not a number; write it like 1200.50 (dot as decimal "
            "separator).",
            code="number_invalid", field=field, value=str(value),
        )
    return number


def max_two_decimals(number, field, value):
    if number != number.quantize(CENT, rounding=ROUND_HALF_UP):
        raise LifecycleError(
            f"{field} {value!r} has more than 2 decimals; round it to the cent.",
            code="number_precision", field=field, value=str(value),
        )
    return number.quantize(CENT)


@dataclass
class PaymentAmount:
    """An amount paid (tax included) in one currency, optionally for one VAT rate."""

    amount: Decimal
    currency: str
    vat_rate: Decimal | None = None

    def __post_init__(self):
        amount = to_decimal(self.amount, "Payment amount")
        if amount <= 0:
            raise LifecycleError(
                f"Payment amount {self.amount!r} must be greater than zero.",
                code="payment_amount_not_positive", value=str(self.amount),
            )
        self.amount = max_two_decimals(amount, "Payment amount", self.amount)
        currency = str(self.currency or "").strip()
        if currency not in currencies():
            raise LifecycleError(
                f"Currency {self.currency!r} is not an ISO 4217 code; use a 3-letter code "
                "such as EUR.",
                code="currency_invalid", value=str(self.currency),
            )
        self.currency = currency
        if self.vat_rate is not None:
            rate = to_decimal(self.vat_rate, "VAT rate")
            if not Decimal(0) <= rate <= Decimal(100):
                raise LifecycleError(
                    f"VAT rate {self.vat_rate!r} must be a percentage between 0 and 100 "
                    "(write 20 for 20%).",
                    code="vat_rate_range", value=str(self.vat_rate),
                )
            self.vat_rate = max_two_decimals(rate, "VAT rate", self.vat_rate)

    def reversal(self):
        """The same line with the opposite sign: a 212 cancelling an earlier one
        (a payment un-reconciled). Only built by code, never read from user input."""
        item = PaymentAmount(self.amount, self.currency, self.vat_rate)
        item.amount = -self.amount
        return item

    def to_dict(self):
        return {
            "amount": str(self.amount),
            "currency": self.currency,
            "vat_rate": str(self.vat_rate) if self.vat_rate is not None else None,
        }


def split_by_vat_rate(paid, currency, gross_by_rate):
    """Split an amount paid over the VAT rates of an invoice (one line per rate, BR-FR-CDV-14).

    ``gross_by_rate`` maps each VAT rate to the invoice's amount tax included for that
    rate. A full payment gives those amounts; a partial one is allocated pro rata,
    rounded to the cent, the largest line absorbing the rounding difference.
    """
    paid = to_decimal(paid, "Amount paid")
    lines = {to_decimal(r, "VAT rate"): to_decimal(g, "Amount for VAT rate")
             for r, g in dict(gross_by_rate).items()}
    total = sum(lines.values(), Decimal(0))
    if not lines or total <= 0 or any(g < 0 for g in lines.values()):
        raise LifecycleError(
            "Invoice amounts per VAT rate must be given, positive, to split a payment "
            f"(got {dict(gross_by_rate)!r}).",
            code="payment_split_invalid",
        )
    if paid <= 0 or paid > total:
        raise LifecycleError(
            f"Amount paid {paid} must be greater than zero and at most the invoice total "
            f"{total} {currency}.",
            code="payment_split_amount", value=str(paid), total=str(total),
        )
    shares = {rate: (paid * gross / total).quantize(CENT, rounding=ROUND_HALF_UP)
              for rate, gross in lines.items()}
    largest = max(lines, key=lambda r: (lines[r], r))
    shares[largest] += paid.quantize(CENT, rounding=ROUND_HALF_UP) - sum(shares.values())
    return [PaymentAmount(share, currency, rate)
            for rate, share in sorted(shares.items()) if share > 0]
