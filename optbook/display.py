"""Display objects the chapters return as a cell's last value, and the book's static assets.

:class:`Markdown` renders as MyST in the book (dropdowns, roles); :class:`HTML` is embedded as it
is. :func:`asset` reads a JavaScript or CSS file from ``optbook/static/`` (shipped with the
package), so scripts and styles live in files linted as what they are, not in Python strings.
"""

from __future__ import annotations

from functools import cache
from importlib import resources


class Markdown:
    """A ``text/markdown`` display whose text is MyST Markdown."""

    def __init__(self, text: str) -> None:
        self.text = text

    def _repr_markdown_(self) -> str:
        return self.text

    def __str__(self) -> str:
        return self.text


class HTML:
    """A ``text/html``-only display (no Markdown version, so the book embeds the HTML)."""

    def __init__(self, html_text: str) -> None:
        self.html = html_text

    def _repr_html_(self) -> str:
        return self.html

    def __str__(self) -> str:
        return self.html


@cache
def asset(name: str) -> str:
    """The text of ``optbook/static/<name>`` (e.g. ``"quiz.js"``)."""
    path = resources.files("optbook").joinpath("static", name)
    if not path.is_file():
        available = sorted(p.name for p in resources.files("optbook").joinpath("static").iterdir())
        raise FileNotFoundError(f"no static asset {name!r} in optbook; available: {available}")
    return path.read_text(encoding="utf-8")
