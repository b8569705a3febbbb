"""Block Kit is checked as Slack checks it, and explained as Slack explains it."""

from __future__ import annotations

import copy
from collections.abc import Iterator, Mapping
from typing import Any

import pytest

from slackemu.blockkit import validate_message_blocks, validate_view
from tests.emulator.payloads import home, modal, section


def plain(text: str) -> dict[str, Any]:
    return {"type": "plain_text", "text": text}


def reasons(problems: list) -> list[str]:
    return [str(problem) for problem in problems]


def button(text: str = "Go", **extra: Any) -> dict[str, Any]:
    return {"type": "button", "text": plain(text), "action_id": "go", **extra}


def test_a_realistic_story_card_is_valid() -> None:
    card = [
        {"type": "header", "text": plain("A moment of truth")},
        {
            "type": "section",
            "text": {"type": "mrkdwn", "text": "*Gate B12*: rebooked"},
            "accessory": button("Kudos", value="story:1"),
        },
        {"type": "context", "elements": [{"type": "mrkdwn", "text": "by <@U0ALICE01>"}]},
        {"type": "actions", "elements": [button("Positive", style="primary")]},
        {"type": "divider"},
    ]
    assert validate_message_blocks(card) == []


@pytest.mark.parametrize(
    ("blocks", "expected"),
    [
        (
            [{"type": "carousel_of_doom"}],
            "unsupported type: carousel_of_doom [json-pointer:/blocks/0/type]",
        ),
        (
            [section("x" * 3001)],
            "must be less than 3001 characters [json-pointer:/blocks/0/text/text]",
        ),
        ([{"type": "divider"}] * 51, "no more than 50 items allowed [json-pointer:/blocks]"),
        (
            [{"type": "header", "text": plain("h" * 151)}],
            "must be less than 151 characters [json-pointer:/blocks/0/text/text]",
        ),
        (
            [{"type": "actions", "elements": [button("b" * 76)]}],
            "must be less than 76 characters [json-pointer:/blocks/0/elements/0/text/text]",
        ),
        (
            [{"type": "actions", "elements": [button(value="v" * 2001)]}],
            "must be less than 2001 characters [json-pointer:/blocks/0/elements/0/value]",
        ),
        (
            [{"type": "actions", "elements": [button(action_id="a" * 256)]}],
            "must be less than 256 characters [json-pointer:/blocks/0/elements/0/action_id]",
        ),
        (
            [{"type": "divider", "block_id": "b" * 256}],
            "must be less than 256 characters [json-pointer:/blocks/0/block_id]",
        ),
        (
            [{"type": "section", "fields": [{"type": "mrkdwn", "text": "f"}] * 11}],
            "no more than 10 items allowed [json-pointer:/blocks/0/fields]",
        ),
        (
            [{"type": "section", "fields": [{"type": "mrkdwn", "text": "f" * 2001}]}],
            "must be less than 2001 characters [json-pointer:/blocks/0/fields/0/text]",
        ),
        (
            [{"type": "context", "elements": [{"type": "mrkdwn", "text": "c"}] * 11}],
            "no more than 10 items allowed [json-pointer:/blocks/0/elements]",
        ),
        (
            [
                {
                    "type": "section",
                    "text": plain("s"),
                    "accessory": {
                        "type": "static_select",
                        "action_id": "s",
                        "placeholder": plain("p"),
                        "options": [{"text": plain("o"), "value": str(n)} for n in range(101)],
                    },
                }
            ],
            "no more than 100 items allowed [json-pointer:/blocks/0/accessory/options]",
        ),
    ],
)
def test_slack_limits_are_reported_with_a_json_pointer(blocks: list, expected: str) -> None:
    assert expected in reasons(validate_message_blocks(blocks))


def test_unknown_elements_inside_known_blocks_are_rejected_not_dropped() -> None:
    blocks = [{"type": "actions", "elements": [{"type": "buttton", "action_id": "x"}]}]
    assert reasons(validate_message_blocks(blocks)) == [
        "unsupported type: buttton [json-pointer:/blocks/0/elements/0/type]"
    ]


def test_misspelt_properties_are_rejected() -> None:
    blocks = [{"type": "section", "text": {"type": "mrkdwn", "text": "x"}, "acessory": button()}]
    assert reasons(validate_message_blocks(blocks)) == [
        "invalid additional property: acessory [json-pointer:/blocks/0]"
    ]


def test_a_string_where_a_text_object_belongs_is_rejected() -> None:
    assert reasons(validate_message_blocks([{"type": "section", "text": "plain string"}])) == [
        "must be an object [json-pointer:/blocks/0/text]"
    ]


def test_slack_sdk_model_rules_apply_too() -> None:
    assert reasons(
        validate_message_blocks([{"type": "image", "image_url": "https://x/y.png"}])
    ) == ["missing required field: alt_text [json-pointer:/blocks/0]"]
    assert validate_message_blocks([{"type": "section"}])  # neither text nor fields


def test_blocks_must_be_objects_with_a_type() -> None:
    assert reasons(validate_message_blocks(["divider"])) == [
        "must be an object [json-pointer:/blocks/0]"
    ]
    assert reasons(validate_message_blocks([{"text": "x"}])) == [
        "missing required field: type [json-pointer:/blocks/0]"
    ]


