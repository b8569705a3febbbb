"""A story as a card in a channel, and the notes people get about it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bot.domain.stories import StoryCard
from bot.i18n import translator
from bot.slack import blocks, ids
from bot.slack.blocks import escape_mrkdwn, mention
from bot.slack.button_values import decode_id, encode_id

# Three story texts share one message; each is cut well inside the 3,000-character
# section limit so that the card stays readable. The whole text stays in the database.
CARD_TEXT_LIMIT = 900
RULE_SHOWN = 300


@dataclass(frozen=True)
class StoryButton:
    """What a button about one story carries (tag, kudos and back on the card and in the
    digest; edit and delete on the App Home): the story's id."""

    story_id: int

    def encode(self) -> str:
        return encode_id(self.story_id)

    @classmethod
    def decode(cls, value: str) -> StoryButton:
        return cls(decode_id(value))


def _kind_title(card: StoryCard) -> str:
    return "stories.card.recovery_mrkdwn" if card.is_recovery else "stories.card.title_mrkdwn"


def story_card_message(card: StoryCard, locale: str) -> dict[str, Any]:
    t = translator(locale)
    touchpoint = t(f"stories.touchpoint.{card.touchpoint.value}")
    title = t("stories.card.title", touchpoint=touchpoint)
    story = StoryButton(card.id).encode()
    body = [
        blocks.section(f"*{t(_kind_title(card))}* · {touchpoint}"),
        *(
            [blocks.section(_labelled(t("stories.card.went_wrong"), card.went_wrong))]
            if card.is_recovery and card.went_wrong
            else []
        ),
        blocks.section(_labelled(t("stories.card.need"), card.customer_need)),
        blocks.section(_labelled(t("stories.card.action"), card.action_taken)),
        blocks.section(_labelled(t("stories.card.outcome"), card.outcome)),
        blocks.context(*_facts(card, t)),
        blocks.context(recognition_line(card, t)),
        {
            "type": "actions",
            "block_id": f"story-{card.id}",
            "elements": [
                blocks.button(t("stories.card.tag_button"), ids.TAG_STORY, story, style="primary"),
                blocks.button(t("stories.card.kudos_button"), ids.GIVE_KUDOS, story),
                blocks.button(t("stories.card.back_button"), ids.BACK_STORY, story),
            ],
        },
    ]
    return blocks.message(title, body)


def deleted_card_message(locale: str) -> dict[str, Any]:
    text = translator(locale)("stories.card.deleted")
    return blocks.message(text, [blocks.context(text)])


def people_notice(card: StoryCard, permalink: str | None, locale: str) -> dict[str, Any]:
    """The DM to each person in a story: who shared it, and where to see it."""
    t = translator(locale)
    link = f"<{permalink}|{t('stories.notice.link')}>" if permalink else ""
    text = t("stories.notice.text", author=mention(card.author_user_id), link=link).strip()
    return blocks.message(text, [blocks.section(text)])


def _labelled(label: str, text: str) -> str:
    return f"*{label}*\n{blocks.truncate(escape_mrkdwn(text), CARD_TEXT_LIMIT)}"


def _facts(card: StoryCard, t: Any) -> list[str]:
    people = ", ".join(mention(user_id) for user_id in card.people_user_ids)
    facts = [t("stories.card.people", people=people)]
    if card.decided_on_spot:
        facts.append(t("stories.card.decided_on_spot"))
    if card.raises_policy_signal:
        facts.append(policy_line(card, t))
    if card.abc:
        abc = " · ".join(t(f"stories.abc.{name}") for name in card.abc)
        facts.append(t("stories.card.abc", abc=abc))
    if card.values:
        facts.append(" ".join(f"#{escape_mrkdwn(value.tag)}" for value in card.values))
    return facts


def policy_line(card: StoryCard, t: Any) -> str:
    """The rule the story went beyond, and whether the policy was revised since."""
    rule = " · ".join(
        part
        for part in (
            f"*{escape_mrkdwn(card.policy_area)}*" if card.policy_area else "",
            blocks.truncate(escape_mrkdwn(card.rule_bent), RULE_SHOWN) if card.rule_bent else "",
        )
        if part
    )
    key = "stories.card.rule_revised" if card.policy_revised else "stories.card.rule_bent"
    return t(key, rule=rule or t("stories.card.rule_unnamed"))


def recognition_line(card: StoryCard, t: Any) -> str:
    """Tags and leader backing, as the card and the App Home show them."""
    parts = [t("stories.card.tags", count=card.tag_count)]
    if card.backer_user_ids:
        leaders = ", ".join(mention(user_id) for user_id in card.backer_user_ids)
        parts.append(t("stories.card.backed_by", leaders=leaders))
    elif card.decided_on_spot:
        parts.append(t("stories.card.awaiting_backing"))
    return "   ".join(parts)
