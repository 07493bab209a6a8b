"""Dates: strict mm/dd/yyyy input, ISO storage, business days with federal holidays."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ombuds_desktop import dates


def test_us_input_is_month_first_only():
    assert dates.parse_us("03/04/2024") == date(2024, 3, 4)
    with pytest.raises(dates.DateFormatError, match="no month 13"):
        dates.parse_us("13/04/2024")
    with pytest.raises(dates.DateFormatError, match="February 2023 has 28 days"):
        dates.parse_us("02/29/2023")
    with pytest.raises(dates.DateFormatError, match="mm/dd/yyyy"):
        dates.parse_us("2024-03-04")


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31)))
def test_round_trip_between_screen_and_storage(d):
    assert dates.parse_us(dates.format_us(d)) == d
    assert dates.parse_iso(d.isoformat()) == d
    assert dates.format_us(d.isoformat()) == d.strftime("%m/%d/%Y")


def test_iso_is_strict():
    for bad in ("2024-3-4", "03/04/2024", "2024-02-30", 20240304, None):
        assert dates.try_iso(bad) is None


def test_add_months_clamps_to_month_end():
    assert dates.add_months(date(2025, 8, 31), 6) == date(2026, 2, 28)
    assert dates.add_months(date(2024, 12, 15), 1) == date(2025, 1, 15)


@pytest.mark.parametrize(
    "day",
    [
        date(2026, 1, 1),
        date(2026, 1, 19),
        date(2026, 2, 16),
        date(2026, 5, 25),
        date(2026, 6, 19),
        date(2026, 7, 3),  # Independence Day observed (July 4 is a Saturday)
        date(2026, 9, 7),
        date(2026, 10, 12),
        date(2026, 11, 11),
        date(2026, 11, 26),
        date(2026, 12, 25),
    ],
)
def test_federal_holidays_2026(day):
    assert dates.is_federal_holiday(day)
    assert not dates.is_business_day(day)


def test_ordinary_days_are_not_holidays():
    assert not dates.is_federal_holiday(date(2026, 11, 24))
    assert dates.is_business_day(date(2026, 11, 24))
    assert not dates.is_business_day(date(2026, 11, 28))  # Saturday


def test_business_days_skip_weekends_and_holidays():
    # Mon 2026-11-23 -> Mon 2026-11-30: Tue, Wed, (Thanksgiving), Fri, Mon = 4
    assert dates.business_days_between(date(2026, 11, 23), date(2026, 11, 30)) == 4
    assert dates.add_business_days(date(2026, 11, 23), 4) == date(2026, 11, 30)


@given(
    st.dates(min_value=date(2000, 1, 1), max_value=date(2040, 1, 1)),
    st.integers(min_value=0, max_value=60),
)
def test_add_business_days_inverts_count(start, n):
    assert dates.business_days_between(start, dates.add_business_days(start, n)) == n


def test_age_on_birthday():
    assert dates.age_on(date(2008, 11, 24), date(2026, 11, 24)) == 18
    assert dates.age_on(date(2008, 11, 25), date(2026, 11, 24)) == 17
