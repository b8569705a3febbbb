"""The copies the workspace hands out are as deep as copy.deepcopy's, only faster."""

from __future__ import annotations

from slackemu import Message
from slackemu.records import json_copy, snapshot


def test_json_copy_copies_every_level() -> None:
    original = {
        "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": "hi"}}],
        "members": {"U0ALICE01"},
        "flags": [True, None, 1, 1.5],
    }
    copied = json_copy(original)
    assert copied == original
    copied["blocks"][0]["text"]["text"] = "changed"
    copied["members"].add("U0BJORN01")
    copied["flags"].append("more")
    assert original == {
        "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": "hi"}}],
        "members": {"U0ALICE01"},
        "flags": [True, None, 1, 1.5],
    }


def test_what_is_not_json_is_copied_as_deepcopy_copies_it() -> None:
    class Note:
        def __init__(self, words: list[str]) -> None:
            self.words = words

    original = {"pair": ("a", ["b"]), "note": Note(["c"])}
    copied = json_copy(original)
    assert copied["pair"] == ("a", ["b"]) and type(copied["pair"]) is tuple
    copied["pair"][1].append("changed")
    copied["note"].words.append("changed")
    assert original["pair"] == ("a", ["b"]) and original["note"].words == ["c"]


def test_a_snapshot_of_a_record_shares_nothing_that_can_change() -> None:
    message = Message(
        channel="C1",
        ts="1.000001",
        user="U0ALICE01",
        blocks=[{"type": "divider", "block_id": "d"}],
        reactions={"star": ["U0BJORN01"]},
        metadata={"event_type": "story", "event_payload": {"id": 1}},
    )
    copied = snapshot(message)
    assert copied == message and copied is not message
    copied.blocks[0]["block_id"] = "changed"
    copied.reactions["star"].append("U0ALICE01")
    copied.metadata["event_payload"]["id"] = 2
    assert message.blocks == [{"type": "divider", "block_id": "d"}]
    assert message.reactions == {"star": ["U0BJORN01"]}
    assert message.metadata == {"event_type": "story", "event_payload": {"id": 1}}
