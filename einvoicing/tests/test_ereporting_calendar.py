"""E-reporting calendar: periods and due dates per VAT regime (sources: README,
"E-reporting calendar")."""

from datetime import date

import pytest

from einvoicing.ereporting import EReportError, closed_periods, period_of, periods_between

D = date.fromisoformat

# regime, family, a day, period start, period end, due date
TABLE = [
    # réel normal mensuel: transactions per ten days, payments monthly
    ("normal_monthly", "transactions", "2026-09-01", "2026-09-01", "2026-09-10", "2026-09-20"),
    ("normal_monthly", "transactions", "2026-09-10", "2026-09-01", "2026-09-10", "2026-09-20"),
    ("normal_monthly", "transactions", "2026-09-11", "2026-09-11", "2026-09-20", "2026-09-30"),
    ("normal_monthly", "transactions", "2026-09-30", "2026-09-21", "2026-09-30", "2026-10-10"),
    ("normal_monthly", "transactions", "2027-02-15", "2027-02-11", "2027-02-20", "2027-02-28"),
    ("normal_monthly", "transactions", "2028-02-29", "2028-02-21", "2028-02-29", "2028-03-10"),
    ("normal_monthly", "transactions", "2026-12-31", "2026-12-21", "2026-12-31", "2027-01-10"),
    ("normal_monthly", "payments", "2026-09-14", "2026-09-01", "2026-09-30", "2026-10-10"),
    ("normal_monthly", "payments", "2026-12-05", "2026-12-01", "2026-12-31", "2027-01-10"),
    # réel normal trimestriel: monthly, due the 10th of M+1
    ("normal_quarterly", "transactions", "2026-09-14", "2026-09-01", "2026-09-30", "2026-10-10"),
    ("normal_quarterly", "payments", "2026-11-30", "2026-11-01", "2026-11-30", "2026-12-10"),
    # régime simplifié: monthly, due the 30th of M+1 (window 25-30)
    ("simplified", "transactions", "2026-09-14", "2026-09-01", "2026-09-30", "2026-10-30"),
    ("simplified", "transactions", "2027-01-31", "2027-01-01", "2027-01-31", "2027-02-28"),
    ("simplified", "payments", "2026-12-01", "2026-12-01", "2026-12-31", "2027-01-30"),
    # franchise en base: every two months, due the 30th of the following month
    ("franchise", "transactions", "2027-09-14", "2027-09-01", "2027-10-31", "2027-11-30"),
    ("franchise", "transactions", "2027-10-31", "2027-09-01", "2027-10-31", "2027-11-30"),
    ("franchise", "payments", "2027-11-02", "2027-11-01", "2027-12-31", "2028-01-30"),
    ("franchise", "transactions", "2028-01-15", "2028-01-01", "2028-02-29", "2028-03-30"),
]


@pytest.mark.parametrize("regime, family, day, start, end, due", TABLE)
def test_calendar_table(regime, family, day, start, end, due):
    period = period_of(regime, family, D(day))
    assert (period.start, period.end, period.due) == (D(start), D(end), D(due))
    assert D(day) in period
    assert period.due > period.end


def test_periods_cover_a_year_without_gap_or_overlap():
    for regime in ("normal_monthly", "normal_quarterly", "simplified", "franchise"):
        for family in ("transactions", "payments"):
            periods = periods_between(regime, family, D("2027-01-01"), D("2027-12-31"))
            assert periods[0].start == D("2027-01-01") and periods[-1].end == D("2027-12-31")
            for before, after in zip(periods, periods[1:], strict=False):
                assert (after.start - before.end).days == 1
    assert len(periods_between("normal_monthly", "transactions", D("2027-01-01"),
                               D("2027-12-31"))) == 36


def test_closed_periods_stop_before_today():
    closed = closed_periods("normal_monthly", "transactions", D("2026-09-01"), D("2026-09-21"))
    assert [(p.start.day, p.end.day) for p in closed] == [(1, 10), (11, 20)]


def test_unknown_regime_or_family():
    with pytest.raises(EReportError, match="VAT regime 'monthly' is unknown"):
        period_of("monthly", "transactions", D("2026-09-01"))
    with pytest.raises(EReportError, match="'sales' is not 'transactions' or 'payments'"):
        period_of("simplified", "sales", D("2026-09-01"))
