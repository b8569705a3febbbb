"""When a weekly moment falls, in the recipient's own time zone."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import pytest

from bot.scheduling.timetable import (
    is_due,
    is_period,
    iso_week_start,
    previous_period,
    week_of,
    weekly_moment,
)

TUESDAY, FRIDAY = 1, 4


@pytest.mark.parametrize(
    ("tz", "expected_utc_hour"),
    [
        ("Asia/Shanghai", 2),
        ("Europe/Stockholm", 9),
        ("Europe/London", 10),
        ("America/New_York", 15),
    ],
)
def test_tuesday_ten_oclock_in_each_zone(tz, expected_utc_hour):
    assert weekly_moment("2026-W48", TUESDAY, time(10), tz) == datetime(
        2026, 11, 24, expected_utc_hour, tzinfo=UTC
    )


def test_the_same_wall_clock_time_moves_in_utc_when_daylight_saving_ends():
    summer = weekly_moment("2026-W43", TUESDAY, time(10), "Europe/Stockholm")
    winter = weekly_moment("2026-W44", TUESDAY, time(10), "Europe/Stockholm")

    assert summer == datetime(2026, 10, 20, 8, tzinfo=UTC)
    assert winter == datetime(2026, 10, 27, 9, tzinfo=UTC)


def test_a_time_skipped_by_spring_forward_lands_just_after_the_change():
    # 8 March 2026: New York skips from 02:00 to 03:00. Sunday 02:30 does not exist.
    moment = weekly_moment("2026-W10", 6, time(2, 30), "America/New_York")

    assert moment == datetime(2026, 3, 8, 7, 30, tzinfo=UTC)  # 03:30 EDT


def test_due_from_the_moment_on_not_a_second_before():
    moment = weekly_moment("2026-W48", FRIDAY, time(15), "Europe/Stockholm")

    one_second = timedelta(seconds=1)
    assert not is_due(moment - one_second, "2026-W48", FRIDAY, time(15), "Europe/Stockholm")
    assert is_due(moment, "2026-W48", FRIDAY, time(15), "Europe/Stockholm")


def test_periods_across_the_turn_of_the_year():
    assert iso_week_start("2026-W53").isoformat() == "2026-12-28"
    assert previous_period("2027-W01") == "2026-W53"
    assert previous_period("2026-W10") == "2026-W09"


@pytest.mark.parametrize("period", ["2026-W01", "2026-W48", "2026-W53"])
def test_a_week_that_exists_is_a_period(period):
    assert is_period(period)


@pytest.mark.parametrize(
    "text",
    [
        "2027-W53",
        "2026-W00",
        "2026-W8",
        "2026-w08",
        "2026W08",
        "26-W08",
        "２０２６-W08",
        "",
        "soon",
    ],
)
def test_a_week_that_does_not_exist_or_is_written_otherwise_is_not(text):
    assert not is_period(text)


def test_a_week_across_a_daylight_saving_change_is_an_hour_short():
    start, end = week_of("2026-W11", "Europe/Stockholm")  # summer time begins 29 March

    assert start == datetime(2026, 3, 8, 23, tzinfo=UTC)
    assert end - start == timedelta(days=7)
    start, end = week_of("2026-W13", "Europe/Stockholm")
    assert start == datetime(2026, 3, 22, 23, tzinfo=UTC)
    assert end == datetime(2026, 3, 29, 22, tzinfo=UTC)
