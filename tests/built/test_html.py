"""Checks on the HTML that `jupyter-book build` produced in _build/html."""

import re
from pathlib import Path

from bs4 import BeautifulSoup

MAX_PAGE_BYTES = 8 * 1024 * 1024

# What a failed cell or a broken directive leaves in a page:
# - myst-nb renders an exception output as a block with the classes "output traceback";
# - docutils renders its own errors (unknown role, bad directive option...) inline as
#   <div class="system-message">;
# - the text of a Python traceback inside a cell's output area.
TRACEBACK_TEXT = "Traceback (most recent call last)"


def _soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def _pages(html_dir: Path, toc_docnames: list[str]) -> list[Path]:
    return [html_dir / f"{docname}.html" for docname in toc_docnames]


def _expected_error(node) -> bool:
    # A cell tagged `raises-exception` is meant to show its traceback.
    cell = node.find_parent(class_="cell")
    return cell is not None and "tag_raises-exception" in cell.get("class", [])


def test_landing_page_exists(html_dir):
    assert (html_dir / "index.html").is_file()


def test_every_toc_page_was_built(html_dir, toc_docnames):
    missing = [d for d in toc_docnames if not (html_dir / f"{d}.html").is_file()]
    assert not missing, f"pages listed in _toc.yml without an HTML file: {missing}"


def test_no_page_is_too_large(html_dir):
    big = {
        p.relative_to(html_dir).as_posix(): p.stat().st_size
        for p in html_dir.rglob("*.html")
        if p.stat().st_size > MAX_PAGE_BYTES
    }
    assert not big, f"HTML pages over {MAX_PAGE_BYTES} bytes (embedded data too large?): {big}"


def test_no_failed_cells(html_dir, toc_docnames):
    failures = {}
    for page in _pages(html_dir, toc_docnames):
        soup = _soup(page)
        found = [n for n in soup.select(".output.traceback") if not _expected_error(n)]
        found += [
            n
            for n in soup.select(".cell_output")
            if TRACEBACK_TEXT in n.get_text() and not _expected_error(n)
        ]
        if found:
            failures[page.name] = found[0].get_text()[:300]
    assert not failures, f"cells that raised while the book was built: {failures}"


def test_no_docutils_error_messages(html_dir, toc_docnames):
    failures = {}
    for page in _pages(html_dir, toc_docnames):
        messages = _soup(page).select(".system-message")
        if messages:
            failures[page.name] = messages[0].get_text(" ", strip=True)[:300]
    assert not failures, f"pages with Sphinx/docutils error messages: {failures}"


def test_no_notebook_execution_reports(html_dir, toc_docnames):
    # myst-nb saves the traceback of a notebook that failed to execute in reports/<page>.err.log.
    reports_dir = html_dir / "reports"
    reports = [d for d in toc_docnames if (reports_dir / f"{d}.err.log").exists()]
    assert not reports, f"notebooks that failed to execute (see {reports_dir}): {reports}"


def _bad_alt(alt: str | None) -> str | None:
    """Why an image's alt text says nothing to a reader who cannot see it, or None."""
    text = (alt or "").strip()
    if len(text) < 15:
        return f"too short ({text!r})"
    # myst-nb's default: the image file's path or content hash
    if re.search(r"(^|/)[0-9a-f]{16,}(\.\w+)?$", text) or re.search(r"\.(png|jpe?g|svg|gif)$",
                                                                      text, re.I):
        return f"a file name ({text[:60]!r})"
    return None


def test_every_content_image_has_a_meaningful_alt_text(html_dir, toc_docnames):
    """Every image in a page's content says what it shows (cell metadata
    ``"mystnb": {"image": {"alt": "..."}}`` for a figure a cell makes)."""
    bad = {}
    for page in _pages(html_dir, toc_docnames):
        soup = _soup(page)
        article = soup.select_one("article.bd-article") or soup
        problems = [f"{img.get('src', '')[-30:]}: {why}" for img in article.find_all("img")
                    if (why := _bad_alt(img.get("alt")))]
        if problems:
            bad[page.name] = problems
    count = sum(len(v) for v in bad.values())
    assert not bad, f"{count} images without a meaningful alt text: {bad}"
