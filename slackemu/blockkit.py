"""Block Kit validation as Slack does it, with Slack's way of saying what is wrong.

Three layers, each catching what the others cannot:

1. Slack's documented limits, checked here with a JSON pointer to the offending
   value ("must be less than 3001 characters [json-pointer:/blocks/0/text/text]").
2. slack_sdk's models: every block must parse (`Block.parse` silently skips unknown
   types; here an unknown type is an error, as in Slack) and pass the models' own
   validation (`SlackObjectFormationError`).
3. A round trip through those models: a value the models drop (an element of an
   unknown type, a misspelt property) is a value Slack would reject, so it is
   reported instead of quietly disappearing.

Each problem is a `BlockProblem`; `str(problem)` is the line Slack puts in
`response_metadata.messages` (after an "[ERROR] " prefix the Web API adds).

A block's problems depend on nothing but the block, so they are remembered per block
(the last BLOCK_CACHE_SIZE distinct ones): an app sends the same blocks over and over.
A fan-out's messages differ in their buttons' values (a secret per recipient), which
every layer checks by length alone (`_OPAQUE`), so a block is remembered with those
values replaced by stand-ins of the same length. Only the checks of the message or view
around the blocks run every time.
"""

from __future__ import annotations

import functools
import pickle
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from slack_sdk.errors import SlackObjectFormationError
from slack_sdk.models.blocks import Block
from slack_sdk.models.views import View

MESSAGE_MAX_BLOCKS = 50
VIEW_MAX_BLOCKS = 100  # modals and App Home
MESSAGE_TEXT_MAX_LENGTH = 40_000
VIEW_TEXT_MAX_LENGTH = 24  # modal title, submit and close
PRIVATE_METADATA_MAX_LENGTH = 3000
ID_MAX_LENGTH = 255  # action_id, block_id, callback_id, external_id
VIEW_TYPES = ("modal", "home")
BLOCK_CACHE_SIZE = 4096

# Paths are relative to an object of the given `type`; "*" is every item of a list.
# "any" applies to every typed object (blocks and elements alike).
_Rule = tuple[tuple[str, ...], int]
_MAX_LENGTHS: Mapping[str, Sequence[_Rule]] = {
    "any": ((("action_id",), ID_MAX_LENGTH), (("block_id",), ID_MAX_LENGTH)),
    "section": ((("text", "text"), 3000), (("fields", "*", "text"), 2000)),
    "header": ((("text", "text"), 150),),
    "button": ((("text", "text"), 75), (("value",), 2000), (("url",), 3000)),
}
_MAX_ITEMS: Mapping[str, Sequence[_Rule]] = {
    "section": ((("fields",), 10),),
    "context": ((("elements",), 10),),
    "actions": ((("elements",), 25),),
    "static_select": ((("options",), 100), (("option_groups",), 100)),
    "multi_static_select": ((("options",), 100), (("option_groups",), 100)),
    "overflow": ((("options",), 5),),
    "checkboxes": ((("options",), 10),),
    "radio_buttons": ((("options",), 10),),
}

# Strings no layer reads beyond their length (Slack passes them back to the app as they
# are), by the `type` of the object holding them.
_OPAQUE: Mapping[str, frozenset[str]] = {"button": frozenset({"value"})}
_OPAQUE_TYPES = tuple(name.encode() for name in _OPAQUE)  # as they appear when pickled

_MISSING_ARGUMENTS = re.compile(
    r"missing \d+ required (?:keyword-only |positional )?arguments?: (.*)"
)
_QUOTED = re.compile(r"'([^']+)'")
# slack_sdk raises these when a block has the wrong shape (a list where an object
# belongs, a missing argument); Slack answers such blocks with invalid_blocks.
_MODEL_ERRORS = (SlackObjectFormationError, TypeError, ValueError, KeyError, AttributeError)


@dataclass(frozen=True)
class BlockProblem:
    reason: str
    pointer: str  # RFC 6901 JSON pointer into the request, e.g. /blocks/0/text/text

    def __str__(self) -> str:
        return f"{self.reason} [json-pointer:{self.pointer}]"


def validate_message_blocks(blocks: object, pointer: str = "/blocks") -> list[BlockProblem]:
    """Problems with a message's `blocks` (chat.postMessage, chat.update, ...)."""
    return _check_blocks(blocks, pointer, MESSAGE_MAX_BLOCKS)


