"""An admin shapes the pulse from Slack."""

from __future__ import annotations

from slackemu.render import render_message


def test_an_admin_adds_a_question_in_both_languages(world):
    henrik = world.user("henrik")

    henrik.runs("/mot admin pulse")
    henrik.clicks("Add a question", on=henrik.last_ephemeral())
    henrik.submits(
        {
            "The question in English": "Rostering works for me",
            "The question in Simplified Chinese": "排班适合我",
        }
    )

    assert henrik.open_modal() is None
    assert "Question added" in henrik.direct_messages()[-1].text
    henrik.runs("/mot admin pulse")
    assert "Rostering works for me" in render_message("", henrik.last_ephemeral().blocks)


def test_a_question_needs_both_languages(world):
    henrik = world.user("henrik")
    henrik.runs("/mot admin pulse")
    henrik.clicks("Add a question", on=henrik.last_ephemeral())

    henrik.submits(
        {
            "The question in English": "Rostering works for me",
            "The question in Simplified Chinese": "",
        }
    )

    modal = henrik.open_modal()
    assert modal is not None
    assert "both English and Simplified Chinese" in world.modal_errors[modal.id]["text_zh"]


def test_an_admin_switches_a_question_off_and_the_plan_shows_it(world):
    henrik = world.user("henrik")
    henrik.runs("/mot admin pulse")

    henrik.clicks("Switch off", on=henrik.last_ephemeral())

    assert "switched off" in render_message("", henrik.last_ephemeral().blocks)


def test_members_cannot_open_the_pulse_plan(world):
    maja = world.user("maja")

    maja.runs("/mot admin pulse")

    assert "Only motbot admins" in maja.last_ephemeral().text
