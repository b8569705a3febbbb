"""Does a chart on the page really draw? Its SVG has shapes, and its pixels show them.

A chart that fails quietly (no data, a script error, shapes sized zero or painted in the
background's colour) still leaves an <svg> in the page; only the drawn pixels tell. The
screenshot is decoded with Pillow: PNG rows are filtered (Sub, Up, Average, Paeth), and
undoing that by hand over zlib is a decoder to maintain and slow in pure Python.
"""

from __future__ import annotations

import contextlib
import io
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from playwright.sync_api import Page

# The SVG elements that paint a mark (text alone, such as "No data", is not a chart).
SHAPES = "path, rect, circle, ellipse, line, polyline, polygon"
# A pixel is ink when one channel differs from the background by more than this; two
# colours are one when no channel differs by more.
TOLERANCE = 40
# A colour whose channels lie this close together is a grey. Text, axes, grid lines and their
# antialiasing are greys, and all greys count as one colour: an empty chart draws its axes
# and "No data" in them (pygal does), so only another colour shows that data was drawn.
GREY_CHROMA = 32


def assert_chart_drawn(
    page: Page,
    selector: str,
    *,
    min_size: int = 40,
    min_ink: float = 0.01,
    min_colours: int = 2,
    min_colour: float = 0.001,
    svg: bool = True,
    timeout_ms: float = 5_000,
) -> None:
    """Assert that the one element matching `selector` shows a chart that has drawn.

    - with `svg` (a canvas chart passes svg=False): the element is or holds an <svg> with at
      least one drawable shape (waiting up to `timeout_ms` for a script to draw one);
    - its screenshot is at least `min_size` pixels wide and high;
    - at least `min_ink` of its pixels are not the background (the most common colour);
    - and the ink holds at least `min_colours` distinct colours, each painting at least
      `min_colour` of the pixels, all greys counting as one: with the default 2, the greys
      of axes and labels and one colour of data, or two colours of data.
    """
    from PIL import Image
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    chart = page.locator(selector)
    chart.wait_for(state="visible")
    if svg:
        has_svg = chart.evaluate("e => e.matches('svg') || e.querySelector('svg') !== null")
        assert has_svg, f"{selector}: no <svg> in the chart"
        shapes = chart.locator(SHAPES)
        with contextlib.suppress(PlaywrightTimeout):
            shapes.first.wait_for(state="attached", timeout=timeout_ms)
        assert shapes.count() > 0, f"{selector}: the SVG has no drawable shape ({SHAPES})"

    png = chart.screenshot(animations="disabled")
    image = Image.open(io.BytesIO(png)).convert("RGB")
    width, height = image.size
    assert width >= min_size and height >= min_size, (
        f"{selector}: the chart is {width}x{height} pixels, under {min_size}x{min_size}"
    )

    area = width * height
    colours = image.getcolors(maxcolors=area) or []
    _, background = max(colours)
    ink = [(count, colour) for count, colour in colours if _differ(colour, background)]
    inked = sum(count for count, _ in ink)
    assert inked >= min_ink * area, (
        f"{selector}: only {inked} of {area} pixels ({inked / area:.2%}) differ from the "
        f"background {background}; at least {min_ink:.0%} should"
    )
    painted: dict[tuple[int, int, int] | str, int] = {}  # a colour, or "grey": its pixels
    for count, colour in sorted(ink, reverse=True):
        if max(colour) - min(colour) <= GREY_CHROMA:
            key = "grey"
        else:
            key = next(
                (seen for seen in painted if seen != "grey" and not _differ(colour, seen)), colour
            )
        painted[key] = painted.get(key, 0) + count
    colours_drawn = [key for key, count in painted.items() if count >= min_colour * area]
    assert len(colours_drawn) >= min_colours, (
        f"{selector}: the chart paints {len(colours_drawn)} colour(s) {colours_drawn} besides "
        f"its background {background}, under {min_colours} (all greys count as one)"
    )


def _differ(one: tuple[int, ...], other: tuple[int, ...]) -> bool:
    return max(abs(a - b) for a, b in zip(one, other, strict=True)) > TOLERANCE