def validate_view(view: object, pointer: str = "/view") -> list[BlockProblem]:
    """Problems with a views.open / push / update / publish `view` payload."""
    if not isinstance(view, Mapping):
        return [BlockProblem("must be an object", pointer)]
    view_type = view.get("type")
    if view_type not in VIEW_TYPES:
        return [BlockProblem(f"must be one of {', '.join(VIEW_TYPES)}", f"{pointer}/type")]
    problems: list[BlockProblem] = []
    if view_type == "modal":
        problems += _check_modal_chrome(view, pointer)
    problems += _check_text_limits(view, pointer)
    if "blocks" not in view:
        problems.append(BlockProblem("missing required field: blocks", pointer))
    else:
        problems += _check_blocks(view["blocks"], f"{pointer}/blocks", VIEW_MAX_BLOCKS)
    if problems:
        return problems
    try:
        round_trip = View(**view).to_dict()  # to_dict validates the model first
    except _MODEL_ERRORS as error:
        return [BlockProblem(_model_error_reason(error), pointer)]
    # The blocks were compared one by one above; here only the view's own properties.
    chrome = {key: value for key, value in view.items() if key != "blocks"}
    return list(_dropped_values(chrome, round_trip, pointer))


def _check_modal_chrome(view: Mapping[str, Any], pointer: str) -> list[BlockProblem]:
    problems: list[BlockProblem] = []
    if not view.get("title"):
        problems.append(BlockProblem("missing required field: title", pointer))
    for key in ("title", "submit", "close"):
        text = _text_of(view.get(key))
        if text is not None and len(text) > VIEW_TEXT_MAX_LENGTH:
            problems.append(_too_long(VIEW_TEXT_MAX_LENGTH, f"{pointer}/{key}/text"))
    blocks = view.get("blocks")
    has_inputs = isinstance(blocks, list) and any(
        isinstance(block, Mapping) and block.get("type") == "input" for block in blocks
    )
    if has_inputs and not view.get("submit"):
        problems.append(
            BlockProblem("submit is required when an input block is within the blocks", pointer)
        )
    return problems


def _check_text_limits(view: Mapping[str, Any], pointer: str) -> list[BlockProblem]:
    limits = {
        "private_metadata": PRIVATE_METADATA_MAX_LENGTH,
        "callback_id": ID_MAX_LENGTH,
        "external_id": ID_MAX_LENGTH,
    }
    return [
        _too_long(limit, f"{pointer}/{key}")
        for key, limit in limits.items()
        if isinstance(view.get(key), str) and len(view[key]) > limit
    ]


def _check_blocks(blocks: object, pointer: str, max_blocks: int) -> list[BlockProblem]:
    if not isinstance(blocks, list):
        return [BlockProblem("must be an array", pointer)]
    if len(blocks) > max_blocks:
        return [_too_many(max_blocks, pointer)]
    problems: list[BlockProblem] = []
    for index, block in enumerate(blocks):
        problems += _check_block(block, f"{pointer}/{index}")
    return problems


def _check_block(block: object, pointer: str) -> list[BlockProblem]:
    try:
        # Pickled, a block is a key that also tells a list from a tuple and 1 from True.
        key = pickle.dumps(block, pickle.HIGHEST_PROTOCOL)
        if any(opaque_type in key for opaque_type in _OPAQUE_TYPES):  # else nothing to stand in
            key = pickle.dumps(_with_stand_ins(block), pickle.HIGHEST_PROTOCOL)
        problems = _remembered_block_problems(key)
    except Exception:
        # Not picklable, or its check fails: checked as it is, raising what it raises.
        problems = _block_problems(block)
    return [BlockProblem(problem.reason, pointer + problem.pointer) for problem in problems]


@functools.lru_cache(maxsize=BLOCK_CACHE_SIZE)
def _remembered_block_problems(pickled_block: bytes) -> tuple[BlockProblem, ...]:
    # Checked as unpickled from the key itself, so a remembered answer is always the
    # answer for the key, whichever block it came from.
    return _block_problems(pickle.loads(pickled_block))


def _with_stand_ins(node: Any) -> Any:
    """`node` with each `_OPAQUE` string replaced by one of the same length; all else,
    types included, as it was (dicts and lists are rebuilt, other values kept)."""
    if type(node) is list:
        return [_with_stand_ins(item) for item in node]
    if type(node) is not dict:
        return node
    node_type = node.get("type")
    opaque = _OPAQUE.get(node_type, frozenset()) if type(node_type) is str else frozenset()
    return {
        key: "x" * len(value) if key in opaque and type(value) is str else _with_stand_ins(value)
        for key, value in node.items()
    }


