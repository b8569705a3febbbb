"""The pulse CSV export against hand-computed figures, and `motbot export pulse`.

K is 3. The round 2026-W48 asks meaning_1, meaning_2, meaning_3 and one trust item.
"""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest

from bot.cli import main
from bot.db.engine import make_engine, make_session_factory
from bot.db.migrate import upgrade
from bot.domain.errors import DomainError
from bot.domain.pulse import close_round, open_round
from bot.domain.pulse_export import COLUMNS, export_target, pulse_csv
from tests.support.pulse_rounds import KEY, NOW, add_team, pulse_workspace, respondent
from tests.support.units import run

TEAM = "T0EXPORT"
COMMENT = "my manager ignores every idea"
NUMBERS = ("respondents", "answers", "mean", "favourable_share", "enps", "distribution")


def w48_round(sessions, workspace_id):
    """Team A and "+Gate" 3 people each, Tiny 2 (below K), 1 person in no team: the 3
    outside A and +Gate form "other teams". One +Gate member skipped question 3, so it has
    only 2 answers there and question 3 is shown for no group."""
    a = add_team(sessions, workspace_id, "A team")
    gate = add_team(sessions, workspace_id, "+Gate")
    tiny = add_team(sessions, workspace_id, "Tiny")
    pulse = run(sessions, open_round, workspace_id, "2026-W48", NOW)
    for values in ([5, 4, 4, 5], [4, 4, 4, 4], [3, 4, 4, 2]):
        respondent(sessions, pulse, a, values, comment=COMMENT)
    for values in ([2, 3, 3, 1], [1, 3, 3, 2], [3, 3, None, 3]):
        respondent(sessions, pulse, gate, values)
    for _ in range(2):
        respondent(sessions, pulse, tiny, [5, 5, 5, 5])
    respondent(sessions, pulse, None, [1, 2, 2, 4])
    run(sessions, close_round, workspace_id, pulse.id, pulse.closes_at, KEY)
    return pulse


def parse(text):
    reader = csv.DictReader(io.StringIO(text))
    return reader.fieldnames, list(reader)


def test_the_csv_holds_the_released_groups_by_hand(sessions):
    workspace_id = pulse_workspace(sessions, TEAM)
    pulse = w48_round(sessions, workspace_id)

    text = run(sessions, pulse_csv, workspace_id, pulse.id)
    columns, rows = parse(text)

    assert columns == list(COLUMNS)
    assert COMMENT not in text
    assert "Tiny" not in text
    assert [(row["group_kind"], row["group"]) for row in rows[::4]] == [
        ("workspace", "Whole workspace"),
        ("team", "'+Gate"),  # a formula-looking name is defused for spreadsheets
        ("team", "A team"),
        ("other", "Other teams"),
    ]
    assert len(rows) == 16
    keys = [q.key for q in pulse.questions]
    assert [row["question_key"] for row in rows[:4]] == keys
    by = {(row["group"], row["question_key"]): row for row in rows}
    first, third, trust = keys[0], keys[2], keys[3]

    whole = by[("Whole workspace", first)]
    # 5 4 3 | 2 1 3 | 5 5 | 1: sum 29 over 9; favourable 5 4 5 5 = 4 of 9.
    assert {name: whole[name] for name in ("period", "respondents", "status", "answers")} == {
        "period": "2026-W48",
        "respondents": "9",
        "status": "shown",
        "answers": "9",
    }
    assert (whole["mean"], whole["favourable_share"]) == ("3.222", "0.444")
    assert whole["distribution"] == "1:2;2:1;3:2;4:1;5:3"
    assert (whole["dimension"], whole["scale"], whole["enps"]) == ("meaning", "agree5", "")
    assert whole["question_text"] == pulse.questions[0].text_en

    team_a = by[("A team", first)]
    assert (team_a["respondents"], team_a["mean"], team_a["favourable_share"]) == (
        "3",
        "4.000",
        "0.667",
    )
    assert team_a["distribution"] == "1:0;2:0;3:1;4:1;5:1"
    gate = by[("'+Gate", first)]
    assert (gate["mean"], gate["favourable_share"], gate["distribution"]) == (
        "2.000",
        "0.000",
        "1:1;2:1;3:1;4:0;5:0",
    )
    other = by[("Other teams", first)]  # Tiny's 5, 5 and the no-team 1
    assert (other["respondents"], other["mean"], other["distribution"]) == (
        "3",
        "3.667",
        "1:1;2:0;3:0;4:0;5:2",
    )
    # Trust: 5 4 2 | 1 2 3 | 5 5 | 4 = 31 / 9.
    assert by[("Whole workspace", trust)]["mean"] == "3.444"
    assert by[("Whole workspace", trust)]["dimension"] == "trust"

    # Question 3: +Gate has 2 answers, so it is suppressed for every group, without numbers.
    for group in ("Whole workspace", "A team", "'+Gate", "Other teams"):
        row = by[(group, third)]
        assert row["status"] == "suppressed"
        assert all(row[name] == "" for name in NUMBERS)


