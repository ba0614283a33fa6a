"""Temperature boundaries: hot under 30 days, warm 30-59, cold 60+ or never contacted."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from app.leads.temperature import Temperature, lead_temperature, temperature_bounds

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("days_ago", "expected"),
    [
        (0, Temperature.HOT),
        (29, Temperature.HOT),
        (30, Temperature.WARM),
        (59, Temperature.WARM),
        (60, Temperature.COLD),
        (400, Temperature.COLD),
        (-1, Temperature.HOT),
    ],
)
def test_days_since_last_contact(days_ago: int, expected: Temperature) -> None:
    last_contact = NOW - timedelta(days=days_ago)
    assert lead_temperature(last_contact, NOW) is expected


def test_never_contacted_is_cold() -> None:
    assert lead_temperature(None, NOW) is Temperature.COLD


def test_one_microsecond_either_side_of_30_days() -> None:
    assert lead_temperature(NOW - timedelta(days=30) + timedelta(microseconds=1), NOW).name == "HOT"
    assert lead_temperature(NOW - timedelta(days=30), NOW).name == "WARM"


@pytest.mark.parametrize("days_ago", [0, 29, 30, 45, 59, 60, 61])
def test_sql_bounds_agree_with_the_python_rule(days_ago: int) -> None:
    bounds = temperature_bounds(NOW)
    last = NOW - timedelta(days=days_ago)
    by_bounds = (
        Temperature.HOT
        if last > bounds.hot_after
        else Temperature.COLD
        if last <= bounds.cold_at_or_before
        else Temperature.WARM
    )
    assert by_bounds is lead_temperature(last, NOW)
    assert bounds.hot_after == datetime(2026, 10, 26, 12, 0, tzinfo=UTC)
    assert bounds.cold_at_or_before == datetime(2026, 9, 26, 12, 0, tzinfo=UTC)
