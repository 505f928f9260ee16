"""E-reporting periods and due dates by VAT regime.

    period = period_of("normal_monthly", "transactions", date(2026, 9, 14))
    period.start, period.end, period.due    # 2026-09-11, 2026-09-20, 2026-09-30

Where each rule comes from: see the README section "E-reporting calendar". In short
(DGFiP "spécifications externes" v3.1, chapter on the e-reporting transmission
calendar; the AIFE schematron notes shipped with flux 10 do not restate it):

===================  ======================  =========================================
regime               transactions (10.1/10.3)  payments (10.2/10.4)
===================  ======================  =========================================
normal_monthly       ten days: 1-10 due 20th, month, due the 10th of M+1
                     11-20 due 30th (last day
                     of February), 21-end due
                     the 10th of M+1
normal_quarterly     month, due the 10th of M+1  month, due the 10th of M+1
simplified           month, due the 30th of M+1  month, due the 30th of M+1
                     (window 25th-30th)
franchise            two months (Jan-Feb, ...),  same
                     due the 30th of the
                     following month
===================  ======================  =========================================

"30th" is clipped to the last day of a shorter month (February).
"""

import calendar as _calendar
from dataclasses import dataclass
from datetime import date, timedelta

from .model import EReportError

REGIMES = ("normal_monthly", "normal_quarterly", "simplified", "franchise")
FAMILIES = ("transactions", "payments")


@dataclass(frozen=True)
class Period:
    """One reporting period: first and last day (inclusive) and the transmission due date."""

    start: date
    end: date
    due: date

    def __contains__(self, day):
        return self.start <= day <= self.end


def _day(year, month, day):
    """``date(year, month, day)`` with month overflow and day clipped to the month end."""
    year, month = year + (month - 1) // 12, (month - 1) % 12 + 1
    return date(year, month, min(day, _calendar.monthrange(year, month)[1]))


def _month_end(year, month):
    return _day(year, month, 31)


def period_of(regime, family, day):
    """The :class:`Period` of ``regime`` and ``family`` that contains ``day``."""
    if regime not in REGIMES:
        raise EReportError(f"VAT regime {regime!r} is unknown; use one of {', '.join(REGIMES)}.",
                           code="ereport_bad_regime", value=regime)
    if family not in FAMILIES:
        raise EReportError(f"{family!r} is not 'transactions' or 'payments'.",
                           code="ereport_bad_family", value=family)
    y, m = day.year, day.month
    if regime == "normal_monthly" and family == "transactions":
        if day.day <= 10:
            return Period(date(y, m, 1), date(y, m, 10), _day(y, m, 20))
        if day.day <= 20:
            return Period(date(y, m, 11), date(y, m, 20), _day(y, m, 30))
        return Period(date(y, m, 21), _month_end(y, m), _day(y, m + 1, 10))
    if regime in ("normal_monthly", "normal_quarterly"):
        return Period(date(y, m, 1), _month_end(y, m), _day(y, m + 1, 10))
    if regime == "simplified":
        return Period(date(y, m, 1), _month_end(y, m), _day(y, m + 1, 30))
    first = m - (m - 1) % 2  # franchise: Jan-Feb, Mar-Apr, ...
    return Period(date(y, first, 1), _month_end(y, first + 1), _day(y, first + 2, 30))


def periods_between(regime, family, start, end):
    """Every :class:`Period` that overlaps ``start``..``end`` (inclusive), in order."""
    periods, day = [], start
    while day <= end:
        period = period_of(regime, family, day)
        periods.append(period)
        day = period.end + timedelta(days=1)
    return periods


def closed_periods(regime, family, start, today):
    """Periods from the one holding ``start`` up to the last one that ended before ``today``."""
    return [p for p in periods_between(regime, family, start, today) if p.end < today]
