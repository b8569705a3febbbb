"""The browser works here: a local page opens in Chromium, its English and Chinese text
reads and renders, and assert_chart_drawn tells a drawn chart from an empty one."""

from __future__ import annotations

import io
from collections.abc import Iterator

import pytest
from flask import Flask, make_response

from tests.browser.charts import assert_chart_drawn
from tests.support.http import serving

PAGE = """<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>Culture pulse 文化脉搏</title></head>
<body style="margin: 16px; font-family: sans-serif">
  <h1>关键时刻 Moments of truth</h1>
  <p><span id="zhong" style="font-size: 48px">中</span>
     <span id="wen" style="font-size: 48px">文</span></p>
  <figure id="pulse">
    <svg width="320" height="200" viewBox="0 0 320 200" role="img"
         aria-label="每周脉搏 weekly pulse">
      <line x1="30" y1="180" x2="310" y2="180" stroke="#333" stroke-width="2"/>
      <rect x="50" y="60" width="40" height="120" fill="#1f77b4"/>
      <rect x="120" y="100" width="40" height="80" fill="#ff7f0e"/>
      <rect x="190" y="40" width="40" height="140" fill="#1f77b4"/>
      <circle cx="270" cy="90" r="20" fill="#2ca02c"/>
      <text x="50" y="196" font-size="12">第一周</text>
    </svg>
  </figure>
  <figure id="empty"><svg width="320" height="200"></svg></figure>
  <figure id="blank">
    <svg width="320" height="200"><rect x="0" y="0" width="0" height="200" fill="#1f77b4"/>
      <path d="" stroke="#333"/></svg>
  </figure>
  <figure id="no-data">
    <svg width="320" height="200">
      <line x1="30" y1="180" x2="310" y2="180" stroke="#333" stroke-width="2"/>
      <line x1="30" y1="100" x2="310" y2="100" stroke="#999" stroke-dasharray="4"/>
      <text x="80" y="110" font-size="40" fill="#1d1c1d">No data 无数据</text></svg>
  </figure>
</body></html>
"""


@pytest.fixture(scope="module")
def site() -> Iterator[str]:
    app = Flask(__name__)

    @app.get("/")
    def index() -> str:
        return PAGE

    @app.get("/set-cookie")
    def set_cookie():
        response = make_response("set")
        response.set_cookie("session", "one-test-only")
        return response

    with serving(app) as url:
        yield url


def test_a_local_page_opens_and_its_text_reads(page, site):
    page.goto(site)

    assert page.title() == "Culture pulse 文化脉搏"
    assert page.locator("h1").inner_text() == "关键时刻 Moments of truth"
    assert page.get_by_role("img", name="每周脉搏 weekly pulse").count() == 1


def test_chinese_renders_in_glyphs_not_in_empty_boxes(page, site):
    from PIL import Image, ImageChops

    page.goto(site)

    zhong, wen = (
        Image.open(io.BytesIO(page.locator(glyph).screenshot())).convert("RGB")
        for glyph in ("#zhong", "#wen")
    )
    # Without a CJK font every character is the same "tofu" box.
    same = zhong.size == wen.size and ImageChops.difference(zhong, wen).getbbox() is None
    assert not same, "中 and 文 render alike: install a CJK font (fonts-wqy-zenhei)"


def test_assert_chart_drawn_passes_on_a_drawn_chart(page, site):
    page.goto(site)

    assert_chart_drawn(page, "#pulse")
    assert_chart_drawn(page, "#pulse svg")


@pytest.mark.parametrize(
    ("chart", "complaint"),
    [
        ("#empty", "no drawable shape"),
        ("#blank", "differ from the background"),
        ("#no-data", "paints 1 colour"),
    ],
)
def test_assert_chart_drawn_fails_on_an_empty_chart(page, site, chart, complaint):
    page.goto(site)

    with pytest.raises(AssertionError, match=complaint):
        assert_chart_drawn(page, chart, timeout_ms=200)


@pytest.mark.parametrize("run", ["first", "second"])
def test_each_test_starts_with_no_cookies(page, site, run):
    assert page.context.cookies() == []

    page.goto(f"{site}/set-cookie")

    assert [cookie["name"] for cookie in page.context.cookies()] == ["session"]