def test_a_round_below_k_exports_no_numbers(sessions):
    workspace_id = pulse_workspace(sessions, TEAM)
    pulse = run(sessions, open_round, workspace_id, "2026-W48", NOW)
    for _ in range(2):
        respondent(sessions, pulse, None, [5, 5, 5, 5], comment=COMMENT)
    run(sessions, close_round, workspace_id, pulse.id, pulse.closes_at, KEY)

    text = run(sessions, pulse_csv, workspace_id, pulse.id)
    _, rows = parse(text)

    assert [row["group_kind"] for row in rows] == ["workspace"] * 4
    assert {row["status"] for row in rows} == {"suppressed"}
    assert all(row[name] == "" for row in rows for name in NUMBERS)
    assert COMMENT not in text


def test_the_enps_row_carries_the_score_and_an_eleven_point_distribution(sessions):
    workspace_id = pulse_workspace(sessions, TEAM)
    pulse = run(sessions, open_round, workspace_id, "2026-W13", NOW)
    assert [q.key for q in pulse.questions][:2] == ["enps", "action"]
    for enps in (10, 9, 3):
        respondent(sessions, pulse, None, [enps, 4, 4])
    run(sessions, close_round, workspace_id, pulse.id, pulse.closes_at, KEY)

    _, rows = parse(run(sessions, pulse_csv, workspace_id, pulse.id))

    enps, action = rows[0], rows[1]
    # Promoters 10, 9: 2 of 3; detractors 3: 1 of 3 -> 100 / 3.
    assert (enps["scale"], enps["enps"], enps["mean"]) == ("nps11", "33.3", "7.333")
    assert enps["favourable_share"] == "0.667"
    assert enps["distribution"] == "0:0;1:0;2:0;3:1;4:0;5:0;6:0;7:0;8:0;9:1;10:1"
    assert (action["enps"], action["distribution"]) == ("", "1:0;2:0;3:0;4:3;5:0")


def test_open_and_unknown_rounds_are_refused(sessions):
    workspace_id = pulse_workspace(sessions, TEAM)
    pulse = run(sessions, open_round, workspace_id, "2026-W48", NOW)

    for ref, key in [
        ("2026-W48", "hr_summary.export.open_round"),
        (str(pulse.id), "hr_summary.export.open_round"),
        ("2026-W01", "hr_summary.export.unknown_round"),
        (str(pulse.id + 1000), "hr_summary.export.unknown_round"),
        ("2026-W99", "hr_summary.export.bad_round"),
        ("last week", "hr_summary.export.bad_round"),
    ]:
        with pytest.raises(DomainError) as refused:
            run(sessions, export_target, None, ref)
        assert refused.value.key == key, ref
    with pytest.raises(DomainError) as refused:
        run(sessions, pulse_csv, workspace_id, pulse.id)
    assert refused.value.key == "pulse.errors.still_open"


# --- motbot export pulse ----------------------------------------------------------------