def _block_problems(block: object) -> tuple[BlockProblem, ...]:
    """A block's problems, with pointers relative to the block ("" is the block)."""
    if not isinstance(block, Mapping):
        return (BlockProblem("must be an object", ""),)
    if not isinstance(block.get("type"), str):
        return (BlockProblem("missing required field: type", ""),)
    limits = tuple(_check_limits(block, ""))
    if limits:
        return limits
    try:
        model = Block.parse(dict(block))
        if model is None:
            return (BlockProblem(f"unsupported type: {block['type']}", "/type"),)
        round_trip = model.to_dict()  # to_dict validates the model first
    except _MODEL_ERRORS as error:
        return (BlockProblem(_model_error_reason(error), ""),)
    return tuple(_dropped_values(block, round_trip, ""))


def _check_limits(node: object, pointer: str) -> Iterator[BlockProblem]:
    """Slack's documented size limits, anywhere in a block (accessories, elements ...)."""
    if isinstance(node, list):
        for index, item in enumerate(node):
            yield from _check_limits(item, f"{pointer}/{index}")
        return
    if not isinstance(node, Mapping):
        return
    node_type = node.get("type")
    for rule_type in ("any", node_type):
        if not isinstance(rule_type, str):
            continue
        for path, limit in _MAX_LENGTHS.get(rule_type, ()):
            for value, where in _select(node, path, pointer):
                if isinstance(value, str) and len(value) > limit:
                    yield _too_long(limit, where)
        for path, limit in _MAX_ITEMS.get(rule_type, ()):
            for value, where in _select(node, path, pointer):
                if isinstance(value, list) and len(value) > limit:
                    yield _too_many(limit, where)
    for key, value in node.items():
        yield from _check_limits(value, f"{pointer}/{key}")


def _select(node: object, path: Sequence[str], pointer: str) -> Iterator[tuple[object, str]]:
    """The values at `path` under `node`, with their pointers; "*" walks list items."""
    if not path:
        yield node, pointer
        return
    step, rest = path[0], path[1:]
    if step == "*" and isinstance(node, list):
        for index, item in enumerate(node):
            yield from _select(item, rest, f"{pointer}/{index}")
    elif isinstance(node, Mapping) and step in node:
        yield from _select(node[step], rest, f"{pointer}/{step}")


def _dropped_values(original: object, round_trip: object, pointer: str) -> Iterator[BlockProblem]:
    """What slack_sdk's models did not keep: unknown elements and unknown properties."""
    if isinstance(original, Mapping):
        if not isinstance(round_trip, Mapping):
            yield BlockProblem("must not be an object", pointer)
            return
        for key, value in original.items():
            if key in round_trip:
                yield from _dropped_values(value, round_trip[key], f"{pointer}/{key}")
            elif _is_meaningful(value):
                # Defaults such as "optional": false are legitimately left out.
                yield BlockProblem(f"invalid additional property: {key}", pointer)
    elif isinstance(original, list) and isinstance(round_trip, list):
        for index, (item, kept) in enumerate(zip(original, round_trip, strict=False)):
            if kept is None and isinstance(item, Mapping):
                where = f"{pointer}/{index}"
                yield BlockProblem(f"unsupported type: {item.get('type')}", f"{where}/type")
            else:
                yield from _dropped_values(item, kept, f"{pointer}/{index}")
    elif isinstance(original, str) and isinstance(round_trip, Mapping):
        yield BlockProblem("must be an object", pointer)


def _model_error_reason(error: Exception) -> str:
    """slack_sdk's complaint, in Slack's words where it is about a missing field."""
    missing = _MISSING_ARGUMENTS.search(str(error))
    if isinstance(error, TypeError) and missing:
        return f"missing required field: {', '.join(_QUOTED.findall(missing.group(1)))}"
    return str(error)


def _is_meaningful(value: object) -> bool:
    return value not in (None, False, "", [], {})


def _text_of(text_object: object) -> str | None:
    text = text_object.get("text") if isinstance(text_object, Mapping) else None
    return text if isinstance(text, str) else None


def _too_long(limit: int, pointer: str) -> BlockProblem:
    return BlockProblem(f"must be less than {limit + 1} characters", pointer)


def _too_many(limit: int, pointer: str) -> BlockProblem:
    return BlockProblem(f"no more than {limit} items allowed", pointer)
