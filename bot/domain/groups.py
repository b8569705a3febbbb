"""Which groups may be shown on their own beside their whole, so that no group of fewer
than K people shows up, not even by subtraction.

A group is shown when it has at least K people. The whole minus the shown groups is what
a reader can work out for the rest: that rest must be empty or at least K too, so the
smallest shown groups are folded into it until it is. The pulse results and the
adoption curve use the same rule, so the dashboard and Slack can never disagree on it.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping


def shown_groups(sizes: Mapping[int, int], k: int, *, eligible: Collection[int]) -> set[int]:
    """The `eligible` groups to show on their own, given every group's size (`sizes`
    covers the whole, the people in no eligible group included)."""
    shown = {group for group in eligible if sizes.get(group, 0) >= k}
    rest = sum(size for group, size in sizes.items() if group not in shown)
    for group in sorted(shown, key=lambda g: (sizes[g], g)):
        if rest == 0 or rest >= k:
            break
        shown.discard(group)
        rest += sizes[group]
    return shown
