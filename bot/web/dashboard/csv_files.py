"""The dashboard's CSV downloads: what every page's "Download these figures as CSV" sends.

csv_download(text, filename)   the file, with the byte-order mark Excel needs
spreadsheet_safe(cell)         a cell people typed, that a spreadsheet must not run
"""

from __future__ import annotations

from flask import Response

# Excel opens a CSV without a byte-order mark in the computer's legacy code page, which
# turns Chinese into mojibake; with one it reads UTF-8 (and other tools skip it).
UTF8_BOM = "\ufeff"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""What a spreadsheet may read as a formula at the start of a cell (CSV injection)."""


def csv_download(text: str, filename: str) -> Response:
    """`text` (CSV) as a file to save, `filename` ASCII."""
    return Response(
        UTF8_BOM + text,
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


def spreadsheet_safe(cell: str) -> str:
    """The cell as text a spreadsheet shows, never runs: a leading ' before = + - @.
    Every cell a person typed (a story, a team's or a value's name) goes through it."""
    return "'" + cell if cell.startswith(FORMULA_STARTS) else cell
