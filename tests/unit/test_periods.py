"""Leaderboard periods: calendar weeks, months and quarters in the workspace's time zone."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.domain.leaderboard import Period, competition_ranks, period_bounds


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


# --- weeks ----------------------------------------------------------------------------


def test_a_week_starts_on_monday_at_local_midnight():
    # Wednesday 25 November 2026, 12:00 in Berlin (CET, UTC+1).
    start, end = period_bounds(Period.WEEK, utc(2026, 11, 25, 11, 0), "Europe/Berlin")

    assert start == utc(2026, 11, 22, 23, 0)  # Monday 23 November 00:00 CET
    assert end == utc(2026, 11, 29, 23, 0)  # the next Monday


def test_monday_midnight_itself_starts_the_week_and_a_microsecond_before_is_last_week():
    monday = utc(2026, 11, 22, 23, 0)

    assert period_bounds(Period.WEEK, monday, "Europe/Berlin") == (
        monday,
        monday + timedelta(weeks=1),
    )
    assert period_bounds(Period.WEEK, monday - timedelta(microseconds=1), "Europe/Berlin") == (
        monday - timedelta(weeks=1),
        monday,
    )


def test_the_week_follows_the_workspace_zone_not_utc():
    # Sunday 20:00 UTC is already Monday 05:00 in Tokyo (UTC+9), so a new week has begun
    # there, while in UTC (and in New York) it is still the old one.
    now = utc(2026, 11, 22, 20, 0)

    assert period_bounds(Period.WEEK, now, "Asia/Tokyo") == (
        utc(2026, 11, 22, 15, 0),
        utc(2026, 11, 29, 15, 0),
    )
    assert period_bounds(Period.WEEK, now, "UTC") == (
        utc(2026, 11, 16, 0, 0),
        utc(2026, 11, 23, 0, 0),
    )
    assert period_bounds(Period.WEEK, now, "America/New_York") == (
        utc(2026, 11, 16, 5, 0),
        utc(2026, 11, 23, 5, 0),
    )


def test_a_zone_with_a_half_hour_offset():
    # Kolkata is UTC+5:30: Monday 00:00 there is Sunday 18:30 UTC.
    start, end = period_bounds(Period.WEEK, utc(2026, 11, 25, 6, 0), "Asia/Kolkata")

    assert (start, end) == (utc(2026, 11, 22, 18, 30), utc(2026, 11, 29, 18, 30))


def test_the_week_the_clocks_go_forward_is_an_hour_short():
    # Europe/Berlin goes from CET to CEST on Sunday 29 March 2026.
    start, end = period_bounds(Period.WEEK, utc(2026, 3, 26, 12, 0), "Europe/Berlin")

    assert start == utc(2026, 3, 22, 23, 0)  # Monday 23 March 00:00 CET (UTC+1)
    assert end == utc(2026, 3, 29, 22, 0)  # Monday 30 March 00:00 CEST (UTC+2)
    assert end - start == timedelta(hours=167)


def test_the_week_the_clocks_go_back_is_an_hour_long():
    # Europe/Berlin goes from CEST back to CET on Sunday 25 October 2026.
    start, end = period_bounds(Period.WEEK, utc(2026, 10, 22, 12, 0), "Europe/Berlin")

    assert start == utc(2026, 10, 18, 22, 0)  # Monday 19 October 00:00 CEST
    assert end == utc(2026, 10, 25, 23, 0)  # Monday 26 October 00:00 CET
    assert end - start == timedelta(hours=169)


def test_dst_in_the_southern_hemisphere_and_east_of_utc():
    # Auckland moves from NZST (+12) to NZDT (+13) on Sunday 27 September 2026.
    start, end = period_bounds(Period.WEEK, utc(2026, 9, 23, 0, 0), "Pacific/Auckland")

    assert start == utc(2026, 9, 20, 12, 0)  # Monday 21 September 00:00 NZST
    assert end == utc(2026, 9, 27, 11, 0)  # Monday 28 September 00:00 NZDT
    assert end - start == timedelta(hours=167)


def test_a_monday_whose_midnight_the_clocks_skip_starts_at_its_first_existing_moment():
    # Tehran jumped from 00:00 to 01:00 on Monday 22 March 2021: the week began at
    # 01:00 +0430, which is 20:30 UTC on the Sunday.
    start, _ = period_bounds(Period.WEEK, utc(2021, 3, 23, 12, 0), "Asia/Tehran")

    assert start == utc(2021, 3, 21, 20, 30)
    assert start.astimezone(ZoneInfo("Asia/Tehran")).hour == 1


# --- months and quarters --------------------------------------------------------------


def test_a_month_starts_on_the_first_at_local_midnight():
    # 00:30 on 1 November in Berlin is still 31 October in UTC.
    start, end = period_bounds(Period.MONTH, utc(2026, 10, 31, 23, 30), "Europe/Berlin")

    assert start == utc(2026, 10, 31, 23, 0)
    assert end == utc(2026, 11, 30, 23, 0)


def test_the_month_of_a_dst_change():
    start, end = period_bounds(Period.MONTH, utc(2026, 3, 15, 12, 0), "America/New_York")

    assert start == utc(2026, 3, 1, 5, 0)  # EST, UTC-5
    assert end == utc(2026, 4, 1, 4, 0)  # EDT, UTC-4


def test_december_ends_at_the_new_year():
    start, end = period_bounds(Period.MONTH, utc(2026, 12, 31, 12, 0), "Asia/Shanghai")

    assert (start, end) == (utc(2026, 11, 30, 16, 0), utc(2026, 12, 31, 16, 0))


@pytest.mark.parametrize(
    ("now", "start", "end"),
    [
        (utc(2026, 2, 14, 12, 0), utc(2025, 12, 31, 16, 0), utc(2026, 3, 31, 16, 0)),
        (utc(2026, 3, 31, 16, 0), utc(2026, 3, 31, 16, 0), utc(2026, 6, 30, 16, 0)),
        (utc(2026, 8, 1, 0, 0), utc(2026, 6, 30, 16, 0), utc(2026, 9, 30, 16, 0)),
        (utc(2026, 12, 31, 15, 59), utc(2026, 9, 30, 16, 0), utc(2026, 12, 31, 16, 0)),
    ],
)
def test_quarters_start_in_january_april_july_and_october(now, start, end):
    # Shanghai is UTC+8 all year: local midnight is 16:00 UTC the day before.
    assert period_bounds(Period.QUARTER, now, "Asia/Shanghai") == (start, end)


def test_a_quarter_whose_first_midnight_the_clocks_skip():
    # Asuncion jumped from 00:00 (-04) to 01:00 (-03) on 1 October 2023.
    start, end = period_bounds(Period.QUARTER, utc(2023, 11, 1, 12, 0), "America/Asuncion")

    assert start == utc(2023, 10, 1, 4, 0)
    assert end == utc(2024, 1, 1, 3, 0)


def test_all_time_has_no_start_and_ends_now():
    now = datetime(2026, 11, 25, 12, 0, tzinfo=ZoneInfo("Asia/Shanghai"))

    start, end = period_bounds(Period.ALL, now, "Europe/Berlin")

    assert start is None
    assert end == utc(2026, 11, 25, 4, 0)
    assert end.tzinfo is UTC


# --- properties over a whole year -----------------------------------------------------

ZONES = ("UTC", "Europe/Berlin", "America/New_York", "Asia/Kolkata", "Pacific/Auckland")


@pytest.mark.parametrize("zone", ZONES)
@pytest.mark.parametrize("period", [Period.WEEK, Period.MONTH, Period.QUARTER])
def test_every_hour_of_a_year_lies_in_its_period_and_periods_tile(zone, period):
    tz = ZoneInfo(zone)
    now = utc(2026, 1, 1, 0, 30)
    while now < utc(2027, 1, 1):
        start, end = period_bounds(period, now, zone)
        assert start is not None
        assert start <= now < end
        assert start.tzinfo is UTC and end.tzinfo is UTC
        local = start.astimezone(tz)
        assert (local.hour, local.minute) == (0, 0)
        if period is Period.WEEK:
            assert local.weekday() == 0
        else:
            assert local.day == 1
        if period is Period.QUARTER:
            assert local.month in (1, 4, 7, 10)
        # The next period starts where this one ends.
        assert period_bounds(period, end, zone)[0] == end
        now += timedelta(hours=7)


def test_a_naive_now_is_refused():
    with pytest.raises(ValueError, match="aware"):
        period_bounds(Period.WEEK, datetime(2026, 11, 25, 12, 0), "UTC")


def test_periods_are_named_by_their_values():
    assert [period.value for period in Period] == ["week", "month", "quarter", "all"]
    assert period_bounds("month", utc(2026, 11, 25), "UTC")[0] == utc(2026, 11, 1)


# --- ranks ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("keys", "ranks"),
    [
        ([], []),
        ([(5, 3)], [1]),
        ([(5, 3), (4, 3), (4, 3), (2, 1)], [1, 2, 2, 4]),
        ([(5, 3), (5, 3), (5, 2), (5, 1), (4, 3)], [1, 1, 3, 4, 5]),
        ([(1, 1), (1, 1), (1, 1)], [1, 1, 1]),
    ],
)
def test_equal_results_share_a_rank_and_the_next_ranks_are_skipped(keys, ranks):
    assert competition_ranks(keys) == ranks
