"""The service mix as text: which of A-B-C made the difference in the positive moments of
truth, beside Carlzon's 52/33/15, and the touchpoints where they happened."""

from __future__ import annotations

from bot.domain.service_mix import ServiceMix
from bot.i18n import Translate


def service_mix_text(t: Translate, mix: ServiceMix, weeks: int) -> str:
    lines = [f"*{t('service_mix.title', weeks=weeks, count=mix.positive_moments)}*"]
    if mix.stories:
        lines.append(_recovery_line(t, mix))
    if not mix.positive_moments:
        lines.append(t("service_mix.none"))
        return "\n".join(lines)
    if mix.abc:
        shares = " · ".join(
            t(
                "service_mix.abc_share",
                letter=t(f"stories.abc.{share.letter}"),
                share=round(share.share * 100),
                carlzon=round(share.carlzon * 100),
            )
            for share in mix.abc
        )
        lines.append(t("service_mix.abc", shares=shares))
    else:
        lines.append(t("service_mix.abc_none"))
    places = " · ".join(
        f"{t(f'stories.touchpoint.{touchpoint}')} {count}" for touchpoint, count in mix.touchpoints
    )
    lines.append(t("service_mix.touchpoints", places=places))
    return "\n".join(lines)


def _recovery_line(t: Translate, mix: ServiceMix) -> str:
    line = t(
        "service_mix.recoveries",
        recoveries=mix.recoveries,
        stories=mix.stories,
        share=round(mix.recovery_share * 100),
    )
    if mix.recovery_touchpoints:
        places = " · ".join(
            f"{t(f'stories.touchpoint.{touchpoint}')} {count}"
            for touchpoint, count in mix.recovery_touchpoints
        )
        line += " " + t("service_mix.recovery_touchpoints", places=places)
    return line