@pytest.fixture
def cli_database(tmp_path, monkeypatch):
    """A migrated SQLite file with a closed 2026-W48 and an open 2026-W49, as
    DATABASE_URL; the command runs from an empty folder (no .env)."""
    url = f"sqlite:///{tmp_path / 'motbot.db'}"
    upgrade(url)
    engine = make_engine(url)
    sessions = make_session_factory(engine)
    workspace_id = pulse_workspace(sessions, TEAM)
    pulse = w48_round(sessions, workspace_id)
    run(sessions, open_round, workspace_id, "2026-W49", NOW + timedelta(weeks=1))
    work = tmp_path / "cwd"
    work.mkdir()
    monkeypatch.chdir(work)
    for name in ("SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET", "SLACK_APP_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("DATABASE_URL", url)
    yield sessions, workspace_id, pulse
    engine.dispose()


def test_export_pulse_writes_the_csv_to_stdout(cli_database, capsys):
    sessions, workspace_id, pulse = cli_database

    code = main(["export", "pulse", "--round", "2026-W48"])

    out, err = capsys.readouterr()
    assert code == 0, err
    assert out == run(sessions, pulse_csv, workspace_id, pulse.id)
    columns, rows = parse(out)
    assert columns == list(COLUMNS) and len(rows) == 16
    assert COMMENT not in out and "Tiny" not in out


def test_export_pulse_by_round_id_into_a_file(cli_database, capsys, tmp_path):
    _, _, pulse = cli_database
    target = tmp_path / "w48.csv"

    code = main(["export", "pulse", "--round", str(pulse.id), "--output", str(target)])

    out, err = capsys.readouterr()
    assert (code, out) == (0, ""), err
    _, rows = parse(target.read_text(encoding="utf-8"))
    assert rows[0]["period"] == "2026-W48" and rows[0]["respondents"] == "9"


@pytest.mark.parametrize(
    ("round_ref", "message"),
    [
        ("2026-W01", "No pulse round 2026-W01 in workspace T0EXPORT."),
        ("2026-W49", "Pulse round 2026-W49 is still open"),
        ("99999", "No pulse round 99999 in workspace T0EXPORT."),
        ("yesterday", '--round takes a period such as 2026-W48 or a round id, not "yesterday"'),
    ],
)
def test_export_pulse_refuses_unknown_and_open_rounds(cli_database, capsys, round_ref, message):
    code = main(["export", "pulse", "--round", round_ref])

    out, err = capsys.readouterr()
    assert code == 2
    assert out == ""
    assert message in err
    assert "Traceback" not in err


def test_export_pulse_needs_workspace_when_the_database_holds_several(cli_database, capsys):
    sessions, _, _ = cli_database
    pulse_workspace(sessions, "T0SECOND")

    code = main(["export", "pulse", "--round", "2026-W48"])
    _, err = capsys.readouterr()
    assert code == 2
    assert "several workspaces (T0EXPORT, T0SECOND)" in err and "--workspace" in err

    assert main(["export", "pulse", "--round", "2026-W48", "--workspace", "T0EXPORT"]) == 0
    out, _ = capsys.readouterr()
    assert len(parse(out)[1]) == 16

    # The second workspace has no such round; an unknown workspace is named.
    assert main(["export", "pulse", "--round", "2026-W48", "--workspace", "T0SECOND"]) == 2
    assert "No pulse round 2026-W48 in workspace T0SECOND." in capsys.readouterr().err
    assert main(["export", "pulse", "--round", "2026-W48", "--workspace", "T0NOPE"]) == 2
    assert "No workspace T0NOPE" in capsys.readouterr().err


def test_export_pulse_on_a_database_without_the_schema_says_to_migrate(
    tmp_path, monkeypatch, capsys
):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'empty.db'}")

    code = main(["export", "pulse", "--round", "2026-W48"])

    _, err = capsys.readouterr()
    assert code == 2
    assert "motbot migrate" in err and "Traceback" not in err
