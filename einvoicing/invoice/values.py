"""Reading and writing the scalar values of the invoice JSON form (strict, clear errors)."""

import dataclasses
from datetime import date
from decimal import Decimal, InvalidOperation

from ..errors import InputError


class InvoiceError(InputError):
    """The invoice data is incomplete or breaks a business rule."""

    def __init__(self, message, code="invoice_invalid", **params):
        super().__init__(message, code=code, **params)


def check_keys(data, klass, where, extra=(), exclude=()):
    """Refuse non-objects and unknown keys (a typo must not be silently ignored)."""
    if not isinstance(data, dict):
        raise InvoiceError(f"{where} must be an object, got {type(data).__name__}.",
                           code="invoice_bad_type", field=where)
    known = {f.name for f in dataclasses.fields(klass)} - set(exclude) | set(extra)
    unknown = sorted(set(data) - known)
    if unknown:
        raise InvoiceError(
            f"{where} has unknown key(s) {', '.join(unknown)}; allowed keys are "
            f"{', '.join(sorted(known))}.", code="invoice_unknown_key",
            field=where, keys=unknown)


def req_str(data, key, where):
    value = opt_str(data, key, where)
    if value is None:
        raise InvoiceError(f"{where}.{key} is required and missing.",
                           code="invoice_missing_field", field=f"{where}.{key}")
    return value


def opt_str(data, key, where):
    value = data.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise InvoiceError(f"{where}.{key} must be a text, got {value!r}.",
                           code="invoice_bad_type", field=f"{where}.{key}", value=repr(value))
    value = str(value).strip()
    return value or None


MAX_INTEGER_DIGITS = 13


def parse_decimal(value, name):
    if isinstance(value, bool) or not isinstance(value, (str, int, float, Decimal)):
        raise InvoiceError(f"{name} must be a decimal number such as \"12.50\", got {value!r}.",
                           code="invoice_bad_decimal", field=name, value=repr(value))
    try:
        result = Decimal(str(value).strip())
    except InvalidOperation:
        raise InvoiceError(
            f"{name} {value!r} is not a decimal number; write it like \"1234.56\" "
            "(a dot as decimal separator, no thousands separator, no currency sign).",
            code="invoice_bad_decimal", field=name, value=str(value)) from None
    if not result.is_finite():
        raise InvoiceError(f"{name} {value!r} is not a finite number.",
                           code="invoice_bad_decimal", field=name, value=str(value))
    if result and result.adjusted() >= MAX_INTEGER_DIGITS:
        # amounts, quantities and rates are multiplied then rounded to the cent within
        # Decimal's 28 digits: bounded here, they can never overflow that rounding
        raise InvoiceError(f"{name} {str(value)[:40]!r} is out of range: at most "
                           f"{MAX_INTEGER_DIGITS} digits before the decimal point.",
                           code="invoice_bad_decimal", field=name, value=str(value)[:40])
    return result


def req_decimal(data, key, where):
    if data.get(key) is None:
        raise InvoiceError(f"{where}.{key} is required and missing.",
                           code="invoice_missing_field", field=f"{where}.{key}")
    return parse_decimal(data[key], f"{where}.{key}")


def opt_decimal(data, key, where):
    return None if data.get(key) is None else parse_decimal(data[key], f"{where}.{key}")


def parse_date(value, name):
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        raise InvoiceError(f"{name} {value!r} is not a date; write it as YYYY-MM-DD.",
                           code="invoice_bad_date", field=name, value=str(value)) from None


def req_date(data, key, where):
    if data.get(key) is None:
        raise InvoiceError(f"{where}.{key} is required and missing (YYYY-MM-DD).",
                           code="invoice_missing_field", field=f"{where}.{key}")
    return parse_date(data[key], f"{where}.{key}")


def opt_date(data, key, where):
    return None if data.get(key) is None else parse_date(data[key], f"{where}.{key}")


def to_jsonable(value):
    """Decimals to strings, dates to ISO strings; drop None values and empty lists."""
    if isinstance(value, dict):
        return {k: to_jsonable(v) for k, v in value.items() if v is not None and v != []}
    if isinstance(value, list):
        return [to_jsonable(v) for v in value]
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, date):
        return value.isoformat()
    return value
