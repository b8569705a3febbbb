"""The dashboard's CSV files: a byte-order mark so Excel reads Chinese, and no cell a
person typed that a spreadsheet would run as a formula."""

from __future__ import annotations

import codecs

import pytest
from flask import Flask

from bot.web.dashboard.csv_files import csv_download, spreadsheet_safe
from bot.web.dashboard.pulse_page import GroupRow, PulsePage, groups_csv


def test_a_download_starts_with_the_byte_order_mark_and_is_saved_under_its_name():
    with Flask("csv-test").test_request_context():
        answer = csv_download("团队,人数\r\n客服,5\r\n", "motbot-pulse-2026-W48.csv")

    body = answer.get_data()
    assert body.startswith(codecs.BOM_UTF8)
    assert body.decode("utf-8-sig") == "团队,人数\r\n客服,5\r\n"
    assert answer.mimetype == "text/csv"
    assert answer.headers["Content-Disposition"] == (
        'attachment; filename="motbot-pulse-2026-W48.csv"'
    )


@pytest.mark.parametrize("cell", ["=1+1", "+1", "-1", "@SUM(A1)", "\t=1", "\r=1"])
def test_a_cell_a_spreadsheet_would_run_is_kept_as_text(cell):
    assert spreadsheet_safe(cell) == "'" + cell


@pytest.mark.parametrize("cell", ["Gate", "客服", "", "1-2", "a=b"])
def test_any_other_cell_is_left_as_it_is(cell):
    assert spreadsheet_safe(cell) == cell


def test_the_pulse_csv_keeps_a_team_named_like_a_formula_as_text():
    page = PulsePage(
        period="2026-W48",
        min_group=5,
        response_rate_pct=60.0,
        respondents=6,
        invited=10,
        dimension_names=("Trust",),
        groups=(GroupRow("=HYPERLINK(1)", 6, (4.0,), None),),
        suppressed_teams=0,
        comment_count=0,
        charts=(),
    )

    assert groups_csv(page).splitlines()[1] == "2026-W48,'=HYPERLINK(1),6,4.00,"
