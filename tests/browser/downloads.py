"""Files the dashboard gives the browser to save."""

from __future__ import annotations

import codecs
from pathlib import Path

from playwright.sync_api import Page


def download_csv(page: Page, link: str) -> str:
    """The text of the CSV the link named `link` downloads. It must start with the
    byte-order mark without which Excel reads UTF-8 (and so Chinese) as mojibake."""
    with page.expect_download() as download:
        page.get_by_role("link", name=link).click()
    data = Path(download.value.path()).read_bytes()
    assert data.startswith(codecs.BOM_UTF8), "Excel needs the byte-order mark"
    return data.decode("utf-8-sig")