class TestViews:
    def test_a_modal_and_a_home_are_valid(self) -> None:
        assert validate_view(modal(private_metadata="story:42", notify_on_close=True)) == []
        assert validate_view(home()) == []

    @pytest.mark.parametrize("part", ["title", "submit", "close"])
    def test_modal_title_submit_and_close_are_at_most_24_characters(self, part: str) -> None:
        view = modal()
        view[part] = plain("t" * 25)
        assert reasons(validate_view(view)) == [
            f"must be less than 25 characters [json-pointer:/view/{part}/text]"
        ]

    def test_a_24_character_title_fits(self) -> None:
        assert validate_view(modal("t" * 24)) == []

    def test_private_metadata_and_callback_id_limits(self) -> None:
        assert reasons(validate_view(modal(private_metadata="m" * 3001))) == [
            "must be less than 3001 characters [json-pointer:/view/private_metadata]"
        ]
        assert reasons(validate_view(modal(callback_id="c" * 256))) == [
            "must be less than 256 characters [json-pointer:/view/callback_id]"
        ]

    def test_a_hundred_blocks_at_most(self) -> None:
        assert validate_view({"type": "home", "blocks": [section("x")] * 100}) == []
        assert reasons(validate_view({"type": "home", "blocks": [section("x")] * 101})) == [
            "no more than 100 items allowed [json-pointer:/view/blocks]"
        ]

    def test_block_problems_point_into_the_view(self) -> None:
        view = {"type": "home", "blocks": [section("ok"), {"type": "nonsense"}]}
        assert reasons(validate_view(view)) == [
            "unsupported type: nonsense [json-pointer:/view/blocks/1/type]"
        ]

    def test_a_modal_needs_a_title_and_inputs_need_submit(self) -> None:
        assert "missing required field: title [json-pointer:/view]" in reasons(
            validate_view({"type": "modal", "blocks": [section("x")]})
        )
        no_submit = modal()
        del no_submit["submit"]
        assert reasons(validate_view(no_submit)) == [
            "submit is required when an input block is within the blocks [json-pointer:/view]"
        ]

    def test_unknown_view_types_and_properties_are_rejected(self) -> None:
        assert reasons(validate_view({"type": "workflow", "blocks": []})) == [
            "must be one of modal, home [json-pointer:/view/type]"
        ]
        assert reasons(validate_view({**home(), "colour": "blue"})) == [
            "invalid additional property: colour [json-pointer:/view]"
        ]


class TestRememberedBlocks:
    """A block's problems are remembered, as apps send the same blocks over and over;
    every message still gets the answer for its own blocks, where they are."""

    def test_a_remembered_problem_points_at_where_the_block_is_now(self) -> None:
        too_long = section("x" * 3001)
        problem = "must be less than 3001 characters [json-pointer:{}/text/text]"
        assert reasons(validate_message_blocks([too_long])) == [problem.format("/blocks/0")]
        assert reasons(validate_message_blocks([section("a"), section("b"), too_long])) == [
            problem.format("/blocks/2")
        ]
        assert reasons(validate_view({"type": "home", "blocks": [section("a"), too_long]})) == [
            problem.format("/view/blocks/1")
        ]

    def test_messages_that_differ_in_one_block_each_get_their_own_answer(self) -> None:
        good = [
            {"type": "header", "text": plain("Weekly pulse")},
            {"type": "actions", "elements": [button("Agree", value="1")]},
            {"type": "divider"},
        ]
        bad = copy.deepcopy(good)
        bad[1]["elements"][0]["text"]["text"] = "b" * 76
        for _ in range(2):  # checked, then answered from memory
            assert validate_message_blocks(good) == []
            assert reasons(validate_message_blocks(bad)) == [
                "must be less than 76 characters [json-pointer:/blocks/1/elements/0/text/text]"
            ]

    def test_a_button_value_is_checked_by_its_length_whatever_it_says(self) -> None:
        # Values carry a secret per recipient; the blocks around them are remembered.
        def buttons(value: object, **extra: Any) -> list[dict[str, Any]]:
            return [{"type": "actions", "elements": [button(value=value, **extra)]}]

        assert validate_message_blocks(buttons("a" * 2000)) == []
        assert validate_message_blocks(buttons('{"s":"ö' + "z" * 1991 + '"}')) == []
        assert reasons(validate_message_blocks(buttons("a" * 2001))) == [
            "must be less than 2001 characters [json-pointer:/blocks/0/elements/0/value]"
        ]
        assert validate_message_blocks(buttons("")) == []
        assert reasons(validate_message_blocks(buttons(7))) == [
            "object of type 'int' has no len() [json-pointer:/blocks/0]"
        ]
        # A button's other strings count for what they say.
        [style] = validate_message_blocks(buttons("a", style="purple"))
        assert style.reason.startswith("style attribute must be one of the following values")

    def test_a_remembered_block_answers_only_for_one_of_the_same_types(self) -> None:
        unknown = {"type": "buttton", "action_id": "x"}
        # A tuple is not JSON's array: the round trip does not look into it.
        assert validate_message_blocks([{"type": "actions", "elements": (unknown,)}]) == []
        assert reasons(validate_message_blocks([{"type": "actions", "elements": [unknown]}])) == [
            "unsupported type: buttton [json-pointer:/blocks/0/elements/0/type]"
        ]

    def test_a_block_that_cannot_be_remembered_is_checked_all_the_same(self) -> None:
        class Block(Mapping[str, Any]):  # a class of a test's own cannot be pickled
            def __init__(self, **fields: Any) -> None:
                self._fields = fields

            def __getitem__(self, key: str) -> Any:
                return self._fields[key]

            def __iter__(self) -> Iterator[str]:
                return iter(self._fields)

            def __len__(self) -> int:
                return len(self._fields)

        header = Block(type="header", text=plain("h" * 151))
        for _ in range(2):
            assert reasons(validate_message_blocks([header])) == [
                "must be less than 151 characters [json-pointer:/blocks/0/text/text]"
            ]
