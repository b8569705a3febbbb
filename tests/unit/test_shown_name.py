"""How a member is named wherever motbot shows them: their display name, else their real
name, else their user id; a forgotten member as @former-member, never by the tombstone id
that stands in for them (docs/privacy.md, "Export and erasure")."""

from __future__ import annotations

import pytest

from bot.domain.member_data import MENTION_PLACEHOLDER, shown_name, tombstone
from bot.slack.blocks import mention


@pytest.mark.parametrize(
    ("display", "real", "shown"),
    [
        ("Li", "Li Wei", "Li"),
        ("  ", "Li Wei", "Li Wei"),
        (None, None, "U0LIWEI01"),
        ("", "", "U0LIWEI01"),
    ],
)
def test_the_display_name_then_the_real_name_then_the_user_id(display, real, shown):
    assert shown_name("U0LIWEI01", display, real) == shown


def test_a_forgotten_member_is_named_by_nobody():
    gone = tombstone(7)

    assert shown_name(gone, None, None) == MENTION_PLACEHOLDER
    assert mention(gone) == MENTION_PLACEHOLDER
    assert mention("U0LIWEI01") == "<@U0LIWEI01>"
